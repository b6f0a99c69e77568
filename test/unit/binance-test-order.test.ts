/** The key audit's Binance test order: priced from the market, inside every filter. */
import {
  binanceFilterFailure,
  planBinanceTestOrder,
} from '../../src/native-host/service/exchange/adapters/binance-test-order.js';

// BTCUSDT's filters as Binance lists them (string values), FACTS.md's PERCENT_PRICE_BY_SIDE.
const BTC_FILTERS = [
  {
    filterType: 'PRICE_FILTER',
    minPrice: '0.01000000',
    maxPrice: '1000000.00000000',
    tickSize: '0.01000000',
  },
  { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
  {
    filterType: 'PERCENT_PRICE_BY_SIDE',
    bidMultiplierUp: '5',
    bidMultiplierDown: '0.2',
    askMultiplierUp: '5',
    askMultiplierDown: '0.2',
    avgPriceMins: 5,
  },
  {
    filterType: 'NOTIONAL',
    minNotional: '5.00000000',
    applyMinToMarket: true,
    maxNotional: '9000000.00000000',
    applyMaxToMarket: false,
    avgPriceMins: 5,
  },
];

const plan = (avg: string, filters: unknown = BTC_FILTERS) => {
  const p = planBinanceTestOrder('BTCUSDT', filters, avg);
  if (!p.ok) throw new Error(p.problem);
  return p.params;
};

describe('planBinanceTestOrder', () => {
  it('at BTC 97,000: a limit buy at 80% (77,600) for the least quantity worth ≥ 5 USDT', () => {
    expect(plan('97000.00000000')).toEqual({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: '77600',
      quantity: '0.00007', // 0.00007 × 77600 = 5.432; 0.00006 would be 4.656
    });
  });

  it('at BTC 20,000 and at an awkward price: rounded down to the tick, up to the step', () => {
    expect(plan('20000')).toMatchObject({ price: '16000', quantity: '0.00032' });
    const odd = plan('97123.456789');
    expect(odd.price).toBe('77698.76'); // 0.8 × 97123.456789 = 77698.7654312, down to 0.01
    expect(Number(odd.price) * Number(odd.quantity)).toBeGreaterThanOrEqual(5);
    expect(Number(odd.quantity) * 1e5).toBeCloseTo(Math.round(Number(odd.quantity) * 1e5), 9);
  });

  it('stays inside a tighter band (bidMultiplierDown above 0.8) and honours minQty', () => {
    const tight = BTC_FILTERS.map((f) =>
      f.filterType === 'PERCENT_PRICE_BY_SIDE' ? { ...f, bidMultiplierDown: '0.95' } : f,
    );
    expect(plan('100', tight).price).toBe('95');
    const bigLot = BTC_FILTERS.map((f) =>
      f.filterType === 'LOT_SIZE' ? { ...f, minQty: '0.01000000', stepSize: '0.01000000' } : f,
    );
    expect(plan('97000', bigLot).quantity).toBe('0.01');
  });

  it('reads the older PERCENT_PRICE and MIN_NOTIONAL filters too', () => {
    const older = [
      BTC_FILTERS[0],
      BTC_FILTERS[1],
      { filterType: 'PERCENT_PRICE', multiplierUp: '1.3', multiplierDown: '0.9', avgPriceMins: 5 },
      { filterType: 'MIN_NOTIONAL', minNotional: '10.00000000', applyToMarket: true },
    ];
    expect(plan('100', older)).toMatchObject({ price: '90', quantity: '0.11112' });
  });

  it('without usable filters it still sends 8-decimal values; without a price it says why', () => {
    expect(plan('97000', [])).toMatchObject({ price: '77600', quantity: '0.00000001' });
    expect(planBinanceTestOrder('BTCUSDT', BTC_FILTERS, undefined)).toMatchObject({ ok: false });
    expect(planBinanceTestOrder('BTCUSDT', BTC_FILTERS, '0')).toMatchObject({ ok: false });
  });

  it('refuses when no price fits (a band narrower than a tick)', () => {
    const narrow = BTC_FILTERS.map((f) =>
      f.filterType === 'PERCENT_PRICE_BY_SIDE'
        ? { ...f, bidMultiplierDown: '0.9999', bidMultiplierUp: '0.99991' }
        : f,
    );
    expect(planBinanceTestOrder('BTCUSDT', narrow, '1')).toMatchObject({ ok: false });
  });
});

describe('binanceFilterFailure', () => {
  it("names the filter from ccxt's wording, with or without the body", () => {
    expect(
      binanceFilterFailure(new Error('binance Filter failure: PERCENT_PRICE_BY_SIDE'), undefined),
    ).toBe('PERCENT_PRICE_BY_SIDE');
    expect(
      binanceFilterFailure(
        new Error('binance {"code":-1013,"msg":"Filter failure: NOTIONAL"}'),
        '-1013',
      ),
    ).toBe('NOTIONAL');
    expect(binanceFilterFailure(new Error('binance Market is closed.'), '-1013')).toBe(
      'an order filter',
    );
  });

  it('is null for anything else (a refused key is not a filter failure)', () => {
    expect(
      binanceFilterFailure(
        new Error('binance {"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}'),
        '-2015',
      ),
    ).toBeNull();
    expect(binanceFilterFailure('Filter failure: LOT_SIZE', undefined)).toBeNull(); // not an Error
  });
});
