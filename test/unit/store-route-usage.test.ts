/**
 * A route's usage as the caps read it (store/route-usage.ts) on a real state
 * database: only the route's own entries (its strategy on its connection) since the window's
 * start; failed orders never count; reduce-only orders count toward the pace but add no worth;
 * protective legs are part of their entry and count for neither.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  capUsage,
  ordersSince,
  worthsSince,
} from '../../src/native-host/service/store/route-usage.js';
import type { Route } from '../../src/protocol/trading.js';
import { StateDb } from '../../src/native-host/service/store/state-db.js';
import {
  TradingStore,
  type OrderIntent,
} from '../../src/native-host/service/store/trading-store.js';

let dir: string;
let state: StateDb;
let store: TradingStore;

/** [signal id, strategy, connection, quote, state, role, reduce-only, created minutes ago] */
type Row = [
  string,
  string,
  string,
  string,
  'intent' | 'placed' | 'failed',
  'entry' | 'stop-loss',
  boolean,
  number,
];
const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const ROWS: Row[] = [
  ['a', 's', 'c1', '100', 'placed', 'entry', false, 1],
  ['b', 's', 'c1', '25.5', 'intent', 'entry', false, 0.5], // maybe sent: counts
  ['c', 's', 'c1', '40', 'failed', 'entry', false, 0.2], // refused: never counts
  ['d', 's', 'c1', '60', 'placed', 'entry', true, 0.1], // reduce-only: pace only
  ['d', 's', 'c1', '60', 'placed', 'stop-loss', true, 0.1], // its leg: neither
  ['e', 's', 'c1', '7', 'placed', 'entry', false, 120], // two hours ago
  ['f', 'other', 'c1', '1000', 'placed', 'entry', false, 0.3], // another strategy
  ['g', 's', 'c2', '1000', 'placed', 'entry', false, 0.3], // another connection
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sc-usage-'));
  state = new StateDb(join(dir, 'state.db'));
  store = new TradingStore(state.handle);
  for (const [id, strategy, conn, quote, st, role, reduceOnly, minutesAgo] of ROWS) {
    store.recordSignal({
      providerKey: 'pk',
      signalId: id,
      subscriptionId: 'sub',
      strategy,
      issuedAt: 1,
      body: '{}',
    });
    const clientOrderId = `${id}-${conn}-${role}`;
    const intent: OrderIntent = {
      clientOrderId,
      providerKey: 'pk',
      signalId: id,
      connectionId: conn,
      mode: 'live',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: '0.001',
      price: null,
      quote,
      expiresAt: NOW + 60_000,
      role,
      reduceOnly,
    };
    store.journalIntent(intent);
    if (st !== 'intent') store.updateOrder(clientOrderId, { state: st });
    const at = new Date(NOW - minutesAgo * 60_000).toISOString();
    state.handle
      .prepare('UPDATE orders SET created_at = ? WHERE client_order_id = ?')
      .run(at, clientOrderId);
  }
});
afterAll(() => {
  state.close();
  rmSync(dir, { recursive: true, force: true });
});

const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

describe('route usage', () => {
  it.each([
    // window start, connection, strategy, worths, count
    [ago(1), 'c1', 's', ['100', '25.5'], 3],
    [ago(0.6), 'c1', 's', ['25.5'], 2],
    [ago(0.15), 'c1', 's', [], 1],
    [ago(180), 'c1', 's', ['100', '25.5', '7'], 4],
    [ago(1), 'c1', 'other', ['1000'], 1],
    [ago(1), 'c2', 's', ['1000'], 1],
    [ago(1), 'c3', 's', [], 0],
  ] as const)(
    'since %s on %s, strategy %s: worths %j, %i orders',
    (since, conn, strategy, worths, count) => {
      expect([...worthsSince(state.handle, conn, strategy, since)].sort()).toEqual(
        [...worths].sort(),
      );
      expect(ordersSince(state.handle, conn, strategy, since)).toBe(count);
    },
  );
});

describe('capUsage', () => {
  const route = (caps: { maxDailyQuote?: string; maxOrdersPerMinute?: number }) =>
    ({ strategy: 's', connectionId: 'c1', maxOrderQuote: '1000', ...caps }) as Route;
  it('reads only what the route caps: nothing for a route without daily or pace caps', () => {
    expect(capUsage(state.handle, 'c1', route({}), NOW)).toEqual({
      todayWorths: [],
      lastMinuteCount: 0,
    });
  });
  it('today (UTC) for the daily cap, the last 60 s for the pace', () => {
    const both = capUsage(
      state.handle,
      'c1',
      route({ maxDailyQuote: '500', maxOrdersPerMinute: 5 }),
      NOW,
    );
    expect([...both.todayWorths].sort()).toEqual(['100', '25.5', '7']);
    expect(both.lastMinuteCount).toBe(3); // a (exactly 60 s: the window includes its start), b, d
  });
});
