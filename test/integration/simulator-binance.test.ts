/** The simulator's Binance dialect, through ccxt (as the host uses it) and by hand-signed HTTP. */
import { createHmac } from 'node:crypto';
import {
  amount,
  ccxtFor,
  failure,
  raw,
  startTestSimulator,
  tradeKey,
  type Simulator,
} from '../helpers/simulator.js';

const KEY = tradeKey('binance', 'bnTradeKey01');
const READ_ONLY = tradeKey('binance', 'bnReadKey01', { permissions: { read: true } });
const FULL = tradeKey('binance', 'bnFullKey01', {
  permissions: {
    read: true,
    spot: true,
    margin: true,
    futures: true,
    options: true,
    withdraw: true,
    transfer: true,
  },
  ipList: ['203.0.113.10', '198.51.100.7'],
  expiresAt: Date.now() + 30 * 86_400_000,
});
const IP_LOCKED = tradeKey('binance', 'bnIpKey01', { ipList: ['198.51.100.7'] });
// The example key pair of Binance's "SIGNED Endpoint Examples for POST /api/v3/order".
const DOC_KEY = tradeKey(
  'binance',
  'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
  {
    secret: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j',
  },
);

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSimulator([KEY, READ_ONLY, FULL, IP_LOCKED, DOC_KEY]);
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const hmacHex = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(payload).digest('hex');

