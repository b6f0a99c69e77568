/**
 * From a verified signal to orders, exactly once: dedup by (provider, signal id), pause and route
 * checks, then for each routed connection — in its own queue, in arrival order — price, size,
 * limits, a journaled intent, and the order (simulated in dry-run). Signals on perpetual swaps go
 * to swap-executor.ts (entry and protective legs). After a crash, `reconcile` settles every
 * journaled intent and every signal left half-handled before new signals run.
 */
import { fmt, parseDec, type Dec } from '../../../lib/decimal.js';
import type { Connection } from '../../../protocol/methods.js';
import type { ServiceContext } from '../handlers/context.js';
import type {
  OrderRow,
  SignalStatus,
  SubscriptionRow,
  TradingStore,
} from '../store/trading-store.js';
import type { ClientPool } from './client-pool.js';
import { placeOrder, type SendTiming } from './place-order.js';
import { marketOf, matchRoutes, reject, type Rejection, type Route } from './risk.js';
import {
  connectionGoneOutcome,
  journaledOutcome,
  signalOutcome,
  type RouteOutcome,
} from './outcome.js';
import { SwapExecutor } from './swap-executor.js';
import { planOrder, type OrderPlan } from './order-plan.js';
import { MarketData } from './market-data.js';
import { DEFAULT_PRICE_CONFIG, tickerPrice } from './price-cache.js';
import { marketRules } from './market-reads.js';
import { retryTransient } from '../exchange/read-retry.js';
import { JournalNotDurable } from '../exchange/send-gate.js';
import { expiresAt, type Signal as TradeSignal } from '../../../signals/signal.js';
import { signalIntent, signalOrderId } from './intent.js';
import { errorDetail } from '../../../lib/error-text.js';
import { PAUSED_MESSAGE, connectionProblem, sendProblem } from './send-checks.js';

export interface SignalOutcome {
  status: Exclude<SignalStatus, 'pending'>;
  reason?: string;
  message?: string;
}

