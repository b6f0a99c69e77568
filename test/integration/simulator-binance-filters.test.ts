/**
 * The simulator's Binance symbol filters through ccxt, as the real exchange applies them
 * (https://developers.binance.com/docs/binance-spot-api-docs/filters; FACTS.md "The real
 * exchanges do things a simulator forgets"): PERCENT_PRICE_BY_SIDE, PRICE_FILTER, LOT_SIZE and
 * NOTIONAL on both POST /api/v3/order and /api/v3/order/test, the key's permission checked first.
 */
import type { Exchange } from 'ccxt';
import {
  ccxtFor,
  failure,
  startTestSimulator,
  tradeKey,
  type Simulator,
} from '../helpers/simulator.js';

const KEY = tradeKey('binance', 'bnFilterKey01');
const READ_ONLY = tradeKey('binance', 'bnFilterRead01', { permissions: { read: true } });

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSimulator([KEY, READ_ONLY]);
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  sim.setPrice('binance', 'BTC/USDT', '97000');
});

/** order/test by its implicit method: the parameters go out exactly as written (no ccxt rounding). */
function orderTest(ex: Exchange, params: Record<string, string>): Promise<unknown> {
  return ex.privatePostOrderTest({
    symbol: 'BTCUSDT',
    type: 'LIMIT',
    timeInForce: 'GTC',
    ...params,
  });
}

const buy = (price: string, quantity = '0.001') => ({ side: 'BUY', price, quantity });
const sell = (price: string, quantity = '0.001') => ({ side: 'SELL', price, quantity });

/**
 * The filter an order failed on. ccxt words these errors differently (for PERCENT_PRICE_BY_SIDE
 * only "binance Filter failure: …", without the body), so the wire code is read from the
 * simulator's record of the request.
 */
async function filterFailure(p: Promise<unknown>): Promise<string> {
  const err = await failure(p);
  expect(sim.orders('binance').at(-1)).toMatchObject({ outcome: 'rejected', code: '-1013' });
  return /Filter failure: ([A-Z_]+)/.exec(err.message)?.[1] ?? err.message;
}

type Filter = Record<string, unknown> & { filterType: string };

describe('exchangeInfo and avgPrice', () => {
  it('lists PERCENT_PRICE_BY_SIDE for every market, with Binance names and string values', async () => {
    const info = (await ccxtFor(sim, KEY).publicGetExchangeInfo()) as {
      symbols: { symbol: string; filters: Filter[] }[];
    };
    const filtersOf = (id: string) => info.symbols.find((s) => s.symbol === id)?.filters ?? [];
    const btc = filtersOf('BTCUSDT');
    expect(btc.find((f) => f.filterType === 'PERCENT_PRICE_BY_SIDE')).toEqual({
      filterType: 'PERCENT_PRICE_BY_SIDE',
      bidMultiplierUp: '5',
      bidMultiplierDown: '0.2',
      askMultiplierUp: '5',
      askMultiplierDown: '0.2',
      avgPriceMins: 5,
    });
    expect(btc.find((f) => f.filterType === 'PRICE_FILTER')).toEqual({
      filterType: 'PRICE_FILTER',
      minPrice: '0.01000000',
      maxPrice: '1000000.00000000',
      tickSize: '0.01000000',
    });
    expect(btc.find((f) => f.filterType === 'LOT_SIZE')).toEqual({
      filterType: 'LOT_SIZE',
      minQty: '0.00001000',
      maxQty: '9000.00000000',
      stepSize: '0.00001000',
    });
    expect(btc.find((f) => f.filterType === 'NOTIONAL')).toMatchObject({
      minNotional: '5.00000000',
      applyMinToMarket: true,
      avgPriceMins: 5,
    });
    for (const s of info.symbols) {
      const byside = s.filters.find((f) => f.filterType === 'PERCENT_PRICE_BY_SIDE');
      expect(byside, s.symbol).toBeDefined();
      for (const k of [
        'bidMultiplierUp',
        'bidMultiplierDown',
        'askMultiplierUp',
        'askMultiplierDown',
      ])
        expect(typeof byside?.[k], `${s.symbol} ${k}`).toBe('string');
    }
    // ccxt keeps the raw filters on its loaded market (what the key audit reads).
    const ex = ccxtFor(sim, KEY);
    await ex.loadMarkets();
    const filters = (ex.market('BTC/USDT').info as { filters: Filter[] }).filters;
    expect(filters.map((f) => f.filterType)).toContain('PERCENT_PRICE_BY_SIDE');
  });

  it('GET /api/v3/avgPrice answers the price the filters compare with', async () => {
    const ex = ccxtFor(sim, KEY);
    const avg = (await ex.publicGetAvgPrice({ symbol: 'BTCUSDT' })) as Record<string, unknown>;
    expect(avg).toMatchObject({ mins: 5, price: '97000.00000000' });
    expect(typeof avg['closeTime']).toBe('number');
    sim.setPrice('binance', 'BTC/USDT', '20000');
    expect(await ex.publicGetAvgPrice({ symbol: 'BTCUSDT' })).toMatchObject({
      price: '20000.00000000',
    });
    expect((await failure(ex.publicGetAvgPrice({ symbol: 'NOPEUSDT' }))).message).toContain(
      '-1121',
    );
  });
});