describe('Binance through ccxt', () => {
  it('reads the key permissions from /sapi/v1/account/apiRestrictions', async () => {
    const info = (await ccxtFor(sim, KEY).sapiGetAccountApiRestrictions()) as Record<
      string,
      unknown
    >;
    expect(info).toMatchObject({
      ipRestrict: false,
      createTime: KEY.createdAt,
      enableReading: true,
      enableSpotAndMarginTrading: true,
      enableWithdrawals: false,
      enableInternalTransfer: false,
      permitsUniversalTransfer: false,
      enableMargin: false,
      enableFutures: false,
      enableVanillaOptions: false,
    });
    const full = (await ccxtFor(sim, FULL).sapiGetAccountApiRestrictions()) as Record<
      string,
      unknown
    >;
    expect(full).toMatchObject({
      ipRestrict: true,
      enableWithdrawals: true,
      enableInternalTransfer: true,
      permitsUniversalTransfer: true,
      enableMargin: true,
      enableFutures: true,
      enableVanillaOptions: true,
      tradingAuthorityExpirationTime: FULL.expiresAt,
    });
  });

  it('fetches balances; a resting limit order locks quote funds', async () => {
    const ex = ccxtFor(sim, KEY);
    const before = await ex.fetchBalance();
    expect(amount(before, 'total', 'USDT')).toBe(10000);
    expect(amount(before, 'free', 'BTC')).toBe(0.5);
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000);
    const after = await ex.fetchBalance();
    expect(amount(after, 'used', 'USDT')).toBe(600);
    expect(amount(after, 'free', 'USDT')).toBe(9400);
  });

  it('places market and limit orders, records them and finds them by client order id', async () => {
    const ex = ccxtFor(sim, KEY);
    const market = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.01, undefined, {
      clientOrderId: 'sigA1',
    });
    expect(market).toMatchObject({
      clientOrderId: 'sigA1',
      status: 'closed',
      filled: 0.01,
      average: 65000,
    });
    const limit = await ex.createOrder('ETH/USDT', 'limit', 'sell', 0.5, 3600, {
      clientOrderId: 'sigA2',
    });
    expect(limit).toMatchObject({ clientOrderId: 'sigA2', status: 'open', price: 3600 });
    expect(sim.orders('binance').map((o) => [o.clientOrderId, o.outcome])).toEqual([
      ['sigA1', 'placed'],
      ['sigA2', 'placed'],
    ]);
    const found = await ex.fetchOrder(undefined as unknown as string, 'ETH/USDT', {
      clientOrderId: 'sigA2',
    });
    expect(found).toMatchObject({
      id: limit.id,
      clientOrderId: 'sigA2',
      status: 'open',
      amount: 0.5,
    });
    // The price crossing the resting order fills it at its limit price.
    sim.setPrice('binance', 'ETH/USDT', '3650');
    expect((await ex.fetchOrder(limit.id as string, 'ETH/USDT')).status).toBe('closed');
    const canceled = await ex.createOrder('ETH/USDT', 'limit', 'buy', 0.1, 3000);
    expect((await ex.cancelOrder(canceled.id as string, 'ETH/USDT')).status).toBe('canceled');
    expect(sim.book('binance').map((o) => o.status)).toEqual(['filled', 'filled', 'canceled']);
  });

  it('order/test validates without placing anything; filters refuse a too small order', async () => {
    const ex = ccxtFor(sim, KEY);
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60000, {
      test: true,
      clientOrderId: 'dry1',
    });
    expect(sim.book('binance')).toEqual([]);
    expect(sim.orders('binance')[0]).toMatchObject({
      test: true,
      outcome: 'validated',
      clientOrderId: 'dry1',
    });
    const err = await failure(
      ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { quoteOrderQty: 1 }),
    );
    expect(err.message).toContain('Filter failure: NOTIONAL');
    expect(sim.orders('binance')[1]).toMatchObject({ outcome: 'rejected', code: '-1013' });
  });

  it('refuses a duplicate client order id only while the first order is open', async () => {
    const ex = ccxtFor(sim, KEY);
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50000, { clientOrderId: 'dup1' });
    const dup = await failure(
      ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50000, { clientOrderId: 'dup1' }),
    );
    expect(dup.message).toContain('"code":-2010');
    expect(dup.message).toContain('Duplicate order sent.');
    await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'dup2' });
    // Filled: Binance accepts the same id again (why the host must look an order up before resending).
    await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'dup2' });
    expect(sim.orders('binance').map((o) => o.outcome)).toEqual([
      'placed',
      'rejected',
      'placed',
      'placed',
    ]);
  });

  it('answers -1022 to a wrong secret and -2015 to an unknown key', async () => {
    const bad = await failure(ccxtFor(sim, KEY, { secret: 'not-the-secret' }).fetchBalance());
    expect(bad.message).toContain('"code":-1022');
    const unknown = await failure(ccxtFor(sim, { ...KEY, apiKey: 'nobody' }).fetchBalance());
    expect(unknown.message).toContain('"code":-2015');
  });

  it('refuses a key from a non-whitelisted IP with -2015 and accepts it from the listed IP', async () => {
    const err = await failure(ccxtFor(sim, IP_LOCKED).sapiGetAccountApiRestrictions());
    expect(err.message).toContain('"code":-2015');
    sim.setClientIp('198.51.100.7');
    try {
      const info = (await ccxtFor(sim, IP_LOCKED).sapiGetAccountApiRestrictions()) as Record<
        string,
        unknown
      >;
      expect(info['ipRestrict']).toBe(true);
    } finally {
      sim.setClientIp('203.0.113.10');
    }
  });

  it('refuses an order from a key without trade permission, and records the refusal', async () => {
    const ex = ccxtFor(sim, READ_ONLY);
    expect(amount(await ex.fetchBalance(), 'total', 'USDT')).toBe(10000);
    const err = await failure(
      ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'ro1' }),
    );
    expect(err.message).toContain('"code":-2015');
    expect(sim.orders('binance')).toMatchObject([
      { clientOrderId: 'ro1', outcome: 'rejected', code: '-2015' },
    ]);
    expect(sim.book('binance')).toEqual([]);
  });
});

