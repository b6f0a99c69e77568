/**
 * The vault ↔ state DB consistency check, pure: given what the vault holds (by connection id) and
 * the DB's connection rows, what is wrong and what to do about it. The vault is the truth for
 * secrets, the DB for everything else; a secret without a row is rebuilt from what the vault
 * recorded about it (dry-run, not audited), a row without a secret is paused so it cannot trade.
 * Applied by reconcile.ts at every unlock; docs/security-model.md states the rule.
 */
import {
  EXCHANGE_IDS,
  type Environment,
  type ExchangeId,
  type Needs,
} from '../../../exchanges/types.js';
import type { Connection, IntegrityProblem } from '../../../protocol/methods.js';
import { ENVIRONMENTS, apiKeyHint } from '../../../protocol/params.js';

/**
 * What the vault records about a connection beside its secret (added with this check: vaults
 * written before it hold none, until their first unlock with a DB row to copy from). Enough to
 * rebuild the row when the state DB is lost. No secret, and nothing a client does not see anyway.
 */
export interface VaultConnectionMeta {
  exchange: ExchangeId;
  label: string;
  environment: Environment;
  endpoint?: string;
  createdAt?: string;
  needs?: Needs;
}

/** One vault entry as the check sees it: its id, its API key (for the hint) and its meta, if any. */
export interface VaultEntryView {
  id: string;
  apiKey: string;
  meta?: unknown;
}

export type RepairStep =
  | { kind: 'rebuild'; connection: Connection }
  | { kind: 'mark-no-secret'; id: string }
  | { kind: 'unmark-no-secret'; id: string }
  | { kind: 'record-meta'; id: string; meta: VaultConnectionMeta };

export interface CheckResult {
  problems: IntegrityProblem[];
  plan: RepairStep[];
}

/** The pause of a connection whose secret is not in the vault: nothing executes for it. */
export const NO_SECRET_REASON =
  'the vault holds no secret for this connection (vault and state disagree): it cannot trade. Remove it, then add its key again';

/** Trading's pause after the state DB (or its connections) was lost: the dedup record went too. */
export const DEDUP_LOST_REASON =
  'the state database was lost, and with it the record of signals already executed: a signal sent again could trade twice. Check open orders and positions on the exchange, then resume trading';

export function checkConsistency(input: {
  vault: readonly VaultEntryView[];
  rows: readonly Connection[];
  now: string;
}): CheckResult {
  const problems: IntegrityProblem[] = [];
  const plan: RepairStep[] = [];
  const rows = new Map(input.rows.map((r) => [r.id, r]));
  const secrets = new Set(input.vault.map((e) => e.id));

  for (const entry of input.vault) {
    const row = rows.get(entry.id);
    const meta = parseMeta(entry.meta);
    if (row) {
      if (!meta) plan.push({ kind: 'record-meta', id: entry.id, meta: metaOf(row) });
      if (row.pausedReason === NO_SECRET_REASON)
        plan.push({ kind: 'unmark-no-secret', id: entry.id });
      continue;
    }
    const hint = apiKeyHint(entry.apiKey);
    if (!meta) {
      problems.push({
        kind: 'secret-without-connection',
        connectionId: entry.id,
        rebuilt: false,
        since: input.now,
        message: `the vault holds a key (${hint}) as ${entry.id} with no connection, and no record of its exchange to rebuild one from: remove it, or add the same key again (it is recognised)`,
      });
      continue;
    }
    const connection: Connection = {
      id: entry.id,
      exchange: meta.exchange,
      label: meta.label,
      environment: meta.environment,
      ...(meta.endpoint ? { endpoint: meta.endpoint } : {}),
      mode: 'dry-run',
      apiKeyHint: hint,
      createdAt: meta.createdAt ?? input.now,
      needs: meta.needs ?? {},
    };
    plan.push({ kind: 'rebuild', connection });
    problems.push({
      kind: 'secret-without-connection',
      connectionId: entry.id,
      rebuilt: true,
      since: input.now,
      message: `the vault holds the key of "${meta.label}" (${meta.exchange}, ${meta.environment}, ${hint}) but the state had no connection for it: rebuilt from the vault, in dry-run, not audited yet`,
    });
  }

  for (const row of input.rows) {
    if (secrets.has(row.id)) continue;
    problems.push({
      kind: 'connection-without-secret',
      connectionId: row.id,
      since: input.now,
      message: `connection "${row.label}" (${row.id}, key ${row.apiKeyHint}) has no secret in the vault: it cannot trade. Remove it, then add its key again`,
    });
    if (row.pausedReason !== NO_SECRET_REASON) plan.push({ kind: 'mark-no-secret', id: row.id });
  }
  return { problems, plan };
}

/** The vault's record of a connection, from its DB row. */
export function metaOf(c: Connection): VaultConnectionMeta {
  return {
    exchange: c.exchange,
    label: c.label,
    environment: c.environment,
    ...(c.endpoint ? { endpoint: c.endpoint } : {}),
    createdAt: c.createdAt,
    ...(c.needs ? { needs: c.needs } : {}),
  };
}

/** A vault entry's meta if it is one this version can rebuild a row from; null otherwise. */
export function parseMeta(value: unknown): VaultConnectionMeta | null {
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  if (!(EXCHANGE_IDS as readonly unknown[]).includes(m.exchange)) return null;
  const exchange = m.exchange as ExchangeId;
  if (!(ENVIRONMENTS[exchange] as readonly unknown[]).includes(m.environment)) return null;
  if (typeof m.label !== 'string' || m.label.length === 0) return null;
  const needs =
    typeof m.needs === 'object' && m.needs !== null
      ? Object.fromEntries(
          (['futures', 'margin', 'options'] as const)
            .filter((k) => typeof (m.needs as Record<string, unknown>)[k] === 'boolean')
            .map((k) => [k, (m.needs as Record<string, boolean>)[k]]),
        )
      : undefined;
  return {
    exchange,
    label: m.label,
    environment: m.environment as Environment,
    ...(typeof m.endpoint === 'string' && m.endpoint ? { endpoint: m.endpoint } : {}),
    ...(typeof m.createdAt === 'string' ? { createdAt: m.createdAt } : {}),
    ...(needs ? { needs: needs as Needs } : {}),
  };
}
