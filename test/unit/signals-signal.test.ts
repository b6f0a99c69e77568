/** The Signal parser (every rule and reason), freshness, and the decimal helpers. */
import {
  compareDecimal,
  checkDecimal,
  DEFAULT_TTL_MS,
  expiresAt,
  freshness,
  parseSignal,
  SIGNAL_REJECT_REASONS,
  sizeOf,
  ttlOf,
  type SignalRejectReason,
} from '../../src/signals/signal.js';

const T0 = 1_764_131_000_000;

/** PROTOCOL.md §2's example, comments removed and the elided id completed. */
const PROTOCOL_EXAMPLE_TEXT = `{
  "v": 1,
  "id": "sig_01JD",
  "strategy": "btc-trend",
  "issuedAt": 1764131000000,
  "ttlMs": 30000,
  "symbol": "BTC/USDT",
  "side": "buy",
  "type": "market",
  "size": {"quote": "50"},
  "price": "65000.5",
  "reduceOnly": false
}`;

function base(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    v: 1,
    id: 'sig_1',
    strategy: 'btc-trend',
    issuedAt: T0,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    size: { quote: '50' },
    ...extra,
  };
}

function without(field: string): Record<string, unknown> {
  const s = base();
  delete s[field];
  return s;
}

function rejection(value: unknown): {
  reason: SignalRejectReason;
  message: string;
  field?: string;
} {
  const r = parseSignal(value);
  if (r.ok) throw new Error('expected a rejection');
  return r;
}

describe('parseSignal: valid signals', () => {
  it('accepts the PROTOCOL.md example as a limit order, and without its price as a market order', () => {
    const example = JSON.parse(PROTOCOL_EXAMPLE_TEXT) as Record<string, unknown>;
    const limit = parseSignal({ ...example, type: 'limit' });
    expect(limit).toEqual({ ok: true, signal: { ...example, type: 'limit' } });
    const { price: _price, ...market } = example;
    expect(parseSignal(market)).toEqual({ ok: true, signal: market });
  });

  it('accepts the example verbatim: a market order may carry a reference price', () => {
    const example = JSON.parse(PROTOCOL_EXAMPLE_TEXT) as Record<string, unknown>;
    expect(parseSignal(example)).toEqual({ ok: true, signal: example });
  });

  it('accepts every size kind, sides, reduceOnly, the ttl bounds, and derivative symbols', () => {
    const ok = [
      base({ size: { base: '0.001' } }),
      base({ size: { balancePct: '100' } }),
      base({ size: { balancePct: '0.5' } }),
      base({ size: { balancePct: '100.000' } }),
      base({ side: 'sell', reduceOnly: true }),
      base({ ttlMs: 1000 }),
      base({ ttlMs: 3_600_000 }),
      base({ symbol: 'BTC/USDT:USDT' }),
      base({ symbol: 'ETH/USD:ETH-251226' }),
      base({ symbol: 'BTC/USD:BTC-251226-60000-C' }),
      base({ symbol: '1000PEPE/USDT' }),
      base({ id: 'A'.repeat(64), strategy: 'a.b_c-D'.padEnd(64, 'x') }),
      base({ type: 'limit', price: '0.00000001' }),
    ];
    for (const s of ok) expect(parseSignal(s)).toEqual({ ok: true, signal: s });
  });

  it('returns a fresh object with only the received fields (no default ttl filled in)', () => {
    const input = base();
    const r = parseSignal(input);
    expect(r.ok && r.signal).toEqual(input);
    expect(r.ok && r.signal).not.toBe(input);
    expect(r.ok && 'ttlMs' in r.signal).toBe(false);
    expect(r.ok && r.signal.size).not.toBe(input['size']);
  });
});

