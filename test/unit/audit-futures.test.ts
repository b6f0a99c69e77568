/**
 * The audit knows when futures are needed (from the routes): then the key's futures permission is
 * required and its absence a plain block; unneeded futures stay a warning. The pure rule per
 * exchange (needsFutures × what the key-info answer says → level), and the service's pure helpers
 * that derive the need from the subscriptions and refuse a swap route at subscribe time.
 */
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../src/exchanges/index.js';
import { auditKey } from '../../src/exchanges/policy.js';
import type { Audit, CheckLevel, ExchangeId } from '../../src/exchanges/types.js';
import type { Connection } from '../../src/protocol/methods.js';
import type { Route } from '../../src/protocol/trading.js';
import {
  auditNeeds,
  changedNeeds,
  futuresRefusal,
  swapConnectionIds,
} from '../../src/native-host/service/futures-need.js';

const HERE = '203.0.113.7';
const NOW = new Date('2026-12-01T00:00:00Z');
const CREATED = NOW.getTime() - 10 * 86_400_000;

/** Key-info answers of a safe spot key (Read + Trade, bound to this IP), futures as given. */
function binance(futures: boolean | undefined): Record<string, unknown> {
  const answer: Record<string, unknown> = {
    ipRestrict: true,
    createTime: CREATED,
    enableReading: true,
    enableWithdrawals: false,
    enableInternalTransfer: false,
    enableMargin: false,
    permitsUniversalTransfer: false,
    enableVanillaOptions: false,
    enableSpotAndMarginTrading: true,
  };
  if (futures !== undefined) answer['enableFutures'] = futures;
  return answer;
}
function bybit(futures: boolean, readOnly = 0): Record<string, unknown> {
  return {
    retCode: 0,
    result: {
      readOnly,
      permissions: {
        ContractTrade: futures ? ['Order', 'Position'] : [],
        Spot: ['SpotTrade'],
        Wallet: [],
        Options: [],
        Derivatives: [],
      },
      ips: [HERE],
      createdAt: new Date(CREATED).toISOString(),
      expiredAt: '',
    },
  };
}
function okx(perm: string, acctLv = '2'): Record<string, unknown> {
  return { code: '0', data: [{ perm, ip: HERE, acctLv }] };
}

function audit(exchange: ExchangeId, answer: unknown, futures: boolean): Audit {
  return auditKey({
    exchange,
    keyInfo: PROFILES[exchange].parseKeyInfo(answer),
    needs: futures ? { futures: true } : {},
    thisMachineIp: HERE,
    requestSucceededFromThisMachine: true,
    now: NOW,
    environment: 'live',
  });
}

const futuresCheck = (a: Audit) => a.checks.find((c) => c.id === 'futures');

describe('the futures rule: needed × granted → level', () => {
  const rows: [string, ExchangeId, unknown, boolean, CheckLevel | 'none', string][] = [
    // exchange, key-info answer, futures needed, level of the "futures" check, words it holds
    ['Binance on, needed', 'binance', binance(true), true, 'ok', 'as your strategy needs'],
    ['Binance off, needed', 'binance', binance(false), true, 'block', '"Edit restrictions"'],
    ['Binance not said, needed', 'binance', binance(undefined), true, 'warn', 'does not say'],
    ['Binance on, unneeded', 'binance', binance(true), false, 'warn', 'untick "Enable Futures"'],
    ['Binance off, unneeded', 'binance', binance(false), false, 'none', ''],
    ['Bybit on, needed', 'bybit', bybit(true), true, 'ok', 'as your strategy needs'],
    ['Bybit off, needed', 'bybit', bybit(false), true, 'block', '"Positions" under Contract'],
    ['Bybit read-only, needed', 'bybit', bybit(true, 1), true, 'block', 'choose "Read-Write"'],
    ['Bybit on, unneeded', 'bybit', bybit(true), false, 'warn', 'untick'],
    ['OKX trade, needed', 'okx', okx('read_only,trade'), true, 'ok', '"Trade" also covers futures'],
    ['OKX read-only, needed', 'okx', okx('read_only'), true, 'block', 'tick "Trade"'],
    ['OKX Spot mode, needed', 'okx', okx('read_only,trade', '1'), true, 'block', 'Spot mode'],
    ['OKX Spot mode, unneeded', 'okx', okx('read_only,trade', '1'), false, 'none', ''],
    ['OKX trade, unneeded', 'okx', okx('read_only,trade'), false, 'none', ''],
  ];
  it.each(rows)('%s', (_name, exchange, answer, needed, level, words) => {
    const check = futuresCheck(audit(exchange, answer, needed));
    if (level === 'none') {
      expect(check).toBeUndefined();
      return;
    }
    expect(check?.level).toBe(level);
    expect(check?.message).toContain(words);
  });

  it('a block says what to do next in plain words and makes the verdict block', () => {
    const a = audit('binance', binance(false), true);
    expect(a.verdict).toBe('block');
    expect(futuresCheck(a)?.message).toBe(
      'Your strategy trades futures (perpetual swaps), but this key may not trade futures, so those orders would be refused. Enable futures on this key: on Binance\'s API Management page choose "Edit restrictions" and tick "Enable Futures" (Binance offers it only on keys created after your futures account was opened: for an older key, create a new one). Then audit the key again.',
    );
  });

  it('an unneeded futures permission stays a warning: the verdict is warn, not block', () => {
    expect(audit('binance', binance(true), false).verdict).toBe('warn');
    expect(audit('bybit', bybit(true), false).verdict).toBe('warn');
  });
});