describe('Binance signed by hand as documented', () => {
  it('reproduces the documented HMAC example', () => {
    const payload =
      'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
    expect(hmacHex(DOC_KEY.secret, payload)).toBe(
      'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71',
    );
  });

  it('accepts query string + body concatenated without separator', async () => {
    const query = 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC';
    const body = `quantity=0.001&price=60000&newClientOrderId=byHand1&recvWindow=5000&timestamp=${Date.now()}`;
    const signature = hmacHex(DOC_KEY.secret, query + body);
    const res = await raw(`${sim.endpoint('binance')}/api/v3/order?${query}`, {
      method: 'POST',
      headers: {
        'X-MBX-APIKEY': DOC_KEY.apiKey,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: `${body}&signature=${signature}`,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      symbol: 'BTCUSDT',
      clientOrderId: 'byHand1',
      status: 'NEW',
      origQty: '0.00100000',
    });
  });

  it('answers -1021 to a timestamp outside recvWindow', async () => {
    const query = `timestamp=${Date.now() - 10_000}&recvWindow=5000`;
    const res = await raw(
      `${sim.endpoint('binance')}/api/v3/account?${query}&signature=${hmacHex(KEY.secret, query)}`,
      {
        headers: { 'X-MBX-APIKEY': KEY.apiKey },
      },
    );
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: -1021,
      msg: 'Timestamp for this request is outside of the recvWindow.',
    });
  });
});

describe('Binance faults', () => {
  it('delays answers by latencyMs', async () => {
    const ex = ccxtFor(sim, KEY);
    await ex.loadMarkets();
    sim.setFault('binance', { latencyMs: 150 });
    const t0 = Date.now();
    await ex.fetchTicker('BTC/USDT');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('answers 503 from the gateway and 429 -1003 for rate limits, once per count', async () => {
    const ex = ccxtFor(sim, KEY);
    await ex.loadMarkets();
    sim.setFault('binance', { status5xx: 1, rateLimit: 1 });
    expect((await failure(ex.fetchTicker('BTC/USDT'))).message).toContain('503');
    expect((await failure(ex.fetchTicker('BTC/USDT'))).message).toContain('-1003');
    expect((await ex.fetchTicker('BTC/USDT')).last).toBe(65000);
  });

  it('timeoutPlaced: no answer, but the order exists and a lookup by client id finds it', async () => {
    const ex = ccxtFor(sim, KEY, { timeout: 300 });
    await ex.loadMarkets();
    sim.setFault('binance', { timeoutPlaced: 1 });
    const err = await failure(
      ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'tp1' }),
    );
    expect(err.constructor.name).toBe('RequestTimeout');
    expect(sim.orders('binance')).toMatchObject([
      { clientOrderId: 'tp1', outcome: 'placed', fault: 'timeoutPlaced' },
    ]);
    const found = await ex.fetchOrder(undefined as unknown as string, 'BTC/USDT', {
      clientOrderId: 'tp1',
    });
    expect(found.status).toBe('closed');
  });

  it('timeoutNotPlaced: no answer and no order', async () => {
    const ex = ccxtFor(sim, KEY, { timeout: 300 });
    await ex.loadMarkets();
    sim.setFault('binance', { timeoutNotPlaced: 1 });
    const err = await failure(
      ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'tn1' }),
    );
    expect(err.constructor.name).toBe('RequestTimeout');
    const lookup = await failure(
      ex.fetchOrder(undefined as unknown as string, 'BTC/USDT', { clientOrderId: 'tn1' }),
    );
    expect(lookup.message).toContain('"code":-2013');
    expect(sim.book('binance')).toEqual([]);
  });

  it('unknownOutcome: HTTP 503 with -1007, and the order was placed', async () => {
    const ex = ccxtFor(sim, KEY);
    await ex.loadMarkets();
    sim.setFault('binance', { unknownOutcome: 1 });
    const err = await failure(
      ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'uo1' }),
    );
    expect(err.message).toContain('-1007');
    expect(sim.book('binance')).toMatchObject([{ clientOrderId: 'uo1', status: 'filled' }]);
  });
});