describe('parseSignal: one test per rejection reason', () => {
  const covered = new Set<SignalRejectReason>();
  afterAll(() => expect([...covered].sort()).toEqual([...SIGNAL_REJECT_REASONS].sort()));
  const expectReason = (value: unknown, reason: SignalRejectReason, field?: string) => {
    const r = rejection(value);
    expect(r.reason).toBe(reason);
    if (field !== undefined) expect(r.field).toBe(field);
    covered.add(reason);
    return r;
  };

  it('malformed: not an object, or a field of the wrong JSON type', () => {
    for (const v of [null, 5, 'x', [], [base()], true, undefined]) expectReason(v, 'malformed');
    expectReason(base({ v: '1' }), 'malformed', 'v');
    expectReason(base({ id: 7 }), 'malformed', 'id');
    expectReason(base({ strategy: null }), 'malformed', 'strategy');
    expectReason(base({ issuedAt: String(T0) }), 'malformed', 'issuedAt');
    expectReason(base({ ttlMs: '30000' }), 'malformed', 'ttlMs');
    expectReason(base({ symbol: ['BTC/USDT'] }), 'malformed', 'symbol');
    expectReason(base({ side: true }), 'malformed', 'side');
    expectReason(base({ type: 1 }), 'malformed', 'type');
    expectReason(base({ size: '50' }), 'malformed', 'size');
    expectReason(base({ size: [{ quote: '50' }] }), 'malformed', 'size');
    expectReason(base({ size: { quote: 50 } }), 'malformed', 'size.quote');
    expectReason(base({ type: 'limit', price: 65000 }), 'malformed', 'price');
    expectReason(base({ reduceOnly: 'false' }), 'malformed', 'reduceOnly');
    expectReason(base({ ttlMs: null }), 'malformed', 'ttlMs');
  });

  it('unknown-field: names the field, top level and inside size', () => {
    const r = expectReason(base({ leverage: 100 }), 'unknown-field', 'leverage');
    expect(r.message).toContain('"leverage"');
    expectReason(base({ size: { quote: '50', slippage: '1' } }), 'unknown-field', 'size.slippage');
    expectReason(base({ __proto__x: 1 }), 'unknown-field');
    const hostile = expectReason(base({ ['\u0000'.repeat(5000)]: 1 }), 'unknown-field');
    expect(hostile.message.length).toBeLessThan(100);
    // A JSON "__proto__" member is an own property after JSON.parse: still unknown.
    expectReason(JSON.parse(`{"__proto__": {"x": 1}, "v": 1}`), 'unknown-field', '__proto__');
  });

  it('missing-field: each required field', () => {
    for (const f of ['v', 'id', 'strategy', 'issuedAt', 'symbol', 'side', 'type', 'size'])
      expectReason(without(f), 'missing-field', f);
  });

  it('unsupported-version: v is a number other than 1 or 2', () => {
    for (const v of [0, 3, 1.5, -1, 2.5]) expectReason(base({ v }), 'unsupported-version', 'v');
  });

  it('invalid-field: id, strategy, issuedAt, ttlMs, symbol, side, type', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ id: '' }, 'id'],
      [{ id: 'a'.repeat(65) }, 'id'],
      [{ id: 'has space' }, 'id'],
      [{ id: 'dot.not.allowed' }, 'id'],
      [{ id: 'é' }, 'id'],
      [{ strategy: '' }, 'strategy'],
      [{ strategy: 's/lash' }, 'strategy'],
      [{ strategy: 'x'.repeat(65) }, 'strategy'],
      [{ issuedAt: 0 }, 'issuedAt'],
      [{ issuedAt: -5 }, 'issuedAt'],
      [{ issuedAt: 1.5 }, 'issuedAt'],
      [{ issuedAt: 2 ** 53 }, 'issuedAt'],
      [{ ttlMs: 999 }, 'ttlMs'],
      [{ ttlMs: 3_600_001 }, 'ttlMs'],
      [{ ttlMs: 1500.5 }, 'ttlMs'],
      [{ symbol: 'BTCUSDT' }, 'symbol'],
      [{ symbol: 'BTC-USDT' }, 'symbol'],
      [{ symbol: 'BTC/' }, 'symbol'],
      [{ symbol: 'BTC/USDT:' }, 'symbol'],
      [{ symbol: 'BTC/USDT:USDT-2512' }, 'symbol'],
      [{ symbol: 'BTC/USDT ' }, 'symbol'],
      [{ symbol: `${'A'.repeat(25)}/USDT` }, 'symbol'],
      [{ side: 'hold' }, 'side'],
      [{ side: 'BUY' }, 'side'],
      [{ type: 'stop' }, 'type'],
    ];
    for (const [extra, field] of cases) expectReason(base(extra), 'invalid-field', field);
  });

  it('bad-size: none or several kinds, zero, not a decimal, too long, balancePct over 100', () => {
    const sizes: unknown[] = [
      {},
      { base: '1', quote: '2' },
      { base: '1', quote: '2', balancePct: '3' },
      { quote: '0' },
      { quote: '0.000' },
      { quote: '-5' },
      { quote: '+5' },
      { quote: '5.' },
      { quote: '.5' },
      { quote: '1e3' },
      { quote: ' 5' },
      { quote: '' },
      { quote: '0x10' },
      { quote: '1'.repeat(25) },
      { base: `0.${'1'.repeat(19)}` },
      { balancePct: '100.0001' },
      { balancePct: '101' },
      { balancePct: '0100.5' },
    ];
    for (const size of sizes) expectReason(base({ size }), 'bad-size');
  });

  it('bad-price: missing on limit, not a positive decimal', () => {
    expectReason(base({ type: 'limit' }), 'bad-price', 'price');
    for (const price of ['0', '-1', '1e5', '', '1,5', '١٢'])
      expectReason(base({ type: 'limit', price }), 'bad-price', 'price');
  });

  it('never throws, even on objects with throwing getters or proxies', () => {
    const getter = Object.defineProperty(base(), 'id', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(parseSignal(getter)).toMatchObject({ ok: false, reason: 'malformed' });
    const proxy = new Proxy(base(), {
      ownKeys() {
        throw new Error('boom');
      },
    });
    expect(parseSignal(proxy)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('does not echo values in messages', () => {
    const secretish = 'S3CR3T-VALUE-xyz';
    for (const s of [
      base({ id: `${secretish} ` }),
      base({ symbol: secretish }),
      base({ size: { quote: secretish } }),
      base({ type: 'limit', price: secretish }),
    ])
      expect(rejection(s).message).not.toContain(secretish);
  });
});

describe('freshness and ttl', () => {
  const s = { issuedAt: T0, ttlMs: 30_000 };
  it('is fresh from issue until issuedAt + ttl, then expired', () => {
    expect(freshness(s, T0)).toBe('fresh');
    expect(freshness(s, T0 + 29_999)).toBe('fresh');
    expect(freshness(s, T0 + 30_000)).toBe('expired');
    expect(freshness(s, T0 + 10 ** 9)).toBe('expired');
  });
  it('allows issuedAt up to skewMs in the future (default 5000), then says future', () => {
    expect(freshness(s, T0 - 5_000)).toBe('fresh');
    expect(freshness(s, T0 - 5_001)).toBe('future');
    expect(freshness(s, T0 - 1_000, 0)).toBe('future');
    expect(freshness(s, T0 - 9_000, 10_000)).toBe('fresh');
  });
  it('uses the 60 s default when ttlMs is absent', () => {
    expect(DEFAULT_TTL_MS).toBe(60_000);
    expect(ttlOf({})).toBe(60_000);
    expect(expiresAt({ issuedAt: T0 })).toBe(T0 + 60_000);
    expect(freshness({ issuedAt: T0 }, T0 + 59_999)).toBe('fresh');
    expect(freshness({ issuedAt: T0 }, T0 + 60_000)).toBe('expired');
  });
});

describe('decimal helpers', () => {
  it('compareDecimal compares exactly, ignoring leading and trailing zeros', () => {
    expect(compareDecimal('100', '100.000')).toBe(0);
    expect(compareDecimal('0100.5', '100.5')).toBe(0);
    expect(compareDecimal('99.999999999999999999', '100')).toBe(-1);
    expect(compareDecimal('100.000000000000000001', '100')).toBe(1);
    expect(compareDecimal('0.1', '0.09')).toBe(1);
    expect(compareDecimal('12345678901234567890123', '12345678901234567890124')).toBe(-1);
  });
  it('checkDecimal names the problem or returns null', () => {
    expect(checkDecimal('50')).toBeNull();
    expect(checkDecimal('0.0')).toMatch(/greater than zero/);
    expect(checkDecimal('1e5')).toMatch(/decimal string/);
  });
  it('sizeOf returns the kind and amount', () => {
    expect(sizeOf({ balancePct: '5' })).toEqual({ kind: 'balancePct', amount: '5' });
    expect(sizeOf({ base: '0.1' })).toEqual({ kind: 'base', amount: '0.1' });
  });
});
