/** The simulator's Bybit v5 dialect, through ccxt (as the host uses it) and by hand-signed HTTP. */
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

const KEY = tradeKey('bybit', 'byTradeKey01');
const READ_ONLY = tradeKey('bybit', 'byReadKey01', { permissions: { read: true } });
const FULL = tradeKey('bybit', 'byFullKey01', {
  permissions: {
    read: true,
    spot: true,
    futures: true,
    options: true,
    withdraw: true,
    transfer: true,
    earn: true,
  },
  ipList: ['203.0.113.10'],
  expiresAt: Math.floor(Date.now() / 1000) * 1000 + 30 * 86_400_000,
});
const IP_LOCKED = tradeKey('bybit', 'byIpKey01', { ipList: ['198.51.100.7'] });
const RICH = tradeKey('bybit', 'byRichKey01', { balances: { USDT: '100000' } });

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSimulator([KEY, READ_ONLY, FULL, IP_LOCKED, RICH]);
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

type Envelope = { retCode: number; retMsg: string; result: Record<string, unknown> };
const signHex = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(payload).digest('hex');

describe('Bybit through ccxt', () => {
  it('reads the key permissions from /v5/user/query-api', async () => {
    const res = (await ccxtFor(sim, KEY).privateGetV5UserQueryApi()) as Envelope;
    expect(res.retCode).toBe(0);
    expect(res.result).toMatchObject({
      apiKey: KEY.apiKey,
      readOnly: 0,
      ips: ['*'],
      uta: 1,
      createdAt: '2026-01-15T00:00:00Z',
      permissions: {
        Spot: ['SpotTrade'],
        Wallet: [],
        ContractTrade: [],
        Derivatives: [],
        Options: [],
      },
    });
    const full = ((await ccxtFor(sim, FULL).privateGetV5UserQueryApi()) as Envelope).result;
    expect(full).toMatchObject({
      ips: ['203.0.113.10'],
      expiredAt: new Date(FULL.expiresAt as number).toISOString().replace('.000Z', 'Z'),
      deadlineDay: 30,
      permissions: {
        Wallet: ['AccountTransfer', 'SubMemberTransfer', 'Withdraw'],
        ContractTrade: ['Order', 'Position'],
        Derivatives: ['DerivativesTrade'],
        Options: ['OptionsTrade'],
        Earn: ['Earn'],
      },
    });
    const ro = ((await ccxtFor(sim, READ_ONLY).privateGetV5UserQueryApi()) as Envelope).result;
    expect(ro).toMatchObject({ readOnly: 1, permissions: { Spot: [] } });
  });

  it('fetches the unified wallet balance; a resting order locks funds', async () => {
    const ex = ccxtFor(sim, KEY);
    const before = await ex.fetchBalance();
    expect(amount(before, 'total', 'USDT')).toBe(10000);
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000);
    const after = await ex.fetchBalance();
    expect(amount(after, 'used', 'USDT')).toBe(600);
    expect(amount(after, 'free', 'USDT')).toBe(9400);
  });

  it('places market and limit orders and finds them by orderLinkId', async () => {
    const ex = ccxtFor(sim, KEY);
    const market = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.01, undefined, {
      clientOrderId: 'sigB1',
    });
    const limit = await ex.createOrder('BTC/USDT', 'limit', 'sell', 0.01, 70000, {
      clientOrderId: 'sigB2',
    });
    expect(market.id).toMatch(/^\d+$/);
    expect(sim.orders('bybit').map((o) => [o.clientOrderId, o.outcome])).toEqual([
      ['sigB1', 'placed'],
      ['sigB2', 'placed'],
    ]);
    const open = await ex.fetchOrder(undefined as unknown as string, 'BTC/USDT', {
      orderLinkId: 'sigB2',
      acknowledged: true,
    });
    expect(open).toMatchObject({
      id: limit.id,
      clientOrderId: 'sigB2',
      status: 'open',
      price: 70000,
      amount: 0.01,
    });
    const filled = (await ex.privateGetV5OrderRealtime({
      category: 'spot',
      orderLinkId: 'sigB1',
    })) as Envelope;
    expect(filled.result['list']).toMatchObject([
      { orderLinkId: 'sigB1', orderStatus: 'Filled', cumExecQty: '0.01', avgPrice: '65000' },
    ]);
    expect((await ex.cancelOrder(limit.id as string, 'BTC/USDT')).id).toBe(limit.id);
    const history = (await ex.privateGetV5OrderHistory({
      category: 'spot',
      orderLinkId: 'sigB2',
    })) as Envelope;
    expect(history.result['list']).toMatchObject([{ orderStatus: 'Cancelled' }]);
  });

  it('reproduces the ccxt trap: a clientOrderId param is ignored and the newest open order comes back', async () => {
    const ex = ccxtFor(sim, KEY);
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50000, { clientOrderId: 'wanted' });
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 51000, { clientOrderId: 'newer' });
    const got = await ex.fetchOrder(undefined as unknown as string, 'BTC/USDT', {
      clientOrderId: 'wanted',
      acknowledged: true,
    });
    expect(got.clientOrderId).toBe('newer');
  });

  it('keeps only the last 500 closed orders in /v5/order/realtime; history still has older ones', async () => {
    const ex = ccxtFor(sim, RICH);
    await ex.createOrder('SOL/USDT', 'market', 'buy', 0.1, undefined, { clientOrderId: 'oldest' });
    for (let i = 0; i < 500; i++) await ex.createOrder('SOL/USDT', 'market', 'buy', 0.1);
    const realtime = (await ex.privateGetV5OrderRealtime({
      category: 'spot',
      orderLinkId: 'oldest',
    })) as Envelope;
    expect(realtime.result['list']).toEqual([]);
    const history = (await ex.privateGetV5OrderHistory({
      category: 'spot',
      orderLinkId: 'oldest',
    })) as Envelope;
    expect(history.result['list']).toMatchObject([
      { orderLinkId: 'oldest', orderStatus: 'Filled' },
    ]);
  });

  it('refuses any reused orderLinkId, even after the first order filled (170141)', async () => {
    const ex = ccxtFor(sim, KEY);
    await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'once' });
    const err = await failure(
      ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'once' }),
    );
    expect(err.message).toContain('"retCode":170141');
    expect(sim.orders('bybit').map((o) => o.outcome)).toEqual(['placed', 'rejected']);
  });

  it('answers 10004 to a wrong secret, 10003 to an unknown key, 10010 to a non-whitelisted IP', async () => {
    expect(
      (await failure(ccxtFor(sim, KEY, { secret: 'wrong' }).privateGetV5UserQueryApi())).message,
    ).toContain('"retCode":10004');
    expect(
      (await failure(ccxtFor(sim, { ...KEY, apiKey: 'nobody' }).privateGetV5UserQueryApi()))
        .message,
    ).toContain('"retCode":10003');
    expect((await failure(ccxtFor(sim, IP_LOCKED).privateGetV5UserQueryApi())).message).toContain(
      '"retCode":10010',
    );
  });

  it('refuses an order from a read-only key with 10005 and records it', async () => {
    const ex = ccxtFor(sim, READ_ONLY);
    const err = await failure(
      ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'ro2' }),
    );
    expect(err.message).toContain('"retCode":10005');
    expect(sim.orders('bybit')).toMatchObject([
      { clientOrderId: 'ro2', outcome: 'rejected', code: '10005' },
    ]);
  });
});

