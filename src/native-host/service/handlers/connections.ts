/**
 * connections.add / list / remove / audit / rotate. Secrets go to the vault, everything else to
 * the state DB. A key is audited with the exchange before it is stored; a "block" verdict stores
 * nothing (KEY_UNSAFE). Writes keep vault and DB consistent: the vault first, the DB row only once
 * the secret is safely stored (the secret is rolled back if the row cannot be written).
 */
import { randomBytes } from 'node:crypto';
import { profileFor } from '../../../exchanges/index.js';
import type { Audit } from '../../../exchanges/types.js';
import { RpcError } from '../../../protocol/jsonrpc.js';
import type {
  AddConnectionResult,
  Connection,
  Credentials,
  RotateConnectionResult,
} from '../../../protocol/methods.js';
import { paramsObject } from '../../../protocol/methods.js';
import {
  apiKeyHint,
  parseAddConnection,
  parseCredentialsParam,
  parseId,
} from '../../../protocol/params.js';
import {
  attachGeneratedKey,
  generatedKeyError,
  resolveCredentials,
} from '../keys/generated-keys.js';
import { auditCredentials, connectionNeeds } from '../connection-audit.js';
import { metaOf, type VaultConnectionMeta } from '../integrity/check.js';
import type { StoredCredentials } from '../vault/vault.js';
import { unsafeKeyError } from '../exchange/key-audit.js';
import type { HandlerGroup } from '../../ipc/rpc-server.js';
import { pauseAfterAudit, pauseAfterFailedAudit } from '../withdraw-gate.js';
import type { ServiceContext } from './context.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function newConnectionId(): string {
  let id = 'c_';
  for (const b of randomBytes(12)) id += BASE62[b % 62];
  return id;
}

/**
 * KEY_DUPLICATE when another connection holds this API key. A key the vault keeps without a
 * connection (its row was lost with the state DB and could not be rebuilt) names no connection:
 * its vault id is returned, and connections.add takes it over as the same connection.
 */
function refuseDuplicate(ctx: ServiceContext, apiKey: string, except?: string): string | null {
  for (const [otherId, creds] of Object.entries(ctx.vault.read().connections)) {
    if (creds.apiKey !== apiKey || otherId === except) continue;
    const other = ctx.db.getConnection(otherId);
    if (!other) return otherId;
    throw new RpcError(
      'KEY_DUPLICATE',
      `this API key is already connected as "${other.label}". Use one key per bot: create a separate key for each tool, so a compromised key can be revoked without affecting the others.`,
      { connectionId: otherId },
    );
  }
  return null;
}

/**
 * A vault entry: the secret, and what the vault records about its connection so that the row can
 * be rebuilt if the state DB is lost (integrity/check.ts). Neither is ever sent to a client.
 */
function vaultEntry(credentials: Credentials, meta: VaultConnectionMeta): StoredCredentials {
  const entry: StoredCredentials & { meta: VaultConnectionMeta } = { ...credentials, meta };
  return entry;
}

function requireConnection(ctx: ServiceContext, id: string): Connection {
  const c = ctx.db.getConnection(id);
  if (!c)
    throw new RpcError(
      'NOT_FOUND',
      `no connection ${id}; see the connections list (popup, or "sentinel-host connections list")`,
    );
  return c;
}

function credentialsOf(ctx: ServiceContext, id: string): Credentials {
  const creds = ctx.vault.read().connections[id];
  if (!creds)
    throw new RpcError(
      'NOT_FOUND',
      `the vault holds no key for ${id}; remove the connection and add it again`,
    );
  return creds;
}

/**
 * Store an audit result, pause on "block" — and a live connection whose withdrawals the audit did
 * not prove off (withdraw-gate.ts) — and tell every client.
 */
