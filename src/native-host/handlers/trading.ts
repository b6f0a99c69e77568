/** trading.pause / trading.resume (all execution, at once) and connections.setMode. */
import { RpcError } from '../../protocol/jsonrpc.js';
import { paramsObject, type Connection } from '../../protocol/methods.js';
import { parseId } from '../../protocol/params.js';
import type { HandlerTable } from '../rpc-server.js';
import { liveRefusal } from '../withdraw-gate.js';
import type { ServiceContext } from './context.js';

export function tradingHandlers(ctx: ServiceContext): HandlerTable {
  const changed = (): void =>
    ctx.notify('trading.changed', {
      paused: ctx.trading.paused,
      reason: ctx.trading.reason ?? null,
    });
  return {
    'trading.pause': (params) => {
      const reason = paramsObject('trading.pause', params).reason;
      if (reason !== undefined && (typeof reason !== 'string' || reason.length > 200)) {
        throw new RpcError(
          'INVALID_PARAMS',
          'trading.pause: "reason" must be a string of at most 200 characters',
        );
      }
      ctx.trading.paused = true;
      ctx.trading.reason = reason ?? 'paused by the user';
      ctx.db.setSetting('trading', JSON.stringify(ctx.trading));
      ctx.log.warn(`trading paused: ${ctx.trading.reason}`);
      changed();
      return { paused: true };
    },
    'trading.resume': () => {
      ctx.trading.paused = false;
      delete ctx.trading.reason;
      ctx.db.setSetting('trading', JSON.stringify(ctx.trading));
      ctx.log.info('trading resumed');
      changed();
      return { paused: false };
    },
    'connections.setMode': (params): Connection => {
      const id = parseId('connections.setMode', params);
      const mode = paramsObject('connections.setMode', params).mode;
      if (mode !== 'dry-run' && mode !== 'live')
        throw new RpcError('INVALID_PARAMS', 'mode must be "dry-run" or "live"');
      const c = ctx.db.getConnection(id);
      if (!c)
        throw new RpcError('NOT_FOUND', `no connection ${id}; list them with connections.list`);
      if (mode === 'live' && c.lastAudit?.verdict === 'block') {
        throw new RpcError(
          'KEY_UNSAFE',
          "this key's last audit blocks it: fix the key (see its checks) and audit again before going live",
          {
            audit: c.lastAudit,
          },
        );
      }
      // Fail closed: real orders only with a key whose withdrawals an audit proved off.
      const refusal = mode === 'live' ? liveRefusal(c) : null;
      if (refusal) throw new RpcError('KEY_UNSAFE', refusal, { audit: c.lastAudit ?? null });
      ctx.db.setMode(id, mode);
      ctx.log.info(`connection ${id} mode → ${mode}`);
      const updated = ctx.db.getConnection(id)!;
      ctx.notify('connection.audited', { connection: updated, audit: updated.lastAudit ?? null });
      return updated;
    },
  };
}
