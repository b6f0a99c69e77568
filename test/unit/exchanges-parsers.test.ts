import { readFileSync } from 'node:fs';
import { binance } from '../../src/exchanges/binance/profile.js';
import { bybit } from '../../src/exchanges/bybit/profile.js';
import { okx } from '../../src/exchanges/okx/profile.js';
import type { KeyInfo, KeyInfoResult } from '../../src/exchanges/types.js';

/** The exchanges' documented example answers (test/fixtures/exchanges/). */
function fixture(name: string): Record<string, unknown> {
  const url = new URL(`../fixtures/exchanges/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}

function info(result: KeyInfoResult): KeyInfo {
  if (!result.ok) throw new Error(`expected ok, got problem: ${result.problem}`);
  return result.info;
}

function problemOf(result: KeyInfoResult): string {
  if (result.ok) throw new Error('expected a problem, got ok');
  return result.problem;
}

describe('Binance GET /sapi/v1/account/apiRestrictions', () => {
  const doc = fixture('binance-api-restrictions');

  it('reads the documented example', () => {
    const i = info(binance.parseKeyInfo(doc));
    expect(i.permissions).toEqual({
      read: true,
      spot: false,
      margin: false,
      futures: false,
      options: false,
      withdraw: false,
      transfer: false,
      convert: null,
      earn: null,
      nft: null,
    });
    expect(i.ipRestricted).toBe(false);
    expect(i.ipList).toBeUndefined(); // Binance's answer has no IP list
    expect(i.createdAt).toBe(1698645219000);
    expect(i.grantedRaw).toEqual(['enableReading', 'enableFixReadOnly']);
    expect(i.readOnly).toBe(true);
  });

  it('withdrawals on, IP restricted, trading on, spot-trading expiry', () => {
    const i = info(
      binance.parseKeyInfo({
        ...doc,
        enableWithdrawals: true,
        ipRestrict: true,
        enableSpotAndMarginTrading: true,
        tradingAuthorityExpirationTime: 1700000000000,
      }),
    );
    expect(i.permissions.withdraw).toBe(true);
    expect(i.permissions.spot).toBe(true);
    expect(i.ipRestricted).toBe(true);
    expect(i.tradeExpiresAt).toBe(1700000000000);
    expect(i.readOnly).toBe(false);
    expect(i.grantedRaw).toContain('enableWithdrawals');
  });

  it('either transfer toggle grants transfer', () => {
    expect(
      info(binance.parseKeyInfo({ ...doc, permitsUniversalTransfer: true })).permissions.transfer,
    ).toBe(true);
    expect(
      info(binance.parseKeyInfo({ ...doc, enableInternalTransfer: true })).permissions.transfer,
    ).toBe(true);
  });

  it('tolerates unknown fields, and reports unknown permission flags that are on', () => {
    const i = info(binance.parseKeyInfo({ ...doc, someNewField: 'x', enableRocketTrading: true }));
    expect(i.grantedRaw).toContain('enableRocketTrading');
    expect(i.permissions.withdraw).toBe(false);
  });

  it('a missing optional toggle is unknown (null), not false', () => {
    const { enableFutures: _f, permitsUniversalTransfer: _u, ...rest } = doc;
    const i = info(binance.parseKeyInfo(rest));
    expect(i.permissions.futures).toBeNull();
    expect(i.permissions.transfer).toBeNull(); // one of the two transfer toggles is unknown
  });

  it.each(['enableWithdrawals', 'ipRestrict', 'enableReading', 'enableSpotAndMarginTrading'])(
    'refuses an answer without %s',
    (field) => {
      const rest = { ...doc };
      delete rest[field];
      expect(problemOf(binance.parseKeyInfo(rest))).toContain(`"${field}"`);
    },
  );

  it('refuses wrong types instead of guessing', () => {
    expect(problemOf(binance.parseKeyInfo({ ...doc, enableWithdrawals: 'false' }))).toMatch(
      /"enableWithdrawals" as a string/,
    );
    expect(problemOf(binance.parseKeyInfo({ ...doc, createTime: '2023' }))).toMatch(/createTime/);
    expect(problemOf(binance.parseKeyInfo(null))).toMatch(/null/);
    expect(problemOf(binance.parseKeyInfo([doc]))).toMatch(/an array/);
    expect(problemOf(binance.parseKeyInfo('ok'))).toMatch(/a string/);
  });

  it('explains an error envelope', () => {
    const p = problemOf(
      binance.parseKeyInfo({ code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' }),
    );
    expect(p).toMatch(/^Binance refused the key-permission request\./);
    expect(p).toContain('-2015');
  });
});

describe('Bybit GET /v5/user/query-api', () => {
  const doc = fixture('bybit-query-api');
  const result = doc['result'] as Record<string, unknown>;
  const withResult = (patch: Record<string, unknown>) => ({
    ...doc,
    result: { ...result, ...patch },
  });

  it('reads the documented example (envelope)', () => {
    const i = info(bybit.parseKeyInfo(doc));
    expect(i.permissions).toEqual({
      read: true,
      spot: true,
      margin: null, // Bybit has no key-level margin permission
      futures: true,
      options: true,
      withdraw: false,
      transfer: true,
      convert: true,
      earn: false,
      nft: true,
    });
    expect(i.ipRestricted).toBe(false); // ips: ["*"]
    expect(i.ipList).toBeUndefined();
    expect(i.createdAt).toBe(Date.parse('2023-08-21T06:03:44Z'));
    expect(i.expiresAt).toBe(Date.parse('2023-12-22T07:20:25Z'));
    expect(i.readOnly).toBe(false);
    expect(i.grantedRaw).toContain('Wallet: SubMemberTransfer');
    expect(i.grantedRaw).toContain('CopyTrading: CopyTrading');
  });

  it('accepts the bare result as well', () => {
    expect(info(bybit.parseKeyInfo(result))).toEqual(info(bybit.parseKeyInfo(doc)));
  });

  it('Wallet "Withdraw" is withdrawal', () => {
    const wallet = { ...(result['permissions'] as object), Wallet: ['Withdraw'] };
    const i = info(bybit.parseKeyInfo(withResult({ permissions: wallet })));
    expect(i.permissions.withdraw).toBe(true);
    expect(i.permissions.transfer).toBe(false);
    expect(i.grantedRaw).toContain('Wallet: Withdraw');
  });

  it('bound IPs are listed; a comma-joined entry is split', () => {
    const i = info(
      bybit.parseKeyInfo(withResult({ ips: ['203.0.113.7,198.51.100.2'], expiredAt: '' })),
    );
    expect(i.ipRestricted).toBe(true);
    expect(i.ipList).toEqual(['203.0.113.7', '198.51.100.2']);
    expect(i.expiresAt).toBeUndefined();
  });

  it('a key that never expires (deadlineDay -2, expiredAt at the epoch) has no expiry date', () => {
    const i = info(
      bybit.parseKeyInfo(withResult({ deadlineDay: -2, expiredAt: '1970-01-01T00:00:00Z' })),
    );
    expect(i.expiresAt).toBeUndefined();
  });

  it('a Read-Only key cannot trade even with trade items listed', () => {
    const i = info(bybit.parseKeyInfo(withResult({ readOnly: 1 })));
    expect(i.permissions.spot).toBe(false);
    expect(i.permissions.futures).toBe(false);
    expect(i.readOnly).toBe(true);
  });

  it('tolerates unknown fields and groups; a missing group is unknown', () => {
    const { Wallet: _w, ...perms } = result['permissions'] as Record<string, unknown>;
    const i = info(
      bybit.parseKeyInfo(
        withResult({ brandNew: { x: 1 }, permissions: { ...perms, Rocket: ['Launch'] } }),
      ),
    );
    expect(i.grantedRaw).toContain('Rocket: Launch');
    expect(i.permissions.withdraw).toBeNull();
    expect(i.permissions.transfer).toBeNull();
  });

  it('refuses missing or malformed fields', () => {
    const { permissions: _p, ...noPerms } = result;
    expect(problemOf(bybit.parseKeyInfo({ ...doc, result: noPerms }))).toMatch(/permissions/);
    const { ips: _i, ...noIps } = result;
    expect(problemOf(bybit.parseKeyInfo({ ...doc, result: noIps }))).toMatch(/"ips" as missing/);
    expect(problemOf(bybit.parseKeyInfo(withResult({ readOnly: '0' })))).toMatch(/"readOnly"/);
    expect(
      problemOf(bybit.parseKeyInfo(withResult({ permissions: { Wallet: 'Withdraw' } }))),
    ).toMatch(/"Wallet" as a string/);
    expect(problemOf(bybit.parseKeyInfo(withResult({ createdAt: 'yesterday' })))).toMatch(
      /createdAt/,
    );
    expect(problemOf(bybit.parseKeyInfo({ retCode: 0, retMsg: 'OK', result: null }))).toMatch(
      /result/,
    );
    expect(problemOf(bybit.parseKeyInfo(undefined))).toMatch(/missing/);
  });

  it('explains retCode ≠ 0', () => {
    const p = problemOf(
      bybit.parseKeyInfo({ retCode: 10003, retMsg: 'API key is invalid.', result: {} }),
    );
    expect(p).toMatch(/^Bybit refused the key-info request\. Bybit does not accept this API key/);
    expect(
      problemOf(bybit.parseKeyInfo({ retCode: 10010, retMsg: 'Unmatched IP', result: {} })),
    ).toMatch(/not bound to the key/);
  });
});

describe('OKX GET /api/v5/account/config', () => {
  const doc = fixture('okx-account-config');
  const entry = (doc['data'] as Record<string, unknown>[])[0] as Record<string, unknown>;
  const withEntry = (patch: Record<string, unknown>) => ({
    ...doc,
    data: [{ ...entry, ...patch }],
  });

  it('reads the documented example', () => {
    const i = info(okx.parseKeyInfo(doc));
    expect(i.permissions).toEqual({
      read: true,
      spot: true,
      // "trade" covers these on OKX, depending on the account mode: unknown, not granted
      margin: null,
      futures: null,
      options: null,
      withdraw: true,
      transfer: null,
      convert: null,
      earn: null,
      nft: null,
    });
    expect(i.ipRestricted).toBe(true);
    expect(i.ipList).toEqual(['120.255.24.182', '49.245.196.13']);
    expect(i.createdAt).toBeUndefined(); // OKX gives no creation date
    expect(i.grantedRaw).toEqual(['read_only', 'withdraw', 'trade']);
    expect(i.readOnly).toBe(false);
  });

  it('accepts the data array or the bare entry', () => {
    expect(info(okx.parseKeyInfo(doc['data']))).toEqual(info(okx.parseKeyInfo(doc)));
    expect(info(okx.parseKeyInfo(entry))).toEqual(info(okx.parseKeyInfo(doc)));
  });

  it('an empty "ip" means unrestricted; read-only keys cannot trade anything', () => {
    const i = info(okx.parseKeyInfo(withEntry({ ip: '', perm: 'read_only' })));
    expect(i.ipRestricted).toBe(false);
    expect(i.ipList).toBeUndefined();
    expect(i.permissions.withdraw).toBe(false);
    expect(i.permissions.spot).toBe(false);
    expect(i.permissions.futures).toBe(false);
    expect(i.readOnly).toBe(true);
  });

  it('tolerates unknown fields and reports unknown permissions', () => {
    const i = info(
      okx.parseKeyInfo(withEntry({ perm: 'read_only, trade ,earn_more', newThing: [1] })),
    );
    expect(i.grantedRaw).toEqual(['read_only', 'trade', 'earn_more']);
    expect(i.permissions.withdraw).toBe(false);
  });

  it('refuses missing or malformed fields', () => {
    const { perm: _p, ...noPerm } = entry;
    expect(problemOf(okx.parseKeyInfo({ ...doc, data: [noPerm] }))).toMatch(/"perm" as missing/);
    const { ip: _i, ...noIp } = entry;
    expect(problemOf(okx.parseKeyInfo({ ...doc, data: [noIp] }))).toMatch(/"ip" as missing/);
    expect(problemOf(okx.parseKeyInfo(withEntry({ perm: ['trade'] })))).toMatch(
      /"perm" as an array/,
    );
    expect(problemOf(okx.parseKeyInfo({ code: '0', msg: '', data: [] }))).toMatch(
      /no account entry/,
    );
    expect(problemOf(okx.parseKeyInfo(42))).toMatch(/a number/);
  });

  it('explains code ≠ "0"', () => {
    const p = problemOf(okx.parseKeyInfo({ code: '50105', msg: 'passphrase incorrect', data: [] }));
    expect(p).toMatch(
      /^OKX refused the account-configuration request\. OKX says the passphrase is wrong/,
    );
    expect(problemOf(okx.parseKeyInfo({ code: '50101', msg: '', data: [] }))).toMatch(
      /other environment/,
    );
  });
});
