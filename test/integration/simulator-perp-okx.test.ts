/** The simulator's OKX v5 USDT swaps (instType=SWAP) through real ccxt, in contracts of ctVal. */
import type { Exchange, Order } from 'ccxt';
import {
  amount,
  failure,
  perpCcxtFor,
  perpKey,
  startTestSimulator,
  tradeKey,
  type Simulator,
} from '../helpers/simulator.js';

const SYMBOL = 'BTC/USDT:USDT'; // ctVal 0.01 BTC: 1 contract = 0.01 BTC
const KEY = perpKey('okx', 'okPerpKey01');
const READ_ONLY = tradeKey('okx', 'okReadOnly01', { permissions: { read: true } });
const ISOLATED = { marginMode: 'isolated' };
/** ccxt's fetchOpenOrders({trigger: true}) asks ordType=trigger; TP/SL need this (FACTS.md). */
const TPSL = { trigger: true, ordType: 'conditional,oco' };

let sim: Simulator;
let ex: Exchange;
beforeAll(async () => {
  sim = await startTestSimulator([KEY, READ_ONLY]);
});
afterAll(() => sim.close());
beforeEach(async () => {
  sim.reset();
  ex = perpCcxtFor(sim, KEY);
  await ex.loadMarkets();
});

const contracts = async (): Promise<number> => {
  const [p] = await ex.fetchPositions([SYMBOL]);
  return p ? (p.side === 'short' ? -1 : 1) * (p.contracts ?? 0) : 0;
};
const algo = (id: string) => ex.fetchOrder(id, SYMBOL, { trigger: true });
const info = (o: Order) => o.info as Record<string, string>;

async function openWithTpSl(side: 'buy' | 'sell', tp: number, sl: number, tag: string) {
  const entry = await ex.createOrder(SYMBOL, 'market', side, 1, undefined, {
    ...ISOLATED,
    clientOrderId: tag,
    takeProfit: { triggerPrice: tp },
    stopLoss: { triggerPrice: sl },
  });
  const [oco] = await ex.fetchOpenOrders(SYMBOL, undefined, undefined, TPSL);
  return { entry, oco: oco as Order };
}

