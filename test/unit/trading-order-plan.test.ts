/**
 * The pure money rules, as tables: what an order is worth, the caps, the price band (default 5%),
 * exact decimals, tick and step rounding, reduceOnly on spot.
 */
import { dec, fmt, type Dec } from '../../src/lib/decimal.js';
import { planOrder, type PlanInput } from '../../src/native-host/service/trading/order-plan.js';
import type { Route } from '../../src/native-host/service/trading/risk.js';
import type { MarketRules } from '../../src/native-host/service/trading/sizing.js';

const BTC: MarketRules = {
  amountStep: dec('0.00001'),
  priceTick: dec('0.01'),
  minAmount: dec('0.00001'),
  minCost: dec('5'),
};
const route = (extra: Partial<Route> = {}): Route => ({
  strategy: 's',
  connectionId: 'c_1',
  maxOrderQuote: '100',
  ...extra,
});

function plan(
  signal: PlanInput['signal'],
  extra: Partial<PlanInput> = {},
): ReturnType<typeof planOrder> {
  return planOrder({
    signal,
    route: route(),
    rules: BTC,
    marketPrice: dec('97000'),
    todayWorths: [],
    lastMinuteCount: 0,
    ...extra,
  });
}

const shown = (r: ReturnType<typeof planOrder>) =>
  'reason' in r
    ? r.reason
    : { amount: fmt(r.amount), worth: fmt(r.worth), price: r.price && fmt(r.price) };

describe('the issue’s reproductions are refused', () => {
  it.each([
    // Caps valued at the limit price let these through before.
    [
      'sell 0.005 BTC limit @ 19500 (97.5 at its limit, 485 at the market)',
      'sell',
      '0.005',
      '19500',
      'price-band',
    ],
    ['sell 10 BTC limit @ 1', 'sell', '10', '1', 'price-band'],
    // Without a band on the route, a limit buy 4× above the market executed.
    ['buy 0.0001 BTC limit @ 388000 (no priceBandPct)', 'buy', '0.0001', '388000', 'price-band'],
  ] as const)('%s', (_name, side, base, price, reason) => {
    expect(shown(plan({ side, type: 'limit', size: { base }, price }))).toBe(reason);
  });

  it('a wide band does not make a below-market sell cheap: it is worth its market value', () => {
    const r = plan(
      { side: 'sell', type: 'limit', size: { base: '0.005' }, price: '19500' },
      { route: route({ priceBandPct: 90 }) },
    );
    expect(shown(r)).toBe('over-max-order'); // 0.005 × 97,000 = 485 > 100
  });
});

describe('worth = amount × max(limit price, market price); every cap compares it', () => {
  it.each<[string, PlanInput['signal'], Partial<PlanInput>, unknown]>([
    [
      'market buy by quote',
      { side: 'buy', type: 'market', size: { quote: '50' } },
      {},
      { amount: '0.00051', worth: '49.47', price: undefined },
    ],
    [
      'market sell by base',
      { side: 'sell', type: 'market', size: { base: '0.001' } },
      {},
      { amount: '0.001', worth: '97', price: undefined },
    ],
    [
      'limit buy below market, valued at market',
      { side: 'buy', type: 'limit', size: { base: '0.001' }, price: '95000' },
      {},
      { amount: '0.001', worth: '97', price: '95000' },
    ],
    [
      'limit sell above market, valued at its limit',
      { side: 'sell', type: 'limit', size: { base: '0.001' }, price: '99000' },
      {},
      { amount: '0.001', worth: '99', price: '99000' },
    ],
    [
      'quote size converts at the worth price (never worth more than asked)',
      { side: 'sell', type: 'limit', size: { quote: '99' }, price: '99000' },
      {},
      { amount: '0.001', worth: '99', price: '99000' },
    ],
    [
      'exactly at the cap passes',
      { side: 'sell', type: 'market', size: { base: '0.001' } },
      { route: route({ maxOrderQuote: '97' }) },
      { amount: '0.001', worth: '97', price: undefined },
    ],
    [
      'one unit over the cap is refused',
      { side: 'sell', type: 'market', size: { base: '0.001' } },
      { route: route({ maxOrderQuote: '96.99' }) },
      'over-max-order',
    ],
    [
      'the daily total counts today’s worths',
      { side: 'buy', type: 'market', size: { base: '0.001' } },
      { route: route({ maxDailyQuote: '200' }), todayWorths: ['60', '50'] },
      'over-daily-limit',
    ],
    [
      'the daily total allows the last fitting order',
      { side: 'buy', type: 'market', size: { base: '0.001' } },
      { route: route({ maxDailyQuote: '200' }), todayWorths: ['60', '43'] },
      { amount: '0.001', worth: '97', price: undefined },
    ],
    [
      'orders per minute',
      { side: 'buy', type: 'market', size: { base: '0.0001' } },
      { route: route({ maxOrdersPerMinute: 2 }), lastMinuteCount: 2 },
      'rate-limit',
    ],
    [
      'sizeMultiplier scales before the cap',
      { side: 'buy', type: 'market', size: { base: '0.001' } },
      { route: route({ sizeMultiplier: '2' }) },
      'over-max-order',
    ],
    [
      'balancePct buy converts the free quote at the market',
      { side: 'buy', type: 'market', size: { balancePct: '1' } },
      { freeQuote: dec('5000') },
      { amount: '0.00051', worth: '49.47', price: undefined },
    ],
    [
      'balancePct sell takes a share of the free base',
      { side: 'sell', type: 'market', size: { balancePct: '50' } },
      { freeBase: dec('0.002') },
      { amount: '0.001', worth: '97', price: undefined },
    ],
    [
      'balancePct without a readable balance',
      { side: 'sell', type: 'market', size: { balancePct: '50' } },
      {},
      'insufficient-balance',
    ],
    [
      'below the market’s minimum notional',
      { side: 'buy', type: 'market', size: { base: '0.00001' } },
      {},
      'too-small',
    ],
    [
      'rounded down to nothing by the step',
      { side: 'buy', type: 'market', size: { base: '0.000001' } },
      {},
      'too-small',
    ],
    [
      'no market price',
      { side: 'buy', type: 'market', size: { quote: '50' } },
      { marketPrice: undefined },
      'no-price',
    ],
    [
      'a zero market price',
      { side: 'buy', type: 'limit', size: { quote: '50' }, price: '97000' },
      { marketPrice: 0n },
      'no-price',
    ],
  ])('%s', (_name, signal, extra, expected) => {
    expect(shown(plan(signal, extra))).toEqual(expected);
  });
});

