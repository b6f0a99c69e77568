/**
 * Turning a signal's size ({base} | {quote} | {balancePct}) into an order amount that the market
 * accepts: rounded down to the market's step, then checked against its minimum amount. Pure.
 */
import { divToStep, fmt, mul, parseDec, type Dec } from '../../../lib/decimal.js';
import { reject, type Rejection } from './risk.js';
import { sizeOf, type SignalSize } from '../../../signals/signal.js';

export interface MarketRules {
  /** Smallest amount increment, e.g. 0.00001 BTC. */
  amountStep: Dec;
  /** Smallest price increment (tick size), e.g. 0.01 USDT; absent when the market does not say. */
  priceTick?: Dec;
  minAmount?: Dec;
  /** Minimum order value in quote currency (minimum notional). */
  minCost?: Dec;
}

export interface SizingInput {
  size: SignalSize;
  side: 'buy' | 'sell';
  /**
   * The price a quote amount or a share of the quote balance is converted at: the order's worth
   * price, max(limit price, market price), so the order is never worth more than was asked for.
   */
  price: Dec;
  rules: MarketRules;
  multiplier?: string;
  /** Free balances, needed only for balancePct: quote for buys, base for sells. */
  freeQuote?: Dec;
  freeBase?: Dec;
}

const ONE = 10n ** 12n;

export function sizeOrder(i: SizingInput): Dec | Rejection {
  if (i.price <= 0n) return reject('no-price', 'no usable price for this symbol right now');
  const { kind, amount: text } = sizeOf(i.size);
  if (kind === 'positionPct')
    return reject(
      'reduce-only',
      'size.positionPct closes a share of an open position, and spot markets have none',
    );
  const given = parseDec(text);
  if (given === undefined || given <= 0n)
    return reject('bad-size', 'the size has more decimals than can be traded exactly (at most 12)');
  const mult = i.multiplier ? (parseDec(i.multiplier) ?? ONE) : ONE;
  const wanted = mul(given, mult);
  let amount: Dec;
  if ('base' in i.size) {
    amount = divToStep(wanted, ONE, i.rules.amountStep);
  } else if ('quote' in i.size) {
    amount = divToStep(wanted, i.price, i.rules.amountStep);
  } else if (i.side === 'buy') {
    if (i.freeQuote === undefined)
      return reject('insufficient-balance', 'the quote balance could not be read');
    amount = divToStep(mul(i.freeQuote, wanted) / 100n, i.price, i.rules.amountStep);
  } else {
    if (i.freeBase === undefined)
      return reject('insufficient-balance', 'the base balance could not be read');
    amount = divToStep(mul(i.freeBase, wanted) / 100n, ONE, i.rules.amountStep);
  }
  if (amount <= 0n || (i.rules.minAmount !== undefined && amount < i.rules.minAmount)) {
    return reject(
      'too-small',
      `after rounding to the market's step the amount is ${fmt(amount)}, below the minimum${i.rules.minAmount ? ` of ${fmt(i.rules.minAmount)}` : ''}`,
    );
  }
  return amount;
}