const route = (connectionId: string, markets?: Route['markets']): Route => ({
  strategy: 's',
  connectionId,
  maxOrderQuote: '100',
  ...(markets ? { markets } : {}),
});

describe('the need for futures comes from the routes', () => {
  it('only routes whose markets include swap make a connection need futures', () => {
    const subs = [
      { routes: [route('c_spot'), route('c_both', ['spot', 'swap'])] },
      { routes: [route('c_swap', ['swap']), route('c_spot2', ['spot'])] },
    ];
    expect([...swapConnectionIds(subs)].sort()).toEqual(['c_both', 'c_swap']);
    expect(swapConnectionIds([])).toEqual(new Set());
  });

  it('the audit needs futures when the user said so or a route trades swaps', () => {
    expect(auditNeeds(undefined, false)).toEqual({});
    expect(auditNeeds({ margin: true }, true)).toEqual({ margin: true, futures: true });
    expect(auditNeeds({ futures: true }, false)).toEqual({ futures: true });
  });

  it('a connection is audited again only when its need changed', () => {
    expect(changedNeeds(new Set(['a', 'b']), new Set(['b', 'c'])).sort()).toEqual(['a', 'c']);
    expect(changedNeeds(new Set(['a']), new Set(['a']))).toEqual([]);
  });
});

describe('signals.subscribe refuses a swap route to a key the last audit found without futures', () => {
  const connection = (exchange: ExchangeId, a: Audit | undefined): Connection => ({
    id: 'c_1',
    exchange,
    label: 'Main',
    environment: 'live',
    mode: 'dry-run',
    apiKeyHint: 'abcd…wxyz',
    createdAt: NOW.toISOString(),
    ...(a ? { lastAudit: a } : {}),
  });

  it('Binance without Enable Futures: refused with the fix and the re-audit', () => {
    const why = futuresRefusal(connection('binance', audit('binance', binance(false), false)));
    expect(why).toContain('its key may not trade futures');
    expect(why).toContain('tick "Enable Futures"');
    expect(why).toContain('sentinel-host connections audit c_1');
  });

  it('OKX in Spot mode: refused with the account-mode fix', () => {
    const a = audit('okx', okx('read_only,trade', '1'), true);
    expect(futuresRefusal(connection('okx', a))).toContain('Futures mode');
  });

  it('accepted when futures are on, unknown, or the connection was never audited', () => {
    expect(futuresRefusal(connection('binance', audit('binance', binance(true), false)))).toBe(
      null,
    );
    expect(futuresRefusal(connection('binance', audit('binance', binance(undefined), false)))).toBe(
      null,
    );
    expect(futuresRefusal(connection('okx', audit('okx', okx('read_only,trade'), false)))).toBe(
      null,
    );
    expect(futuresRefusal(connection('bybit', undefined))).toBe(null);
  });
});