function recordAudit(
  ctx: ServiceContext,
  id: string,
  audit: Audit,
  key?: { apiKeyHint: string; keyCreatedAt?: string },
): Connection {
  const before = requireConnection(ctx, id);
  ctx.db.recordAudit(id, audit, key);
  const action = pauseAfterAudit(before, audit, key !== undefined);
  if (action.kind === 'pause') {
    ctx.db.setPaused(id, action.reason);
    ctx.log.warn(
      `connection ${id} paused: ${audit.verdict === 'block' ? 'audit verdict block' : 'withdrawals not proven off'}`,
    );
  } else if (action.kind === 'lift' && before.pausedReason) {
    ctx.db.setPaused(id, null); // a new key that passes, or withdrawals proven off again
    ctx.log.info(`connection ${id}: pause lifted by the audit`);
  }
  const connection = requireConnection(ctx, id);
  ctx.notify('connection.audited', { connection, audit });
  return connection;
}

/**
 * Audit a stored connection again with its stored key; records the result (pausing on block, or a
 * live connection whose withdrawals it could not prove off). A re-audit that fails outright read
 * no permissions either: a live connection is paused before the error goes back to the caller.
 */
export async function reauditConnection(ctx: ServiceContext, id: string): Promise<Audit> {
  const c = requireConnection(ctx, id);
  // No secret in the vault: nothing was asked of the exchange, so no pause changes (integrity/).
  const credentials = credentialsOf(ctx, id);
  let audit: Audit;
  try {
    ({ audit } = await auditCredentials(ctx, {
      exchange: c.exchange,
      environment: c.environment,
      ...(c.endpoint ? { endpoint: c.endpoint } : {}),
      credentials,
      needs: connectionNeeds(ctx, c),
    }));
  } catch (err) {
    const problem =
      err instanceof RpcError ? err.message : 'the audit failed inside Sentinel (see the log)';
    const action = pauseAfterFailedAudit(ctx.db.getConnection(id) ?? c, problem);
    if (action.kind === 'pause') {
      ctx.db.setPaused(id, action.reason);
      ctx.log.warn(`connection ${id} paused: its re-audit failed, withdrawals not proven off`);
      ctx.notify('connection.audited', { connection: ctx.db.getConnection(id), audit: null });
    }
    throw err;
  }
  recordAudit(ctx, id, audit);
  return audit;
}

/** connections.setMode is with the trading switch (trading.ts): it decides whether orders go out. */
export type ConnectionMethod =
  | 'connections.list'
  | 'connections.add'
  | 'connections.audit'
  | 'connections.rotate'
  | 'connections.remove';

