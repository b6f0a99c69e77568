/**
 * What stops an order from leaving for a connection: trading paused (pause-all), the connection
 * gone, paused, or blocked by its last audit, the vault locked. The engine asks before a signal is
 * prepared; `placeOrder` asks again right before every send of an entry (`sendProblem`), so a
 * pause (or a switch to dry-run) holds back orders already journaled too — a signal between its checks and its send, an
 * order proven absent that would be sent again, an intent a crash left for the next unlock. Look-ups
 * still run (they send nothing), and protective legs are never held back: they guard a position
 * that is already open.
 */
import type { Connection } from '../../../protocol/methods.js';
import type { ServiceContext } from '../handlers/context.js';
import { reject, type Rejection } from './risk.js';

export const PAUSED_MESSAGE = 'trading is paused (pause-all)';

/** The connection's own reasons not to trade (it was read by the caller). */
export function connectionProblem(
  ctx: Pick<ServiceContext, 'vault'>,
  c: Connection | null,
  connectionId: string,
): Rejection | null {
  if (!c)
    return reject('connection-missing', `the route's connection ${connectionId} no longer exists`);
  if (c.pausedReason)
    return reject('connection-paused', `the connection is paused: ${c.pausedReason}`);
  if (c.lastAudit?.verdict === 'block')
    return reject('audit-blocked', "the connection's last audit blocks its key");
  if (ctx.vault.state() !== 'unlocked')
    return reject('vault-locked', 'the vault is locked: unlock it to trade');
  return null;
}

/**
 * Asked right before a live entry is sent: pause-all, then the connection as it is now — also
 * switched to dry-run since the order was journaled live.
 */
export function sendProblem(
  ctx: Pick<ServiceContext, 'vault' | 'trading' | 'db'>,
  connectionId: string,
): Rejection | null {
  if (ctx.trading.paused) return reject('paused', PAUSED_MESSAGE);
  const c = ctx.db.getConnection(connectionId);
  if (c && c.mode !== 'live')
    return reject('not-placed', 'the connection was switched to dry-run since the signal came');
  return connectionProblem(ctx, c, connectionId);
}
