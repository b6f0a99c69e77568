/**
 * The money rules for perpetual swaps as tables: contracts from every size kind (OKX's 0.01 BTC
 * contracts and base-unit contracts), leverage and position caps, reduce-only against the position,
 * stop-loss / take-profit sides and rounding, and what does not apply to a reduce-only order.
 */
import { dec, fmt } from '../../src/lib/decimal.js';
import {
  planSwapOrder,
  type SwapMarketRules,
  type SwapPlanInput,
} from '../../src/native-host/service/trading/swap-plan.js';
import type { Route } from '../../src/native-host/service/trading/risk.js';

/** Binance USDⓈ-M / Bybit linear BTCUSDT: amounts in BTC (contractSize 1). */
const LINEAR: SwapMarketRules = {
  contractSize: dec('1'),
  amountStep: dec('0.001'),
  priceTick: dec('0.1'),
  minAmount: dec('0.001'),
  minCost: dec('5'),
};
/** OKX BTC-USDT-SWAP: ctVal 0.01 BTC, lot size 0.01 contracts (ccxt: contractSize 0.01, amount in contracts). */
const OKX: SwapMarketRules = {
  contractSize: dec('0.01'),
  amountStep: dec('0.01'),
  priceTick: dec('0.1'),
  minAmount: dec('0.01'),
};
const route = (extra: Partial<Route> = {}): Route => ({
  strategy: 's',
  connectionId: 'c_1',
  maxOrderQuote: '10000',
  markets: ['swap'],
  maxLeverage: 5,
  ...extra,
});
type Sig = SwapPlanInput['signal'];
const buy = (extra: Partial<Sig> = {}): Sig => ({
  side: 'buy',
  type: 'market',
  size: { base: '0.01' },
  ...extra,
});
const sell = (extra: Partial<Sig> = {}): Sig => ({
  side: 'sell',
  type: 'market',
  size: { base: '0.01' },
  ...extra,
});

function plan(signal: Sig, extra: Partial<SwapPlanInput> = {}) {
  const r = planSwapOrder({
    signal,
    route: route(),
    rules: LINEAR,
    marketPrice: dec('100000'),
    position: null,
    todayWorths: [],
    lastMinuteCount: 0,
    ...extra,
  });
  return 'reason' in r
    ? r.reason
    : {
        contracts: fmt(r.contracts),
        worth: fmt(r.worth),
        after: fmt(r.positionWorthAfter),
        ...(r.price !== undefined ? { price: fmt(r.price) } : {}),
        ...(r.stopLoss !== undefined ? { stopLoss: fmt(r.stopLoss) } : {}),
        ...(r.takeProfit !== undefined ? { takeProfit: fmt(r.takeProfit) } : {}),
        ...(r.reduceOnly ? { reduceOnly: true } : {}),
      };
}
const long = (contracts: string) => ({
  position: { side: 'long' as const, contracts: dec(contracts) },
});
const short = (contracts: string) => ({
  position: { side: 'short' as const, contracts: dec(contracts) },
});

describe('contracts from each size kind', () => {
  it.each([
    ['base 0.01 BTC, linear', buy(), {}, { contracts: '0.01', worth: '1000', after: '1000' }],
    [
      'base 0.01 BTC on OKX = 1 contract of 0.01',
      buy(),
      { rules: OKX },
      { contracts: '1', worth: '1000', after: '1000' },
    ],
    [
      'base 0.0155 on OKX: 1.55 contracts (lot 0.01)',
      buy({ size: { base: '0.0155' } }),
      { rules: OKX },
      { contracts: '1.55', worth: '1550', after: '1550' },
    ],
    [
      'quote 1000 at 100000, linear',
      buy({ size: { quote: '1000' } }),
      {},
      { contracts: '0.01', worth: '1000', after: '1000' },
    ],
    [
      'quote 1000 on OKX: 1 contract',
      buy({ size: { quote: '1000' } }),
      { rules: OKX },
      { contracts: '1', worth: '1000', after: '1000' },
    ],
    [
      'quote 999 rounds down, never up',
      buy({ size: { quote: '999' } }),
      {},
      { contracts: '0.009', worth: '900', after: '900' },
    ],
    [
      'balancePct 10 of 5000 margin at leverage 3: 1500 notional',
      buy({ size: { balancePct: '10' }, leverage: '3' }),
      { freeMargin: dec('5000') },
      { contracts: '0.015', worth: '1500', after: '1500' },
    ],
    [
      'balancePct on OKX contracts',
      buy({ size: { balancePct: '10' }, leverage: '2' }),
      { rules: OKX, freeMargin: dec('5000') },
      { contracts: '1', worth: '1000', after: '1000' },
    ],
    [
      'a limit above the market is worth its limit',
      buy({ type: 'limit', price: '102000', size: { quote: '1020' } }),
      {},
      { contracts: '0.01', worth: '1020', after: '1020', price: '102000' },
    ],
    ['a sell opens a short', sell(), {}, { contracts: '0.01', worth: '1000', after: '1000' }],
  ] as const)('%s', (_n, signal, extra, want) => {
    expect(plan(signal, extra as Partial<SwapPlanInput>)).toEqual(want);
  });

  it('balancePct without a readable margin is refused', () => {
    expect(plan(buy({ size: { balancePct: '10' } }))).toBe('insufficient-balance');
  });
});