describe('PERCENT_PRICE_BY_SIDE at a last price of 97000', () => {
  it('order/test: a limit buy at 10000 fails; a buy at 80% of the price passes', async () => {
    const ex = ccxtFor(sim, KEY);
    expect(await filterFailure(orderTest(ex, buy('10000')))).toBe('PERCENT_PRICE_BY_SIDE');
    expect(sim.orders('binance').at(-1)).toMatchObject({
      test: true,
      outcome: 'rejected',
      code: '-1013',
    });
    expect(await orderTest(ex, buy('77600'))).toEqual({});
    expect(sim.orders('binance').at(-1)).toMatchObject({ test: true, outcome: 'validated' });
    expect(sim.book('binance')).toEqual([]); // order/test never places anything
  });

  it('the bounds are inclusive: buys within [0.2×, 5×] of the average price', async () => {
    const ex = ccxtFor(sim, KEY);
    await orderTest(ex, buy('19400')); // exactly 0.2 × 97000
    await orderTest(ex, buy('485000')); // exactly 5 × 97000
    expect(await filterFailure(orderTest(ex, buy('19399.99')))).toBe('PERCENT_PRICE_BY_SIDE');
    expect(await filterFailure(orderTest(ex, buy('485000.01')))).toBe('PERCENT_PRICE_BY_SIDE');
  });

  it('sells above 5× fail, on order/test and on a real order alike', async () => {
    const ex = ccxtFor(sim, KEY);
    await orderTest(ex, sell('485000'));
    expect(await filterFailure(orderTest(ex, sell('485000.01')))).toBe('PERCENT_PRICE_BY_SIDE');
    expect(await filterFailure(ex.createOrder('BTC/USDT', 'limit', 'sell', 0.001, 500000))).toBe(
      'PERCENT_PRICE_BY_SIDE',
    );
    expect(await filterFailure(orderTest(ex, sell('19399.99')))).toBe('PERCENT_PRICE_BY_SIDE');
    expect(sim.book('binance')).toEqual([]);
  });

  it('a real limit order outside the band is refused and nothing is placed', async () => {
    const ex = ccxtFor(sim, KEY);
    expect(await filterFailure(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 10000))).toBe(
      'PERCENT_PRICE_BY_SIDE',
    );
    expect(sim.book('binance')).toEqual([]);
    const placed = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 77600);
    expect(placed.status).toBe('open');
  });

  it('follows the price: at 20000 the same buy at 10000 passes', async () => {
    sim.setPrice('binance', 'BTC/USDT', '20000');
    await orderTest(ccxtFor(sim, KEY), buy('10000'));
  });

  it('does not apply to MARKET orders (they carry no price)', async () => {
    const ex = ccxtFor(sim, KEY);
    const market = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, {
      test: true,
    });
    expect(market).toBeDefined();
    expect(sim.orders('binance').at(-1)).toMatchObject({ outcome: 'validated' });
  });

  it('has its own bounds per side and market (SOLUSDT: buys 0.2×–1.2×, sells 0.8×–5×)', async () => {
    const ex = ccxtFor(sim, KEY);
    const sol = (side: string, price: string) =>
      orderTest(ex, { symbol: 'SOLUSDT', side, price, quantity: '1' });
    await sol('BUY', '180'); // 1.2 × 150
    await sol('SELL', '120'); // 0.8 × 150
    expect(await filterFailure(sol('BUY', '180.01'))).toBe('PERCENT_PRICE_BY_SIDE');
    expect(await filterFailure(sol('SELL', '119.99'))).toBe('PERCENT_PRICE_BY_SIDE');
  });
});

describe('the other filters on order/test', () => {
  it('PRICE_FILTER, LOT_SIZE and NOTIONAL refuse what a real order would refuse', async () => {
    const ex = ccxtFor(sim, KEY);
    expect(await filterFailure(orderTest(ex, buy('77600.005')))).toBe('PRICE_FILTER');
    expect(await filterFailure(orderTest(ex, buy('77600', '0.000015')))).toBe('LOT_SIZE');
    expect(await filterFailure(orderTest(ex, buy('77600', '0.00006')))).toBe('NOTIONAL'); // 4.656 < 5
    await orderTest(ex, buy('77600', '0.00007')); // 5.432 ≥ 5
  });
});

describe('permission before filters', () => {
  it('a key that may not trade gets -2015, not the filter failure (Binance checks permission first)', async () => {
    const err = await failure(orderTest(ccxtFor(sim, READ_ONLY), buy('10000')));
    expect(err.message).toContain('-2015');
    expect(err.message).not.toContain('Filter failure');
    expect(sim.orders('binance').at(-1)).toMatchObject({ outcome: 'rejected', code: '-2015' });
  });
});
