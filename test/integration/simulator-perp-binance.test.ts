/** The simulator's Binance USDⓈ-M futures (/fapi) through real ccxt, as the host trades perpetuals. */
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
const KEY = perpKey('binance', 'bnPerpKey01');
const SPOT_ONLY = tradeKey('binance', 'bnSpotOnly01');

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
  const positions = await ex.fetchPositions([SYMBOL]);
  const p = positions[0];
  return p ? (p.side === 'short' ? -1 : 1) * (p.contracts ?? 0) : 0;
};

/** Opens a position with separate reduce-only stop-loss and take-profit trigger orders. */
async function openProtected(
  side: 'buy' | 'sell',
  qty: number,
  sl: number,
  tp: number,
  tag: string,
) {
  const close = side === 'buy' ? 'sell' : 'buy';
  const entry = await ex.createOrder(SYMBOL, 'market', side, qty, undefined, {
    clientOrderId: tag,
  });
  const stop = await ex.createOrder(SYMBOL, 'market', close, qty, undefined, {
    stopLossPrice: sl,
    reduceOnly: true,
    clientOrderId: `${tag}-sl`,
  });
  const take = await ex.createOrder(SYMBOL, 'market', close, qty, undefined, {
    takeProfitPrice: tp,
    reduceOnly: true,
    clientOrderId: `${tag}-tp`,
  });
  return { entry, stop, take };
}

const triggerOrder = (o: Order) => ex.fetchOrder(String(o.id), SYMBOL, { trigger: true });

