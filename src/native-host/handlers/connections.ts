/**
 * connections.add / list / remove: secrets go to the vault, everything else to the state DB.
 * Order of writes keeps the two consistent: the vault first; the DB row only once the secret is
 * safely stored (and the secret rolled back if the row cannot be written).
 */
import { randomBytes } from 'node:crypto';
import { RpcError } from '../../protocol/jsonrpc.js';
import type { AddConnectionResult, Connection } from '../../protocol/methods.js';
import { apiKeyHint, parseAddConnection, parseId } from '../../protocol/params.js';
import type { HandlerTable } from '../rpc-server.js';
import type { ServiceContext } from './context.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function newConnectionId(): string {
  const bytes = randomBytes(16);
  let id = 'c_';
  for (const b of bytes.subarray(0, 12)) id += BASE62[b % 62];
  return id;
}

export function connectionHandlers(ctx: ServiceContext): HandlerTable {
  return {
    'connections.list': (): Connection[] => ctx.db.listConnections(),

    'connections.add': async (params): Promise<AddConnectionResult> => {
      const p = parseAddConnection(params);
      const stored = ctx.vault.read(); // VAULT_LOCKED / VAULT_ABSENT before anything else
      for (const [otherId, creds] of Object.entries(stored.connections)) {
        if (creds.apiKey !== p.credentials.apiKey) continue;
        const other = ctx.db.getConnection(otherId);
        throw new RpcError(
          'KEY_DUPLICATE',
          `this API key is already connected${other ? ` as "${other.label}"` : ''}. Use one key per bot: create a separate key for each tool, so a compromised key can be revoked without affecting the others.`,
          { connectionId: otherId },
        );
      }
      const endpoint = p.endpoint ?? ctx.config.endpoints[p.exchange];
      const connection: Connection = {
        id: newConnectionId(),
        exchange: p.exchange,
        label: p.label,
        environment: p.environment,
        ...(endpoint ? { endpoint } : {}),
        mode: 'dry-run', // new connections never send orders until the user switches them live
        apiKeyHint: apiKeyHint(p.credentials.apiKey),
        createdAt: new Date().toISOString(),
        needs: p.needs ?? {},
      };
      await ctx.vault.update((draft) => {
        draft.connections[connection.id] = { ...p.credentials };
      });
      try {
        ctx.db.insertConnection(connection);
      } catch (err) {
        await ctx.vault.update((draft) => {
          delete draft.connections[connection.id];
        });
        throw err;
      }
      ctx.log.info(
        `connection ${connection.id} added (${connection.exchange}, ${connection.environment})`,
      );
      return {
        connection,
        audit: null,
        notice:
          'Stored encrypted, in dry-run mode. The key has not been checked with the exchange yet: the audit of its permissions is not part of this version.',
      };
    },

    'connections.remove': async (params) => {
      const id = parseId('connections.remove', params);
      const existing = ctx.db.getConnection(id);
      if (!existing)
        throw new RpcError('NOT_FOUND', `no connection ${id}; list them with connections.list`);
      await ctx.vault.update((draft) => {
        delete draft.connections[id];
      });
      ctx.db.deleteConnection(id);
      ctx.log.info(`connection ${id} removed`);
      return {};
    },
  };
}
