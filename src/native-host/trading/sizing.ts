/**
 * Turning a signal's size ({base} | {quote} | {balancePct}) into an order amount that the market
 * accepts: rounded down to the market's step, then checked against its minimums. Pure.
 */
import { divToStep, fmt, mul, parseDec, type Dec } from '../../lib/decimal.js';
import { reject, type Rejection } from './risk.js';

export interface MarketRules {
  /** Smallest amount increment, e.g. 0.00001 BTC. */
  amountStep: Dec;
  minAmount?: Dec;
  /** Minimum order value in quote currency (minimum notional). */
  minCost?: Dec;
}

export type SignalSize = { base: string } | { quote: string } | { balancePct: string };

export interface SizingInput {
  size: SignalSize;
  side: 'buy' | 'sell';
  /** The price the order is valued at: the limit price, or the current price for market orders. */
  price: Dec;
  rules: MarketRules;
  multiplier?: string;
  /** Free balances, needed only for balancePct: quote for buys, base for sells. */
  freeQuote?: Dec;
  freeBase?: Dec;
}

export interface Sized {
  amount: Dec;
  quote: Dec;
}

const ONE = 10n ** 12n;

export function sizeOrder(i: SizingInput): Sized | Rejection {
  if (i.price <= 0n) return reject('no-price', 'no usable price for this symbol right now');
  const mult = i.multiplier ? (parseDec(i.multiplier) ?? ONE) : ONE;
  let amount: Dec;
  if ('base' in i.size) {
    amount = divToStep(mul(parseDec(i.size.base) ?? 0n, mult), ONE, i.rules.amountStep);
  } else if ('quote' in i.size) {
    amount = divToStep(mul(parseDec(i.size.quote) ?? 0n, mult), i.price, i.rules.amountStep);
  } else {
    const pct = mul(parseDec(i.size.balancePct) ?? 0n, mult);
    if (i.side === 'buy') {
      if (i.freeQuote === undefined)
        return reject('insufficient-balance', 'the quote balance could not be read');
      amount = divToStep(mul(i.freeQuote, pct) / 100n, i.price, i.rules.amountStep);
    } else {
      if (i.freeBase === undefined)
        return reject('insufficient-balance', 'the base balance could not be read');
      amount = divToStep(mul(i.freeBase, pct) / 100n, ONE, i.rules.amountStep);
    }
  }
  const quote = mul(amount, i.price);
  if (amount <= 0n || (i.rules.minAmount !== undefined && amount < i.rules.minAmount)) {
    return reject(
      'too-small',
      `after rounding to the market's step the amount is ${fmt(amount)}, below the minimum${i.rules.minAmount ? ` of ${fmt(i.rules.minAmount)}` : ''}`,
    );
  }
  if (i.rules.minCost !== undefined && quote < i.rules.minCost) {
    return reject(
      'too-small',
      `the order is worth ${fmt(quote)}, below the market's minimum of ${fmt(i.rules.minCost)}`,
    );
  }
  return { amount, quote };
}