describe('caps: market, leverage, order, position', () => {
  it.each([
    ['a spot-only route', buy(), { route: route({ markets: ['spot'] }) }, 'market-not-allowed'],
    [
      'a route with no markets (spot by default)',
      buy(),
      { route: { strategy: 's', connectionId: 'c', maxOrderQuote: '1e9' } as Route },
      'market-not-allowed',
    ],
    ['leverage 6 over a cap of 5', buy({ leverage: '6' }), {}, 'over-leverage'],
    [
      'leverage 2 with no maxLeverage (default 1)',
      buy({ leverage: '2' }),
      { route: route({ maxLeverage: undefined } as unknown as Partial<Route>) },
      'over-leverage',
    ],
    [
      'an order worth 10001 over a cap of 10000',
      buy({ size: { quote: '10001' } }),
      { rules: { ...LINEAR, amountStep: dec('0.00001') } },
      'over-max-order',
    ],
    [
      'adding to a long past maxPositionQuote',
      buy({ size: { base: '0.05' } }),
      { route: route({ maxPositionQuote: '8000' }), ...long('0.04') },
      'over-max-position',
    ],
    [
      'no maxPositionQuote: the position is capped at maxOrderQuote',
      buy({ size: { base: '0.05' } }),
      long('0.06'),
      'over-max-position',
    ],
    [
      'a short past the position cap',
      sell({ size: { base: '0.05' } }),
      { route: route({ maxPositionQuote: '8000' }), ...short('0.04') },
      'over-max-position',
    ],
    [
      'the daily cap counts opening orders',
      buy({ size: { base: '0.05' } }),
      { route: route({ maxDailyQuote: '12000' }), todayWorths: ['8000'] },
      'over-daily-limit',
    ],
    [
      'the pace',
      buy(),
      { route: route({ maxOrdersPerMinute: 2 }), lastMinuteCount: 2 },
      'rate-limit',
    ],
    ['no price', buy(), { marketPrice: undefined }, 'no-price'],
    ['below the minimum amount', buy({ size: { base: '0.0009' } }), {}, 'too-small'],
    [
      'below the minimum notional',
      buy({ size: { base: '0.001' } }),
      { marketPrice: dec('1000') },
      'too-small',
    ],
    [
      'a limit 6% away (default band 5%)',
      buy({ type: 'limit', price: '106000' }),
      {},
      'price-band',
    ],
  ] as const)('%s', (_n, signal, extra, reason) => {
    expect(plan(signal, extra as Partial<SwapPlanInput>)).toBe(reason);
  });

  it('flipping a long into a short counts the position after, not the order', () => {
    // Long 0.05, sell 0.08: short 0.03 after (3000), under the 5000 cap although the order is 8000.
    expect(
      plan(sell({ size: { base: '0.08' } }), {
        route: route({ maxPositionQuote: '5000' }),
        ...long('0.05'),
      }),
    ).toEqual({
      contracts: '0.08',
      worth: '8000',
      after: '3000',
    });
  });
});