describe('price band: default 5%, both sides, on the price actually sent', () => {
  it.each<[string, 'buy' | 'sell', string, number | undefined, unknown]>([
    ['buy 5% above passes', 'buy', '101850', undefined, '101850'],
    ['buy just over 5% above', 'buy', '101850.01', undefined, 'price-band'],
    ['buy 5% below passes', 'buy', '92150', undefined, '92150'],
    ['buy just under 5% below', 'buy', '92149.99', undefined, 'price-band'],
    ['sell 5% above passes', 'sell', '101850', undefined, '101850'],
    ['sell just over 5% above', 'sell', '101850.01', undefined, 'price-band'],
    ['sell 5% below passes', 'sell', '92150', undefined, '92150'],
    ['sell just under 5% below', 'sell', '92149.99', undefined, 'price-band'],
    ['a route band of 1%', 'buy', '98000', 1, 'price-band'],
    ['a route band of 1.5%', 'buy', '98455', 1.5, '98455'],
    // Rounded to the tick first: a buy rounds down, a sell up — never more aggressive.
    ['buy 101850.009 rounds down to 101850 and passes', 'buy', '101850.009', undefined, '101850'],
    ['sell 92149.991 rounds up to 92150 and passes', 'sell', '92149.991', undefined, '92150'],
  ])('%s', (_name, side, price, band, expected) => {
    const r = plan(
      { side, type: 'limit', size: { base: '0.0001' }, price },
      { route: route(band === undefined ? {} : { priceBandPct: band }) },
    );
    expect('reason' in r ? r.reason : fmt(r.price as Dec)).toBe(expected);
  });
});

describe('exact decimals', () => {
  it.each<[string, PlanInput['signal'], string]>([
    [
      'a price with 13 decimals',
      { side: 'buy', type: 'limit', size: { base: '0.001' }, price: '97000.0000000000001' },
      'bad-price',
    ],
    [
      'a price below one tick (buy rounds to 0)',
      { side: 'buy', type: 'limit', size: { base: '0.001' }, price: '0.001' },
      'bad-price',
    ],
    [
      'a size with 13 decimals',
      { side: 'buy', type: 'market', size: { base: '0.0010000000001' } },
      'bad-size',
    ],
    [
      'a quote size with 18 decimals',
      { side: 'buy', type: 'market', size: { quote: '50.000000000000000001' } },
      'bad-size',
    ],
  ])('%s is refused', (_name, signal, reason) => {
    expect(shown(plan(signal))).toBe(reason);
  });

  it('an amount that would not survive the trip through a JavaScript number is refused', () => {
    const r = plan(
      { side: 'buy', type: 'market', size: { base: '1234567.123456789' } },
      {
        rules: { amountStep: dec('0.000000001') },
        marketPrice: dec('0.0001'),
        route: route({ maxOrderQuote: '1000000' }),
      },
    );
    expect(shown(r)).toBe('bad-size'); // 16 significant digits
  });

  it('tick rounding happens on markets with coarse ticks (OKX BTC-USDT: 0.1)', () => {
    const r = plan(
      { side: 'sell', type: 'limit', size: { base: '0.001' }, price: '97000.01' },
      { rules: { ...BTC, priceTick: dec('0.1') } },
    );
    expect(shown(r)).toEqual({ amount: '0.001', worth: '97.0001', price: '97000.1' });
  });
});

it('reduceOnly is refused on spot, whatever else the signal says', () => {
  expect(
    shown(plan({ side: 'sell', type: 'market', size: { base: '0.001' }, reduceOnly: true })),
  ).toBe('reduce-only');
  expect(
    shown(plan({ side: 'sell', type: 'market', size: { base: '0.001' }, reduceOnly: false })),
  ).toEqual({ amount: '0.001', worth: '97', price: undefined });
});

describe('v2 fields mean nothing on spot: refused, never dropped', () => {
  it.each([
    ['leverage', { leverage: '2' }],
    ['marginMode', { marginMode: 'cross' as const }],
    ['a stop-loss', { stopLoss: { triggerPrice: '90000' } }],
    ['a take-profit', { takeProfit: { triggerPrice: '99000' } }],
  ])('%s', (_name, extra) => {
    expect(shown(plan({ side: 'buy', type: 'market', size: { base: '0.001' }, ...extra }))).toBe(
      'not-for-spot',
    );
  });

  it('positionPct (with reduceOnly) is refused as reduce-only', () => {
    expect(
      shown(plan({ side: 'sell', type: 'market', size: { positionPct: '50' }, reduceOnly: true })),
    ).toBe('reduce-only');
  });
});
