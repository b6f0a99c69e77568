/**
 * Binance: the API Management page, the profile, and the parser for the key-info answer of
 * `GET /sapi/v1/account/apiRestrictions`. Sources: developers.binance.com
 * (wallet/account/api-key-permission), Binance announcement 2021-07-08 (spot-trading expiry on keys
 * without trusted IPs), FACTS.md.
 */
import { binanceErrors, explainBinanceError } from './errors.js';
import { binancePermissions } from './guide.js';
import { binanceKeyGuide } from './key-guide.js';
import { describeType, isRecord, permissionMap, problem } from '../key-info-util.js';
import { day } from '../policy-context.js';
import { apiKeyField, secretField, type ExchangeProfile } from '../profile.js';
import { PERMISSIONS, type KeyInfoResult } from '../types.js';

const ENDPOINT = 'GET /sapi/v1/account/apiRestrictions';

/** Fields that decide whether the key is safe: without them the answer proves nothing. */
const REQUIRED: Record<string, string> = {
  ipRestrict: 'whether the key is restricted to trusted IPs',
  enableWithdrawals: 'whether withdrawals are enabled',
  enableReading: 'whether the key can read balances',
  enableSpotAndMarginTrading: 'whether the key can trade',
};

const KNOWN_FLAGS = binancePermissions.flatMap((e) => e.apiNames);

function parseKeyInfo(response: unknown): KeyInfoResult {
  if (!isRecord(response)) {
    return problem(
      `Binance's key-permission answer (${ENDPOINT}) is ${describeType(response)} instead of an object, so Sentinel cannot tell what this key may do.`,
    );
  }
  if (response['ipRestrict'] === undefined && response['code'] !== undefined) {
    const code = response['code'];
    const why = explainBinanceError(
      typeof code === 'number' || typeof code === 'string' ? code : '',
    );
    return problem(`Binance refused the key-permission request. ${why.message}`);
  }
  for (const name of ['ipRestrict', ...KNOWN_FLAGS]) {
    const v = response[name];
    if (v !== undefined && typeof v !== 'boolean') {
      return problem(
        `Binance's key-permission answer has "${name}" as ${describeType(v)} instead of true or false, so Sentinel cannot trust it.`,
      );
    }
  }
  for (const [name, what] of Object.entries(REQUIRED)) {
    if (response[name] === undefined) {
      return problem(
        `Binance's key-permission answer has no "${name}" field, so Sentinel cannot tell ${what}.`,
      );
    }
  }
  for (const name of ['createTime', 'tradingAuthorityExpirationTime']) {
    const v = response[name];
    if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isFinite(v))) {
      return problem(
        `Binance's key-permission answer has "${name}" as ${describeType(v)} instead of a time in milliseconds.`,
      );
    }
  }

  // A canonical permission is granted if any of its toggles is; denied only if all are known off.
  const permissions = permissionMap(null);
  for (const p of PERMISSIONS) {
    const values = binancePermissions
      .filter((e) => e.permission === p)
      .flatMap((e) => e.apiNames.map((n) => response[n] as boolean | undefined));
    if (values.length === 0) continue;
    if (values.includes(true)) permissions[p] = true;
    else if (values.every((v) => v === false)) permissions[p] = false;
  }
  // Unknown `enable…`/`permits…` flags that are on are reported too: the audit flags what it
  // does not recognise rather than ignoring it.
  const grantedRaw = Object.keys(response).filter(
    (k) => response[k] === true && (KNOWN_FLAGS.includes(k) || /^(enable|permits)[A-Z]/.test(k)),
  );
  const trading = [permissions.spot, permissions.margin, permissions.futures, permissions.options];
  const createTime = response['createTime'];
  const tradeExpiry = response['tradingAuthorityExpirationTime'];
  return {
    ok: true,
    info: {
      permissions,
      grantedRaw,
      ipRestricted: response['ipRestrict'] as boolean,
      // This answer carries no IP list: the audit proves this machine is allowed another way.
      ...(typeof createTime === 'number' && createTime > 0 ? { createdAt: createTime } : {}),
      ...(typeof tradeExpiry === 'number' && tradeExpiry > 0
        ? { tradeExpiresAt: tradeExpiry }
        : {}),
      ...(trading.includes(true)
        ? { readOnly: false }
        : trading.every((t) => t === false)
          ? { readOnly: true }
          : {}),
    },
  };
}

export const binance: ExchangeProfile = {
  ...binanceKeyGuide,
  keyInfoEndpoint: ENDPOINT,
  credentialFields: [apiKeyField('API Key'), secretField('Secret Key')],
  // Binance's spot testnet; its demo trading is not offered.
  environments: ['live', 'testnet'],
  parseKeyInfo,
  clientOrderId: {
    field: 'newClientOrderId',
    lookupParam: 'origClientOrderId',
    pattern: /^[.A-Z:/a-z0-9_-]{1,36}$/,
    maxLength: 36,
  },
  errors: binanceErrors,
  // Any HTTP 5xx from Binance is an unknown outcome as well (no code to match on).
  unknownOutcomeCodes: ['-1006', '-1007'],
  duplicateOrderCodes: ['-2010'],
  orderNotFoundCodes: ['-2013'],
  explainError: explainBinanceError,
  auditNotes: {
    // developers.binance.com/docs/wallet/account/api-key-permission: `enableFutures` — "API Key
    // created before your futures account opened does not support futures API service".
    futuresFix: () =>
      'on Binance\'s API Management page choose "Edit restrictions" and tick "Enable Futures" (Binance offers it only on keys created after your futures account was opened: for an older key, create a new one)',
    // Binance announcement of 2021-07-08, "Updates to API Key Permission Rules".
    unrestrictedKey: (info) => {
      const when =
        info.tradeExpiresAt !== undefined ? ` (for this key on ${day(info.tradeExpiresAt)})` : '';
      return ` Binance also switches "Enable Spot & Margin Trading" off 30 days after it is enabled on a key without trusted IPs${when}, and the bot then stops trading.`;
    },
  },
};
