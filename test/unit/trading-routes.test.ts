/**
 * Routes as tables: what signals.subscribe accepts (and the words it refuses with), and which route
 * a signal's strategy, symbol and market pick.
 */
import {
  marketOf,
  matchRoutes,
  parseRoutes,
  type Route,
} from '../../src/native-host/service/trading/risk.js';

const r = (extra: Record<string, unknown> = {}) => ({
  strategy: 's',
  connectionId: 'c_1',
  maxOrderQuote: '100',
  ...extra,
});

describe('parseRoutes accepts', () => {
  it.each([
    ['the minimum', r(), r()],
    [
      'every spot limit',
      r({
        maxDailyQuote: '500',
        maxOrdersPerMinute: 3,
        priceBandPct: 2.5,
        sizeMultiplier: '0.5',
        symbols: ['BTC/USDT'],
      }),
      r({
        maxDailyQuote: '500',
        maxOrdersPerMinute: 3,
        priceBandPct: 2.5,
        sizeMultiplier: '0.5',
        symbols: ['BTC/USDT'],
      }),
    ],
    [
      'markets spot (the default, said out loud)',
      r({ markets: ['spot', 'spot'] }),
      r({ markets: ['spot'] }),
    ],
    [
      'a swap route with its caps',
      r({ markets: ['swap'], maxLeverage: 3, maxPositionQuote: '300' }),
      r({ markets: ['swap'], maxLeverage: 3, maxPositionQuote: '300' }),
    ],
    [
      'spot and swap together',
      r({ markets: ['spot', 'swap', 'swap'] }),
      r({ markets: ['spot', 'swap'] }),
    ],
    [
      'maxLeverage and maxPositionQuote',
      r({ maxLeverage: 3, maxPositionQuote: '300' }),
      r({ maxLeverage: 3, maxPositionQuote: '300' }),
    ],
  ])('%s', (_n, input, want) => {
    expect(parseRoutes([input])).toEqual([want]);
  });
});

describe('parseRoutes refuses, naming the field', () => {
  it.each([
    ['no routes', [], 'routes must be a non-empty list'],
    [
      'no maxOrderQuote',
      [{ strategy: 's', connectionId: 'c' }],
      'routes[0].maxOrderQuote is required',
    ],
    [
      'a negative cap',
      [r({ maxOrderQuote: '-1' })],
      'routes[0].maxOrderQuote must be a positive decimal string',
    ],
    [
      'a cap as a number',
      [r({ maxDailyQuote: 500 })],
      'routes[0].maxDailyQuote must be a positive decimal string',
    ],
    [
      'a band with no exact form',
      [r({ priceBandPct: 1e-13 })],
      'routes[0].priceBandPct must be a positive number',
    ],
    [
      'an empty markets list',
      [r({ markets: [] })],
      'routes[0].markets must be a non-empty list of "spot" and "swap"',
    ],
    [
      'an unknown market',
      [r({ markets: ['margin'] })],
      'routes[0].markets must be a non-empty list',
    ],
    [
      'leverage 0',
      [r({ maxLeverage: 0 })],
      'routes[0].maxLeverage must be a whole number from 1 to 125',
    ],
    ['leverage 2.5', [r({ maxLeverage: 2.5 })], 'routes[0].maxLeverage must be a whole number'],
    ['leverage 200', [r({ maxLeverage: 200 })], 'routes[0].maxLeverage must be a whole number'],
    [
      'a position cap of zero',
      [r({ maxPositionQuote: '0' })],
      'routes[0].maxPositionQuote must be a positive decimal string',
    ],
  ])('%s', (_n, input, message) => {
    expect(() => parseRoutes(input)).toThrow(message);
  });
});

describe('matchRoutes', () => {
  const routes: Route[] = [
    { strategy: 's', connectionId: 'c_1', maxOrderQuote: '100', symbols: ['BTC/USDT'] },
    { strategy: 's', connectionId: 'c_2', maxOrderQuote: '100' },
    { strategy: 'perp', connectionId: 'c_3', maxOrderQuote: '100', markets: ['swap'] },
  ];
  const ids = (x: ReturnType<typeof matchRoutes>) =>
    'reason' in x ? x.reason : x.map((route) => route.connectionId);
  it.each([
    ['both routes of a strategy for a listed symbol', 's', 'BTC/USDT', ['c_1', 'c_2']],
    ['only the unrestricted one for another symbol', 's', 'ETH/USDT', ['c_2']],
    ['a strategy with no route', 'other', 'BTC/USDT', 'no-route'],
    ['a swap on spot routes', 's', 'BTC/USDT:USDT', 'market-not-allowed'],
    ['a swap on a swap route', 'perp', 'BTC/USDT:USDT', ['c_3']],
    ['spot on a swap-only route', 'perp', 'BTC/USDT', 'market-not-allowed'],
    ['a dated future, which no route trades', 'perp', 'BTC/USDT:USDT-261225', 'market-not-allowed'],
  ] as const)('%s', (_n, strategy, symbol, want) => {
    expect(ids(matchRoutes(routes, strategy, symbol))).toEqual(want);
  });

  it.each([
    ['BTC/USDT', 'spot'],
    ['BTC/USDT:USDT', 'swap'],
    ['BTC/USD:BTC', 'swap'],
    ['BTC/USDT:USDT-261225', 'dated'],
    ['BTC/USD:BTC-261225-100000-C', 'dated'],
  ] as const)('marketOf(%s) is %s', (symbol, market) => {
    expect(marketOf(symbol)).toBe(market);
  });
});