describe('Bybit signed by hand as documented', () => {
  const headers = (ts: string, sign: string, key = KEY.apiKey) => ({
    'X-BAPI-API-KEY': key,
    'X-BAPI-TIMESTAMP': ts,
    'X-BAPI-RECV-WINDOW': '5000',
    'X-BAPI-SIGN': sign,
    'Content-Type': 'application/json',
  });

  it('GET: HMAC of timestamp + apiKey + recvWindow + queryString', async () => {
    const ts = String(Date.now());
    const query = 'category=spot&symbol=BTCUSDT';
    const res = await raw(`${sim.endpoint('bybit')}/v5/order/realtime?${query}`, {
      headers: headers(ts, signHex(KEY.secret, ts + KEY.apiKey + '5000' + query)),
    });
    expect(res.body).toMatchObject({ retCode: 0, result: { category: 'spot', list: [] } });
  });

  it('POST: HMAC of timestamp + apiKey + recvWindow + JSON body', async () => {
    const ts = String(Date.now());
    const body = JSON.stringify({
      category: 'spot',
      symbol: 'ETHUSDT',
      side: 'Buy',
      orderType: 'Limit',
      qty: '0.01',
      price: '3000',
      orderLinkId: 'byHand2',
    });
    const res = await raw(`${sim.endpoint('bybit')}/v5/order/create`, {
      method: 'POST',
      headers: headers(ts, signHex(KEY.secret, ts + KEY.apiKey + '5000' + body)),
      body,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      retCode: 0,
      retMsg: 'OK',
      result: { orderLinkId: 'byHand2' },
      retExtInfo: {},
    });
  });

  it('answers 10002 to a timestamp outside recv_window', async () => {
    const ts = String(Date.now() - 10_000);
    const res = await raw(`${sim.endpoint('bybit')}/v5/user/query-api`, {
      headers: headers(ts, signHex(KEY.secret, ts + KEY.apiKey + '5000')),
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ retCode: 10002, result: {} });
  });
});

