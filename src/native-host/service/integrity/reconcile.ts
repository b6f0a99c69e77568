/**
 * Applies the consistency check (check.ts) to the running service: at every unlock (the vault's
 * `vault.changed` → unlocked, before the feeds start) and on host.repair. Rebuilds connection
 * rows from the vault (dry-run, not audited), pauses rows whose secret is missing, records what
 * the vault should know about each connection, pauses trading when the dedup record was lost,
 * and logs exactly what it found and did.
 */
import type { RepairResult } from '../../../protocol/methods.js';
import type { ServiceContext } from '../handlers/context.js';
import {
  DEDUP_LOST_REASON,
  NO_SECRET_REASON,
  checkConsistency,
  type VaultConnectionMeta,
  type VaultEntryView,
} from './check.js';
import {
  integrityReport,
  readIncident,
  readLastCheck,
  saveIncident,
  saveLastCheck,
  type Incident,
} from './incident.js';
import { errorDetail, errorMessage } from '../../../lib/error-text.js';

/** Throws VAULT_LOCKED / VAULT_ABSENT when the vault cannot be read. */
export function reconcile(ctx: ServiceContext): RepairResult {
  const contents = ctx.vault.read();
  const now = new Date().toISOString();
  const entries: VaultEntryView[] = Object.entries(contents.connections).map(([id, creds]) => ({
    id,
    apiKey: creds.apiKey,
    meta: (creds as { meta?: unknown }).meta,
  }));
  const { problems, plan } = checkConsistency({
    vault: entries,
    rows: ctx.db.listConnections(),
    now,
  });
  const repaired: string[] = [];
  const rebuilt: string[] = [];
  const metas: [string, VaultConnectionMeta][] = [];
  for (const step of plan) {
    switch (step.kind) {
      case 'rebuild': {
        const c = step.connection;
        ctx.db.insertConnection(c);
        rebuilt.push(c.id);
        const line = `rebuilt connection ${c.id} "${c.label}" (${c.exchange}, ${c.environment}) from the vault: dry-run, not audited yet`;
        repaired.push(line);
        ctx.log.warn(`integrity: ${line}`);
        break;
      }
      case 'mark-no-secret': {
        ctx.db.setPaused(step.id, NO_SECRET_REASON);
        const line = `paused connection ${step.id}: the vault holds no secret for it`;
        repaired.push(line);
        ctx.log.warn(`integrity: ${line}`);
        break;
      }
      case 'unmark-no-secret':
        ctx.db.setPaused(step.id, null);
        ctx.log.info(`integrity: connection ${step.id} has its secret again; its pause is lifted`);
        break;
      case 'record-meta':
        metas.push([step.id, step.meta]);
        break;
    }
  }
  for (const p of problems) if (!p.rebuilt) ctx.log.warn(`integrity: ${p.message}`);

  if (rebuilt.length > 0) {
    const incident: Incident = readIncident(ctx.db) ?? {
      cause: 'rows-missing',
      since: now,
      rebuilt: [],
    };
    incident.rebuilt.push(...rebuilt);
    saveIncident(ctx.db, incident);
    pauseTrading(ctx);
  }
  // While the loss is not dealt with (trading not resumed), what was rebuilt stays in the report.
  const prev = readIncident(ctx.db) ? readLastCheck(ctx.db) : null;
  const carried = (prev?.problems ?? []).filter(
    (p) => p.rebuilt && !problems.some((q) => q.connectionId === p.connectionId),
  );
  const carriedLines = (prev?.repaired ?? []).filter(
    (l) => l.startsWith('rebuilt ') && !repaired.includes(l),
  );
  saveLastCheck(ctx.db, {
    checkedAt: now,
    problems: [...carried, ...problems],
    repaired: [...carriedLines, ...repaired],
  });
  if (plan.some((s) => s.kind !== 'record-meta')) {
    for (const c of ctx.db.listConnections())
      ctx.notify('connection.audited', { connection: c, audit: c.lastAudit ?? null });
  }
  if (metas.length > 0) {
    // What the vault needs to rebuild these rows one day; not urgent, so not awaited.
    ctx.vault
      .update((draft) => {
        for (const [id, meta] of metas) {
          const entry = draft.connections[id];
          if (entry) Object.assign(entry, { meta });
        }
      })
      .then(
        () =>
          ctx.log.info(`integrity: recorded ${metas.length} connection(s)' details in the vault`),
        (err: unknown) =>
          ctx.log.warn(
            `integrity: could not record connection details in the vault: ${errorMessage(err)}`,
          ),
      );
  }
  if (problems.length === 0) ctx.log.info('integrity: vault and state agree');
  const report = integrityReport(ctx.db, true);
  const consistent = !problems.some((p) => p.kind === 'secret-without-connection' && !p.rebuilt);
  return report
    ? { ...report, consistent }
    : { problems: [], repaired: [], advice: '', checkedAt: now, consistent };
}

/** Pause all trading (as trading.pause does) with the dedup-lost reason, saved and announced. */
function pauseTrading(ctx: ServiceContext): void {
  if (ctx.trading.paused && ctx.trading.reason === DEDUP_LOST_REASON) return;
  ctx.trading.paused = true;
  ctx.trading.reason = DEDUP_LOST_REASON;
  let saved = true;
  try {
    ctx.db.setSetting('trading', JSON.stringify(ctx.trading));
  } catch {
    saved = false;
  }
  ctx.log.warn(`trading paused: ${DEDUP_LOST_REASON}`);
  ctx.notify('trading.changed', { paused: true, saved, reason: DEDUP_LOST_REASON });
}

/** Run at unlock; never lets a failure of the check stop the unlock (it is logged). */
export function reconcileAtUnlock(ctx: ServiceContext): void {
  try {
    reconcile(ctx);
  } catch (err) {
    ctx.log.error(`integrity: the vault ↔ state check failed: ${errorDetail(err)}`);
  }
}
