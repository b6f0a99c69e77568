/**
 * Opening the state DB without silently starting over: a missing, empty or damaged state.db is
 * noticed, a damaged (or empty) file is kept aside under a timestamped name — never deleted —
 * a fresh DB is created, and when a vault exists the loss is recorded as an incident (incident.ts)
 * and trading is paused: the dedup record went with the old file.
 */
import { existsSync, renameSync, statSync } from 'node:fs';
import type { Logger } from '../../log.js';
import { StateDb } from '../store/state-db.js';
import { DEDUP_LOST_REASON } from './check.js';
import { saveIncident, type StateLoss } from './incident.js';
import { errorMessage } from '../../../lib/error-text.js';

/** SQLite's answers for a file that is not (or no longer) a database. */
function isDamage(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
  );
}

/** Rename the file and its WAL / shared-memory files aside; returns the new names. */
function keepAside(path: string, tag: string, stamp: string): string[] {
  const kept: string[] = [];
  for (const suffix of ['', '-wal', '-shm']) {
    if (!existsSync(path + suffix)) continue;
    const to = `${path}.${tag}-${stamp}${suffix}`;
    renameSync(path + suffix, to);
    kept.push(to);
  }
  return kept;
}

export function openStateDb(path: string, vaultExists: boolean, log: Logger): StateDb {
  const now = new Date();
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let cause: StateLoss | null = null;
  let detail = '';
  let keptAt: string | undefined;
  if (!existsSync(path)) {
    if (vaultExists) cause = 'missing';
    // A WAL left without its database would be replayed into the new, empty one: keep it aside.
    const orphans = keepAside(path, 'orphan', stamp);
    if (orphans.length > 0)
      log.warn(`state database: files without ${path} kept aside: ${orphans.join(', ')}`);
  } else if (statSync(path).size === 0) {
    cause = 'empty';
    keptAt = keepAside(path, 'empty', stamp)[0];
  } else {
    try {
      const db = new StateDb(path);
      const check = String(db.handle.pragma('quick_check', { simple: true }));
      if (check === 'ok') return db;
      db.close();
      detail = check.split('\n').slice(0, 2).join('; ');
    } catch (err) {
      if (!isDamage(err)) throw err; // busy, permissions, a newer schema: not damage, change nothing
      detail = errorMessage(err);
    }
    cause = 'damaged';
    keptAt = keepAside(path, 'damaged', stamp)[0];
  }
  const db = new StateDb(path);
  if (!cause) return db;
  const what =
    cause === 'missing'
      ? `${path} is missing`
      : cause === 'empty'
        ? `${path} was empty (0 bytes)`
        : `${path} is damaged (${detail})`;
  if (!vaultExists) {
    log.warn(`state database: ${what}${keptAt ? `; kept as ${keptAt}` : ''}; started a new one`);
    return db;
  }
  saveIncident(db, { cause, since: now.toISOString(), ...(keptAt ? { keptAt } : {}), rebuilt: [] });
  db.setSetting('trading', JSON.stringify({ paused: true, reason: DEDUP_LOST_REASON }));
  log.error(
    `state database: ${what}${keptAt ? `; the file was kept as ${keptAt}` : ''}. A new one was started: ` +
      'connections, subscriptions, the signal record (dedup) and the order journal are gone. ' +
      'Trading is paused. At the next unlock the connections are rebuilt from the vault ' +
      '(dry-run); then check open orders on the exchanges and resume trading ("sentinel-host repair" does it headless).',
  );
  return db;
}
