/**
 * The money rules for a linear perpetual swap (BTC/USDT:USDT) in one pure function, beside the
 * spot rules of order-plan.ts and built on the same parts: exact decimals, tick rounding that never
 * makes a price more aggressive, the price band, worth = size × max(limit price, market price).
 *
 * What swaps add:
 * - Amounts are contracts. ccxt takes a swap order's amount in contracts; a contract is worth
 *   `contractSize` base units (OKX `ctVal`, e.g. 0.01 BTC; 1 on Binance USDⓈ-M and Bybit linear,
 *   whose amounts are in base). Every base, quote or margin size is converted here.
 * - Leverage above the route's maxLeverage (default 1) is refused, as is a position worth more
 *   than the route's maxPositionQuote (default: maxOrderQuote) after the order.
 * - A reduce-only order needs a position on the other side to reduce and never exceeds it (it is
 *   cut to the position's size); positionPct sizes it as a share of that position. It cannot add
 *   exposure, so the worth caps (per order, per day) and the exchange's minimum notional do not
 *   apply to it — a cap must never trap a user in a position — while the band and the pace do.
 * - A stop-loss or take-profit goes only with an order that opens or adds to a position, and must
 *   lie on the protective side of both the entry price and the market (a long's stop below, its
 *   take-profit above), after rounding to the tick toward the entry: a trigger that would fire at
 *   once, or that protects nothing, is refused before anything is sent.
 */
import {
  ceilToStep,
  divToStep,
  floorToStep,
  fmt,
  MAX_SENDABLE_DIGITS,
  mul,
  mulCeil,
  parseDec,
  significantDigits,
  type Dec,
} from '../../../lib/decimal.js';
import { sizeOf, type MarginMode, type Signal } from '../../../signals/signal.js';
import { limitPrice } from './order-plan.js';
import {
  checkLimits,
  checkPace,
  checkPriceBand,
  reject,
  type Rejection,
  type Route,
} from './risk.js';
import type { MarketRules } from './sizing.js';

const ONE = 10n ** 12n;

export interface SwapMarketRules extends MarketRules {
  /** Base units per contract (ccxt `market.contractSize`; OKX `ctVal`). amountStep and minAmount are in contracts. */
  contractSize: Dec;
}

/** The open position on this symbol, as the exchange reports it (one-way mode). */
export interface OpenPosition {
  side: 'long' | 'short';
  /** Contracts, > 0. */
  contracts: Dec;
}

export interface SwapPlanInput {
  signal: Pick<
    Signal,
    | 'side'
    | 'type'
    | 'size'
    | 'price'
    | 'reduceOnly'
    | 'leverage'
    | 'marginMode'
    | 'stopLoss'
    | 'takeProfit'
  >;
  route: Route;
  rules: SwapMarketRules;
  /** The exchange's current (last or mark) price; undefined when it gave none. */
  marketPrice: Dec | undefined;
  position: OpenPosition | null;
  /** Free margin in the settle currency, read only for balancePct sizes. */
  freeMargin?: Dec;
  /** Worths of the route's opening orders today (UTC), failed ones excluded. */
  todayWorths: readonly string[];
  lastMinuteCount: number;
}

export interface SwapPlan {
  /** Contracts to send, a multiple of the market's step. */
  contracts: Dec;
  /** Limit price to send; absent for market orders. */
  price?: Dec;
  /** contracts × contractSize × max(price, market price), rounded up. */
  worth: Dec;
  reduceOnly: boolean;
  leverage: number;
  marginMode: MarginMode;
  stopLoss?: Dec;
  takeProfit?: Dec;
  /** What the position is worth after the order fills (at the worth price). */
  positionWorthAfter: Dec;
}

/** The trigger as it will be sent: rounded to the tick toward the entry, on the protective side. */
function triggerPrice(
  leg: 'stopLoss' | 'takeProfit',
  text: string,
  long: boolean,
  entry: Dec,
  market: Dec,
  tick: Dec | undefined,
): Dec | Rejection {
  const given = parseDec(text);
  const name = leg === 'stopLoss' ? 'stop-loss' : 'take-profit';
  if (given === undefined || given <= 0n)
    return reject('bad-price', `the ${name} price has more decimals than can be traded exactly`);
  // Below the entry: a long's stop-loss, a short's take-profit. Rounded up, toward the entry.
  const below = (leg === 'stopLoss') === long;
  const step = tick && tick > 0n ? tick : 0n;
  const price = step === 0n ? given : below ? ceilToStep(given, step) : floorToStep(given, step);
  if (significantDigits(price) > MAX_SENDABLE_DIGITS)
    return reject('bad-price', `the ${name} price cannot be sent exactly`);
  const bound = below ? (entry < market ? entry : market) : entry > market ? entry : market;
  if (below ? price >= bound : price <= bound)
    return reject(
      'bad-trigger',
      `a ${long ? 'long' : 'short'} position's ${name} must be ${below ? 'below' : 'above'} both the entry and the market price (${fmt(bound)}); ${fmt(price)} would fire at once or protect nothing`,
    );
  return price;
}

