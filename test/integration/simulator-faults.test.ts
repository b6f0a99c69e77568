/**
 * The simulator's order-level faults that real exchanges show and a simulator forgets (FACTS.md),
 * through ccxt as the host uses it: look-ups that lag behind placement (visibilityDelayMs), an
 * order placed whose answer is lost (lostAnswer) or comes back as an HTTP 5xx
 * (status5xxAfterPlace), and the market price recorded beside every order request.
 */
import ccxt from 'ccxt';
import {
  amount,
  ccxtFor,
  failure,
  raw,
  startTestSimulator,
  tradeKey,
  type Simulator,
} from '../helpers/simulator.js';

const BN = tradeKey('binance', 'bnFaultKey01');
const BY = tradeKey('bybit', 'byFaultKey01');
const OK = tradeKey('okx', 'okFaultKey01');
const BN_READ = tradeKey('binance', 'bnFaultRead01', { permissions: { read: true } });

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSimulator([BN, BY, OK, BN_READ]);
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NONE = undefined as unknown as string;
type BybitList = { result: { list: { orderLinkId: string; orderStatus: string }[] } };

describe('visibilityDelayMs: look-ups lag behind placement', () => {
  const DELAY = 400;

  it('Binance: GET order answers -2013 and the lists omit the order until the delay passed', async () => {
    const ex = ccxtFor(sim, BN);
    await ex.loadMarkets();
    sim.setFault('binance', { visibilityDelayMs: DELAY });
    const placed = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000, {
      clientOrderId: 'visA1',
    });
    expect(placed.status).toBe('open');
    const missing = await failure(ex.fetchOrder(NONE, 'BTC/USDT', { clientOrderId: 'visA1' }));
    expect(missing.message).toContain('"code":-2013');
    expect(missing).toBeInstanceOf(ccxt.OrderNotFound);
    expect(await ex.fetchOpenOrders('BTC/USDT')).toEqual([]);
    expect(await ex.fetchOrders('BTC/USDT')).toEqual([]);
    // The exchange itself knows the order: its funds are locked and its client id is taken.
    expect(amount(await ex.fetchBalance(), 'used', 'USDT')).toBe(600);
    const dup = await failure(
      ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000, { clientOrderId: 'visA1' }),
    );
    expect(dup.message).toContain('Duplicate order sent.');
    await sleep(DELAY + 50);
    expect(await ex.fetchOrder(NONE, 'BTC/USDT', { clientOrderId: 'visA1' })).toMatchObject({
      id: placed.id,
      status: 'open',
    });
    expect(await ex.fetchOpenOrders('BTC/USDT')).toHaveLength(1);
  });

  it('Bybit: /v5/order/realtime and /history list nothing until the delay passed', async () => {
    const ex = ccxtFor(sim, BY);
    await ex.loadMarkets();
    sim.setFault('bybit', { visibilityDelayMs: DELAY });
    await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, {
      clientOrderId: 'visB1',
    });
    const realtime = () =>
      ex.privateGetV5OrderRealtime({
        category: 'spot',
        orderLinkId: 'visB1',
      }) as Promise<BybitList>;
    const history = () =>
      ex.privateGetV5OrderHistory({ category: 'spot', orderLinkId: 'visB1' }) as Promise<BybitList>;
    expect((await realtime()).result.list).toEqual([]);
    expect((await history()).result.list).toEqual([]);
    // A resend with the same orderLinkId is still refused: Bybit knows the order.
    const dup = await failure(
      ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'visB1' }),
    );
    expect(dup.message).toContain('"retCode":170141');
    await sleep(DELAY + 50);
    expect((await realtime()).result.list).toMatchObject([
      { orderLinkId: 'visB1', orderStatus: 'Filled' },
    ]);
    expect((await history()).result.list).toHaveLength(1);
  });

  it('OKX: GET trade/order answers 51603 and the lists omit the order until the delay passed', async () => {
    const ex = ccxtFor(sim, OK);
    await ex.loadMarkets();
    sim.setFault('okx', { visibilityDelayMs: DELAY });
    const placed = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60000, {
      clientOrderId: 'visC1',
    });
    const missing = await failure(ex.fetchOrder(NONE, 'BTC/USDT', { clOrdId: 'visC1' }));
    expect(missing.message).toContain('"code":"51603"');
    expect(await ex.fetchOpenOrders('BTC/USDT')).toEqual([]);
    const dup = await failure(
      ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60000, { clientOrderId: 'visC1' }),
    );
    expect(dup.message).toContain('"sCode":"51016"');
    await sleep(DELAY + 50);
    expect(await ex.fetchOrder(NONE, 'BTC/USDT', { clOrdId: 'visC1' })).toMatchObject({
      id: placed.id,
      status: 'open',
    });
    await ex.cancelOrder(placed.id as string, 'BTC/USDT');
    expect((await ex.fetchClosedOrders('BTC/USDT')).map((o) => o.id)).toEqual([placed.id]);
  });
});

