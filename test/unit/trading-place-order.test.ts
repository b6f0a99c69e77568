/**
 * The unknown-outcome rule of placeOrder on a fake exchange and a fake clock: after a timeout, a
 * 5xx, a "status unknown" or a duplicate-id answer the order is looked up until its request can no
 * longer be accepted; found means placed, absent after that means one resend (while fresh).
 */
import type { Exchange } from 'ccxt';
import { placeOrder, type SendTiming } from '../../src/native-host/service/trading/place-order.js';
import {
  codeOfAnswer,
  orderErrorKind,
} from '../../src/native-host/service/exchange/exchange-error.js';
import type { OrderRow } from '../../src/native-host/service/store/trading-store.js';

class RequestTimeout extends Error {}
class NetworkError extends Error {}
class ExchangeError extends Error {}
class RateLimitExceeded extends Error {}
const withStatus = (err: Error, httpStatus: number) => Object.assign(err, { httpStatus });

const TIMING: SendTiming = {
  windowMs: 5_000,
  visibilityGraceMs: 5_000,
  unreachableAfterMs: 30_000,
};
const DEADLINE = 5_000 + 1_000 + 5_000; // window + clock allowance + grace

/** A fake Binance: orders become visible `visibleAfter` ms after they are accepted. */
function fakeExchange(script: ((t: number) => Error | 'accept' | 'lose')[], visibleAfter = 0) {
  let t = 0;
  const accepted: { at: number; id: string }[] = [];
  const lookups: number[] = [];
  const client = {
    market: () => ({ id: 'BTCUSDT' }),
    createOrder: async () => {
      const step = script.shift();
      const outcome = step ? step(t) : 'accept';
      if (outcome === 'accept' || outcome === 'lose') {
        accepted.push({ at: t, id: String(1000 + accepted.length) });
        if (outcome === 'accept') return { id: accepted.at(-1)?.id };
        throw new RequestTimeout('binance POST timed out');
      }
      throw outcome;
    },
    privateGetOrder: async () => {
      lookups.push(t);
      const o = accepted.find((a) => t >= a.at + visibleAfter);
      if (o) return { orderId: o.id, status: 'FILLED' };
      throw new ExchangeError('binance {"code":-2013,"msg":"Order does not exist."}');
    },
  } as unknown as Exchange;
  const hooks = {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
    timing: TIMING,
  };
  return { client, hooks, accepted, lookups, advance: (ms: number) => (t += ms) };
}

const order = (extra: Partial<OrderRow> = {}): OrderRow => ({
  clientOrderId: 'x1',
  providerKey: 'p',
  signalId: 's',
  connectionId: 'c',
  mode: 'live',
  state: 'intent',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'market',
  amount: '0.001',
  price: null,
  quote: '97',
  exchangeOrderId: null,
  attempts: 0,
  error: null,
  expiresAt: 600_000,
  createdAt: '',
  updatedAt: '',
  ...extra,
});