describe('OKX USDT swaps through ccxt', () => {
  it('loads the SWAP instruments with their contract sizes', () => {
    expect(ex.market('BTC/USDT:USDT')).toMatchObject({
      id: 'BTC-USDT-SWAP',
      swap: true,
      linear: true,
      contractSize: 0.01,
    });
    expect(ex.market('ETH/USDT:USDT').contractSize).toBe(0.1);
    expect(ex.market('SOL/USDT:USDT').contractSize).toBe(1);
    expect(ex.market(SYMBOL).precision).toMatchObject({ amount: 0.01, price: 0.1 });
    expect(ex.market(SYMBOL).limits.amount?.min).toBe(0.01);
  });

  it('quotes the swap and its mark price from the settable price; USDT is the margin', async () => {
    sim.setPrice('okx', SYMBOL, 66000);
    expect((await ex.fetchTicker(SYMBOL)).last).toBe(66000);
    expect((await ex.fetchMarkPrice(SYMBOL)).markPrice).toBe(66000);
    expect(amount(await ex.fetchBalance(), 'free', 'USDT')).toBe(10000);
  });

  it('sets margin mode and leverage through set-leverage; repeating is harmless', async () => {
    await ex.setMarginMode('isolated', SYMBOL, { lever: 3 });
    await ex.setLeverage(3, SYMBOL, ISOLATED);
    await ex.setLeverage(3, SYMBOL, ISOLATED);
    expect((await ex.fetchLeverage(SYMBOL, ISOLATED)).longLeverage).toBe(3);
    expect((await ex.fetchLeverage(SYMBOL, { marginMode: 'cross' })).longLeverage).toBe(10);
  });

  it('opens a long with attachAlgoOrds: one OCO; the take-profit fires and ends it', async () => {
    await ex.setLeverage(3, SYMBOL, ISOLATED);
    const { entry, oco } = await openWithTpSl('buy', 70000, 60000, 'long1');
    expect(await ex.fetchOrder(String(entry.id), SYMBOL)).toMatchObject({
      status: 'closed',
      filled: 1,
      average: 65000,
    });
    expect(info(oco)).toMatchObject({
      ordType: 'oco',
      state: 'live',
      tpTriggerPx: '70000',
      slTriggerPx: '60000',
      sz: '1',
    });
    // ccxt's own trigger listing asks for ordType=trigger and misses the attached TP/SL.
    expect(await ex.fetchOpenOrders(SYMBOL, undefined, undefined, { trigger: true })).toHaveLength(
      0,
    );
    const [pos] = await ex.fetchPositions([SYMBOL]);
    expect(pos).toMatchObject({
      side: 'long',
      contracts: 1,
      entryPrice: 65000,
      leverage: 3,
      marginMode: 'isolated',
    });

    sim.setPrice('okx', SYMBOL, 70000);
    const fired = await algo(String(oco.id));
    expect(fired.status).toBe('closed');
    expect(info(fired)).toMatchObject({ state: 'effective', actualSide: 'tp', actualPx: '70000' });
    expect(await ex.fetchOpenOrders(SYMBOL, undefined, undefined, TPSL)).toHaveLength(0);
    expect(await contracts()).toBe(0);
    const closing = await ex.fetchOrder(info(fired)['ordId'] as string, SYMBOL);
    expect(closing).toMatchObject({ side: 'sell', status: 'closed', filled: 1, reduceOnly: true });
    expect(amount(await ex.fetchBalance(), 'total', 'USDT')).toBeCloseTo(
      10000 + 50 - 0.325 - 0.35,
      6,
    );
  });

  it('opens a short with attachAlgoOrds: the stop-loss fires when the price rises', async () => {
    const { oco } = await openWithTpSl('sell', 60000, 68000, 'short1');
    expect(await contracts()).toBe(-1);
    sim.setPrice('okx', SYMBOL, 68000);
    expect(info(await algo(String(oco.id)))).toMatchObject({
      state: 'effective',
      actualSide: 'sl',
    });
    expect(await contracts()).toBe(0);
  });

  it('places separate algo orders by algoClOrdId (ccxt clientOrderId is not one), cancels them', async () => {
    await ex.createOrder(SYMBOL, 'market', 'buy', 2, undefined, ISOLATED);
    const stop = await ex.createOrder(SYMBOL, 'market', 'sell', 2, undefined, {
      ...ISOLATED,
      stopLossPrice: 60000,
      reduceOnly: true,
      algoClOrdId: 'stop1',
    });
    expect(info(await algo(String(stop.id)))).toMatchObject({
      ordType: 'conditional',
      algoClOrdId: 'stop1',
      state: 'live',
    });
    const tp = await ex.createOrder(SYMBOL, 'market', 'sell', 2, undefined, {
      ...ISOLATED,
      takeProfitPrice: 70000,
      reduceOnly: true,
      clientOrderId: 'tp1',
    });
    expect(info(await algo(String(tp.id)))['algoClOrdId']).toBe('');
    const wrong = await failure(
      ex.createOrder(SYMBOL, 'market', 'sell', 2, undefined, {
        ...ISOLATED,
        stopLossPrice: 66000,
        reduceOnly: true,
      }),
    );
    expect(wrong.message).toContain('51280');
    await ex.cancelOrder(String(stop.id), SYMBOL, { trigger: true });
    expect(info(await algo(String(stop.id)))['state']).toBe('canceled');
  });

  it('reduces by half then closes reduce-only; refuses reduce-only without a position (51169) or same way (51170)', async () => {
    await ex.createOrder(SYMBOL, 'market', 'buy', 2, undefined, ISOLATED);
    await ex.createOrder(SYMBOL, 'market', 'sell', 1, undefined, { ...ISOLATED, reduceOnly: true });
    expect(await contracts()).toBe(1);
    const same = await failure(
      ex.createOrder(SYMBOL, 'market', 'buy', 1, undefined, { ...ISOLATED, reduceOnly: true }),
    );
    expect(same.message).toContain('51170');
    await ex.createOrder(SYMBOL, 'market', 'sell', 1, undefined, { ...ISOLATED, reduceOnly: true });
    expect(await contracts()).toBe(0);
    const none = await failure(
      ex.createOrder(SYMBOL, 'market', 'sell', 1, undefined, { ...ISOLATED, reduceOnly: true }),
    );
    expect(none.message).toContain('51169');
  });

  it('nets one-way in contracts, and rests, finds and cancels limits by clOrdId', async () => {
    await ex.createOrder(SYMBOL, 'market', 'buy', 1);
    await ex.createOrder(SYMBOL, 'market', 'sell', 3);
    const [pos] = await ex.fetchPositions([SYMBOL]);
    expect(pos).toMatchObject({ side: 'short', contracts: 2, marginMode: 'cross' });
    const lim = await ex.createOrder(SYMBOL, 'limit', 'buy', 1, 64000, { clientOrderId: 'lim1' });
    expect(await ex.fetchOrder('', SYMBOL, { clientOrderId: 'lim1' })).toMatchObject({
      id: lim.id,
      status: 'open',
    });
    const dup = await failure(
      ex.createOrder(SYMBOL, 'limit', 'buy', 1, 64000, { clientOrderId: 'lim1' }),
    );
    expect(dup.message).toContain('51016');
    await ex.cancelOrder(String(lim.id), SYMBOL);
    expect((await ex.fetchOrder(String(lim.id), SYMBOL)).status).toBe('canceled');
  });

  it('applies the order faults to swap placements (lost answer: placed, found by clOrdId)', async () => {
    sim.setFault('okx', { lostAnswer: 1 });
    await failure(
      ex.createOrder(SYMBOL, 'market', 'buy', 1, undefined, { clientOrderId: 'lost1' }),
    );
    expect(await ex.fetchOrder('', SYMBOL, { clientOrderId: 'lost1' })).toMatchObject({
      status: 'closed',
    });
    expect(sim.orders('okx').at(-1)).toMatchObject({
      path: '/api/v5/trade/order',
      fault: 'lostAnswer',
    });
  });

  it('refuses trading and leverage for a key without the trade permission (50120)', async () => {
    const ro = perpCcxtFor(sim, READ_ONLY);
    await ro.loadMarkets();
    expect((await failure(ro.createOrder(SYMBOL, 'market', 'buy', 1))).message).toContain('50120');
    expect((await failure(ro.setLeverage(3, SYMBOL, ISOLATED))).message).toContain('50120');
    expect(
      (
        await failure(
          ro.createOrder(SYMBOL, 'market', 'sell', 1, undefined, { stopLossPrice: 60000 }),
        )
      ).message,
    ).toContain('50120');
  });
});