export class TradingEngine {
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Perpetual swaps (swap-executor.ts): this engine only dispatches to it. */
  private readonly swaps: SwapExecutor;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly store: TradingStore,
    private readonly pool: ClientPool,
    private readonly timing: SendTiming,
    /** Prices kept fresh in the background, so a spot signal's only request is its order. */
    private readonly prices = new MarketData(DEFAULT_PRICE_CONFIG),
  ) {
    this.swaps = new SwapExecutor(ctx, store, pool, timing);
  }

  /**
   * A signal whose signature and shape were verified by the feed; `signed`, its canonical JSON
   * from the verification (kept as the signal's record instead of encoding it again).
   */
  async handle(
    sub: SubscriptionRow,
    signal: TradeSignal,
    fresh: 'fresh' | 'expired' | 'future',
    signed?: string,
  ): Promise<SignalOutcome> {
    const isNew = this.store.recordSignal({
      providerKey: sub.providerKey,
      signalId: signal.id,
      subscriptionId: sub.id,
      strategy: signal.strategy,
      issuedAt: signal.issuedAt,
      body: signed ?? JSON.stringify(signal),
    });
    if (!isNew)
      return {
        status: 'duplicate',
        reason: 'duplicate',
        message: 'this signal id was seen before; nothing was sent again',
      };
    if (fresh !== 'fresh') {
      const r =
        fresh === 'expired'
          ? reject('expired', 'the signal is older than its time to live')
          : reject('future', 'the signal is dated in the future');
      return this.settle(sub, signal, { status: 'rejected', ...r });
    }
    return this.process(sub, signal);
  }

  private async process(sub: SubscriptionRow, signal: TradeSignal): Promise<SignalOutcome> {
    if (this.ctx.trading.paused) {
      return this.settle(sub, signal, {
        status: 'rejected',
        ...reject('paused', PAUSED_MESSAGE),
      });
    }
    const routes = matchRoutes(sub.routes, signal.strategy, signal.symbol);
    if (!Array.isArray(routes)) return this.settle(sub, signal, { status: 'rejected', ...routes });
    const outcomes = await Promise.all(
      routes.map((route) =>
        this.enqueue(route.connectionId, () => this.execute(sub, signal, route)),
      ),
    );
    return this.settle(sub, signal, signalOutcome(outcomes));
  }

  /** Resolves once the signal's status is on disk: only then may it be acknowledged. */
  private async settle(
    sub: SubscriptionRow,
    signal: TradeSignal,
    o: RouteOutcome,
  ): Promise<SignalOutcome> {
    const outcome: SignalOutcome =
      o.status === 'rejected'
        ? { status: 'rejected', reason: o.reason, message: o.message }
        : { status: o.status };
    await this.store.setSignalStatus(sub.providerKey, signal.id, outcome.status, outcome.reason);
    this.ctx.notify('signal.received', {
      subscriptionId: sub.id,
      id: signal.id,
      strategy: signal.strategy,
      symbol: signal.symbol,
      ...outcome,
    });
    this.ctx.log.info(
      `signal ${signal.id} (${signal.strategy} ${signal.side} ${signal.symbol}): ${outcome.status}${outcome.reason ? ` (${outcome.reason})` : ''}`,
    );
    return outcome;
  }

  /** Per-connection FIFO: signals for one connection run in arrival order; connections run independently. */
  private enqueue<T>(connectionId: string, task: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(connectionId) ?? Promise.resolve();
    const run = prev.then(task, task);
    this.queues.set(
      connectionId,
      run.catch(() => undefined),
    );
    return run;
  }

  private async execute(
    sub: SubscriptionRow,
    signal: TradeSignal,
    route: Route,
  ): Promise<RouteOutcome> {
    try {
      return await this.executeUnsafe(sub, signal, route);
    } catch (err) {
      this.ctx.log.error(`signal ${signal.id} on ${route.connectionId}: ${errorDetail(err)}`);
      if (err instanceof JournalNotDurable)
        return {
          status: 'rejected',
          ...reject('not-placed', `${err.message}: check the disk's free space and health`),
        };
      return {
        status: 'rejected',
        ...reject('exchange-refused', 'the order could not be prepared; see the service log'),
      };
    }
  }

  private async executeUnsafe(
    sub: SubscriptionRow,
    signal: TradeSignal,
    route: Route,
  ): Promise<RouteOutcome> {
    const c = this.ctx.db.getConnection(route.connectionId);
    const problem = connectionProblem(this.ctx, c, route.connectionId);
    if (problem || !c)
      return { status: 'rejected', ...(problem ?? reject('connection-missing', 'no connection')) };
    if (marketOf(signal.symbol) === 'swap') return this.swaps.execute(sub, signal, route, c);
    const clientOrderId = signalOrderId(sub, signal, c);
    let order = this.store.order(clientOrderId);
    const client = await this.pool.get(c, this.ctx.vault.read().connections[c.id]!);
    if (!order) {
      const prepared = await this.prepare(client, c, signal, route);
      if ('reason' in prepared) return { status: 'rejected', ...prepared };
      const journaled = this.store.journalIntent({
        ...signalIntent(sub, signal, c, clientOrderId),
        amount: fmt(prepared.amount),
        price: prepared.price !== undefined ? fmt(prepared.price) : null,
        quote: fmt(prepared.worth),
      });
      if (!journaled) this.ctx.log.warn(`order ${clientOrderId} was journaled concurrently`);
      order = this.store.order(clientOrderId)!;
    }
    return this.finish(client, c, order);
  }

  /** Settle a journaled order: simulate (dry-run) or place it exactly once (live). */
  private async finish(
    client: Awaited<ReturnType<ClientPool['get']>>,
    c: Connection,
    order: OrderRow,
  ): Promise<RouteOutcome> {
    if (order.market === 'swap') return this.swaps.finish(client, c, order);
    if (order.state === 'placed') return { status: order.mode === 'live' ? 'executed' : 'dry-run' };
    if (order.state === 'simulated') return { status: 'dry-run' };
    if (order.state === 'failed')
      return { status: 'rejected', ...reject('not-placed', order.error ?? 'the order failed') };
    if (order.mode === 'dry-run') {
      this.notifyOrder(this.store.updateOrder(order.clientOrderId, { state: 'simulated' }));
      return { status: 'dry-run' };
    }
    const outcome = await placeOrder(client, c.exchange, order, {
      onSend: () => this.store.recordAttempt(order.clientOrderId),
      maySend: () => sendProblem(this.ctx, c.id),
      timing: this.timing,
    });
    if (outcome.state === 'placed') {
      this.notifyOrder(
        this.store.updateOrder(order.clientOrderId, {
          state: 'placed',
          exchangeOrderId: outcome.exchangeOrderId,
          error: null,
        }),
      );
      return { status: 'executed' };
    }
    // In the service log too (the message holds no secret: hosts and causes, never ccxt's URL).
    this.ctx.log.warn(
      `order ${order.clientOrderId} on ${c.id} ${outcome.state === 'unknown' ? 'is unconfirmed' : 'failed'}: ${outcome.message}`,
    );
    this.notifyOrder(
      this.store.updateOrder(order.clientOrderId, {
        state: outcome.state,
        error: outcome.message,
      }),
    );
    return {
      status: 'rejected',
      ...reject(outcome.state === 'unknown' ? 'unconfirmed' : outcome.reason, outcome.message),
    };
  }

  private async prepare(
    client: Awaited<ReturnType<ClientPool['get']>>,
    c: Connection,
    signal: TradeSignal,
    route: Route,
  ): Promise<OrderPlan | Rejection> {
    let market;
    try {
      market = client.market(signal.symbol);
    } catch {
      return reject('symbol-not-allowed', `${signal.symbol} is not a market on ${c.exchange}`);
    }
    // The last price, at most the configured age old (docs/trading.md, "Which price").
    const { price: marketPrice } = await this.prices.price(c, client, signal.symbol, (symbol) =>
      retryTransient(c.exchange, () => client.fetchTicker(symbol)).then(tickerPrice),
    );
    let freeQuote: Dec | undefined;
    let freeBase: Dec | undefined;
    if ('balancePct' in signal.size) {
      const balance = await retryTransient(c.exchange, () => client.fetchBalance());
      const free = balance.free as unknown as Record<string, number | undefined>;
      freeQuote = parseDec(String(free[market.quote] ?? 0));
      freeBase = parseDec(String(free[market.base] ?? 0));
    }
    return planOrder({
      signal,
      route,
      ...this.store.capUsage(c.id, route),
      rules: marketRules(client, market),
      marketPrice,
      ...(freeQuote !== undefined ? { freeQuote } : {}),
      ...(freeBase !== undefined ? { freeBase } : {}),
    });
  }

  private settlingUnknown = false;

  /**
   * Orders whose outcome the exchange could not confirm: looked up again (placeOrder looks before
   * any resend). Found: placed, and their signal recorded as executed after all. At every unlock
   * and every minute while unlocked (startTrading); one pass at a time.
   */
  async settleUnknown(): Promise<void> {
    if (this.settlingUnknown) return;
    this.settlingUnknown = true;
    try {
      for (const order of this.store.ordersInState('unknown')) {
        const o = await this.settleAgain(order);
        if (o?.status === 'executed')
          await this.store.setSignalStatus(order.providerKey, order.signalId, 'executed');
      }
      await this.reconcileLegs();
    } finally {
      this.settlingUnknown = false;
    }
  }

  /**
   * A journaled order settled again in its connection's queue (finish: look up before any
   * resend); null while it cannot be (connection gone, vault locked).
   */
  private async settleAgain(order: OrderRow): Promise<RouteOutcome | null> {
    const c = this.ctx.db.getConnection(order.connectionId);
    if (!c || this.ctx.vault.state() !== 'unlocked') return null;
    const credentials = this.ctx.vault.read().connections[c.id]!;
    const client = await this.pool.get(c, credentials, order.market ?? 'spot');
    return this.enqueue(c.id, () => this.finish(client, c, order));
  }

  /** Protective legs against their positions, per connection in its queue (protective-legs.ts). */
  private async reconcileLegs(): Promise<void> {
    for (const id of this.swaps.legs.connectionsWithOpenLegs()) {
      const c = this.ctx.db.getConnection(id);
      if (!c || this.ctx.vault.state() !== 'unlocked') continue;
      await this.enqueue(id, () => this.swaps.legs.reconcile(c)).catch((err: unknown) =>
        this.ctx.log.warn(`could not reconcile protective orders on ${id}: ${errorDetail(err)}`),
      );
    }
  }

  /** An intent reconcile could not settle: null while the vault is locked (the next unlock settles it). */
  private unsettled(order: OrderRow): RouteOutcome | null {
    if (this.ctx.vault.state() !== 'unlocked' || this.ctx.db.getConnection(order.connectionId))
      return null;
    return connectionGoneOutcome(order);
  }

  private notifyOrder(order: OrderRow): void {
    this.ctx.notify('order.updated', order);
  }

  /**
   * Before new signals run: every journaled intent ends placed, or proven not placed (then sent
   * again if still fresh and not held back by a pause, else failed); signals recorded but never
   * settled are settled from their orders, or handled again (resume).
   */
  async reconcile(subs: SubscriptionRow[]): Promise<void> {
    await this.settleUnknown();
    for (const order of this.store.ordersInState('intent')) await this.settleAgain(order);
    const byId = new Map(subs.map((s) => [s.id, s]));
    for (const pending of this.store.pendingSignals()) {
      const sub = byId.get(pending.subscriptionId);
      if (!sub) continue;
      const signal = JSON.parse(pending.body) as TradeSignal;
      const entries = this.store
        .ordersForSignal(sub.providerKey, signal.id)
        .filter((o) => (o.role ?? 'entry') === 'entry');
      if (entries.length > 0) await this.resume(sub, signal, entries);
      else if (Date.now() > expiresAt(signal))
        await this.settle(sub, signal, {
          status: 'rejected',
          ...reject('expired', 'the signal expired while the service was stopped'),
        });
      else await this.process(sub, signal);
    }
  }

  /**
   * A signal the service died while handling, with orders journaled for it (settled above). Those
   * orders speak for their connections — the exchange's answer stands, whatever changed since: a
   * pause, the routes, the connection — and the routes the signal had not reached yet run now as
   * a new signal's would (a pause or the signal's expiry rejects them). An order still an intent
   * (its connection is gone, or the vault was locked meanwhile) leaves the signal pending for the
   * next unlock.
   */
  private async resume(
    sub: SubscriptionRow,
    signal: TradeSignal,
    entries: readonly OrderRow[],
  ): Promise<void> {
    const outcomes: RouteOutcome[] = [];
    for (const order of entries) {
      const o = journaledOutcome(order) ?? this.unsettled(order);
      if (!o) return;
      outcomes.push(o);
    }
    const journaled = new Set(entries.map((o) => o.connectionId));
    const routes = matchRoutes(sub.routes, signal.strategy, signal.symbol);
    const left = Array.isArray(routes) ? routes.filter((r) => !journaled.has(r.connectionId)) : [];
    if (left.length > 0 && Date.now() > expiresAt(signal))
      outcomes.push({
        status: 'rejected',
        ...reject('expired', 'the signal expired while the service was stopped'),
      });
    else if (left.length > 0 && this.ctx.trading.paused)
      outcomes.push({ status: 'rejected', ...reject('paused', PAUSED_MESSAGE) });
    else
      outcomes.push(
        ...(await Promise.all(
          left.map((route) =>
            this.enqueue(route.connectionId, () => this.execute(sub, signal, route)),
          ),
        )),
      );
    await this.settle(sub, signal, signalOutcome(outcomes));
  }
}
