/**
 * Commits the signal path makes without an fsync of their own.
 */
import type Database from 'better-sqlite3';

/**
 * A commit that is not flushed to disk on its own: WAL with synchronous=NORMAL writes it to the
 * WAL file (a SIGKILL cannot lose it: it is in the OS's cache) but leaves the fsync to the next
 * commit made with the database's synchronous=FULL (state-db.ts) — and that fsync makes every
 * earlier frame of the WAL durable with it, as the WAL is one file appended in order
 * (https://www.sqlite.org/pragma.html#pragma_synchronous, https://www.sqlite.org/wal.html).
 *
 * Used only for writes that something durable always follows before anything leaves the
 * service: the signal record and the order intent. From a new signal to its order every path
 * makes a FULL commit before the first request or ack — placeOrder's attempt count before each
 * send (the one fsync on the signal path), `simulated` for dry-run, `failed` for an order that
 * expired unsent, the signal's status before its ack. A power cut before that commit can lose
 * the record and the intent, but then no order was sent and the signal was not acknowledged:
 * the relay replays it (docs/trading.md). Recovery after a crash is unchanged: an intent whose
 * attempt count is durable was maybe sent and is looked up; one without was never sent.
 */
export function deferredCommit<T>(db: Database.Database, write: () => T): T {
  db.pragma('synchronous = NORMAL');
  try {
    return write();
  } finally {
    db.pragma('synchronous = FULL'); // the database's setting (state-db.ts)
  }
}