describe('reduce-only', () => {
  it.each([
    [
      'closes 50% of a long',
      sell({ reduceOnly: true, size: { positionPct: '50' } }),
      long('0.03'),
      { contracts: '0.015', worth: '1500', after: '1500', reduceOnly: true },
    ],
    [
      'closes 100% of a short',
      buy({ reduceOnly: true, size: { positionPct: '100' } }),
      short('0.03'),
      { contracts: '0.03', worth: '3000', after: '0', reduceOnly: true },
    ],
    [
      '50% of an odd OKX position rounds down to the lot',
      sell({ reduceOnly: true, size: { positionPct: '50' } }),
      { rules: OKX, ...long('3.33') },
      { contracts: '1.66', worth: '1660', after: '1670', reduceOnly: true },
    ],
    [
      'a base size larger than the position is cut to it',
      sell({ reduceOnly: true, size: { base: '1' } }),
      long('0.02'),
      { contracts: '0.02', worth: '2000', after: '0', reduceOnly: true },
    ],
    [
      'not stopped by the order cap: a cap must not trap a position',
      sell({ reduceOnly: true, size: { positionPct: '100' } }),
      { route: route({ maxOrderQuote: '100', maxDailyQuote: '100' }), ...long('0.5') },
      { contracts: '0.5', worth: '50000', after: '0', reduceOnly: true },
    ],
  ] as const)('%s', (_n, signal, extra, want) => {
    expect(plan(signal, extra as Partial<SwapPlanInput>)).toEqual(want);
  });

  it.each([
    ['no position', sell({ reduceOnly: true, size: { positionPct: '50' } }), {}, 'no-position'],
    ['a sell against a short', sell({ reduceOnly: true }), short('0.03'), 'no-position'],
    ['a buy against a long', buy({ reduceOnly: true }), long('0.03'), 'no-position'],
    [
      'with a stop-loss',
      sell({ reduceOnly: true, stopLoss: { triggerPrice: '101000' } }),
      long('0.03'),
      'bad-trigger',
    ],
    [
      'still paced',
      sell({ reduceOnly: true }),
      { route: route({ maxOrdersPerMinute: 1 }), lastMinuteCount: 1, ...long('0.03') },
      'rate-limit',
    ],
    [
      'still inside the band',
      sell({ reduceOnly: true, type: 'limit', price: '80000' }),
      long('0.03'),
      'price-band',
    ],
  ] as const)('refused: %s', (_n, signal, extra, reason) => {
    expect(plan(signal, extra as Partial<SwapPlanInput>)).toBe(reason);
  });
});

describe('stop-loss and take-profit', () => {
  it.each([
    [
      'long: SL below, TP above',
      buy({ stopLoss: { triggerPrice: '95000' }, takeProfit: { triggerPrice: '110000' } }),
      { stopLoss: '95000', takeProfit: '110000' },
    ],
    [
      'short: SL above, TP below',
      sell({ stopLoss: { triggerPrice: '105000' }, takeProfit: { triggerPrice: '90000' } }),
      { stopLoss: '105000', takeProfit: '90000' },
    ],
    // Rounded to the 0.1 tick toward the entry: a long's stop up, its take-profit down.
    [
      'long: rounded toward the entry',
      buy({ stopLoss: { triggerPrice: '95000.01' }, takeProfit: { triggerPrice: '110000.09' } }),
      { stopLoss: '95000.1', takeProfit: '110000' },
    ],
    [
      'short: rounded toward the entry',
      sell({ stopLoss: { triggerPrice: '105000.09' }, takeProfit: { triggerPrice: '90000.01' } }),
      { stopLoss: '105000', takeProfit: '90000.1' },
    ],
  ] as const)('%s', (_n, signal, want) => {
    const r = plan(signal);
    expect(r).toMatchObject(want);
  });

  it.each([
    ['a long stop above the market', buy({ stopLoss: { triggerPrice: '101000' } })],
    ['a long take-profit below the market', buy({ takeProfit: { triggerPrice: '99000' } })],
    ['a short stop below the market', sell({ stopLoss: { triggerPrice: '99000' } })],
    ['a short take-profit above the market', sell({ takeProfit: { triggerPrice: '101000' } })],
    ['a long stop at the market exactly', buy({ stopLoss: { triggerPrice: '100000' } })],
    [
      'a long stop within a tick of the market (rounds onto it)',
      buy({ stopLoss: { triggerPrice: '99999.95' } }),
    ],
    // A limit buy below the market: the stop must be below the entry too, not only the market.
    [
      'a long stop between the limit entry and the market',
      buy({ type: 'limit', price: '98000', stopLoss: { triggerPrice: '99000' } }),
    ],
    [
      'a long take-profit between the market and a limit entry above it',
      buy({
        type: 'limit',
        price: '102000',
        size: { quote: '1020' },
        takeProfit: { triggerPrice: '101000' },
      }),
    ],
  ] as const)('refused: %s', (_n, signal) => {
    expect(plan(signal)).toBe('bad-trigger');
  });

  it('a trigger with more decimals than can be traded exactly is refused', () => {
    expect(plan(buy({ stopLoss: { triggerPrice: '95000.0000000000001' } }))).toBe('bad-price');
  });
});
