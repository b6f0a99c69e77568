/**
 * Bybit: the API Management page, the profile, and the parser for the key-info answer of
 * `GET /v5/user/query-api`. Sources: bybit-exchange/docs docs/v5/user/apikey-info.mdx and
 * modify-master-apikey.mdx ("No ip bound api key will be invalid after 90 days"), FACTS.md.
 */
import { bybitErrors, explainBybitError } from './errors.js';
import { bybitKeyGuide } from './key-guide.js';
import {
  describeType,
  isRecord,
  parseIsoDate,
  permissionMap,
  problem,
  splitIpList,
} from '../key-info-util.js';
import { apiKeyField, secretField, type ExchangeProfile } from '../profile.js';
import type { KeyInfoResult } from '../types.js';

const ENDPOINT = 'GET /v5/user/query-api';

/** Groups whose items are canonical trading permissions (granted only on Read-Write keys). */
const TRADING_GROUPS = { Spot: 'spot', ContractTrade: 'futures', Options: 'options' } as const;

function parseKeyInfo(response: unknown): KeyInfoResult {
  let result: unknown = response;
  if (isRecord(response) && 'retCode' in response) {
    const code = response['retCode'];
    if (code !== 0 && code !== '0') {
      const why = explainBybitError(
        typeof code === 'number' || typeof code === 'string' ? code : '',
      );
      return problem(`Bybit refused the key-info request. ${why.message}`);
    }
    result = response['result'];
  }
  if (!isRecord(result) || !('permissions' in result)) {
    return problem(
      `Bybit's key-info answer (${ENDPOINT}) has no "result" with "permissions" (got ${describeType(result)}), so Sentinel cannot tell what this key may do.`,
    );
  }
  const groups = result['permissions'];
  if (!isRecord(groups)) {
    return problem(
      `Bybit's key-info answer has "permissions" as ${describeType(groups)} instead of an object.`,
    );
  }
  const lists: Record<string, string[]> = {};
  for (const [group, items] of Object.entries(groups)) {
    if (!Array.isArray(items) || !items.every((i) => typeof i === 'string')) {
      return problem(
        `Bybit's key-info answer has permission group "${group}" as ${describeType(items)} instead of a list of names.`,
      );
    }
    lists[group] = items as string[];
  }
  const readOnly = result['readOnly'];
  if (readOnly !== 0 && readOnly !== 1) {
    return problem(
      `Bybit's key-info answer has "readOnly" as ${describeType(readOnly)} instead of 0 or 1, so Sentinel cannot tell whether the key can trade.`,
    );
  }
  const ips = result['ips'];
  const ipsValid =
    typeof ips === 'string' || (Array.isArray(ips) && ips.every((i) => typeof i === 'string'));
  if (!ipsValid) {
    return problem(
      `Bybit's key-info answer has "ips" as ${describeType(ips)} instead of a list of addresses, so Sentinel cannot tell whether the key is bound to IPs.`,
    );
  }
  const createdAt = parseIsoDate(result['createdAt']);
  const rawExpiry = parseIsoDate(result['expiredAt']);
  // Keys that never expire (IP-bound) answer deadlineDay -2 and the epoch: no expiry date.
  const expiresAt = rawExpiry !== undefined && rawExpiry <= 0 ? undefined : rawExpiry;
  if (Number.isNaN(createdAt) || Number.isNaN(expiresAt)) {
    return problem('Bybit\'s key-info answer has an unreadable "createdAt" or "expiredAt" date.');
  }

  const permissions = permissionMap(null);
  permissions.read = true; // every Bybit key can read; the endpoint itself works with any key
  // Bybit has no key-level margin permission (spot margin is an account setting): margin is null.
  for (const [group, canonical] of Object.entries(TRADING_GROUPS)) {
    const items = lists[group];
    // A Read-Only key cannot trade even if trade items are listed.
    if (items) permissions[canonical] = readOnly === 0 && items.length > 0;
  }
  const wallet = lists['Wallet'];
  if (wallet) {
    // Reported as listed even on a Read-Only key: a listed withdrawal right must go either way.
    permissions.withdraw = wallet.includes('Withdraw');
    // Any other Wallet item moves funds between accounts; unknown ones count as transfer too.
    permissions.transfer = wallet.some((i) => i !== 'Withdraw');
  }
  for (const [group, canonical] of [
    ['Exchange', 'convert'],
    ['Earn', 'earn'],
    ['NFT', 'nft'],
  ] as const) {
    const items = lists[group];
    if (items) permissions[canonical] = items.length > 0;
  }
  const list = splitIpList(ips as string | string[]);
  // `["*"]` (or nothing) means "no IP bound": usable from anywhere.
  const ipRestricted = list.length > 0 && !list.includes('*');
  return {
    ok: true,
    info: {
      permissions,
      grantedRaw: Object.entries(lists).flatMap(([g, items]) => items.map((i) => `${g}: ${i}`)),
      ipRestricted,
      ...(ipRestricted ? { ipList: list } : {}),
      ...(createdAt !== undefined ? { createdAt } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
      readOnly: readOnly === 1,
    },
  };
}

export const bybit: ExchangeProfile = {
  ...bybitKeyGuide,
  keyInfoEndpoint: ENDPOINT,
  credentialFields: [
    apiKeyField('API Key'),
    // Bybit's creation dialog names the secret "API Secret" (the seed: "API Key and Secret").
    secretField('API Secret'),
  ],
  environments: ['live', 'testnet', 'demo'],
  parseKeyInfo,
  clientOrderId: {
    field: 'orderLinkId',
    lookupParam: 'orderLinkId',
    pattern: /^[A-Za-z0-9_-]{1,36}$/,
    maxLength: 36,
  },
  errors: bybitErrors,
  unknownOutcomeCodes: ['10000', '10016', '170007', '170146'],
  duplicateOrderCodes: ['110072', '170141'],
  // A look-up of a missing order usually answers an empty list; these codes say it outright.
  orderNotFoundCodes: ['170213', '110001'],
  explainError: explainBybitError,
  auditNotes: {
    // Bybit API docs, "Modify Master API Key": "No ip bound api key will be invalid after 90 days".
    unrestrictedKey: () => ' Bybit also makes keys without a bound IP invalid after 90 days.',
    replacementKey: " with this machine's IP bound",
    // A Bybit "Read-Only" key lists trade items but cannot use them: the radio button is the fix.
    readOnlyKeyFix: 'choose "Read-Write" and ',
    // bybit-exchange/docs docs/v5/user/apikey-info.mdx: `permissions.ContractTrade` ("Permission
    // of contract trade": Order, Position) is what linear perpetuals need; `Derivatives` follows
    // the account type and cannot be chosen.
    futuresFix: (info) =>
      `on Bybit's API Management page edit the key${info.readOnly === true ? ', choose "Read-Write"' : ''} and tick "Orders" and "Positions" under Contract`,
  },
};
