/**
 * A swap entry's protective legs (stop-loss, take-profit): journaled with the entry, each under
 * its own derived client id, and sent exactly once.
 *
 * - `attached` exchanges (the adapter says so) take them in the entry's own request: once the
 *   entry is placed, so are they, and the exchange links them (one fires, the other goes).
 * - `separate` exchanges get reduce-only trigger orders after the entry, each through placeOrder
 *   (look up before any resend). They are not linked on the exchange: the reconciliation (at every
 *   unlock and every minute) reads the position back and cancels the legs whose position is gone,
 *   which is also how a take-profit that fired cancels its stop-loss. A leg journaled but never
 *   sent (a crash between the entry and its stop-loss) is sent then, while its position is open.
 */
import type { Exchange } from 'ccxt';
import { fmt, mul, mulCeil, type Dec } from '../../../lib/decimal.js';
import { errorDetail } from '../../../lib/error-text.js';
import type { Connection } from '../../../protocol/methods.js';
import { adapterFor, type ExchangeAdapter } from '../exchange/adapters/index.js';
import type { ProtectiveLeg } from '../exchange/adapters/adapter.js';
import { readOpenPosition } from '../exchange/positions.js';
import type { ServiceContext } from '../handlers/context.js';
import type { OrderIntent, OrderRow, TradingStore } from '../store/trading-store.js';
import type { ClientPool } from './client-pool.js';
import { placeOrder, type SendTiming } from './place-order.js';
import type { SwapPlan } from './swap-plan.js';

/**
 * A leg stays wanted as long as its position is open, whatever the signal's time to live: it is
 * never refused as stale (placeOrder), only closed by the reconciliation when the position is gone.
 */
export const LEG_EXPIRES_AT = Number.MAX_SAFE_INTEGER;

/** The legs to journal with an entry (none for a reduce-only order). Pure. */
export function legIntents(
  entry: OrderIntent,
  plan: Pick<SwapPlan, 'contracts' | 'stopLoss' | 'takeProfit'>,
  contractSize: Dec,
  idFor: (tag: 'sl' | 'tp') => string,
): OrderIntent[] {
  const legs: OrderIntent[] = [];
  const base = mul(plan.contracts, contractSize);
  for (const [role, tag, trigger] of [
    ['stop-loss', 'sl', plan.stopLoss],
    ['take-profit', 'tp', plan.takeProfit],
  ] as const) {
    if (trigger === undefined) continue;
    legs.push({
      ...entry,
      clientOrderId: idFor(tag),
      side: entry.side === 'buy' ? 'sell' : 'buy',
      type: 'market',
      amount: fmt(plan.contracts),
      size: fmt(base),
      price: null,
      quote: fmt(mulCeil(base, trigger)),
      expiresAt: LEG_EXPIRES_AT,
      role,
      parentId: entry.clientOrderId,
      triggerPrice: fmt(trigger),
      reduceOnly: true,
      leverage: null,
    });
  }
  return legs;
}

/** Journaled legs as the adapter sends them. */
export function attachedLegsOf(legs: readonly OrderRow[]): ProtectiveLeg[] {
  return legs.flatMap((l) =>
    l.role === 'stop-loss' || l.role === 'take-profit'
      ? [{ role: l.role, triggerPrice: Number(l.triggerPrice) }]
      : [],
  );
}

/** The position side a leg protects: a sell closes a long. */
const protects = (leg: OrderRow): 'long' | 'short' => (leg.side === 'sell' ? 'long' : 'short');

const unsettled = (o: OrderRow): boolean => o.state === 'intent' || o.state === 'unknown';

