/**
 * The floor of a durable signal path, measured in the bench process: one SQLite commit that is
 * on disk (WAL, synchronous=FULL — the state database's settings), then the same bare ccxt
 * `createOrder` as row 1's baseline. No signal path can do less and still journal its order
 * before it leaves, so row 1d compares the service with this.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Exchange } from 'ccxt';
import { preciseNow } from './common.js';

export interface FloorJournal {
  /** One durable commit of a row the size of an order intent; returns its duration, ms. */
  commit(clientOrderId: string): number;
  close(): void;
}

export function openFloorJournal(dir: string): FloorJournal {
  const db = new Database(join(dir, 'bench-floor.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(
    'CREATE TABLE IF NOT EXISTS intents (client_order_id TEXT PRIMARY KEY, body TEXT NOT NULL, at TEXT NOT NULL) STRICT',
  );
  const insert = db.prepare('INSERT INTO intents (client_order_id, body, at) VALUES (?, ?, ?)');
  // About the size of an orders row: symbol, side, type, amount, price, worth, ids.
  const body = 'x'.repeat(240);
  return {
    commit(clientOrderId) {
      const start = preciseNow();
      insert.run(clientOrderId, body, new Date().toISOString());
      return preciseNow() - start;
    },
    close: () => db.close(),
  };
}

/** The floor: a durable commit, then createOrder; from before the commit, ms. */
export async function floorOrder(
  journal: FloorJournal,
  client: Exchange,
  clientOrderId: string,
): Promise<{ start: number; commitMs: number; end: number }> {
  const start = preciseNow();
  const commitMs = journal.commit(clientOrderId);
  await client.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId });
  return { start, commitMs, end: preciseNow() };
}
