/** trading.pause / trading.resume (all execution, at once) and connections.setMode. */
import { RpcError } from '../../../protocol/jsonrpc.js';
import {
  paramsObject,
  type Connection,
  type TradingSwitchResult,
} from '../../../protocol/methods.js';
import { parseId } from '../../../protocol/params.js';
import type { HandlerGroup } from '../../ipc/rpc-server.js';
import { liveRefusal } from '../withdraw-gate.js';
import type { ServiceContext } from './context.js';
import { errorMessage } from '../../../lib/error-text.js';

/** Longest piece of a storage error quoted in a warning (SQLite's are short; anything else is cut). */
const MAX_PROBLEM = 200;

/**
 * trading.pause / trading.resume: the switch acts in memory first — the engine reads
 * ctx.trading before every order — then is saved so that it survives a restart. A save that
 * fails (full disk, read-only data folder) must not hide a pause that already holds, so the
 * answer says so in `saved` / `warning` instead of failing with INTERNAL.
 */
export type TradingMethod = 'trading.pause' | 'trading.resume' | 'connections.setMode';

export function tradingHandlers(ctx: ServiceContext) {
  const save = (): { saved: true } | { saved: false; problem: string } => {
    try {
      ctx.db.setSetting('trading', JSON.stringify(ctx.trading));
      return { saved: true };
    } catch (err) {
      const text = errorMessage(err);
      return { saved: false, problem: text.slice(0, MAX_PROBLEM) };
    }
  };
  const switched = (saving: ReturnType<typeof save>, unsaved: (problem: string) => string) => {
    const result = saving.saved
      ? { paused: ctx.trading.paused, saved: true }
      : { paused: ctx.trading.paused, saved: false, warning: unsaved(saving.problem) };
    if (!result.saved)
      ctx.log.error(`trading ${result.paused ? 'pause' : 'resume'} not saved: ${result.warning}`);
    ctx.notify('trading.changed', { ...result, reason: ctx.trading.reason ?? null });
    return result;
  };
  const fix = "Free some disk space, or make Sentinel's data folder (SENTINEL_HOME) writable again";
  return {
    'trading.pause': (params): TradingSwitchResult<true> => {
      const reason = paramsObject('trading.pause', params).reason;
      if (reason !== undefined && (typeof reason !== 'string' || reason.length > 200)) {
        throw new RpcError(
          'INVALID_PARAMS',
          'trading.pause: "reason" must be a string of at most 200 characters',
        );
      }
      ctx.trading.paused = true; // in memory first: no order leaves from here on
      ctx.trading.reason = reason ?? 'paused by the user';
      ctx.log.warn(`trading paused: ${ctx.trading.reason}`);
      const result = switched(
        save(),
        (problem) =>
          `trading is paused, but the pause could not be saved to disk: ${problem}; it holds until the service stops. ${fix}, then pause again so that the pause survives a restart.`,
      );
      return { ...result, paused: true };
    },
    'trading.resume': (_params): TradingSwitchResult<false> => {
      ctx.trading.paused = false;
      delete ctx.trading.reason;
      ctx.log.info('trading resumed');
      const result = switched(
        save(),
        (problem) =>
          `trading is resumed, but this could not be saved to disk: ${problem}; it holds until the service stops, and after a restart the service goes back to the last state it saved (paused, if a pause was saved). ${fix}, then resume again to save it.`,
      );
      return { ...result, paused: false };
    },
    'connections.setMode': (params): Connection => {
      const id = parseId('connections.setMode', params);
      const mode = paramsObject('connections.setMode', params).mode;
      if (mode !== 'dry-run' && mode !== 'live')
        throw new RpcError('INVALID_PARAMS', 'mode must be "dry-run" or "live"');
      const c = ctx.db.getConnection(id);
      if (!c)
        throw new RpcError(
          'NOT_FOUND',
          `no connection ${id}; see the connections list (popup, or "sentinel-host connections list")`,
        );
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
  } satisfies HandlerGroup<TradingMethod>;
}
