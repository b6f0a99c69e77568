/**
 * An order journal row in words for the popup and the dashboard: what was traded, what it was
 * worth in the quote currency, and what became of it. Pure.
 */
import type { OrderRow } from '../protocol/trading.js';

/** "BTC/USDT" → "USDT"; "BTC/USDT:USDT" → "USDT"; anything else → "". */
export function quoteCurrency(symbol: string): string {
  const quote = symbol.split('/')[1] ?? '';
  return quote.split(':')[0] ?? '';
}

/** "BTC/USDT" → "BTC". */
export function baseCurrency(symbol: string): string {
  return symbol.split('/')[0] ?? symbol;
}

/**
 * A decimal string shortened for a glance: at most `digits` significant digits, and never more
 * than 8 decimals (the exact value stays in the journal and the dashboard's table).
 */
export function shortDecimal(value: string, digits = 4): string {
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  return Number(Number(n.toPrecision(digits)).toFixed(8)).toString();
}

export type OrderResult = 'simulated' | 'placed' | 'failed' | 'pending' | 'unknown';

/** What became of the order, as one word the user reads: dry-run orders are "simulated". */
export function orderResult(o: Pick<OrderRow, 'state'>): OrderResult {
  if (o.state === 'intent') return 'pending';
  return o.state;
}

export const ORDER_RESULT_LABEL: Record<OrderResult, string> = {
  simulated: 'simulated (dry-run)',
  placed: 'placed',
  failed: 'failed',
  pending: 'sending…',
  unknown: 'unconfirmed: check the exchange',
};

/** "0.00077 BTC" */
export function orderAmount(o: Pick<OrderRow, 'amount' | 'symbol' | 'size'>): string {
  // A swap's amount is in contracts (OKX: 0.01 BTC each); its size is in base units.
  return `${shortDecimal(o.size ?? o.amount)} ${baseCurrency(o.symbol)}`;
}

/** "50 USDT" (the order's worth in the quote currency, as the journal valued it). */
export function orderWorth(o: Pick<OrderRow, 'quote' | 'symbol'>): string {
  return `${shortDecimal(o.quote)} ${quoteCurrency(o.symbol)}`.trim();
}

/**
 * What the order does, in one word: a protective leg says "stop-loss" or "take-profit" (it is a
 * reduce-only trigger order waiting on the exchange, not a trade that happened), others their side.
 */
export function orderKind(o: Pick<OrderRow, 'side' | 'role'>): string {
  return o.role === 'stop-loss' || o.role === 'take-profit' ? o.role : o.side;
}

/**
 * The result as the user reads it: a placed protective leg "waits at <trigger>" until it fires
 * or is cancelled ("closed", the reason in `closed`); everything else as ORDER_RESULT_LABEL.
 */
export function orderResultText(
  o: Pick<OrderRow, 'state' | 'role' | 'triggerPrice' | 'closed'>,
): string {
  const leg = o.role === 'stop-loss' || o.role === 'take-profit';
  if (leg && o.closed) return 'closed';
  if (leg && o.state === 'placed' && o.triggerPrice)
    return `waits at ${shortDecimal(o.triggerPrice, 6)}`;
  return ORDER_RESULT_LABEL[orderResult(o)];
}