describe('lostAnswer: placed, then the connection is reset without an answer', () => {
  const cases = [
    [BN, 'lostA'],
    [BY, 'lostB'],
    [OK, 'lostC'],
  ] as const;
  it.each(cases)(
    '%s.exchange: ccxt sees a NetworkError at once; the order exists',
    async (key, id) => {
      const ex = ccxtFor(sim, key, { timeout: 5000 });
      await ex.loadMarkets();
      sim.setFault(key.exchange, { lostAnswer: 1 });
      const t0 = Date.now();
      const err = await failure(
        ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: id }),
      );
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(err).toBeInstanceOf(ccxt.NetworkError);
      expect(err).not.toBeInstanceOf(ccxt.RequestTimeout);
      expect(sim.orders(key.exchange)).toMatchObject([
        { clientOrderId: id, outcome: 'placed', fault: 'lostAnswer' },
      ]);
      expect(sim.book(key.exchange)).toMatchObject([{ clientOrderId: id, status: 'filled' }]);
      expect(sim.requests(key.exchange).at(-1)).toMatchObject({ status: 0, fault: 'lostAnswer' });
      // Counted: the next placement is answered.
      await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001);
    },
  );
});

describe('status5xxAfterPlace: placed, then an HTTP 5xx in the exchange’s shape', () => {
  it('Binance: HTTP 500 {"code":-1000}', async () => {
    const ex = ccxtFor(sim, BN);
    await ex.loadMarkets();
    sim.setFault('binance', { status5xxAfterPlace: 1 });
    const err = await failure(
      ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 's5A' }),
    );
    expect(err.message).toContain(
      '{"code":-1000,"msg":"An unknown error occurred while processing the request."}',
    );
    expect(sim.requests('binance').at(-1)).toMatchObject({ status: 500, code: '-1000' });
    expect(sim.orders('binance')).toMatchObject([
      { clientOrderId: 's5A', outcome: 'placed', code: '-1000', fault: 'status5xxAfterPlace' },
    ]);
    expect(sim.book('binance')).toMatchObject([{ clientOrderId: 's5A', status: 'filled' }]);
  });

  it('Bybit: HTTP 502 with a gateway page, not JSON', async () => {
    const ex = ccxtFor(sim, BY);
    await ex.loadMarkets();
    sim.setFault('bybit', { status5xxAfterPlace: 1 });
    const err = await failure(
      ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 's5B' }),
    );
    expect(err).toBeInstanceOf(ccxt.ExchangeNotAvailable);
    expect(err.message).toContain('502 Bad Gateway');
    expect(sim.requests('bybit').at(-1)).toMatchObject({ status: 502 });
    expect(sim.orders('bybit')).toMatchObject([
      { clientOrderId: 's5B', outcome: 'placed', fault: 'status5xxAfterPlace' },
    ]);
    expect(sim.book('bybit')).toMatchObject([{ clientOrderId: 's5B', status: 'filled' }]);
  });

  it('OKX: HTTP 500 {"code":"50026"}', async () => {
    const ex = ccxtFor(sim, OK);
    await ex.loadMarkets();
    sim.setFault('okx', { status5xxAfterPlace: 1 });
    const err = await failure(
      ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 's5C' }),
    );
    expect(err.message).toContain('"code":"50026"');
    expect(err.message).toContain('System error. Try again later');
    expect(sim.requests('okx').at(-1)).toMatchObject({ status: 500, code: '50026' });
    expect(sim.book('okx')).toMatchObject([{ clientOrderId: 's5C', status: 'filled' }]);
  });

  it('Binance unknownOutcome with -1000 or -1001 answers HTTP 500 with that code’s message', async () => {
    const ex = ccxtFor(sim, BN);
    await ex.loadMarkets();
    sim.setFault('binance', { unknownOutcome: 1, unknownOutcomeCode: '-1001' });
    const err = await failure(ex.createOrder('BTC/USDT', 'market', 'buy', 0.001));
    expect(err.message).toContain(
      '{"code":-1001,"msg":"Internal error; unable to process your request. Please try again."}',
    );
    expect(sim.requests('binance').at(-1)).toMatchObject({ status: 500, code: '-1001' });
    sim.setFault('binance', { unknownOutcome: 1, unknownOutcomeCode: -1000 });
    await failure(ex.createOrder('BTC/USDT', 'market', 'buy', 0.001));
    expect(sim.requests('binance').at(-1)).toMatchObject({ status: 500, code: '-1000' });
    expect(sim.book('binance')).toHaveLength(2);
  });
});

