/**
 * Commits the signal path makes without an fsync of their own.
 */
import type Database from 'better-sqlite3';
import { statement } from './statements.js';

/**
 * A commit that is not flushed to disk on its own: WAL with synchronous=NORMAL writes it to the
 * WAL file (a SIGKILL cannot lose it: it is in the OS's cache) but leaves the fsync to the next
 * commit made with the database's synchronous=FULL (state-db.ts) — and that fsync makes every
 * earlier frame of the WAL durable with it, as the WAL is one file appended in order
 * (https://www.sqlite.org/pragma.html#pragma_synchronous, https://www.sqlite.org/wal.html).
 *
 * Used only for writes that something durable always follows before anything leaves the
 * service. From a new signal to its order every path makes the journal durable before the first
 * request or ack: the attempt count before each send (`recordAttempt`, then WalSync's fsync of the
 * WAL while ccxt builds the request, which waits for it at the socket — wal-sync.ts, send-gate.ts),
 * the signal's status before its ack (the same fsync, shared by whatever else waits), `simulated`
 * for dry-run and `failed` for an order that expired unsent (FULL commits). A power cut before
 * that fsync can lose the record and the intent, but then no order was sent and the signal was
 * not acknowledged: the relay replays it (docs/trading.md). Recovery after a crash is unchanged:
 * an intent whose attempt count is durable was maybe sent and is looked up; one without was never
 * sent.
 *
 * And for one write that recovery re-learns: an order's `placed` state (the exchange's answer).
 * Lost, the order is an intent with a durable attempt count, which reconcile looks up and finds
 * placed. The signal's status that follows it is made durable before its ack. (A `failed` or
 * `unknown` state is never deferred: a lost `failed` would let recovery send a refused order
 * again.)
 */
export function deferredCommit<T>(db: Database.Database, write: () => T): T {
  // Inside a caller's transaction its commit decides (SQLite refuses to change the level there).
  if (db.inTransaction) return write();
  statement(db, 'PRAGMA synchronous = NORMAL').run();
  try {
    return write();
  } finally {
    statement(db, 'PRAGMA synchronous = FULL').run(); // the database's setting (state-db.ts)
  }
}

/** A commit with the database's own synchronous=FULL (the default for every write). */
export function durable<T>(_db: Database.Database, write: () => T): T {
  return write();
}