export function connectionHandlers(ctx: ServiceContext) {
  return {
    'connections.list': (): Connection[] => ctx.db.listConnections(),

    'connections.add': async (params): Promise<AddConnectionResult> => {
      const p = parseAddConnection(params);
      // Also VAULT_LOCKED / VAULT_ABSENT before any network call.
      const kept = refuseDuplicate(ctx, p.credentials.apiKey);
      // A generated key: its private key from the vault becomes the secret (keys/generated-keys.ts).
      const { credentials, keyId } = resolveCredentials(ctx, p.exchange, p.credentials);
      const endpoint = p.endpoint ?? ctx.config.endpoints[p.exchange];
      const needs = p.needs ?? {};
      const { audit } = await auditCredentials(ctx, {
        exchange: p.exchange,
        environment: p.environment,
        credentials,
        needs,
        ...(endpoint ? { endpoint } : {}),
      }).catch((err: unknown) => {
        throw keyId ? generatedKeyError(err, p.exchange, keyId) : err;
      });
      if (audit.verdict === 'block') throw unsafeKeyError(audit);
      // The audit took time: check again.
      const again = refuseDuplicate(ctx, p.credentials.apiKey);
      const connection: Connection = {
        id: again ?? kept ?? newConnectionId(),
        exchange: p.exchange,
        label: p.label,
        environment: p.environment,
        ...(endpoint ? { endpoint } : {}),
        mode: 'dry-run', // new connections never send orders until the user switches them live
        apiKeyHint: apiKeyHint(p.credentials.apiKey),
        createdAt: new Date().toISOString(),
        ...(audit.keyCreatedAt ? { keyCreatedAt: audit.keyCreatedAt } : {}),
        lastAudit: audit,
        needs,
      };
      if (again)
        ctx.log.warn(
          `integrity: the vault kept this key as ${again} without a connection; added as that connection again`,
        );
      const generated = keyId ? ctx.vault.read().generatedKeys?.[keyId] : undefined;
      await ctx.vault.update((draft) => {
        attachGeneratedKey(draft, keyId); // the generated entry goes in the same save
        draft.connections[connection.id] = vaultEntry(credentials, metaOf(connection));
      });
      try {
        ctx.db.insertConnection(connection);
      } catch (err) {
        await ctx.vault.update((draft) => {
          delete draft.connections[connection.id];
          if (keyId && generated) (draft.generatedKeys ??= {})[keyId] = generated;
        });
        throw err;
      }
      ctx.log.info(
        `connection ${connection.id} added (${connection.exchange}, ${connection.environment}, ${audit.verdict})${keyId ? ` with generated key ${keyId}` : ''}`,
      );
      return { connection, audit };
    },

    'connections.audit': (params): Promise<Audit> =>
      reauditConnection(ctx, parseId('connections.audit', params)),

    // Rotation as the seed describes it: the new key is verified first and replaces the old one
    // only if it passes; then the user deletes the old key on the exchange.
    'connections.rotate': async (params): Promise<RotateConnectionResult> => {
      const id = parseId('connections.rotate', params);
      const c = requireConnection(ctx, id);
      const given = parseCredentialsParam(
        c.exchange,
        paramsObject('connections.rotate', params).credentials,
      );
      if (credentialsOf(ctx, id).apiKey === given.apiKey) {
        throw new RpcError(
          'INVALID_PARAMS',
          'this is the key already in use: create a new key on the exchange first, then rotate to it',
        );
      }
      const orphan = refuseDuplicate(ctx, given.apiKey, id);
      if (orphan) {
        throw new RpcError(
          'KEY_DUPLICATE',
          `this API key is kept in the vault (as ${orphan}) without a connection: remove that with "sentinel-host connections remove ${orphan}" first, then rotate to it`,
          { vaultEntry: orphan },
        );
      }
      const { credentials, keyId } = resolveCredentials(ctx, c.exchange, given);
      const { audit } = await auditCredentials(ctx, {
        exchange: c.exchange,
        environment: c.environment,
        ...(c.endpoint ? { endpoint: c.endpoint } : {}),
        credentials,
        needs: connectionNeeds(ctx, c),
      }).catch((err: unknown) => {
        throw keyId ? generatedKeyError(err, c.exchange, keyId) : err;
      });
      if (audit.verdict === 'block') throw unsafeKeyError(audit);
      await ctx.vault.update((draft) => {
        attachGeneratedKey(draft, keyId);
        draft.connections[id] = vaultEntry(credentials, metaOf(c));
      });
      const connection = recordAudit(ctx, id, audit, {
        apiKeyHint: apiKeyHint(credentials.apiKey),
        ...(audit.keyCreatedAt ? { keyCreatedAt: audit.keyCreatedAt } : {}),
      });
      const profile = profileFor(c.exchange);
      ctx.log.info(
        `connection ${id} rotated to a new key (${audit.verdict})${keyId ? ` with generated key ${keyId}` : ''}`,
      );
      return {
        connection,
        audit,
        apiPageUrl: profile.apiPageUrl,
        reminder: `The new key is in use. Now delete the old key (${c.apiKeyHint}) on ${profile.name}'s API Management page: ${profile.apiPageUrl}`,
      };
    },

    'connections.remove': async (params) => {
      const id = parseId('connections.remove', params);
      // A key the vault keeps without a connection (the state was lost) can be erased too.
      const keptOnly =
        !ctx.db.getConnection(id) &&
        ctx.vault.state() === 'unlocked' &&
        ctx.vault.read().connections[id] !== undefined;
      if (!keptOnly && !ctx.db.getConnection(id)) {
        throw new RpcError(
          'NOT_FOUND',
          `no connection ${id}; see the connections list (popup, or "sentinel-host connections list")${ctx.vault.state() === 'locked' ? ' (a key kept only in the vault can be removed once it is unlocked)' : ''}`,
        );
      }
      await ctx.vault.update((draft) => {
        delete draft.connections[id];
      });
      ctx.db.deleteConnection(id);
      ctx.log.info(`connection ${id} removed`);
      ctx.notify('connection.removed', { id });
      return {};
    },
  } satisfies HandlerGroup<ConnectionMethod>;
}
