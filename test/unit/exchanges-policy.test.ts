import { readFileSync } from 'node:fs';
import { PROFILES } from '../../src/exchanges/index.js';
import {
  auditKey,
  keyAgeDays,
  rotationState,
  worstLevel,
  type AuditInput,
} from '../../src/exchanges/policy.js';
import type { Audit, ExchangeId, KeyInfoResult } from '../../src/exchanges/types.js';

function fixture(name: string): Record<string, unknown> {
  const url = new URL(`../fixtures/exchanges/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}

const DAY = 86_400_000;
const HERE = '203.0.113.7';
const CREATED = Date.parse('2025-01-01T00:00:00Z');
const NOW = new Date(CREATED + 10 * DAY);

/** Key-info answers of a key made by the guide: Read + spot Trade, bound to this machine's IP. */
const binanceSafe = {
  ...fixture('binance-api-restrictions'),
  createTime: CREATED,
  ipRestrict: true,
  enableSpotAndMarginTrading: true,
  enableFixReadOnly: false,
};
const bybitDoc = fixture('bybit-query-api');
const bybitNoPermissions = {
  ContractTrade: [],
  Spot: [],
  Wallet: [],
  Options: [],
  Derivatives: [],
  CopyTrading: [],
  BlockTrade: [],
  Exchange: [],
  NFT: [],
  Affiliate: [],
  Earn: [],
};
const bybitSafe = {
  ...(bybitDoc['result'] as object),
  permissions: { ...bybitNoPermissions, Spot: ['SpotTrade'] },
  ips: [HERE],
  createdAt: new Date(CREATED).toISOString(),
  expiredAt: '',
};
const okxSafe = { perm: 'read_only,trade', ip: HERE, label: 'x' };
const SAFE: Record<ExchangeId, Record<string, unknown>> = {
  binance: binanceSafe,
  bybit: bybitSafe,
  okx: okxSafe,
};

function audit(exchange: ExchangeId, answer: unknown, over: Partial<AuditInput> = {}): Audit {
  return auditKey({
    exchange,
    keyInfo: PROFILES[exchange].parseKeyInfo(answer),
    needs: {},
    thisMachineIp: HERE,
    requestSucceededFromThisMachine: true,
    now: NOW,
    environment: 'live',
    ...over,
  });
}

const check = (a: Audit, id: string) => a.checks.find((c) => c.id === id);
const ids = (a: Audit, level: string) => a.checks.filter((c) => c.level === level).map((c) => c.id);

describe('auditKey', () => {
  it.each(['binance', 'bybit', 'okx'] as const)('a key made by the guide on %s is ok', (ex) => {
    const a = audit(ex, SAFE[ex]);
    expect(a.verdict).toBe('ok');
    expect(ids(a, 'warn')).toEqual([]);
    expect(a.thisMachineAllowed).toBe(true);
    expect(a.at).toBe(NOW.toISOString());
    expect(a.permissions.withdraw).toBe(false);
  });

  it.each([
    ['binance', { ...binanceSafe, enableWithdrawals: true }, '"Enable Withdrawals"'],
    [
      'bybit',
      {
        ...bybitSafe,
        permissions: { ...bybitNoPermissions, Spot: ['SpotTrade'], Wallet: ['Withdraw'] },
      },
      '"Withdrawal" under Wallet',
    ],
    ['okx', { ...okxSafe, perm: 'read_only,trade,withdraw' }, '"Withdraw"'],
  ] as const)('withdrawals on %s block, naming the exchange’s own toggle', (ex, answer, label) => {
    const a = audit(ex, answer);
    expect(a.verdict).toBe('block');
    const c = check(a, 'withdraw');
    expect(c?.level).toBe('block');
    expect(c?.message).toContain('NEVER enable withdrawals');
    expect(c?.message).toContain(`Untick ${label} on ${PROFILES[ex].name}'s`);
    expect(c?.message).toContain('delete this key and create a new one');
  });

  it('a key that cannot read or trade is blocked', () => {
    const a = audit('binance', {
      ...binanceSafe,
      enableReading: false,
      enableSpotAndMarginTrading: false,
    });
    expect(check(a, 'read')?.level).toBe('block');
    expect(check(a, 'trade')?.level).toBe('block');
    expect(check(a, 'trade')?.message).toContain(
      'Enable Trade: tick "Enable Spot & Margin Trading"',
    );
    const ro = audit('okx', { ...okxSafe, perm: 'read_only' });
    expect(check(ro, 'trade')?.level).toBe('block');
    const bybitRo = audit('bybit', { ...bybitSafe, readOnly: 1 });
    expect(check(bybitRo, 'trade')?.message).toContain(
      'choose "Read-Write" and tick "Trade" under Spot',
    );
  });

  it('no IP restriction warns loudly; on Binance with the 30-day spot-trading note', () => {
    const a = audit('binance', {
      ...binanceSafe,
      ipRestrict: false,
      tradingAuthorityExpirationTime: CREATED + 30 * DAY,
    });
    const c = check(a, 'ip-restriction');
    expect(a.verdict).toBe('warn');
    expect(c?.level).toBe('warn');
    expect(c?.message).toContain(
      'Without IP restriction, anyone who obtains your API key can trade on your account from any IP address.',
    );
    expect(c?.message).toContain(`(${HERE})`);
    expect(c?.message).toContain('"Enable Spot & Margin Trading" off 30 days after');
    expect(c?.message).toContain('2025-01-31');
    expect(check(a, 'this-machine-ip')).toBeUndefined();

    const b = check(audit('bybit', { ...bybitSafe, ips: ['*'] }), 'ip-restriction');
    expect(b?.level).toBe('warn');
    expect(b?.message).toContain('invalid after 90 days');
    const o = check(audit('okx', { ...okxSafe, ip: '' }), 'ip-restriction');
    expect(o?.level).toBe('warn');
    expect(o?.message).not.toContain('30 days');
  });

  it('an IP list without this machine’s IP warns', () => {
    const a = audit(
      'okx',
      { ...okxSafe, ip: '198.51.100.1' },
      { requestSucceededFromThisMachine: false },
    );
    expect(check(a, 'this-machine-ip')?.level).toBe('warn');
    expect(check(a, 'this-machine-ip')?.message).toContain('198.51.100.1');
    expect(a.thisMachineAllowed).toBe(false);
    expect(a.verdict).toBe('warn');
    expect(a.ipList).toEqual(['198.51.100.1']);
  });

  it('an IP list and no known IP for this machine warns', () => {
    const a = audit('bybit', bybitSafe, {
      thisMachineIp: null,
      requestSucceededFromThisMachine: false,
    });
    expect(check(a, 'this-machine-ip')?.level).toBe('warn');
    expect(a.thisMachineAllowed).toBeNull();
  });

  it('a CIDR entry covers this machine', () => {
    const a = audit('okx', { ...okxSafe, ip: '203.0.113.0/24' });
    expect(check(a, 'this-machine-ip')?.level).toBe('ok');
  });

  it('Binance: a restricted key that answered from here proves this machine is allowed', () => {
    const a = audit('binance', binanceSafe, { thisMachineIp: null });
    expect(a.thisMachineAllowed).toBe(true);
    expect(check(a, 'this-machine-ip')?.level).toBe('ok');
    const b = audit('binance', binanceSafe, { requestSucceededFromThisMachine: false });
    expect(b.thisMachineAllowed).toBeNull();
    expect(check(b, 'this-machine-ip')?.level).toBe('warn');
  });

  it('futures granted but not needed warns; needed gives no warning', () => {
    const answer = { ...binanceSafe, enableFutures: true };
    const unneeded = audit('binance', answer);
    expect(check(unneeded, 'futures')?.level).toBe('warn');
    expect(check(unneeded, 'futures')?.message).toContain(
      'Enable only if your strategy trades futures: untick "Enable Futures"',
    );
    const needed = audit('binance', answer, { needs: { futures: true } });
    expect(needed.verdict).toBe('ok');
    expect(check(needed, 'futures')?.level).toBe('ok');
  });

  it('margin and options granted but not needed warn too', () => {
    const a = audit('binance', { ...binanceSafe, enableMargin: true, enableVanillaOptions: true });
    expect(ids(a, 'warn')).toEqual(['margin', 'options']);
  });

  it('futures needed but not granted blocks; OKX "Trade" covers it', () => {
    expect(
      check(audit('binance', binanceSafe, { needs: { futures: true } }), 'futures')?.level,
    ).toBe('block');
    const o = audit('okx', okxSafe, { needs: { futures: true } });
    expect(o.verdict).toBe('ok');
    expect(check(o, 'futures')?.message).toContain('"Trade" also covers futures');
  });

  it('transfer, convert, NFT and unused extras warn', () => {
    const a = audit('bybit', {
      ...bybitDoc,
      result: {
        ...bybitSafe,
        permissions: (bybitDoc['result'] as { permissions: object }).permissions,
      },
    });
    expect(check(a, 'transfer')?.message).toContain('Disable this');
    expect(check(a, 'transfer')?.message).toContain(
      '"Account Transfer" and "Subaccount Transfer" under Wallet',
    );
    expect(check(a, 'convert')?.level).toBe('warn');
    expect(check(a, 'nft')?.level).toBe('warn');
    expect(check(a, 'other-permissions')?.message).toContain('"Copy Trading"');
    expect(check(a, 'other-permissions')?.message).not.toContain('Derivatives');
    // deterministic order of checks
    expect(a.checks.map((c) => c.id)).toEqual([
      'withdraw',
      'read',
      'trade',
      'futures',
      'options',
      'ip-restriction',
      'this-machine-ip',
      'transfer',
      'convert',
      'nft',
      'other-permissions',
      'key-age',
    ]);
  });

  it('flags permissions it does not recognise', () => {
    const a = audit('binance', { ...binanceSafe, enableRocketTrading: true });
    expect(check(a, 'other-permissions')?.message).toContain(
      '"enableRocketTrading" (not recognised',
    );
  });

  it.each([
    [
      undefined,
      {
        ok: false,
        problem:
          'Binance\'s key-permission answer has no "enableWithdrawals" field, so Sentinel cannot tell whether withdrawals are enabled.',
      },
    ],
    ['Binance’s spot testnet serves no /sapi endpoints', undefined],
  ])('cannot verify ⇒ a could-not-verify warning, never ok (%s)', (couldNotVerify, keyInfo) => {
    const a = auditKey({
      exchange: 'binance',
      keyInfo: (keyInfo as KeyInfoResult | undefined) ?? binance(binanceSafe),
      needs: {},
      thisMachineIp: HERE,
      requestSucceededFromThisMachine: false,
      now: NOW,
      environment: 'testnet',
      ...(couldNotVerify ? { couldNotVerify } : {}),
    });
    expect(a.verdict).toBe('warn');
    expect(a.checks[0]?.id).toBe('could-not-verify');
    expect(a.checks[0]?.message).toContain(couldNotVerify ?? '"enableWithdrawals"');
    expect(a.checks[0]?.message).toContain('"Enable Withdrawals" is not');
    expect(Object.values(a.permissions).every((v) => v === null)).toBe(true);
    expect(a.ipRestricted).toBeNull();
  });

  it('a malformed answer is never ok, even when the request worked', () => {
    const a = audit('okx', { code: '0', data: [{ perm: 5 }] });
    expect(a.verdict).toBe('warn');
    expect(ids(a, 'warn')).toEqual(['could-not-verify']);
    expect(check(a, 'key-accepted')?.level).toBe('ok');
  });

  it.each([
    [30, 'ok', 'days old; rotate'],
    [100, 'warn', 'rotation is due'],
    [200, 'warn', 'rotation is overdue'],
  ] as const)('a key %i days old: %s', (days, level, text) => {
    const a = audit('binance', binanceSafe, { now: new Date(CREATED + days * DAY) });
    expect(check(a, 'key-age')?.level).toBe(level);
    expect(check(a, 'key-age')?.message).toContain(text);
    expect(a.keyCreatedAt).toBe('2025-01-01T00:00:00.000Z');
    if (level === 'warn')
      expect(check(a, 'key-age')?.message).toContain('create the new key first');
  });

  it('OKX gives no creation date: no age check', () => {
    expect(check(audit('okx', okxSafe), 'key-age')).toBeUndefined();
  });

  it('a key that expires within 14 days warns', () => {
    const soon = audit('bybit', {
      ...bybitSafe,
      expiredAt: new Date(NOW.getTime() + 5 * DAY).toISOString(),
    });
    expect(check(soon, 'key-expiry')?.level).toBe('warn');
    expect(check(soon, 'key-expiry')?.message).toContain('in 5 days');
    const later = audit('bybit', {
      ...bybitSafe,
      expiredAt: new Date(NOW.getTime() + 60 * DAY).toISOString(),
    });
    expect(check(later, 'key-expiry')?.level).toBe('ok');
  });
});

function binance(answer: unknown): KeyInfoResult {
  return PROFILES.binance.parseKeyInfo(answer);
}

describe('audit helpers', () => {
  it('worstLevel', () => {
    expect(worstLevel([])).toBe('ok');
    expect(worstLevel([{ level: 'ok' }, { level: 'warn' }])).toBe('warn');
    expect(worstLevel([{ level: 'block' }, { level: 'warn' }])).toBe('block');
  });

  it('keyAgeDays and rotationState', () => {
    const now = new Date(CREATED + 90 * DAY + 1000);
    expect(keyAgeDays(CREATED, now)).toBe(90);
    expect(keyAgeDays(undefined, now)).toBeNull();
    expect(rotationState(CREATED, now)).toBe('fresh');
    expect(rotationState(CREATED, new Date(CREATED + 91 * DAY))).toBe('due');
    expect(rotationState(CREATED, new Date(CREATED + 180 * DAY))).toBe('due');
    expect(rotationState(CREATED, new Date(CREATED + 181 * DAY))).toBe('overdue');
    expect(rotationState(undefined, now)).toBe('unknown');
  });
});
