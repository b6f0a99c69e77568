/** The simulator's OKX v5 dialect, through ccxt (as the host uses it) and by hand-signed HTTP. */
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

const KEY = tradeKey('okx', 'okTradeKey01');
const READ_ONLY = tradeKey('okx', 'okReadKey01', { permissions: { read: true } });
const FULL = tradeKey('okx', 'okFullKey01', {
  permissions: { read: true, spot: true, withdraw: true },
  ipList: ['203.0.113.10', '198.51.100.7'],
  label: 'sentinel',
});
const IP_LOCKED = tradeKey('okx', 'okIpKey01', { ipList: ['198.51.100.7'] });
const DEMO = tradeKey('okx', 'okDemoKey01', { environment: 'demo' });

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSimulator([KEY, READ_ONLY, FULL, IP_LOCKED, DEMO]);
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

type Envelope = { code: string; msg: string; data: Record<string, unknown>[] };
const signB64 = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(payload).digest('base64');

describe('OKX through ccxt', () => {
  it('reads the key permissions from /api/v5/account/config', async () => {
    const res = (await ccxtFor(sim, KEY).privateGetAccountConfig()) as Envelope;
    expect(res.code).toBe('0');
    expect(res.data[0]).toMatchObject({ perm: 'read_only,trade', ip: '' });
    const full = (await ccxtFor(sim, FULL).privateGetAccountConfig()) as Envelope;
    expect(full.data[0]).toMatchObject({
      perm: 'read_only,trade,withdraw',
      ip: '203.0.113.10,198.51.100.7',
      label: 'sentinel',
    });
    const ro = (await ccxtFor(sim, READ_ONLY).privateGetAccountConfig()) as Envelope;
    expect(ro.data[0]).toMatchObject({ perm: 'read_only' });
  });

  it('fetches the trading balance; a resting order freezes funds', async () => {
    const ex = ccxtFor(sim, KEY);
    expect(amount(await ex.fetchBalance(), 'total', 'USDT')).toBe(10000);
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000);
    const after = await ex.fetchBalance();
    expect(amount(after, 'used', 'USDT')).toBe(600);
    expect(amount(after, 'free', 'USDT')).toBe(9400);
  });

  it('places market and limit orders (trade/order and batch-orders) and finds them by clOrdId', async () => {
    const ex = ccxtFor(sim, KEY);
    await ex.createOrder('BTC/USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'sigC1' });
    const limit = await ex.createOrder('ETH/USDT', 'limit', 'buy', 0.1, 3400, {
      clientOrderId: 'sigC2',
    });
    const batch = ccxtFor(sim, KEY, { trimmed: false }); // ccxt's default: POST /api/v5/trade/batch-orders
    await batch.createOrder('SOL/USDT', 'limit', 'sell', 1, 160, { clientOrderId: 'sigC3' });
    expect(sim.orders('okx').map((o) => [o.path, o.clientOrderId, o.outcome])).toEqual([
      ['/api/v5/trade/order', 'sigC1', 'placed'],
      ['/api/v5/trade/order', 'sigC2', 'placed'],
      ['/api/v5/trade/batch-orders', 'sigC3', 'placed'],
    ]);
    const found = await ex.fetchOrder(undefined as unknown as string, 'ETH/USDT', {
      clOrdId: 'sigC2',
    });
    expect(found).toMatchObject({
      id: limit.id,
      clientOrderId: 'sigC2',
      status: 'open',
      price: 3400,
      amount: 0.1,
    });
    const filled = await ex.fetchOrder(undefined as unknown as string, 'BTC/USDT', {
      clientOrderId: 'sigC1',
    });
    expect(filled).toMatchObject({ status: 'closed', filled: 0.01, average: 65000 });
    await ex.cancelOrder(limit.id as string, 'ETH/USDT');
    expect(sim.book('okx').map((o) => o.status)).toEqual(['filled', 'canceled', 'new']);
  });

  it('refuses a duplicate clOrdId only while the first order is open (51016)', async () => {
    const ex = ccxtFor(sim, KEY);
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50000, { clientOrderId: 'dupC' });
    const err = await failure(
      ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50000, { clientOrderId: 'dupC' }),
    );
    expect(err.message).toContain('"sCode":"51016"');
    await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, {
      clientOrderId: 'againC',
    });
    await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, {
      clientOrderId: 'againC',
    });
    expect(sim.orders('okx').map((o) => o.outcome)).toEqual([
      'placed',
      'rejected',
      'placed',
      'placed',
    ]);
  });

  it('answers 50113 to a wrong secret, 50105 to a wrong passphrase, 50111 to an unknown key, 50110 to an IP', async () => {
    expect(
      (await failure(ccxtFor(sim, KEY, { secret: 'wrong' }).privateGetAccountConfig())).message,
    ).toContain('"code":"50113"');
    expect(
      (await failure(ccxtFor(sim, KEY, { password: 'wrong' }).privateGetAccountConfig())).message,
    ).toContain('"code":"50105"');
    expect(
      (await failure(ccxtFor(sim, { ...KEY, apiKey: 'nobody' }).privateGetAccountConfig())).message,
    ).toContain('"code":"50111"');
    expect((await failure(ccxtFor(sim, IP_LOCKED).privateGetAccountConfig())).message).toContain(
      '"code":"50110"',
    );
  });

  it('answers 50101 when the key and the demo header disagree', async () => {
    const liveAsDemo = await failure(
      ccxtFor(sim, KEY, { environment: 'demo' }).privateGetAccountConfig(),
    );
    expect(liveAsDemo.message).toContain('"code":"50101"');
    const demoAsLive = await failure(
      ccxtFor(sim, DEMO, { environment: 'live' }).privateGetAccountConfig(),
    );
    expect(demoAsLive.message).toContain('"code":"50101"');
    const demo = ccxtFor(sim, DEMO); // environment demo: sandbox mode, header x-simulated-trading: 1
    expect(((await demo.privateGetAccountConfig()) as Envelope).code).toBe('0');
    expect((await demo.createOrder('BTC/USDT', 'market', 'buy', 0.001)).id).toMatch(/^\d+$/);
  });

  it('refuses an order from a read-only key with 50120 and records it', async () => {
    const err = await failure(
      ccxtFor(sim, READ_ONLY).createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, {
        clientOrderId: 'roC',
      }),
    );
    expect(err.message).toContain('"code":"50120"');
    expect(sim.orders('okx')).toMatchObject([
      { clientOrderId: 'roC', outcome: 'rejected', code: '50120' },
    ]);
  });
});

