/**
 * A signal on a linear perpetual (BTC/USDT:USDT), on one connection, exactly once: read the
 * market price and the open position (and the free margin for balancePct) → planSwapOrder → the
 * entry AND its protective legs journaled as intents in one transaction → margin mode and
 * leverage set (the adapter's prepareSwap, only before the first send) → the entry through
 * placeOrder (the one unknown-outcome rule) → the legs (attached to the entry's request, or
 * separate reduce-only trigger orders: protective-legs.ts). Dry-run journals the same rows as
 * simulated and sends nothing.
 */
import type { Exchange } from 'ccxt';
import { fmt, mul, parseDec, type Dec } from '../../../lib/decimal.js';
import { errorDetail } from '../../../lib/error-text.js';
import type { Connection } from '../../../protocol/methods.js';
import type { Signal as TradeSignal } from '../../../signals/signal.js';
import { adapterFor } from '../exchange/adapters/index.js';
import { explainCcxtError } from '../exchange/exchange-error.js';
import { readPositions } from '../exchange/positions.js';
import type { ServiceContext } from '../handlers/context.js';
import type { OrderRow, SubscriptionRow, TradingStore } from '../store/trading-store.js';
import type { ClientPool } from './client-pool.js';
import { marketRules } from './market-reads.js';
import { retryTransient } from '../exchange/read-retry.js';
import { signalIntent, signalOrderId } from './intent.js';
import type { RouteOutcome } from './outcome.js';
import { placeOrder, type SendTiming } from './place-order.js';
import { attachedLegsOf, legIntents, ProtectiveLegs } from './protective-legs.js';
import { reject, type RejectReason, type Rejection, type Route } from './risk.js';
import { sendProblem } from './send-checks.js';
import { planSwapOrder, type SwapPlan } from './swap-plan.js';

