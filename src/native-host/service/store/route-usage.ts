/**
 * One route's usage (a strategy on a connection) as its caps read it; failed orders do not count,
 * nor protective legs (they are part of their entry). Routes are limited separately, as the user
 * set them. Each part is read only for the cap that needs it, in SQL over the connection's index:
 * a busy day's rows are never carried into JavaScript to be counted.
 */
import type Database from 'better-sqlite3';
import type { Route } from '../../../protocol/trading.js';
import { statement } from './statements.js';

const ROUTE_ORDERS = `FROM orders o JOIN signals s ON s.provider_key = o.provider_key AND s.signal_id = o.signal_id
  WHERE o.connection_id = ? AND s.strategy = ? AND o.created_at >= ? AND o.state != 'failed' AND o.role = 'entry'`;

export interface CapUsage {
  /** Worths of today's orders (UTC), for maxDailyQuote; empty when the route sets none. */
  todayWorths: string[];
  /** Orders in the last 60 s, for maxOrdersPerMinute; 0 when the route sets none. */
  lastMinuteCount: number;
}

export function capUsage(
  db: Database.Database,
  connectionId: string,
  route: Route,
  now: number,
): CapUsage {
  const today = new Date(now);
  today.setUTCHours(0, 0, 0, 0);
  return {
    todayWorths: route.maxDailyQuote
      ? worthsSince(db, connectionId, route.strategy, today.toISOString())
      : [],
    lastMinuteCount:
      route.maxOrdersPerMinute !== undefined
        ? ordersSince(db, connectionId, route.strategy, new Date(now - 60_000).toISOString())
        : 0,
  };
}

/** The worths of the route's orders since `sinceIso`, as exact decimals; reduce-only ones add none. */
export function worthsSince(
  db: Database.Database,
  connectionId: string,
  strategy: string,
  sinceIso: string,
): string[] {
  return statement(db, `SELECT o.quote ${ROUTE_ORDERS} AND o.reduce_only = 0`)
    .pluck()
    .all(connectionId, strategy, sinceIso) as string[];
}

/** How many orders the route sent since `sinceIso` (reduce-only ones count toward the pace). */
export function ordersSince(
  db: Database.Database,
  connectionId: string,
  strategy: string,
  sinceIso: string,
): number {
  return statement(db, `SELECT COUNT(*) ${ROUTE_ORDERS}`)
    .pluck()
    .get(connectionId, strategy, sinceIso) as number;
}
