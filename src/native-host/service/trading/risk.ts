/**
 * The user's limits on what a signal may do, as pure functions: which route (strategy →
 * connection) applies, and whether a sized order stays inside that route's limits. Every refusal
 * carries a stable reason and words that say what happened.
 */
import { dec, parseDec, type Dec } from '../../../lib/decimal.js';
import type { Route, RouteMarket } from '../../../protocol/trading.js';
import { MAX_SIGNAL_LEVERAGE } from '../../../signals/signal-v2.js';

/** docs/protocol.md `Route` (src/protocol/trading.ts). */
export type { Route };

/** docs/protocol.md §3: a route that sets no priceBandPct gets this band. */
export const DEFAULT_PRICE_BAND_PCT = 5;

export type RejectReason =
  | 'bad-signature'
  | 'malformed'
  | 'unknown-field'
  | 'expired'
  | 'future'
  | 'duplicate'
  | 'paused'
  | 'no-route'
  | 'symbol-not-allowed'
  | 'connection-missing'
  | 'connection-paused'
  | 'audit-blocked'
  | 'vault-locked'
  | 'over-max-order'
  | 'over-daily-limit'
  | 'rate-limit'
  | 'price-band'
  | 'bad-price'
  | 'bad-size'
  | 'reduce-only'
  | 'too-small'
  | 'no-price'
  | 'insufficient-balance'
  | 'exchange-refused'
  | 'not-placed'
  /** Sent, and the exchange could not be reached to confirm it: the order may exist. */
  | 'unconfirmed'
  /** A swap signal on a route whose `markets` lacks "swap" (the default is spot only). */
  | 'market-not-allowed'
  /** Leverage above the route's maxLeverage (default 1). */
  | 'over-leverage'
  /** The position would be worth more than the route's maxPositionQuote after the order. */
  | 'over-max-position'
  /** A reduce-only order with no position on its side to reduce. */
  | 'no-position'
  /** A stop-loss or take-profit on the wrong side of the price, or not where it can protect. */
  | 'bad-trigger'
  /** Leverage, margin mode, stop-loss or take-profit on a spot symbol. */
  | 'not-for-spot';

export interface Rejection {
  reason: RejectReason;
  message: string;
}

export const reject = (reason: RejectReason, message: string): Rejection => ({ reason, message });

/** Parse and check routes given to signals.subscribe; throws a message naming the problem. */
export function parseRoutes(value: unknown): Route[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new Error('routes must be a non-empty list');
  return value.map((r, i) => {
    if (typeof r !== 'object' || r === null) throw new Error(`routes[${i}] must be an object`);
    const o = r as Record<string, unknown>;
    const str = (k: string): string => {
      if (
        typeof o[k] !== 'string' ||
        (o[k] as string).length === 0 ||
        (o[k] as string).length > 64
      ) {
        throw new Error(`routes[${i}].${k} must be a non-empty string`);
      }
      return o[k] as string;
    };
    const positive = (k: string): string | undefined => {
      if (o[k] === undefined) return undefined;
      const d = typeof o[k] === 'string' ? parseDec(o[k] as string) : undefined;
      if (d === undefined || d <= 0n)
        throw new Error(`routes[${i}].${k} must be a positive decimal string`);
      return o[k] as string;
    };
    const route: Route = {
      strategy: str('strategy'),
      connectionId: str('connectionId'),
      maxOrderQuote: positive('maxOrderQuote') ?? '',
    };
    if (!route.maxOrderQuote)
      throw new Error(
        `routes[${i}].maxOrderQuote is required: the most one order may spend, in quote currency`,
      );
    const daily = positive('maxDailyQuote');
    if (daily) route.maxDailyQuote = daily;
    const mult = positive('sizeMultiplier');
    if (mult) route.sizeMultiplier = mult;
    const maxPosition = positive('maxPositionQuote');
    if (maxPosition) route.maxPositionQuote = maxPosition;
    if (o.markets !== undefined) route.markets = parseMarkets(o.markets, i);
    if (o.maxLeverage !== undefined) {
      if (
        typeof o.maxLeverage !== 'number' ||
        !Number.isInteger(o.maxLeverage) ||
        o.maxLeverage < 1 ||
        o.maxLeverage > MAX_SIGNAL_LEVERAGE
      )
        throw new Error(
          `routes[${i}].maxLeverage must be a whole number from 1 to ${MAX_SIGNAL_LEVERAGE}`,
        );
      route.maxLeverage = o.maxLeverage;
    }
    if (o.symbols !== undefined) {
      if (
        !Array.isArray(o.symbols) ||
        !o.symbols.every((s) => typeof s === 'string' && s.length > 0 && s.length < 40)
      ) {
        throw new Error(`routes[${i}].symbols must be a list of symbols such as "BTC/USDT"`);
      }
      route.symbols = o.symbols as string[];
    }
    for (const k of ['maxOrdersPerMinute', 'priceBandPct'] as const) {
      if (o[k] === undefined) continue;
      // The band is compared as an exact decimal: a number like 1e-7 or 0.1234567890123 has no
      // exact form here and would make every limit order fail to price.
      if (
        typeof o[k] !== 'number' ||
        !Number.isFinite(o[k]) ||
        (o[k] as number) <= 0 ||
        (k === 'priceBandPct' && parseDec(o[k] as number) === undefined)
      )
        throw new Error(`routes[${i}].${k} must be a positive number`);
      route[k] = o[k] as number;
    }
    return route;
  });
}