/** Contracts for the signal's size, before the reduce-only cut; or why none. */
function contractsFor(i: SwapPlanInput, worthPrice: Dec, leverage: number): Dec | Rejection {
  const { kind, amount: text } = sizeOf(i.signal.size);
  const given = parseDec(text);
  if (given === undefined || given <= 0n)
    return reject('bad-size', 'the size has more decimals than can be traded exactly (at most 12)');
  const step = i.rules.amountStep;
  if (kind === 'positionPct') {
    // The parser allows positionPct only with reduceOnly, whose position planSwapOrder checked.
    if (!i.position || i.signal.reduceOnly !== true)
      return reject('bad-size', 'size.positionPct needs reduceOnly and an open position');
    return floorToStep((i.position.contracts * given) / (100n * ONE), step);
  }
  const mult = i.route.sizeMultiplier ? (parseDec(i.route.sizeMultiplier) ?? ONE) : ONE;
  const wanted = mul(given, mult);
  const perContract = mul(worthPrice, i.rules.contractSize); // quote per contract
  if (kind === 'base') return divToStep(wanted, i.rules.contractSize, step);
  if (kind === 'quote') return divToStep(wanted, perContract, step);
  // balancePct: that share of the free margin, times the leverage, is the notional.
  if (i.freeMargin === undefined)
    return reject('insufficient-balance', 'the free margin could not be read');
  const notional = (mul(i.freeMargin, wanted) / 100n) * BigInt(leverage);
  return divToStep(notional, perContract, step);
}

export function planSwapOrder(i: SwapPlanInput): SwapPlan | Rejection {
  const { signal, route, rules } = i;
  if (!(route.markets ?? ['spot']).includes('swap'))
    return reject('market-not-allowed', 'the route does not trade perpetual swaps');
  const leverage = Number(signal.leverage ?? '1');
  const maxLeverage = route.maxLeverage ?? 1;
  if (leverage > maxLeverage)
    return reject(
      'over-leverage',
      `leverage ${leverage} is above the route's maximum of ${maxLeverage}${route.maxLeverage === undefined ? ' (the default; set maxLeverage on the route to allow more)' : ''}`,
    );
  const market = i.marketPrice;
  if (market === undefined || market <= 0n)
    return reject('no-price', 'the exchange gave no current price for this symbol');
  if (rules.contractSize <= 0n)
    return reject('no-price', 'the exchange gave no contract size for this market');

  const reduceOnly = signal.reduceOnly === true;
  const reduces = signal.side === 'buy' ? 'short' : 'long';
  if (reduceOnly) {
    if (!i.position || i.position.contracts <= 0n || i.position.side !== reduces)
      return reject(
        'no-position',
        `a reduce-only ${signal.side} needs an open ${reduces} position to reduce, and there is none`,
      );
    if (signal.stopLoss || signal.takeProfit)
      return reject(
        'bad-trigger',
        'a stop-loss or take-profit goes with an order that opens or adds to a position, not with a reduce-only one',
      );
  }

  let price: Dec | undefined;
  if (signal.type === 'limit') {
    const p = limitPrice(signal, rules.priceTick);
    if ('reason' in p) return p;
    price = p.price;
    const outside = checkPriceBand(route, price, market);
    if (outside) return outside;
  }
  const worthPrice = price !== undefined && price > market ? price : market;

  const sized = contractsFor(i, worthPrice, leverage);
  if (typeof sized !== 'bigint') return sized;
  // Cut to the position (on the step: an exchange's position always is; one reported otherwise
  // must not make us send an amount the market refuses).
  const held = i.position?.contracts ?? 0n;
  const contracts = reduceOnly && sized > held ? floorToStep(held, rules.amountStep) : sized;
  if (contracts <= 0n || (rules.minAmount !== undefined && contracts < rules.minAmount))
    return reject(
      'too-small',
      `after rounding to the market's step the order is ${fmt(contracts)} contracts, below the minimum${rules.minAmount ? ` of ${fmt(rules.minAmount)}` : ''}`,
    );
  if (significantDigits(contracts) > MAX_SENDABLE_DIGITS)
    return reject('bad-size', 'the amount cannot be sent exactly');

  const base = mul(contracts, rules.contractSize);
  const worth = mulCeil(base, worthPrice);
  const signed = i.position ? (i.position.side === 'long' ? 1n : -1n) * i.position.contracts : 0n;
  const after = signed + (signal.side === 'buy' ? contracts : -contracts);
  const positionWorthAfter = mulCeil(
    mul(after < 0n ? -after : after, rules.contractSize),
    worthPrice,
  );

  if (!reduceOnly) {
    const notional = mulCeil(base, price ?? market);
    if (rules.minCost !== undefined && notional < rules.minCost)
      return reject(
        'too-small',
        `the order is worth ${fmt(notional)}, below the market's minimum of ${fmt(rules.minCost)}`,
      );
    const over = checkLimits({
      route,
      worth,
      todayWorths: i.todayWorths,
      lastMinuteCount: i.lastMinuteCount,
    });
    if (over) return over;
    const cap = route.maxPositionQuote ?? route.maxOrderQuote;
    if (positionWorthAfter > (parseDec(cap) ?? 0n))
      return reject(
        'over-max-position',
        `the position would be worth ${fmt(positionWorthAfter)} after this order, above the route's maximum of ${cap}${route.maxPositionQuote === undefined ? ' (maxOrderQuote, the default; set maxPositionQuote on the route to allow more)' : ''}`,
      );
  } else {
    const pace = checkPace(route, i.lastMinuteCount);
    if (pace) return pace;
  }

  const plan: SwapPlan = {
    contracts,
    worth,
    reduceOnly,
    leverage,
    marginMode: signal.marginMode ?? 'isolated',
    positionWorthAfter,
    ...(price !== undefined ? { price } : {}),
  };
  const long = signal.side === 'buy';
  const entry = price ?? market;
  for (const leg of ['stopLoss', 'takeProfit'] as const) {
    const given = signal[leg];
    if (!given) continue;
    const t = triggerPrice(leg, given.triggerPrice, long, entry, market, rules.priceTick);
    if (typeof t !== 'bigint') return t;
    plan[leg] = t;
  }
  return plan;
}