describe('placeOrder after an unknown outcome', () => {
  it.each([0, 1_000, 3_000, 10_500])(
    'an accepted order whose answer was lost, visible after %i ms: found, never resent',
    async (delay) => {
      const ex = fakeExchange([() => 'lose'], delay);
      const r = await placeOrder(ex.client, 'binance', order(), ex.hooks);
      expect(r).toEqual({ state: 'placed', exchangeOrderId: '1000' });
      expect(ex.accepted).toHaveLength(1);
    },
  );

  it.each([
    ['a timeout', () => new RequestTimeout('timed out')],
    ['a connection reset', () => new NetworkError('ECONNRESET')],
    [
      'HTTP 500 with -1000',
      () =>
        withStatus(
          new ExchangeError('binance {"code":-1000,"msg":"An unknown error occurred"}'),
          500,
        ),
    ],
    ['HTTP 503 without a body', () => withStatus(new ExchangeError('binance 503'), 503)],
    [
      '-1007 status unknown',
      () =>
        new ExchangeError(
          'binance {"code":-1007,"msg":"Timeout waiting for response from backend server."}',
        ),
    ],
  ])('%s, order absent: looks up past the deadline, then resends once', async (_name, error) => {
    const ex = fakeExchange([() => error()]);
    const r = await placeOrder(ex.client, 'binance', order(), ex.hooks);
    expect(r).toMatchObject({ state: 'placed' });
    expect(ex.accepted).toHaveLength(1);
    // The resend happened only after a look-up that started at or after the deadline.
    expect(ex.accepted[0]?.at).toBeGreaterThanOrEqual(DEADLINE);
    expect(ex.lookups.filter((t) => t >= DEADLINE).length).toBeGreaterThan(0);
  });

  it('5xx after acceptance, visible 3 s later: placed, one order', async () => {
    const ex = fakeExchange(
      [
        () => {
          ex.accepted.push({ at: 0, id: '777' });
          return withStatus(new ExchangeError('binance {"code":-1000}'), 500);
        },
      ],
      3_000,
    );
    const r = await placeOrder(ex.client, 'binance', order(), ex.hooks);
    expect(r).toEqual({ state: 'placed', exchangeOrderId: '777' });
    expect(ex.accepted).toHaveLength(1);
  });

  it('a signal that expires while the outcome is unknown is not sent again', async () => {
    const ex = fakeExchange([() => new RequestTimeout('timed out')]);
    const r = await placeOrder(ex.client, 'binance', order({ expiresAt: 4_000 }), ex.hooks);
    expect(r).toMatchObject({ state: 'failed', reason: 'not-placed' });
    expect(ex.accepted).toHaveLength(0);
  });

  it('look-ups that keep failing leave the outcome unknown: nothing is resent', async () => {
    const ex = fakeExchange([() => new RequestTimeout('timed out')]);
    (ex.client as unknown as { privateGetOrder: () => Promise<never> }).privateGetOrder =
      async () => {
        throw new NetworkError('down');
      };
    const r = await placeOrder(ex.client, 'binance', order(), ex.hooks);
    expect(r).toMatchObject({ state: 'unknown' });
    expect((r as { message: string }).message).toMatch(/check it on the exchange/);
    expect(ex.accepted).toHaveLength(0);
    // It gave up only once look-ups had failed for unreachableAfterMs past the deadline.
    expect(ex.hooks.now()).toBeGreaterThan(DEADLINE + 30_000);
  });

  it('an unknown order looked up again (attempts > 0) while the exchange is still down stays unknown', async () => {
    const ex = fakeExchange([]);
    (ex.client as unknown as { privateGetOrder: () => Promise<never> }).privateGetOrder =
      async () => {
        throw new NetworkError('down');
      };
    const r = await placeOrder(ex.client, 'binance', order({ attempts: 1 }), ex.hooks);
    expect(r).toMatchObject({ state: 'unknown' });
    expect(ex.accepted).toHaveLength(0);
  });

  it('an unconfirmed outcome after a network failure names the host and the cause, not the URL', async () => {
    const ex = fakeExchange([
      () =>
        new NetworkError(
          'binance POST https://api.binance.com/api/v3/order?signature=deadbeef fetch failed: getaddrinfo ENOTFOUND api.binance.com',
        ),
    ]);
    (ex.client as unknown as { privateGetOrder: () => Promise<never> }).privateGetOrder =
      async () => {
        throw new NetworkError('down');
      };
    const r = await placeOrder(ex.client, 'binance', order(), ex.hooks);
    const message = (r as { message: string }).message;
    expect(message).toMatch(
      /check it on the exchange .*could not reach api\.binance\.com \(ENOTFOUND\)/,
    );
    expect(message).not.toMatch(/signature|deadbeef|\/api\/v3/);
  });

  it('after a restart (attempts > 0) it looks first and finds the order', async () => {
    const ex = fakeExchange([]);
    ex.accepted.push({ at: 0, id: '55' });
    const r = await placeOrder(ex.client, 'binance', order({ attempts: 1 }), ex.hooks);
    expect(r).toEqual({ state: 'placed', exchangeOrderId: '55' });
    expect(ex.accepted).toHaveLength(1);
  });

  it('a refusal is final and a rate limit is retried', async () => {
    const refused = fakeExchange([
      () => new ExchangeError('binance {"code":-2010,"msg":"Account has insufficient balance"}'),
    ]);
    expect(await placeOrder(refused.client, 'binance', order(), refused.hooks)).toMatchObject({
      state: 'failed',
      reason: 'exchange-refused',
    });
    const limited = fakeExchange([() => new RateLimitExceeded('slow down')]);
    expect(await placeOrder(limited.client, 'binance', order(), limited.hooks)).toMatchObject({
      state: 'placed',
    });
    expect(limited.lookups).toHaveLength(0);
  });
});