/**
 * A route's markets: a non-empty list of "spot" and "swap" (linear perpetuals, placed by
 * swap-executor.ts under the route's maxLeverage and maxPositionQuote).
 */
function parseMarkets(value: unknown, i: number): RouteMarket[] {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((m): m is RouteMarket => m === 'spot' || m === 'swap')
  )
    throw new Error(`routes[${i}].markets must be a non-empty list of "spot" and "swap"`);
  return [...new Set(value)];
}

/** Routes of a subscription that apply to this strategy and symbol, or why none does. */
export function matchRoutes(
  routes: readonly Route[],
  strategy: string,
  symbol: string,
): Route[] | Rejection {
  const forStrategy = routes.filter((r) => r.strategy === strategy);
  if (forStrategy.length === 0)
    return reject(
      'no-route',
      `no route for strategy "${strategy}"; add one to the subscription to trade it`,
    );
  const allowed = forStrategy.filter((r) => !r.symbols || r.symbols.includes(symbol));
  if (allowed.length === 0)
    return reject(
      'symbol-not-allowed',
      `${symbol} is not in the symbol list of the route for "${strategy}"`,
    );
  const market = marketOf(symbol);
  const inMarket = allowed.filter(
    (r) => market !== 'dated' && (r.markets ?? ['spot']).includes(market),
  );
  if (inMarket.length === 0)
    return reject(
      'market-not-allowed',
      `${symbol} is ${MARKET_WORDS[market]}; the route for "${strategy}" trades ${(allowed[0]?.markets ?? ['spot']).join(' and ')} only`,
    );
  return inMarket;
}

/**
 * ccxt's unified symbols: BASE/QUOTE is spot, BASE/QUOTE:SETTLE a perpetual swap, and
 * BASE/QUOTE:SETTLE-YYMMDD(-STRIKE-C|P) a dated future or option, which no route trades.
 */
export function marketOf(symbol: string): RouteMarket | 'dated' {
  if (!symbol.includes(':')) return 'spot';
  return symbol.slice(symbol.indexOf(':')).includes('-') ? 'dated' : 'swap';
}

const MARKET_WORDS: Record<RouteMarket | 'dated', string> = {
  spot: 'a spot market',
  swap: 'a perpetual swap',
  dated: 'a dated future or option, which no route trades',
};

export interface LimitInput {
  route: Route;
  /** The order's worth in quote currency: amount × max(limit price, market price). */
  worth: Dec;
  /** Worths of the route's orders today (UTC), failed ones excluded. */
  todayWorths: readonly string[];
  /** Orders of this route in the last 60 s. */
  lastMinuteCount: number;
}

/** The route's caps on one order, on the day and on the pace. Pure. */
export function checkLimits(i: LimitInput): Rejection | null {
  if (i.worth > dec(i.route.maxOrderQuote)) {
    return reject(
      'over-max-order',
      `the order is worth more than the route's maximum of ${i.route.maxOrderQuote} per order (valued at the higher of its limit price and the market price)`,
    );
  }
  if (i.route.maxDailyQuote) {
    const spent = i.todayWorths.reduce((sum, q) => sum + (parseDec(q) ?? 0n), 0n);
    if (spent + i.worth > dec(i.route.maxDailyQuote)) {
      return reject(
        'over-daily-limit',
        `today's orders would exceed the route's daily maximum of ${i.route.maxDailyQuote}`,
      );
    }
  }
  return checkPace(i.route, i.lastMinuteCount);
}

/** The route's pace: at most maxOrdersPerMinute orders in the last 60 s. Pure. */
export function checkPace(route: Route, lastMinuteCount: number): Rejection | null {
  if (route.maxOrdersPerMinute !== undefined && lastMinuteCount >= route.maxOrdersPerMinute) {
    return reject(
      'rate-limit',
      `more than ${route.maxOrdersPerMinute} orders in a minute on this connection`,
    );
  }
  return null;
}

/**
 * A limit price further than the band from the market is refused, on both sides (the "wash
 * trade" attack buys far above the market from the attacker's own orders). Pure.
 */
export function checkPriceBand(route: Route, limitPrice: Dec, marketPrice: Dec): Rejection | null {
  const pct = route.priceBandPct ?? DEFAULT_PRICE_BAND_PCT;
  const band = parseDec(pct) ?? 0n;
  const diff = limitPrice > marketPrice ? limitPrice - marketPrice : marketPrice - limitPrice;
  // diff / market > pct / 100, without rounding: diff × 100 > market × pct.
  if (diff * 100n * 10n ** 12n > marketPrice * band) {
    return reject(
      'price-band',
      `the limit price is more than ${pct}% away from the current price; the route allows ${pct}%${route.priceBandPct === undefined ? ' (the default; set priceBandPct on the route to change it)' : ''}`,
    );
  }
  return null;
}