export class ProtectiveLegs {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly store: TradingStore,
    private readonly pool: ClientPool,
    private readonly timing: SendTiming,
  ) {}

  /** After the entry is placed: its legs recorded (attached) or sent (separate), each once. */
  async settle(client: Exchange, c: Connection, entry: OrderRow): Promise<void> {
    const legs = this.store.legsOf(entry.clientOrderId).filter(unsettled);
    if (legs.length === 0) return;
    const adapter = adapterFor(c.exchange);
    if (adapter.protectiveStyle === 'attached') {
      for (const leg of legs)
        this.notify(
          this.store.updateOrder(leg.clientOrderId, {
            state: 'placed',
            exchangeOrderId: null,
            error: null,
          }),
        );
      return;
    }
    // A resting limit entry has no position to protect yet: its legs wait for the fill (the
    // reconciliation sends them). A look-up that fails proves nothing: they wait as well.
    if (entry.type === 'limit') {
      const waiting = await this.entryStillOpen(client, adapter, entry).catch((err: unknown) => {
        this.ctx.log.warn(`could not read ${entry.clientOrderId} on ${c.id}: ${errorDetail(err)}`);
        return true;
      });
      if (waiting) return;
    }
    for (const leg of legs) await this.place(client, c, adapter, leg);
  }

  /** One separate leg through placeOrder: looked up by its client id before any resend. */
  private async place(
    client: Exchange,
    c: Connection,
    adapter: ExchangeAdapter,
    leg: OrderRow,
  ): Promise<void> {
    const outcome = await placeOrder(client, c.exchange, leg, {
      params: adapter.legParams({
        marginMode: leg.marginMode ?? 'isolated',
        leg: { role: leg.role as ProtectiveLeg['role'], triggerPrice: Number(leg.triggerPrice) },
      }),
      find: async (cl, symbol, id) => {
        const r = await adapter.findTriggerOrderByClientId(cl, symbol, id);
        return r.found ? { found: true, exchangeOrderId: r.exchangeOrderId } : { found: false };
      },
      onSend: () => this.store.recordAttempt(leg.clientOrderId),
      timing: this.timing,
    });
    if (outcome.state === 'placed') {
      this.notify(
        this.store.updateOrder(leg.clientOrderId, {
          state: 'placed',
          exchangeOrderId: outcome.exchangeOrderId,
          error: null,
        }),
      );
      return;
    }
    const unprotected =
      leg.role === 'stop-loss' && outcome.state === 'failed'
        ? `; the ${leg.symbol} position on ${c.id} has no stop-loss: protect it on the exchange`
        : '';
    this.ctx.log.warn(
      `${leg.role} ${leg.clientOrderId} on ${c.id} ${outcome.state === 'unknown' ? 'is unconfirmed' : 'failed'}: ${outcome.message}${unprotected}`,
    );
    this.notify(
      this.store.updateOrder(leg.clientOrderId, {
        state: outcome.state,
        error: outcome.message + unprotected,
      }),
    );
  }

  /** Connections with live legs that may still work (for the reconciliation). */
  connectionsWithOpenLegs(): string[] {
    return [...new Set(this.store.openLegs().map((l) => l.connectionId))];
  }

  /**
   * One connection's legs against its positions: legs not yet sent go out while their position
   * is open; legs whose position is gone are cancelled (separate) or marked closed (attached,
   * which the exchange removed with the position). Run in the connection's queue.
   */
  async reconcile(c: Connection): Promise<void> {
    const legs = this.store.openLegs().filter((l) => l.connectionId === c.id);
    if (legs.length === 0) return;
    const client = await this.pool.get(c, this.ctx.vault.read().connections[c.id]!, 'swap');
    const adapter = adapterFor(c.exchange);
    const positions = new Map<string, Awaited<ReturnType<typeof readOpenPosition>>>();
    for (const leg of legs) {
      const entry = leg.parentId ? this.store.order(leg.parentId) : null;
      if (!entry || entry.state !== 'placed') continue; // its entry settles first (engine)
      if (!positions.has(leg.symbol))
        positions.set(leg.symbol, await readOpenPosition(client, leg.symbol));
      const position = positions.get(leg.symbol) ?? null;
      const open = position !== null && position.side === protects(leg);
      if (open) {
        if (unsettled(leg)) await this.settle(client, c, entry);
        continue;
      }
      if (entry.type === 'limit' && (await this.entryStillOpen(client, adapter, entry))) continue;
      await this.close(client, c, adapter, leg);
    }
  }

  /** The leg's position is gone: cancel it where it may still wait, and record why. */
  private async close(
    client: Exchange,
    c: Connection,
    adapter: ExchangeAdapter,
    leg: OrderRow,
  ): Promise<void> {
    if (adapter.protectiveStyle === 'attached' || leg.state === 'intent') {
      // Attached: the exchange removed it with its position. Never sent: nothing to cancel,
      // and nothing is sent for a position that no longer exists.
      const why =
        leg.state === 'intent'
          ? 'its position was closed before it was sent; nothing was sent'
          : 'its position is closed; the exchange removes attached legs with it';
      if (leg.state === 'intent')
        this.store.updateOrder(leg.clientOrderId, { state: 'failed', error: why });
      this.notify(this.store.closeLeg(leg.clientOrderId, why));
      return;
    }
    try {
      const found = await adapter.findTriggerOrderByClientId(client, leg.symbol, leg.clientOrderId);
      let why = 'its position is closed and the exchange no longer has it';
      if (found.found && found.open) {
        await adapter.cancelTriggerOrder(client, leg.symbol, leg.clientOrderId);
        why = 'cancelled: its position is closed';
      } else if (found.found) {
        why = 'it fired or ended on the exchange';
        if (leg.state === 'unknown')
          this.store.updateOrder(leg.clientOrderId, {
            state: 'placed',
            exchangeOrderId: found.exchangeOrderId,
            error: null,
          });
      } else if (leg.state === 'unknown') {
        this.store.updateOrder(leg.clientOrderId, { state: 'failed', error: why });
      }
      this.notify(this.store.closeLeg(leg.clientOrderId, why));
    } catch (err) {
      // Unreachable or refused: the leg stays open in the journal and is tried again next time.
      this.ctx.log.warn(
        `could not close ${leg.role} ${leg.clientOrderId} on ${c.id}: ${errorDetail(err)}`,
      );
    }
  }

  private async entryStillOpen(
    client: Exchange,
    adapter: ExchangeAdapter,
    entry: OrderRow,
  ): Promise<boolean> {
    const r = await adapter.findOrderByClientId(client, entry.symbol, entry.clientOrderId);
    return r.found && adapter.isOpenStatus(r.status);
  }

  private notify(order: OrderRow): void {
    this.ctx.notify('order.updated', order);
  }
}