describe('Binance USDⓈ-M perpetuals through ccxt', () => {
  it('loads the linear perpetuals from /fapi/v1/exchangeInfo with their filters', () => {
    for (const s of ['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT'])
      expect(ex.markets?.[s]).toMatchObject({
        swap: true,
        linear: true,
        settle: 'USDT',
        contractSize: 1,
      });
    const btc = ex.market(SYMBOL);
    expect(btc.id).toBe('BTCUSDT');
    expect(btc.precision).toMatchObject({ amount: 0.001, price: 0.1 });
    expect(btc.limits.cost?.min).toBe(100);
    const filters = (btc.info as { filters: { filterType: string }[] }).filters;
    expect(filters.find((f) => f.filterType === 'PERCENT_PRICE')).toMatchObject({
      multiplierUp: '1.0500',
      multiplierDown: '0.9500',
    });
  });

  it('quotes tickers and the mark price from the settable price, and the futures balance', async () => {
    sim.setPrice('binance', SYMBOL, 66000);
    expect((await ex.fetchTicker(SYMBOL)).last).toBe(66000);
    expect((await ex.fetchMarkPrice(SYMBOL)).markPrice).toBe(66000);
    sim.setPrice('binance', 'ETH/USDT', 3600); // the spot price moves the perpetual too
    expect((await ex.fetchTickers(['ETH/USDT:USDT']))['ETH/USDT:USDT']?.last).toBe(3600);
    const balance = await ex.fetchBalance();
    expect(amount(balance, 'free', 'USDT')).toBe(10000);
  });

  it('sets margin mode and leverage; repeating them is harmless and readable', async () => {
    await ex.setMarginMode('isolated', SYMBOL);
    const again = await failure(ex.setMarginMode('isolated', SYMBOL));
    expect(again.message).toContain('-4046');
    expect(await ex.setLeverage(3, SYMBOL)).toMatchObject({ leverage: 3, symbol: 'BTCUSDT' });
    expect(await ex.setLeverage(3, SYMBOL)).toMatchObject({ leverage: 3 });
    expect((await ex.fetchLeverage(SYMBOL)).longLeverage).toBe(3);
    expect((await ex.fetchMarginMode(SYMBOL)).marginMode).toBe('isolated');
    expect((await failure(ex.setLeverage(126, SYMBOL))).message).toMatch(/leverage/i);
  });

  it('opens a protected long: the take-profit fires and closes it, the stop stays open', async () => {
    await ex.setLeverage(3, SYMBOL);
    const { entry, stop, take } = await openProtected('buy', 0.01, 60000, 70000, 'long-1');
    expect(entry).toMatchObject({
      status: 'closed',
      filled: 0.01,
      average: 65000,
      clientOrderId: 'long-1',
    });
    expect(stop).toMatchObject({ status: 'open', triggerPrice: 60000, clientOrderId: 'long-1-sl' });
    expect((await ex.fetchOpenOrders(SYMBOL, undefined, undefined, { trigger: true })).length).toBe(
      2,
    );
    const [pos] = await ex.fetchPositions([SYMBOL]);
    expect(pos).toMatchObject({
      side: 'long',
      contracts: 0.01,
      entryPrice: 65000,
      markPrice: 65000,
    });
    expect(pos?.leverage).toBeUndefined(); // /fapi/v3/positionRisk carries no leverage

    sim.setPrice('binance', SYMBOL, 66000);
    expect((await ex.fetchPositions([SYMBOL]))[0]?.unrealizedPnl).toBe(10);
    sim.setPrice('binance', SYMBOL, 70000);
    expect(await triggerOrder(take)).toMatchObject({ status: 'closed' });
    expect(await contracts()).toBe(0);
    // A fired Binance stop/take-profit does not cancel its sibling.
    expect(await triggerOrder(stop)).toMatchObject({ status: 'open' });
    const fired = (await ex.fetchOrders(SYMBOL)).filter((o) => o.reduceOnly);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({
      side: 'sell',
      status: 'closed',
      filled: 0.01,
      average: 70000,
    });
    // +50 USDT profit less 0.05 % fees on 650 and 700 USDT of notional.
    expect(amount(await ex.fetchBalance(), 'total', 'USDT')).toBeCloseTo(
      10000 + 50 - 0.325 - 0.35,
      6,
    );
    await ex.cancelOrder(String(stop.id), SYMBOL, { trigger: true });
    expect(await triggerOrder(stop)).toMatchObject({ status: 'canceled' });
  });

  it('opens a protected short: the stop fires when the price rises', async () => {
    const { stop, take } = await openProtected('sell', 0.01, 68000, 60000, 'short-1');
    expect(await contracts()).toBe(-0.01);
    sim.setPrice('binance', SYMBOL, 68500);
    expect(await triggerOrder(stop)).toMatchObject({ status: 'closed' });
    expect(await triggerOrder(take)).toMatchObject({ status: 'open' });
    expect(await contracts()).toBe(0);
  });

  it('refuses a trigger that would fire at once, and stop types on /fapi/v1/order (-4120)', async () => {
    await ex.createOrder(SYMBOL, 'market', 'buy', 0.01);
    const now = await failure(
      ex.createOrder(SYMBOL, 'market', 'sell', 0.01, undefined, {
        stopLossPrice: 66000,
        reduceOnly: true,
      }),
    );
    expect(now.message).toContain('-2021');
    const old = await failure(
      ex.fapiPrivatePostOrder({
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'STOP_MARKET',
        quantity: '0.01',
        stopPrice: '60000',
      }),
    );
    expect(old.message).toContain('-4120');
  });

  it('reduces a position by half then closes it reduce-only; reduce-only with nothing to reduce is refused', async () => {
    await ex.createOrder(SYMBOL, 'market', 'buy', 0.02);
    await ex.createOrder(SYMBOL, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
    expect(await contracts()).toBe(0.01);
    await ex.createOrder(SYMBOL, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
    expect(await contracts()).toBe(0);
    const refused = await failure(
      ex.createOrder(SYMBOL, 'market', 'sell', 0.01, undefined, { reduceOnly: true }),
    );
    expect(refused.message).toContain('-2022');
  });

  it('nets positions one-way and flips through zero', async () => {
    await ex.createOrder(SYMBOL, 'market', 'buy', 0.01);
    sim.setPrice('binance', SYMBOL, 66000);
    await ex.createOrder(SYMBOL, 'market', 'sell', 0.03);
    const [pos] = await ex.fetchPositions([SYMBOL]);
    expect(pos).toMatchObject({ side: 'short', contracts: 0.02, entryPrice: 66000 });
  });

  it('rests limit orders, finds and cancels them by client id, refuses a duplicate open id', async () => {
    const o = await ex.createOrder(SYMBOL, 'limit', 'buy', 0.01, 64000, { clientOrderId: 'lim-1' });
    expect(o.status).toBe('open');
    const dup = await failure(
      ex.createOrder(SYMBOL, 'limit', 'buy', 0.01, 64000, { clientOrderId: 'lim-1' }),
    );
    expect(dup.message).toContain('-4116');
    expect(await ex.fetchOrder('', SYMBOL, { clientOrderId: 'lim-1' })).toMatchObject({
      id: o.id,
      status: 'open',
    });
    expect((await ex.fetchOpenOrders(SYMBOL)).map((x) => x.id)).toEqual([o.id]);
    await ex.cancelOrder('', SYMBOL, { clientOrderId: 'lim-1' });
    expect((await ex.fetchOrder(String(o.id), SYMBOL)).status).toBe('canceled');
    const far = await failure(ex.createOrder(SYMBOL, 'limit', 'buy', 0.01, 70000));
    expect(far.message).toContain('-4016'); // PERCENT_PRICE: above mark × 1.05
    const small = await failure(ex.createOrder(SYMBOL, 'market', 'buy', 0.001));
    expect(small.message).toContain('-4164'); // MIN_NOTIONAL 100
  });

  it('fills a resting limit when the price crosses it', async () => {
    const o = await ex.createOrder(SYMBOL, 'limit', 'buy', 0.01, 64000);
    sim.setPrice('binance', SYMBOL, 63900);
    expect(await ex.fetchOrder(String(o.id), SYMBOL)).toMatchObject({
      status: 'closed',
      average: 64000,
    });
    expect(await contracts()).toBe(0.01);
  });

  it('applies the order faults to futures placements (lost answer: placed, found by client id)', async () => {
    sim.setFault('binance', { lostAnswer: 1 });
    await failure(
      ex.createOrder(SYMBOL, 'market', 'buy', 0.01, undefined, { clientOrderId: 'lost-1' }),
    );
    expect(await ex.fetchOrder('', SYMBOL, { clientOrderId: 'lost-1' })).toMatchObject({
      status: 'closed',
    });
    expect(sim.orders('binance').at(-1)).toMatchObject({
      path: '/fapi/v1/order',
      fault: 'lostAnswer',
    });
    sim.setFault('binance', { status5xxAfterPlace: 1 });
    const e = await failure(
      ex.createOrder(SYMBOL, 'market', 'sell', 0.01, undefined, { reduceOnly: true }),
    );
    expect(e.message).toContain('-1000'); // HTTP 500: the outcome is unknown, the order was placed
    expect(await contracts()).toBe(0);
  });

  it('refuses futures calls of a key without futures permission (-2015)', async () => {
    const spot = perpCcxtFor(sim, SPOT_ONLY);
    expect((await spot.sapiGetAccountApiRestrictions()) as object).toMatchObject({
      enableFutures: false,
    });
    await spot.loadMarkets();
    const e = await failure(spot.createOrder(SYMBOL, 'market', 'buy', 0.01));
    expect(e.message).toContain('-2015');
    expect((await failure(spot.fetchBalance())).message).toContain('-2015');
    expect((await failure(spot.setLeverage(3, SYMBOL))).message).toContain('-2015');
  });
});
