/**
 * Prepared statements kept per database and SQL text: preparing compiles the SQL each time
 * (better-sqlite3's `prepare`), which on the signal path cost more than the writes themselves
 * (docs/benchmarks.md, row 1). SQLite re-prepares a kept statement by itself after a schema change.
 */
import type Database from 'better-sqlite3';

const kept = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function statement(db: Database.Database, sql: string): Database.Statement {
  let byText = kept.get(db);
  if (!byText) kept.set(db, (byText = new Map()));
  let s = byText.get(sql);
  if (!s) byText.set(sql, (s = db.prepare(sql)));
  return s;
}