describe('reading an exchange error', () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    [
      'OKX per-order code wins over the top-level "1"',
      { code: '1', msg: '', data: [{ sCode: '51016', sMsg: 'Duplicated clOrdId' }] },
      { code: '51016', message: 'Duplicated clOrdId' },
    ],
    [
      'OKX: the first failing entry',
      { code: '2', data: [{ sCode: '0' }, { sCode: '51008', sMsg: 'Insufficient' }] },
      { code: '51008', message: 'Insufficient' },
    ],
    [
      'OKX top-level code without data',
      { code: '51603', msg: 'Order does not exist', data: [] },
      { code: '51603', message: 'Order does not exist' },
    ],
    ['OKX success', { code: '0', data: [{ sCode: '0' }] }, null],
    [
      'Binance',
      { code: -1013, msg: 'Filter failure: PERCENT_PRICE_BY_SIDE' },
      { code: '-1013', message: 'Filter failure: PERCENT_PRICE_BY_SIDE' },
    ],
    [
      'Bybit',
      { retCode: 110072, retMsg: 'OrderLinkedID is duplicate' },
      { code: '110072', message: 'OrderLinkedID is duplicate' },
    ],
  ])('%s', (_name, body, expected) => {
    expect(codeOfAnswer(body)).toEqual(expected);
  });

  it.each<[string, 'binance' | 'bybit' | 'okx', Error, string]>([
    [
      'OKX 51016 inside data',
      'okx',
      new ExchangeError(
        'okx {"code":"1","msg":"","data":[{"sCode":"51016","sMsg":"Duplicated clOrdId"}]}',
      ),
      'unknown-outcome',
    ],
    [
      'OKX 51008 inside data',
      'okx',
      new ExchangeError(
        'okx {"code":"1","msg":"","data":[{"sCode":"51008","sMsg":"Insufficient"}]}',
      ),
      'refused',
    ],
    [
      'OKX 51149 order timed out',
      'okx',
      new ExchangeError('okx {"code":"1","data":[{"sCode":"51149","sMsg":"Order timed out"}]}'),
      'unknown-outcome',
    ],
    [
      'Binance 500 / -1000',
      'binance',
      withStatus(new ExchangeError('binance {"code":-1000,"msg":"x"}'), 500),
      'unknown-outcome',
    ],
    [
      'Binance 502 with any body',
      'binance',
      withStatus(new ExchangeError('binance {"code":-2010,"msg":"x"}'), 502),
      'unknown-outcome',
    ],
    [
      'Binance -1001',
      'binance',
      new ExchangeError('binance {"code":-1001,"msg":"Internal error"}'),
      'unknown-outcome',
    ],
    [
      'Binance duplicate',
      'binance',
      new ExchangeError('binance {"code":-2010,"msg":"Duplicate order sent."}'),
      'unknown-outcome',
    ],
    [
      'Binance insufficient balance',
      'binance',
      new ExchangeError(
        'binance {"code":-2010,"msg":"Account has insufficient balance for requested action."}',
      ),
      'refused',
    ],
    [
      'Binance rate limit',
      'binance',
      new ExchangeError('binance {"code":-1003,"msg":"Too many requests"}'),
      'rate-limited',
    ],
    [
      'Bybit 10016',
      'bybit',
      new ExchangeError('bybit {"retCode":10016,"retMsg":"Server error"}'),
      'unknown-outcome',
    ],
    [
      'Bybit 110072 duplicate',
      'bybit',
      new ExchangeError('bybit {"retCode":110072,"retMsg":"dup"}'),
      'unknown-outcome',
    ],
    ['a timeout', 'bybit', new RequestTimeout('timed out'), 'unknown-outcome'],
    ['a plain error', 'bybit', new Error('boom'), 'refused'],
  ])('%s → %s', (_name, exchange, err, kind) => {
    expect(orderErrorKind(exchange, err)).toBe(kind);
  });
});

describe('placeOrder held back by maySend (a pause)', () => {
  const paused = () => ({ reason: 'paused' as const, message: 'trading is paused (pause-all)' });

  it('before the first send: nothing is sent, no attempt is recorded, the order fails', async () => {
    const ex = fakeExchange([]);
    let attempts = 0;
    const r = await placeOrder(ex.client, 'binance', order(), {
      ...ex.hooks,
      maySend: paused,
      onSend: async () => void attempts++,
    });
    expect(r).toEqual({
      state: 'failed',
      reason: 'paused',
      message: 'trading is paused (pause-all); nothing was sent',
    });
    expect(ex.accepted).toHaveLength(0);
    expect(attempts).toBe(0);
  });

  it('asked right before each send: a pause that comes after a lost answer stops the resend', async () => {
    const ex = fakeExchange([() => new RequestTimeout('timed out')]);
    let asked = 0;
    const r = await placeOrder(ex.client, 'binance', order(), {
      ...ex.hooks,
      maySend: () => (++asked === 1 ? null : paused()),
    });
    expect(r).toMatchObject({ state: 'failed', reason: 'paused' });
    expect((r as { message: string }).message).toMatch(
      /has no order with this client id, and it is not sent again/,
    );
    expect(ex.accepted).toHaveLength(0);
    // It was proven absent first: the look-ups ran past the deadline, as without a pause.
    expect(ex.lookups.filter((t) => t >= DEADLINE).length).toBeGreaterThan(0);
    expect(asked).toBe(2);
  });

  it('after a restart (attempts > 0) a paused order is still looked up, and found is placed', async () => {
    const ex = fakeExchange([]);
    ex.accepted.push({ at: 0, id: '56' });
    const r = await placeOrder(ex.client, 'binance', order({ attempts: 1 }), {
      ...ex.hooks,
      maySend: paused,
    });
    expect(r).toEqual({ state: 'placed', exchangeOrderId: '56' });
  });

  it('after a restart (attempts > 0), proven absent while paused: not sent again', async () => {
    const ex = fakeExchange([]);
    const r = await placeOrder(ex.client, 'binance', order({ attempts: 1 }), {
      ...ex.hooks,
      maySend: paused,
    });
    expect(r).toMatchObject({ state: 'failed', reason: 'paused' });
    expect(ex.accepted).toHaveLength(0);
    expect(ex.lookups.at(-1)).toBeGreaterThanOrEqual(DEADLINE);
  });
});
