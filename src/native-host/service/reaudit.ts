/**
 * Keys can change behind our back (someone ticks "Enable Withdrawals" on the exchange's page), so
 * the service audits every connection again when the vault is unlocked and every few hours.
 * A key the exchange now rejects is paused, like one whose audit turns "block".
 */
import { RpcError } from '../../protocol/jsonrpc.js';
import { reauditConnection } from './handlers/connections.js';
import type { ServiceContext } from './handlers/context.js';
import { errorMessage } from '../../lib/error-text.js';

export interface Reaudits {
  /** Run soon (coalesced with a run already under way). */
  trigger(): void;
  /** Resolves when the current run, if any, is over. */
  idle(): Promise<void>;
  stop(): void;
}

export function startReaudits(ctx: ServiceContext, intervalMs: number): Reaudits {
  let running: Promise<void> | null = null;
  let again = false;

  const runAll = async (): Promise<void> => {
    for (const c of ctx.db.listConnections()) {
      if (ctx.vault.state() !== 'unlocked') return;
      try {
        await reauditConnection(ctx, c.id);
      } catch (err) {
        const reason = err instanceof RpcError ? err.reason : 'INTERNAL';
        ctx.log.warn(`re-audit of ${c.id} failed: ${reason}`);
        if (reason === 'KEY_REJECTED') {
          ctx.db.setPaused(c.id, `the exchange rejected the key: ${errorMessage(err)}`);
          ctx.notify('connection.audited', { connection: ctx.db.getConnection(c.id), audit: null });
        }
      }
    }
  };

  const trigger = (): void => {
    if (ctx.vault.state() !== 'unlocked') return;
    if (running) {
      again = true;
      return;
    }
    running = runAll().finally(() => {
      running = null;
      if (again) {
        again = false;
        trigger();
      }
    });
  };

  const timer = setInterval(trigger, intervalMs);
  timer.unref();
  return {
    trigger,
    idle: () => running ?? Promise.resolve(),
    stop: () => clearInterval(timer),
  };
}
