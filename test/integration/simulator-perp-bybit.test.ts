/** The simulator's Bybit v5 linear perpetuals (category=linear, unified account) through real ccxt. */
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

const SYMBOL = 'BTC/USDT:USDT';
const KEY = perpKey('bybit', 'byPerpKey01');
const SPOT_ONLY = tradeKey('bybit', 'bySpotOnly01');
const ACK = { acknowledged: true };

let sim: Simulator;
let ex: Exchange;
beforeAll(async () => {
  sim = await startTestSimulator([KEY, SPOT_ONLY]);
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
const get = (o: Order, trigger = false) =>
  ex.fetchOrder(String(o.id), SYMBOL, { ...ACK, ...(trigger ? { trigger: true } : {}) });
/** The position's TP and SL orders (conditional orders of the account, newest first). */
const tpsl = async () => {
  const open = await ex.fetchOpenOrders(SYMBOL, undefined, undefined, { trigger: true });
  const byType = (t: string) =>
    open.find((o) => (o.info as { stopOrderType: string }).stopOrderType === t);
  return { tp: byType('TakeProfit'), sl: byType('StopLoss'), all: open };
};

describe('Bybit linear perpetuals through ccxt', () => {
  it('loads the linear instruments with their lot, tick and leverage filters', () => {
    for (const s of ['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT'])
      expect(ex.markets?.[s]).toMatchObject({
        swap: true,
        linear: true,
        settle: 'USDT',
        contractSize: 1,
      });
    const btc = ex.market(SYMBOL);
    expect(btc.precision).toMatchObject({ amount: 0.001, price: 0.1 });
    expect(btc.limits.leverage?.max).toBe(100);
    expect(btc.limits.cost?.min).toBe(5);
  });

  it('quotes last and mark price from the settable price; the unified USDT is the margin', async () => {
    sim.setPrice('bybit', SYMBOL, 66000);
    const t = await ex.fetchTicker(SYMBOL);
    expect(t.last).toBe(66000);
    expect(t.markPrice).toBe(66000);
    expect(amount(await ex.fetchBalance(), 'free', 'USDT')).toBe(10000);
  });

  it('sets the account-wide margin mode and leverage; repeating is harmless (110043)', async () => {
    await ex.setMarginMode('isolated', SYMBOL);
    await ex.setMarginMode('isolated', SYMBOL);
    expect((await ex.fetchMarginMode(SYMBOL)).marginMode).toBe('isolated');
    await ex.setLeverage(3, SYMBOL);
    const again = await failure(ex.setLeverage(3, SYMBOL));
    expect(again.message).toContain('110043');
    expect((await ex.fetchLeverage(SYMBOL)).longLeverage).toBe(3);
  });

  it('opens a long with attached TP/SL: the take-profit fills, the stop is deactivated', async () => {
    await ex.setLeverage(3, SYMBOL);
    const entry = await ex.createOrder(SYMBOL, 'market', 'buy', 0.01, undefined, {
      clientOrderId: 'long-1',
      takeProfit: { triggerPrice: 70000 },
      stopLoss: { triggerPrice: 60000 },
    });
    expect(await get(entry)).toMatchObject({ status: 'closed', filled: 0.01, average: 65000 });
    const { tp, sl } = await tpsl();
    expect(tp).toMatchObject({
      status: 'open',
      triggerPrice: 70000,
      side: 'sell',
      reduceOnly: true,
    });
    expect(sl).toMatchObject({ status: 'open', triggerPrice: 60000 });
    const [pos] = await ex.fetchPositions([SYMBOL]);
    expect(pos).toMatchObject({ side: 'long', contracts: 0.01, entryPrice: 65000, leverage: 3 });
    expect(pos?.info).toMatchObject({ takeProfit: '70000', stopLoss: '60000' });

    sim.setPrice('bybit', SYMBOL, 70000);
    expect(await get(tp as Order, true)).toMatchObject({
      status: 'closed',
      filled: 0.01,
      average: 70000,
    });
    expect(await get(sl as Order, true)).toMatchObject({ status: 'canceled' });
    expect(((await get(sl as Order, true)).info as { orderStatus: string }).orderStatus).toBe(
      'Deactivated',
    );
    expect(await contracts()).toBe(0);
    expect(amount(await ex.fetchBalance(), 'total', 'USDT')).toBeCloseTo(
      10000 + 50 - 0.325 - 0.35,
      6,
    );
  });

  it('opens a short with attached TP/SL: the stop fills when the price rises', async () => {
    await ex.createOrder(SYMBOL, 'market', 'sell', 0.01, undefined, {
      takeProfit: { triggerPrice: 60000 },
      stopLoss: { triggerPrice: 68000 },
    });
    const { tp, sl } = await tpsl();
    expect(await contracts()).toBe(-0.01);
    sim.setPrice('bybit', SYMBOL, 68000);
    expect(await get(sl as Order, true)).toMatchObject({ status: 'closed', side: 'buy' });
    expect(await get(tp as Order, true)).toMatchObject({ status: 'canceled' });
    expect(await contracts()).toBe(0);
  });

  it('takes separate reduce-only conditional orders, and refuses one already crossed (110093)', async () => {
    await ex.createOrder(SYMBOL, 'market', 'buy', 0.01);
    const stop = await ex.createOrder(SYMBOL, 'market', 'sell', 0.01, undefined, {
      stopLossPrice: 62000,
      reduceOnly: true,
    });
    expect((await tpsl()).all.map((o) => o.id)).toEqual([stop.id]);
    const crossed = await failure(
      ex.createOrder(SYMBOL, 'market', 'sell', 0.01, undefined, {
        stopLossPrice: 66000,
        reduceOnly: true,
      }),
    );
    expect(crossed.message).toContain('110093');
    sim.setPrice('bybit', SYMBOL, 61000);
    expect(await get(stop, true)).toMatchObject({ status: 'closed', average: 61000 });
    expect(await contracts()).toBe(0);
  });

  it('reduces by half then closes reduce-only; reduce-only without a position is refused (110017)', async () => {
    await ex.createOrder(SYMBOL, 'market', 'buy', 0.02);
    await ex.createOrder(SYMBOL, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
    expect(await contracts()).toBe(0.01);
    await ex.createOrder(SYMBOL, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
    expect(await contracts()).toBe(0);
    const e = await failure(
      ex.createOrder(SYMBOL, 'market', 'sell', 0.01, undefined, { reduceOnly: true }),
    );
    expect(e.message).toContain('110017');
  });

  it('nets one-way, rests and cancels limits by orderLinkId, refuses a reused orderLinkId (110072)', async () => {
    await ex.createOrder(SYMBOL, 'market', 'buy', 0.01, undefined, { clientOrderId: 'net-1' });
    await ex.createOrder(SYMBOL, 'market', 'sell', 0.03);
    expect(await contracts()).toBe(-0.02);
    const dup = await failure(
      ex.createOrder(SYMBOL, 'market', 'buy', 0.01, undefined, { clientOrderId: 'net-1' }),
    );
    expect(dup.message).toContain('110072');
    const lim = await ex.createOrder(SYMBOL, 'limit', 'buy', 0.01, 64000, {
      clientOrderId: 'lim-1',
    });
    expect(await get(lim)).toMatchObject({ status: 'open', price: 64000 });
    await ex.cancelOrder('', SYMBOL, { orderLinkId: 'lim-1' });
    expect(await get(lim)).toMatchObject({ status: 'canceled' });
  });

  it('applies the order faults to linear placements (lost answer: placed, found by orderLinkId)', async () => {
    sim.setFault('bybit', { lostAnswer: 1 });
    await failure(
      ex.createOrder(SYMBOL, 'market', 'buy', 0.01, undefined, { clientOrderId: 'lost-1' }),
    );
    const found = (await ex.privateGetV5OrderRealtime({
      category: 'linear',
      orderLinkId: 'lost-1',
    })) as {
      result: { list: { orderStatus: string }[] };
    };
    expect(found.result.list[0]?.orderStatus).toBe('Filled');
    expect(sim.orders('bybit').at(-1)).toMatchObject({
      path: '/v5/order/create',
      fault: 'lostAnswer',
    });
  });

  it('refuses derivatives calls of a key without contract permission (10005)', async () => {
    const spot = perpCcxtFor(sim, SPOT_ONLY);
    const info = (await spot.privateGetV5UserQueryApi()) as {
      result: { permissions: Record<string, string[]> };
    };
    expect(info.result.permissions['ContractTrade']).toEqual([]);
    await spot.loadMarkets();
    expect((await failure(spot.createOrder(SYMBOL, 'market', 'buy', 0.01))).message).toContain(
      '10005',
    );
    expect((await failure(spot.setLeverage(3, SYMBOL))).message).toContain('10005');
  });
});
