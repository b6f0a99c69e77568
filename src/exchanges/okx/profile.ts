/**
 * OKX: the API page, the profile, and the parser for `GET /api/v5/account/config`, whose `perm`
 * and `ip` fields describe the calling key. Sources: OKX API docs (account configuration), OKX API
 * FAQ, FACTS.md.
 */
import { explainOKXError, okxErrors } from './errors.js';
import { okxKeyGuide } from './key-guide.js';
import { describeType, isRecord, permissionMap, problem, splitIpList } from '../key-info-util.js';
import { apiKeyField, secretField, type ExchangeProfile } from '../profile.js';
import type { KeyInfoResult } from '../types.js';

const ENDPOINT = 'GET /api/v5/account/config';

/**
 * `acctLv` "1" is OKX's Spot mode, in which no perpetual swap can be traded whatever the key may
 * do ("2" futures mode, "3" multi-currency margin, "4" portfolio margin can): OKX API docs, Get
 * account configuration, https://www.okx.com/docs-v5/en/#trading-account-rest-api-get-account-configuration
 */
const SPOT_MODE =
  'this OKX account is in Spot mode, which cannot trade perpetual swaps. On OKX switch the account mode to Futures mode (Trade → settings → Account mode), then audit the key again.';

function parseKeyInfo(response: unknown): KeyInfoResult {
  let data: unknown = response;
  if (isRecord(response) && 'code' in response) {
    const code = response['code'];
    if (code !== '0' && code !== 0) {
      const why = explainOKXError(typeof code === 'number' || typeof code === 'string' ? code : '');
      return problem(`OKX refused the account-configuration request. ${why.message}`);
    }
    data = response['data'];
  }
  const config: unknown = Array.isArray(data) ? data[0] : data;
  if (!isRecord(config)) {
    return problem(
      `OKX's account-configuration answer (${ENDPOINT}) has no account entry (got ${describeType(config)}), so Sentinel cannot tell what this key may do.`,
    );
  }
  const perm = config['perm'];
  if (typeof perm !== 'string') {
    return problem(
      `OKX's account-configuration answer has "perm" as ${describeType(perm)} instead of a list of permissions, so Sentinel cannot tell what this key may do.`,
    );
  }
  const ip = config['ip'];
  if (typeof ip !== 'string') {
    return problem(
      `OKX's account-configuration answer has "ip" as ${describeType(ip)} instead of a string, so Sentinel cannot tell whether the key is bound to IPs.`,
    );
  }
  const granted = perm
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const trade = granted.includes('trade');
  const permissions = permissionMap(null);
  // OKX documents this endpoint as needing the Read permission: the answer itself proves it.
  permissions.read = true;
  permissions.spot = trade;
  permissions.withdraw = granted.includes('withdraw');
  // "trade" on OKX covers spot, margin, futures and options (and transfers, convert and earn
  // orders): whether those work depends on the account's mode, which this answer does not tie to
  // the key. Report them as unknown (null) rather than granted, and as false without "trade".
  for (const p of ['margin', 'futures', 'options', 'transfer', 'convert', 'earn'] as const) {
    permissions[p] = trade ? null : false;
  }
  const list = splitIpList(ip);
  const mode = config['acctLv'];
  return {
    ok: true,
    info: {
      permissions,
      grantedRaw: granted,
      // An empty "ip" means no IP is bound: the key works from anywhere.
      ipRestricted: list.length > 0,
      ...(list.length > 0 ? { ipList: list } : {}),
      // OKX's answer gives no creation or expiry date.
      readOnly: !trade,
      ...(mode === '1' ? { futuresUnavailable: SPOT_MODE } : {}),
    },
  };
}

export const okx: ExchangeProfile = {
  ...okxKeyGuide,
  keyInfoEndpoint: ENDPOINT,
  credentialFields: [
    apiKeyField('API Key'),
    secretField('Secret Key'),
    {
      id: 'passphrase',
      label: 'Passphrase',
      secret: true,
      ruleName: 'OKX passphrase',
      // OKX passphrases: 8–32 characters (its key-creation form enforces this).
      minLength: 8,
      maxLength: 32,
      missing: 'OKX keys need the passphrase you chose when creating the key',
      trim: false,
    },
  ],
  // OKX demo trading (ccxt's sandbox: header x-simulated-trading: 1); no separate testnet.
  environments: ['live', 'demo'],
  parseKeyInfo,
  clientOrderId: {
    field: 'clOrdId',
    lookupParam: 'clOrdId',
    pattern: /^[A-Za-z0-9]{1,32}$/,
    maxLength: 32,
  },
  errors: okxErrors,
  unknownOutcomeCodes: ['50001', '50004', '50013', '50026'],
  duplicateOrderCodes: ['51016'],
  orderNotFoundCodes: ['51603'],
  explainError: explainOKXError,
  auditNotes: {
    // OKX has one "Trade" permission for every product (account/config `perm`).
    futuresFix: () => 'on OKX\'s API page edit the key and tick "Trade"',
  },
};
