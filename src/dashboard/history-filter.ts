/**
 * The dashboard's filters over the order journal and the signal record, client-side over the
 * host's most recent 1,000 rows of each. Pure. A signal carries no connection: it reaches the
 * connections its subscription's routes send its strategy to (and those an order of it went to).
 */
import type { OrderRow, SignalRecord, SignalStatus, Subscription } from '../protocol/trading.js';
import { orderResult, type OrderResult } from '../ui/order-view.js';

export const TIME_RANGES = {
  '1h': { label: 'Last hour', ms: 3_600_000 },
  '24h': { label: 'Last 24 hours', ms: 86_400_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 86_400_000 },
  all: { label: 'All kept', ms: Infinity },
} as const;
export type TimeRange = keyof typeof TIME_RANGES;

export const ALL = '';

export interface HistoryFilter {
  /** A connection id, or ALL. */
  connection: string;
  range: TimeRange;
  /** Orders: a result (OrderResult), or ALL. */
  result: OrderResult | typeof ALL;
  /** Orders: a symbol, or ALL. */
  symbol: string;
  /** Signals: a status, or ALL. */
  status: SignalStatus | typeof ALL;
}

export const NO_FILTER: HistoryFilter = {
  connection: ALL,
  range: 'all',
  result: ALL,
  symbol: ALL,
  status: ALL,
};

/** The first moment inside the range (ms), or -Infinity for "all". */
export function rangeStart(range: TimeRange, now: number): number {
  return now - TIME_RANGES[range].ms;
}

export function filterOrders(
  orders: readonly OrderRow[],
  f: HistoryFilter,
  now: number,
): OrderRow[] {
  const since = rangeStart(f.range, now);
  return orders.filter(
    (o) =>
      (f.connection === ALL || o.connectionId === f.connection) &&
      (f.result === ALL || orderResult(o) === f.result) &&
      (f.symbol === ALL || o.symbol === f.symbol) &&
      Date.parse(o.createdAt) >= since,
  );
}

/** Signal (by provider-independent key subscriptionId + id) → the connections it went to. */
export type SignalConnections = (s: SignalRecord) => string[];

/**
 * Where each signal went: its subscription's routes for its strategy, plus every connection an
 * order of it was journaled for (a route may have changed since).
 */
export function signalConnections(
  subs: readonly Pick<Subscription, 'id' | 'routes'>[],
  orders: readonly Pick<OrderRow, 'signalId' | 'connectionId'>[],
): SignalConnections {
  const routed = new Map<string, Set<string>>();
  for (const sub of subs)
    for (const r of sub.routes) {
      const key = `${sub.id}\u0000${r.strategy}`;
      routed.set(key, (routed.get(key) ?? new Set()).add(r.connectionId));
    }
  const ordered = new Map<string, Set<string>>();
  for (const o of orders)
    ordered.set(o.signalId, (ordered.get(o.signalId) ?? new Set()).add(o.connectionId));
  return (s) => [
    ...new Set([
      ...(routed.get(`${s.subscriptionId}\u0000${s.strategy}`) ?? []),
      ...(ordered.get(s.id) ?? []),
    ]),
  ];
}

export function filterSignals(
  signals: readonly SignalRecord[],
  f: HistoryFilter,
  connectionsOf: SignalConnections,
  now: number,
): SignalRecord[] {
  const since = rangeStart(f.range, now);
  return signals.filter(
    (s) =>
      (f.connection === ALL || connectionsOf(s).includes(f.connection)) &&
      (f.status === ALL || s.status === f.status) &&
      Date.parse(s.receivedAt) >= since,
  );
}

/** The distinct values of a field, sorted: the choices of a filter. */
export function distinct<T>(rows: readonly T[], pick: (row: T) => string): string[] {
  return [...new Set(rows.map(pick))].sort();
}
