/**
 * The record of a state loss (a missing, empty or damaged state DB, or connection rows missing
 * for secrets the vault holds), kept in the settings table until the user resumes trading after
 * checking the exchanges; and the last vault ↔ state check. host.hello's `integrity` is built
 * from both.
 */
import type { IntegrityProblem, IntegrityReport } from '../../../protocol/methods.js';
import type { StateDb } from '../store/state-db.js';

export type StateLoss = 'missing' | 'empty' | 'damaged' | 'rows-missing';

export interface Incident {
  cause: StateLoss;
  since: string;
  /** Where the damaged (or empty) file was kept. */
  keptAt?: string;
  /** Connections rebuilt from the vault since. */
  rebuilt: string[];
}

export interface LastCheck {
  checkedAt: string;
  /** What the check found that the incident does not already say. */
  problems: IntegrityProblem[];
  repaired: string[];
}

const INCIDENT = 'integrity.incident';
const LAST_CHECK = 'integrity.check';

function readJson<T>(db: StateDb, key: string): T | null {
  const raw = db.getSetting(key);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

export const readIncident = (db: StateDb): Incident | null => readJson<Incident>(db, INCIDENT);
export const readLastCheck = (db: StateDb): LastCheck | null => readJson<LastCheck>(db, LAST_CHECK);
export const saveIncident = (db: StateDb, i: Incident): void =>
  db.setSetting(INCIDENT, JSON.stringify(i));
export const saveLastCheck = (db: StateDb, c: LastCheck): void =>
  db.setSetting(LAST_CHECK, JSON.stringify(c));

/** The user resumed trading after a loss: the incident is dealt with. */
export function clearIncident(db: StateDb): boolean {
  if (!db.getSetting(INCIDENT)) return false;
  db.handle.prepare('DELETE FROM settings WHERE key = ?').run(INCIDENT);
  return true;
}

const LOSS_WORDS: Record<Exclude<StateLoss, 'rows-missing'>, string> = {
  missing: 'was missing',
  empty: 'was empty (0 bytes)',
  damaged: 'was damaged',
};

/** host.hello's `integrity`: null when there is nothing to say. */
export function integrityReport(db: StateDb, vaultUnlocked: boolean): IntegrityReport | null {
  const incident = readIncident(db);
  const last = readLastCheck(db);
  const rows = new Set(db.listConnections().map((c) => c.id));
  const problems: IntegrityProblem[] = [];
  const repaired: string[] = [];
  if (incident && incident.cause !== 'rows-missing') {
    problems.push({
      kind: `state-db-${incident.cause}`,
      since: incident.since,
      ...(incident.keptAt ? { keptAt: incident.keptAt } : {}),
      message: `the state database ${LOSS_WORDS[incident.cause]}: connections, subscriptions, the record of signals already executed and the order journal were lost`,
    });
    repaired.push(
      incident.keptAt
        ? `the old file was kept as ${incident.keptAt}; a new state database was started`
        : 'a new state database was started',
    );
  }
  if (incident) repaired.push('trading was paused: the record of signals already executed is gone');
  // Drop what no longer holds: a connection removed since, a rebuilt one removed by the user.
  for (const p of last?.problems ?? []) {
    if (p.connectionId && p.kind === 'connection-without-secret' && !rows.has(p.connectionId))
      continue;
    // A rebuilt connection is news until the user resumes trading (which ends the incident).
    if (p.rebuilt && (!incident || (p.connectionId && !rows.has(p.connectionId)))) continue;
    problems.push(p);
  }
  repaired.push(...(last?.repaired ?? []));
  if (problems.length === 0 && !incident) return null;
  const advice: string[] = [];
  if (incident && !vaultUnlocked && !last)
    advice.push('Unlock the vault: Sentinel then rebuilds the connections from it.');
  if (incident)
    advice.push(
      'Check open orders and positions on each exchange, then resume trading. Remove any rebuilt connection you no longer use.',
    );
  if (problems.some((p) => p.kind === 'connection-without-secret'))
    advice.push('Remove each connection without a secret, then add its key again.');
  if (problems.some((p) => p.kind === 'secret-without-connection' && !p.rebuilt))
    advice.push(
      'Remove each key kept without a connection ("sentinel-host connections remove ID"), or add the same key again.',
    );
  return {
    problems,
    repaired,
    advice: advice.join(' '),
    checkedAt: last?.checkedAt ?? null,
  };
}