describe('OrderRecord.marketPrice', () => {
  it('records the last price on placed, validated and refused orders', async () => {
    sim.setPrice('binance', 'BTC/USDT', '70000');
    sim.setPrice('bybit', 'ETH/USDT', '3600');
    sim.setPrice('okx', 'SOL/USDT', '140');
    const bn = ccxtFor(sim, BN);
    await bn.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60000, { clientOrderId: 'mpA1' });
    await bn.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60000, {
      clientOrderId: 'mpA2',
      test: true,
    });
    await failure(
      ccxtFor(sim, BN_READ).createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, {
        clientOrderId: 'mpA3',
      }),
    );
    expect(sim.orders('binance')).toMatchObject([
      { clientOrderId: 'mpA1', outcome: 'placed', marketPrice: '70000' },
      { clientOrderId: 'mpA2', outcome: 'validated', marketPrice: '70000' },
      { clientOrderId: 'mpA3', outcome: 'rejected', code: '-2015', marketPrice: '70000' },
    ]);
    await ccxtFor(sim, BY).createOrder('ETH/USDT', 'market', 'sell', 0.01);
    expect(sim.orders('bybit')).toMatchObject([{ outcome: 'placed', marketPrice: '3600' }]);
    await ccxtFor(sim, OK).createOrder('SOL/USDT', 'limit', 'sell', 1, 150);
    expect(sim.orders('okx')).toMatchObject([{ outcome: 'placed', marketPrice: '140' }]);
  });
});

describe('control API', () => {
  const post = (body: unknown) =>
    raw(`${sim.url}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('accepts the new faults and answers 400 naming a bad field', async () => {
    const spec = {
      visibilityDelayMs: 200,
      lostAnswer: 1,
      status5xxAfterPlace: 2,
      processDelay: 1,
      processDelayMs: 300,
    };
    const ok = await post({ exchange: 'okx', ...spec });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual(spec);
    for (const [field, value] of [
      ['visibilityDelayMs', -1],
      ['lostAnswer', 1.5],
      ['status5xxAfterPlace', '1'],
      ['processDelay', null],
      ['processDelayMs', -5],
    ] as const) {
      const bad = await post({ exchange: 'okx', [field]: value });
      expect(bad.status).toBe(400);
      expect((bad.body as { error: string }).error).toContain(field);
    }
  });
});
