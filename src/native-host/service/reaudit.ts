/**
 * Keys can change behind our back (someone ticks "Enable Withdrawals" on the exchange's page), so
 * the service audits every connection again when the vault is unlocked and every few hours.
 * A key the exchange now rejects is paused, like one whose audit turns "block".
 *
 * A live connection paused because an audit could not prove withdrawals off (the exchange did not
 * answer, say) waits for no six-hour round: those connections alone are audited again after
 * 5 minutes, then 10, 20, … up to the regular interval, so the pause lifts soon after the
 * exchange answers again (withdraw-gate.ts lifts it once an audit proves withdrawals off).
 */
import { RpcError } from '../../protocol/jsonrpc.js';
import { reauditConnection } from './handlers/connections.js';
import type { ServiceContext } from './handlers/context.js';
import { isUnprovenPause } from './withdraw-gate.js';
import { errorMessage } from '../../lib/error-text.js';
import { changedNeeds } from './futures-need.js';

export interface Reaudits {
  /** Run soon (coalesced with a run already under way). */
  trigger(): void;
  /** Resolves when the current run, if any, is over. */
  idle(): Promise<void>;
  stop(): void;
}

export function startReaudits(
  ctx: ServiceContext,
  intervalMs: number,
  /** The first wait before the paused live connections are audited again (config: 5 min). */
  retryBaseMs: number,
): Reaudits {
  let running: Promise<void> | null = null;
  let again: 'all' | 'waiting' | null = null;
  let retryMs = retryBaseMs;
  let retryTimer: NodeJS.Timeout | undefined;

  const waiting = () =>
    ctx.db.listConnections().filter((c) => c.mode === 'live' && isUnprovenPause(c.pausedReason));

  const runAll = async (which: 'all' | 'waiting'): Promise<void> => {
    const list = which === 'all' ? ctx.db.listConnections() : waiting();
    for (const c of list) {
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

  /** After every run: audit the waiting connections again soon, backing off; or reset. */
  const scheduleRetry = (): void => {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    if (ctx.vault.state() !== 'unlocked' || waiting().length === 0) {
      retryMs = retryBaseMs;
      return;
    }
    ctx.log.info(`auditing paused live connections again in ${Math.round(retryMs / 1000)} s`);
    retryTimer = setTimeout(() => run('waiting'), retryMs);
    retryTimer.unref();
    retryMs = Math.min(retryMs * 2, intervalMs);
  };

  const run = (which: 'all' | 'waiting'): void => {
    if (ctx.vault.state() !== 'unlocked') return;
    if (running) {
      again = again === 'all' || which === 'all' ? 'all' : 'waiting';
      return;
    }
    running = runAll(which).finally(() => {
      running = null;
      const next = again;
      again = null;
      if (next) run(next);
      else scheduleRetry();
    });
  };
  const trigger = (): void => run('all');

  const timer = setInterval(trigger, intervalMs);
  timer.unref();
  // A pause can also come from an audit the user asked for (connections.audit): notice it.
  const watch = setInterval(
    () => {
      if (!running && !retryTimer) scheduleRetry();
    },
    Math.min(60_000, retryBaseMs),
  );
  watch.unref();
  return {
    trigger,
    idle: () => running ?? Promise.resolve(),
    stop: () => {
      clearInterval(timer);
      clearInterval(watch);
      clearTimeout(retryTimer);
    },
  };
}

/**
 * Audit again, in the background, the connections whose need for futures a subscription changed.
 * Each result is recorded and announced like any audit (connection.audited); a failure is logged.
 */
export function reauditChangedNeeds(
  ctx: ServiceContext,
  before: ReadonlySet<string>,
  after: ReadonlySet<string>,
): void {
  if (ctx.vault.state() !== 'unlocked') return; // the unlock audits every connection anyway
  for (const id of changedNeeds(before, after)) {
    if (!ctx.db.getConnection(id)) continue;
    ctx.log.info(
      `connection ${id}: ${after.has(id) ? 'a route now trades' : 'no route trades'} perpetual swaps; auditing it again`,
    );
    reauditConnection(ctx, id).catch((err: unknown) =>
      ctx.log.warn(`re-audit of ${id} after a routes change failed: ${errorMessage(err)}`),
    );
  }
}