export class SwapExecutor {
  readonly legs: ProtectiveLegs;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly store: TradingStore,
    private readonly pool: ClientPool,
    private readonly timing: SendTiming,
  ) {
    this.legs = new ProtectiveLegs(ctx, store, pool, timing);
  }

  /** The connection's swap client (perpetual markets loaded). */
  client(c: Connection): Promise<Exchange> {
    return this.pool.get(c, this.ctx.vault.read().connections[c.id]!, 'swap');
  }

  /** The signal on one route; the connection was checked (exists, active, vault unlocked). */
  async execute(
    sub: SubscriptionRow,
    signal: TradeSignal,
    route: Route,
    c: Connection,
  ): Promise<RouteOutcome> {
    const entryId = signalOrderId(sub, signal, c);
    const client = await this.client(c);
    if (!this.store.order(entryId)) {
      const planned = await this.plan(client, c, signal, route);
      if ('reason' in planned) return { status: 'rejected', ...planned };
      const { plan, contractSize } = planned;
      const entry = {
        ...signalIntent(sub, signal, c, entryId),
        amount: fmt(plan.contracts),
        size: fmt(mul(plan.contracts, contractSize)),
        price: plan.price !== undefined ? fmt(plan.price) : null,
        quote: fmt(plan.worth),
        market: 'swap' as const,
        role: 'entry' as const,
        parentId: null,
        triggerPrice: null,
        reduceOnly: plan.reduceOnly,
        leverage: plan.leverage,
        marginMode: plan.marginMode,
      };
      const legs = legIntents(entry, plan, contractSize, (tag) =>
        signalOrderId(sub, signal, c, tag),
      );
      if (!this.store.journalWithLegs(entry, legs))
        this.ctx.log.warn(`order ${entryId} was journaled concurrently`);
    }
    return this.finish(client, c, this.store.order(entryId)!);
  }

  /** Settles a journaled swap row: an entry (then its legs), or a leg on its own (reconcile). */
  async finish(client: Exchange, c: Connection, order: OrderRow): Promise<RouteOutcome> {
    if (order.role && order.role !== 'entry') {
      const entry = order.parentId ? this.store.order(order.parentId) : null;
      if (entry) return this.finish(client, c, entry);
      return { status: 'rejected', ...reject('not-placed', 'a protective leg without its entry') };
    }
    const adapter = adapterFor(c.exchange);
    if (order.state === 'placed') {
      await this.legs.settle(client, c, order);
      return { status: order.mode === 'live' ? 'executed' : 'dry-run' };
    }
    if (order.state === 'simulated') return { status: 'dry-run' };
    if (order.state === 'failed')
      return { status: 'rejected', ...reject('not-placed', order.error ?? 'the order failed') };
    if (order.mode === 'dry-run') {
      this.notify(this.store.updateOrder(order.clientOrderId, { state: 'simulated' }));
      for (const leg of this.store.legsOf(order.clientOrderId))
        this.notify(this.store.updateOrder(leg.clientOrderId, { state: 'simulated' }));
      return { status: 'dry-run' };
    }
    const marginMode = order.marginMode ?? 'isolated';
    // Margin mode and leverage before the first send only: once a request may have left, the
    // order may exist, and changing the leverage under it is not ours to do.
    // A stale intent is failed by placeOrder without a send: nothing to set up for it either.
    // Held back (a pause) before the first send: nothing is set up either (placeOrder fails it).
    const held = order.attempts === 0 ? sendProblem(this.ctx, c.id) : null;
    if (!held && order.attempts === 0 && !order.reduceOnly && Date.now() <= order.expiresAt) {
      try {
        await adapter.prepareSwap(client, order.symbol, {
          leverage: order.leverage ?? 1,
          marginMode,
        });
      } catch (err) {
        const why =
          explainCcxtError(c.exchange, err)?.message ??
          (err instanceof Error && !/https?:\/\//.test(err.message)
            ? err.message
            : 'the exchange did not accept the margin mode or leverage');
        this.ctx.log.warn(`order ${order.clientOrderId} on ${c.id}: ${errorDetail(err)}`);
        return this.fail(order, `margin mode and leverage could not be set: ${why}`);
      }
    }
    const attachedLegs =
      adapter.protectiveStyle === 'attached'
        ? attachedLegsOf(this.store.legsOf(order.clientOrderId))
        : [];
    const outcome = await placeOrder(client, c.exchange, order, {
      params: adapter.entryParams({
        marginMode,
        reduceOnly: order.reduceOnly === true,
        attachedLegs,
      }),
      find: (cl, symbol, id) => adapter.findOrderByClientId(cl, symbol, id),
      onSend: () => this.store.recordAttempt(order.clientOrderId),
      maySend: () => sendProblem(this.ctx, c.id),
      timing: this.timing,
    });
    if (outcome.state === 'placed') {
      const placed = this.store.updateOrder(order.clientOrderId, {
        state: 'placed',
        exchangeOrderId: outcome.exchangeOrderId,
        error: null,
      });
      this.notify(placed);
      await this.legs.settle(client, c, placed);
      return { status: 'executed' };
    }
    this.ctx.log.warn(
      `order ${order.clientOrderId} on ${c.id} ${outcome.state === 'unknown' ? 'is unconfirmed' : 'failed'}: ${outcome.message}`,
    );
    if (outcome.state === 'failed') return this.fail(order, outcome.message, outcome.reason);
    // Unknown: the legs wait as intents; the entry is looked up again every minute.
    this.notify(
      this.store.updateOrder(order.clientOrderId, { state: 'unknown', error: outcome.message }),
    );
    return { status: 'rejected', ...reject('unconfirmed', outcome.message) };
  }

  /** The entry refused or proven not placed: its legs are never sent. */
  private fail(
    order: OrderRow,
    message: string,
    reason: RejectReason = 'exchange-refused',
  ): RouteOutcome {
    this.notify(this.store.updateOrder(order.clientOrderId, { state: 'failed', error: message }));
    for (const leg of this.store.legsOf(order.clientOrderId))
      if (leg.state === 'intent')
        this.store.updateOrder(leg.clientOrderId, {
          state: 'failed',
          error: 'its entry was not placed; nothing was sent',
        });
    return { status: 'rejected', ...reject(reason, message) };
  }

  private async plan(
    client: Exchange,
    c: Connection,
    signal: TradeSignal,
    route: Route,
  ): Promise<{ plan: SwapPlan; contractSize: Dec } | Rejection> {
    let market;
    try {
      market = client.market(signal.symbol);
    } catch {
      return reject(
        'symbol-not-allowed',
        `${signal.symbol} is not a perpetual market on ${c.exchange}`,
      );
    }
    const ticker = await retryTransient(c.exchange, () => client.fetchTicker(signal.symbol));
    const marketPrice = parseDec(String(ticker.last ?? ticker.close ?? ''));
    const held = (
      await retryTransient(c.exchange, () => readPositions(c.id, client, [signal.symbol]))
    ).find((p) => p.symbol === signal.symbol);
    const position = held ? { side: held.side, contracts: parseDec(held.contracts)! } : null;
    let freeMargin: Dec | undefined;
    if ('balancePct' in signal.size) {
      const balance = await retryTransient(c.exchange, () => client.fetchBalance());
      const free = balance.free as unknown as Record<string, number | undefined>;
      freeMargin = parseDec(String(free[market.settle ?? market.quote] ?? 0));
    }
    const contractSize = parseDec(String(market.contractSize ?? 1)) ?? 0n;
    const plan = planSwapOrder({
      signal,
      route,
      rules: { ...marketRules(client, market), contractSize },
      marketPrice,
      position,
      ...this.store.capUsage(c.id, route),
      ...(freeMargin !== undefined ? { freeMargin } : {}),
    });
    if ('reason' in plan) return plan;
    // Closing goes in the position's own margin mode unless the signal names one (OKX takes it
    // with every order, and an order in the other mode would not reduce this position).
    if (plan.reduceOnly && signal.marginMode === undefined && held?.marginMode)
      plan.marginMode = held.marginMode;
    return { plan, contractSize };
  }

  private notify(order: OrderRow): void {
    this.ctx.notify('order.updated', order);
  }
}
