/**
 * host.hello's parts that come from the state DB — the integrity report (two settings and the
 * connection rows) and the extensions' last hellos (a setting) — read again only when the DB may
 * have changed since the last hello. Reading them at every call prepared and ran four statements:
 * about 45 µs of the service's ≈ 0.1 ms per hello on a kept connection (a CPU profile of 20,000
 * hellos; docs/benchmarks.md row 3), where a page asks for host.hello at every open.
 *
 * "May have changed" is SQLite's own count: `total_changes()` counts every row inserted, updated
 * or deleted on this connection since it was opened, trigger programs included
 * (https://www.sqlite.org/c3ref/total_changes.html), and `PRAGMA data_version` changes when
 * another connection commits to the file (https://www.sqlite.org/pragma.html#pragma_data_version).
 * A write that changed nothing, or was rolled back, still moves the count: a reread, never a stale
 * answer. The service is the state DB's only writer, so the second is belt and braces.
 */
import type { Statement } from 'better-sqlite3';
import type { StateDb } from '../store/state-db.js';

/** One statement, a few µs: both counters as a row `[totalChanges, dataVersion]`. */
const STAMP_SQL = 'SELECT total_changes(), data_version FROM pragma_data_version';

/**
 * `read(key)`'s value, kept until the state DB changes or `key` does. `key` stands for what the
 * value depends on outside the DB (for host.hello, whether the vault is unlocked).
 */
export class StateDbReads<K, T> {
  private stamp: Statement<[], [number, number]> | null = null;
  private last: { changes: number; version: number; key: K; value: T } | null = null;

  constructor(
    private readonly db: StateDb,
    private readonly read: (key: K) => T,
  ) {}

  get(key: K): T {
    const now = this.stampNow();
    const last = this.last;
    if (now && last && last.key === key && last.changes === now[0] && last.version === now[1])
      return last.value;
    const value = this.read(key);
    this.last = now ? { changes: now[0], version: now[1], key, value } : null;
    return value;
  }

  /** The DB's change counters, or null when they cannot be read (then every call reads). */
  private stampNow(): [number, number] | null {
    try {
      this.stamp ??= this.db.handle.prepare<[], [number, number]>(STAMP_SQL).raw();
      return this.stamp.get() ?? null;
    } catch {
      return null;
    }
  }
}