describe('Bybit faults', () => {
  it('delays answers by latencyMs', async () => {
    const ex = ccxtFor(sim, KEY);
    await ex.loadMarkets();
    sim.setFault('bybit', { latencyMs: 150 });
    const t0 = Date.now();
    await ex.fetchTicker('BTC/USDT');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('answers 503 from the gateway and retCode 10006 for rate limits', async () => {
    const ex = ccxtFor(sim, KEY);
    await ex.loadMarkets();
    sim.setFault('bybit', { status5xx: 1, rateLimit: 1 });
    expect((await failure(ex.fetchTicker('BTC/USDT'))).message).toContain('503');
    const limited = await failure(ex.fetchTicker('BTC/USDT'));
    expect(limited.message).toContain('"retCode":10006');
    expect(limited.constructor.name).toBe('RateLimitExceeded');
    expect((await ex.fetchTicker('BTC/USDT')).last).toBe(65000);
  });

  it('timeoutPlaced and timeoutNotPlaced: a lookup by orderLinkId tells them apart', async () => {
    const ex = ccxtFor(sim, KEY, { timeout: 300 });
    await ex.fetchBalance();
    sim.setFault('bybit', { timeoutPlaced: 1, timeoutNotPlaced: 1 });
    // timeoutNotPlaced is consumed first: nothing placed.
    expect(
      (
        await failure(
          ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'tnB' }),
        )
      ).constructor.name,
    ).toBe('RequestTimeout');
    expect(
      (
        await failure(
          ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'tpB' }),
        )
      ).constructor.name,
    ).toBe('RequestTimeout');
    const lookup = async (id: string) =>
      ((await ex.privateGetV5OrderRealtime({ category: 'spot', orderLinkId: id })) as Envelope)
        .result['list'] as unknown[];
    expect(await lookup('tnB')).toEqual([]);
    expect(await lookup('tpB')).toMatchObject([{ orderLinkId: 'tpB', orderStatus: 'Filled' }]);
  });

  it('unknownOutcome: retCode 10000 while the order was placed', async () => {
    const ex = ccxtFor(sim, KEY);
    await ex.fetchBalance();
    sim.setFault('bybit', { unknownOutcome: 1 });
    const err = await failure(
      ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'uoB' }),
    );
    expect(err.message).toContain('"retCode":10000');
    expect(sim.book('bybit')).toMatchObject([{ clientOrderId: 'uoB', status: 'filled' }]);
  });
});