describe('OKX signed by hand as documented', () => {
  const headers = (ts: string, sign: string) => ({
    'OK-ACCESS-KEY': KEY.apiKey,
    'OK-ACCESS-SIGN': sign,
    'OK-ACCESS-TIMESTAMP': ts,
    'OK-ACCESS-PASSPHRASE': KEY.passphrase as string,
    'Content-Type': 'application/json',
  });

  it('GET: base64 HMAC of timestamp + METHOD + requestPath with query (no /okx prefix)', async () => {
    const ts = new Date().toISOString();
    const path = '/api/v5/account/balance?ccy=BTC,USDT';
    const res = await raw(`${sim.endpoint('okx')}${path}`, {
      headers: headers(ts, signB64(KEY.secret, ts + 'GET' + path)),
    });
    expect(res.status).toBe(200);
    expect((res.body as Envelope).data[0]?.['details']).toMatchObject([
      { ccy: 'USDT', eq: '10000' },
      { ccy: 'BTC', eq: '0.5' },
    ]);
    const prefixed = await raw(`${sim.endpoint('okx')}${path}`, {
      headers: headers(ts, signB64(KEY.secret, ts + 'GET/okx' + path)),
    });
    expect(prefixed.status).toBe(401);
    expect(prefixed.body).toEqual({ code: '50113', msg: 'Invalid signature.', data: [] });
  });

  it('POST: base64 HMAC of timestamp + METHOD + requestPath + body', async () => {
    const ts = new Date().toISOString();
    const body = JSON.stringify({
      instId: 'BTC-USDT',
      tdMode: 'cash',
      side: 'buy',
      ordType: 'limit',
      px: '60000',
      sz: '0.001',
      clOrdId: 'byHand3',
    });
    const res = await raw(`${sim.endpoint('okx')}/api/v5/trade/order`, {
      method: 'POST',
      headers: headers(ts, signB64(KEY.secret, ts + 'POST' + '/api/v5/trade/order' + body)),
      body,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      code: '0',
      data: [{ clOrdId: 'byHand3', sCode: '0', sMsg: 'Order placed' }],
    });
  });

  it('answers 50102 to a timestamp more than 30 s old', async () => {
    const ts = new Date(Date.now() - 60_000).toISOString();
    const res = await raw(`${sim.endpoint('okx')}/api/v5/account/config`, {
      headers: headers(ts, signB64(KEY.secret, ts + 'GET/api/v5/account/config')),
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: '50102', msg: 'Timestamp request expired.', data: [] });
  });
});

describe('OKX faults', () => {
  it('delays answers by latencyMs', async () => {
    const ex = ccxtFor(sim, KEY);
    await ex.loadMarkets();
    sim.setFault('okx', { latencyMs: 150 });
    const t0 = Date.now();
    await ex.fetchTicker('BTC/USDT');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('answers 503 from the gateway and 429 50011 for rate limits', async () => {
    const ex = ccxtFor(sim, KEY);
    await ex.loadMarkets();
    sim.setFault('okx', { status5xx: 1, rateLimit: 1 });
    expect((await failure(ex.fetchTicker('BTC/USDT'))).message).toContain('503');
    expect((await failure(ex.fetchTicker('BTC/USDT'))).message).toContain('"code":"50011"');
    expect((await ex.fetchTicker('BTC/USDT')).last).toBe(65000);
  });

  it('timeoutPlaced and timeoutNotPlaced: a lookup by clOrdId tells them apart', async () => {
    const ex = ccxtFor(sim, KEY, { timeout: 300 });
    await ex.loadMarkets();
    sim.setFault('okx', { timeoutPlaced: 1, timeoutNotPlaced: 1 });
    expect(
      (
        await failure(
          ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'tnC' }),
        )
      ).constructor.name,
    ).toBe('RequestTimeout');
    expect(
      (
        await failure(
          ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'tpC' }),
        )
      ).constructor.name,
    ).toBe('RequestTimeout');
    const missing = await failure(
      ex.fetchOrder(undefined as unknown as string, 'BTC/USDT', { clOrdId: 'tnC' }),
    );
    expect(missing.message).toContain('"code":"51603"');
    expect(
      (await ex.fetchOrder(undefined as unknown as string, 'BTC/USDT', { clOrdId: 'tpC' })).status,
    ).toBe('closed');
  });

  it('unknownOutcome: 50004 while the order was placed', async () => {
    const ex = ccxtFor(sim, KEY);
    await ex.loadMarkets();
    sim.setFault('okx', { unknownOutcome: 1 });
    const err = await failure(
      ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'uoC' }),
    );
    expect(err.message).toContain('"code":"50004"');
    expect(sim.book('okx')).toMatchObject([{ clientOrderId: 'uoC', status: 'filled' }]);
  });
});
