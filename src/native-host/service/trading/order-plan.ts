/**
 * From a verified signal, a route and the market to the exact order that would be sent, or the
 * reason it must not be: the money rules in one pure function (docs/trading.md, "Limits").
 *
 * - Prices and sizes are exact decimals; one that cannot be read exactly, or that would not
 *   survive the trip through ccxt (which takes JavaScript numbers), is refused.
 * - A limit price is rounded to the market's tick in the direction that never makes the order
 *   more aggressive (buys down, sells up): what is checked is what is sent.
 * - An order is worth amount × max(limit price, market price): a "sell 10 BTC at 1" gives away
 *   BTC worth its market price, not 10 USDT. Every cap compares that worth.
 * - A limit price further than the route's band (default 5%) from the market is refused.
 */
import {
  ceilToStep,
  floorToStep,
  fmt,
  MAX_SENDABLE_DIGITS,
  mulCeil,
  parseDec,
  significantDigits,
  type Dec,
} from '../../../lib/decimal.js';
import type { Signal } from '../../../signals/signal.js';
import { checkLimits, checkPriceBand, reject, type Rejection, type Route } from './risk.js';
import { sizeOrder, type MarketRules } from './sizing.js';

export interface PlanInput {
  signal: Pick<Signal, 'side' | 'type' | 'size' | 'price' | 'reduceOnly'> &
    Partial<Pick<Signal, 'leverage' | 'marginMode' | 'stopLoss' | 'takeProfit'>>;
  route: Route;
  rules: MarketRules;
  /** The exchange's current (last) price; undefined when it gave none. */
  marketPrice: Dec | undefined;
  /** Free balances, read only for balancePct sizes. */
  freeQuote?: Dec;
  freeBase?: Dec;
  /** Worths of the route's orders today (UTC), failed ones excluded. */
  todayWorths: readonly string[];
  lastMinuteCount: number;
}

export interface OrderPlan {
  /** Base amount to send, a multiple of the market's step. */
  amount: Dec;
  /** Limit price to send, a multiple of the market's tick; absent for market orders. */
  price?: Dec;
  /** amount × max(price, market price), rounded up. */
  worth: Dec;
}

/** The limit price as it will be sent, or why it cannot be (spot and swaps alike). */
export function limitPrice(
  signal: Pick<Signal, 'side' | 'price'>,
  tick: Dec | undefined,
): { price: Dec } | Rejection {
  const given = parseDec(signal.price ?? '');
  if (given === undefined || given <= 0n)
    return reject(
      'bad-price',
      'the limit price has more decimals than can be traded exactly (at most 12)',
    );
  const price =
    tick && tick > 0n
      ? signal.side === 'buy'
        ? floorToStep(given, tick)
        : ceilToStep(given, tick)
      : given;
  if (price <= 0n)
    return reject('bad-price', `the limit price is below the market's tick of ${fmt(tick ?? 0n)}`);
  if (significantDigits(price) > MAX_SENDABLE_DIGITS)
    return reject(
      'bad-price',
      `the limit price has more than ${MAX_SENDABLE_DIGITS} significant digits and cannot be sent exactly`,
    );
  return { price };
}

/** The v2 fields that only mean something on a perpetual swap. */
const SWAP_ONLY = ['leverage', 'marginMode', 'stopLoss', 'takeProfit'] as const;

export function planOrder(i: PlanInput): OrderPlan | Rejection {
  const swapOnly = SWAP_ONLY.filter((k) => i.signal[k] !== undefined);
  if (swapOnly.length > 0)
    return reject(
      'not-for-spot',
      `${swapOnly.join(', ')} apply to perpetual swaps (symbols like BTC/USDT:USDT); on a spot market the signal was refused rather than sent without ${swapOnly.length === 1 ? 'it' : 'them'}`,
    );
  if (i.signal.reduceOnly === true)
    return reject(
      'reduce-only',
      'reduceOnly needs a position to reduce, and spot markets have none: send it for the perpetual (BASE/QUOTE:SETTLE) instead; the signal was refused rather than sent as a plain order',
    );
  const market = i.marketPrice;
  if (market === undefined || market <= 0n)
    return reject('no-price', 'the exchange gave no current price for this symbol');
  let price: Dec | undefined;
  if (i.signal.type === 'limit') {
    const p = limitPrice(i.signal, i.rules.priceTick);
    if ('reason' in p) return p;
    price = p.price;
    const outside = checkPriceBand(i.route, price, market);
    if (outside) return outside;
  }
  const worthPrice = price !== undefined && price > market ? price : market;
  const amount = sizeOrder({
    size: i.signal.size,
    side: i.signal.side,
    price: worthPrice,
    rules: i.rules,
    ...(i.route.sizeMultiplier ? { multiplier: i.route.sizeMultiplier } : {}),
    ...(i.freeQuote !== undefined ? { freeQuote: i.freeQuote } : {}),
    ...(i.freeBase !== undefined ? { freeBase: i.freeBase } : {}),
  });
  if (typeof amount !== 'bigint') return amount;
  if (significantDigits(amount) > MAX_SENDABLE_DIGITS)
    return reject(
      'bad-size',
      `the amount has more than ${MAX_SENDABLE_DIGITS} significant digits and cannot be sent exactly`,
    );
  // The exchange's minimum notional is checked at the price the exchange values the order at.
  const notional = mulCeil(amount, price ?? market);
  if (i.rules.minCost !== undefined && notional < i.rules.minCost)
    return reject(
      'too-small',
      `the order is worth ${fmt(notional)}, below the market's minimum of ${fmt(i.rules.minCost)}`,
    );
  const worth = mulCeil(amount, worthPrice);
  const over = checkLimits({
    route: i.route,
    worth,
    todayWorths: i.todayWorths,
    lastMinuteCount: i.lastMinuteCount,
  });
  if (over) return over;
  return { amount, worth, ...(price !== undefined ? { price } : {}) };
}
