/**
 * Subscriptions, the signal record (dedup) and the order journal, in the state DB. The journal
 * is written before anything is sent: an order's row exists in state "intent" before its request
 * leaves, so after a crash every in-flight order can be looked up and settled.
 */
import type Database from 'better-sqlite3';
import { deferredCommit, durable } from './deferred-commit.js';
import { statement } from './statements.js';
import { walSync } from './wal-sync.js';
import { capUsage, type CapUsage } from './route-usage.js';
import { toOrder, type RawOrder } from './order-rows.js';
import type {
  OrderRole,
  OrderRow,
  OrderState,
  Route,
  SignalRecord,
  SignalStatus,
} from '../../../protocol/trading.js';

/** The journal's rows and states as clients see them (src/protocol/trading.ts). */
export type { OrderRole, OrderRow, OrderState, SignalStatus };

/** What a new journal row carries (the rest starts empty: state intent, no attempts). */
export type OrderIntent = Omit<
  OrderRow,
  'state' | 'exchangeOrderId' | 'attempts' | 'error' | 'createdAt' | 'updatedAt' | 'closed'
>;

/** A subscription's metadata. Its relay token lives in the vault (feeds/relay-secrets.ts). */
export interface SubscriptionRow {
  id: string;
  url: string;
  providerKey: string;
  routes: Route[];
  createdAt: string;
}

export class TradingStore {
  constructor(private readonly db: Database.Database) {
    // Deleted rows and freed pages are zeroed, not left readable in the file.
    this.db.pragma('secure_delete = ON');
  }

  // --- subscriptions
  /** The `token` column stays empty: the token is in the vault (older DBs: legacyTokens). */
  addSubscription(s: SubscriptionRow): void {
    this.db
      .prepare(
        "INSERT INTO subscriptions (id, url, token, provider_key, routes, created_at) VALUES (?, ?, '', ?, ?, ?)",
      )
      .run(s.id, s.url, s.providerKey, JSON.stringify(s.routes), s.createdAt);
  }

  /** Tokens an older version kept in the DB, to move into the vault. */
  legacyTokens(): { id: string; token: string }[] {
    return this.db.prepare("SELECT id, token FROM subscriptions WHERE token != ''").all() as {
      id: string;
      token: string;
    }[];
  }

  clearLegacyTokens(ids: string[]): void {
    const clear = this.db.prepare("UPDATE subscriptions SET token = '' WHERE id = ?");
    this.db.transaction(() => {
      for (const id of ids) clear.run(id);
    })();
  }

  /**
   * Rewrite the DB file so no freed page keeps an old value (VACUUM), then copy the WAL into it
   * and truncate the WAL to zero bytes.
   */
  purgeFreePages(): void {
    this.db.exec('VACUUM');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  getSetting(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row ? row.value : null;
  }

  /** Settings whose key starts with `prefix` (the keys only). */
  settingKeys(prefix: string): string[] {
    return (
      this.db
        .prepare('SELECT key FROM settings WHERE substr(key, 1, length(?)) = ?')
        .all(prefix, prefix) as { key: string }[]
    ).map((r) => r.key);
  }

  deleteSetting(key: string): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  }

  setSetting(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  listSubscriptions(): SubscriptionRow[] {
    const rows = this.db
      .prepare(
        'SELECT id, url, provider_key, routes, created_at FROM subscriptions ORDER BY created_at, id',
      )
      .all() as Record<'id' | 'url' | 'provider_key' | 'routes' | 'created_at', string>[];
    return rows.map((r) => ({
      id: r.id,
      url: r.url,
      providerKey: r.provider_key,
      routes: JSON.parse(r.routes) as Route[],
      createdAt: r.created_at,
    }));
  }

  removeSubscription(id: string): boolean {
    return this.db.prepare('DELETE FROM subscriptions WHERE id = ?').run(id).changes > 0;
  }

  // --- signals (the dedup record)
  /**
   * Record a signal id as seen; false when this provider already sent that id. Made durable by
   * the next durable commit, which always comes before its order or its ack (deferredCommit).
   */
  recordSignal(s: {
    providerKey: string;
    signalId: string;
    subscriptionId: string;
    strategy: string;
    issuedAt: number;
    body: string;
  }): boolean {
    const r = deferredCommit(this.db, () =>
      statement(
        this.db,
        `INSERT INTO signals (provider_key, signal_id, subscription_id, strategy, issued_at, received_at, status, body)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT DO NOTHING`,
      ).run(
        s.providerKey,
        s.signalId,
        s.subscriptionId,
        s.strategy,
        s.issuedAt,
        new Date().toISOString(),
        s.body,
      ),
    );
    return r.changes > 0;
  }

  /**
   * Resolves once the status is on disk: written deferred, then made durable with whatever else
   * is waiting (wal-sync.ts), so the fsync runs off the event loop. A signal is acknowledged only
   * after this resolves.
   */
  setSignalStatus(
    providerKey: string,
    signalId: string,
    status: SignalStatus,
    reason?: string,
  ): Promise<void> {
    deferredCommit(this.db, () =>
      statement(
        this.db,
        'UPDATE signals SET status = ?, reason = ? WHERE provider_key = ? AND signal_id = ?',
      ).run(status, reason ?? null, providerKey, signalId),
    );
    return walSync(this.db).durable();
  }

  signalStatus(
    providerKey: string,
    signalId: string,
  ): { status: SignalStatus; reason: string | null } | null {
    const r = this.db
      .prepare('SELECT status, reason FROM signals WHERE provider_key = ? AND signal_id = ?')
      .get(providerKey, signalId) as { status: SignalStatus; reason: string | null } | undefined;
    return r ?? null;
  }

  /** The most recent signals with their outcome (newest first), for the popup and the CLI. */
  recentSignals(limit = 50): SignalRecord[] {
    return statement(
      this.db,
      `SELECT signal_id AS id, subscription_id AS subscriptionId, strategy, issued_at AS issuedAt,
         received_at AS receivedAt, status, reason FROM signals ORDER BY received_at DESC, rowid DESC LIMIT ?`,
    ).all(Math.min(Math.max(limit, 1), 1000)) as SignalRecord[];
  }

  /** Signals recorded but never settled (the service died while handling them). */
  pendingSignals(): {
    providerKey: string;
    signalId: string;
    subscriptionId: string;
    body: string;
  }[] {
    return statement(
      this.db,
      `SELECT provider_key AS providerKey, signal_id AS signalId, subscription_id AS subscriptionId, body
       FROM signals WHERE status = 'pending' ORDER BY issued_at`,
    ).all() as { providerKey: string; signalId: string; subscriptionId: string; body: string }[];
  }

  // --- orders (the journal)
  /**
   * Journal an intent; false when this (signal, connection, role) already has its order row. Made
   * durable by the next durable commit — the attempt count placeOrder writes before the send
   * (deferredCommit).
   */
  journalIntent(o: OrderIntent): boolean {
    const now = new Date().toISOString();
    const r = deferredCommit(this.db, () =>
      statement(
        this.db,
        `INSERT INTO orders (client_order_id, provider_key, signal_id, connection_id, mode, state, symbol, side, type, amount, price, quote, expires_at, created_at, updated_at,
           market, role, parent_id, trigger_price, reduce_only, leverage, margin_mode, size)
         VALUES (?, ?, ?, ?, ?, 'intent', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ).run(
        o.clientOrderId,
        o.providerKey,
        o.signalId,
        o.connectionId,
        o.mode,
        o.symbol,
        o.side,
        o.type,
        o.amount,
        o.price,
        o.quote,
        o.expiresAt,
        now,
        now,
        o.market ?? 'spot',
        o.role ?? 'entry',
        o.parentId ?? null,
        o.triggerPrice ?? null,
        o.reduceOnly ? 1 : 0,
        o.leverage ?? null,
        o.marginMode ?? null,
        o.size ?? null,
      ),
    );
    return r.changes > 0;
  }

  /**
   * Journal an entry and its protective legs in one transaction: after a crash either all of
   * them exist as intents or none does. False when the entry was journaled before (nothing written).
   */
  journalWithLegs(entry: OrderIntent, legs: readonly OrderIntent[]): boolean {
    return this.db.transaction(() => {
      if (!this.journalIntent(entry)) return false;
      for (const leg of legs) this.journalIntent(leg);
      return true;
    })();
  }

  /** The protective legs journaled with an entry. */
  legsOf(entryClientOrderId: string): OrderRow[] {
    return this.orders(
      'SELECT * FROM orders WHERE parent_id = ? ORDER BY role',
      entryClientOrderId,
    );
  }

  /** Live protective legs that may still work on the exchange (placed, or not yet settled). */
  openLegs(): OrderRow[] {
    return this
      .orders(`SELECT * FROM orders WHERE role != 'entry' AND mode = 'live' AND closed IS NULL
             AND state IN ('intent', 'placed', 'unknown') ORDER BY created_at`);
  }

  /** Marks a protective leg as no longer working on the exchange, saying why. */
  closeLeg(clientOrderId: string, why: string): OrderRow {
    this.db
      .prepare('UPDATE orders SET closed = ?, updated_at = ? WHERE client_order_id = ?')
      .run(why, new Date().toISOString(), clientOrderId);
    return this.order(clientOrderId)!;
  }

  /**
   * One more send of this order: resolves once the count is on disk (wal-sync.ts). Nothing may
   * leave before it resolves — an attempt count that is durable is how recovery knows the order
   * was maybe sent and must be looked up before any resend.
   */
  recordAttempt(clientOrderId: string): Promise<void> {
    deferredCommit(this.db, () =>
      statement(
        this.db,
        'UPDATE orders SET attempts = attempts + 1, updated_at = ? WHERE client_order_id = ?',
      ).run(new Date().toISOString(), clientOrderId),
    );
    return walSync(this.db).durable();
  }

  updateOrder(
    clientOrderId: string,
    change: {
      state?: OrderState;
      exchangeOrderId?: string | null;
      error?: string | null;
    },
  ): OrderRow {
    // `placed` is what the exchange answered; it is never the durable step: were it lost, the row
    // would be an intent with a durable attempt count, which recovery looks up and finds placed
    // (deferred-commit.ts). Every other change is durable at once.
    const commit = change.state === 'placed' ? deferredCommit : durable;
    commit(this.db, () =>
      statement(
        this.db,
        `UPDATE orders SET state = COALESCE(@state, state), exchange_order_id = COALESCE(@exid, exchange_order_id),
           error = CASE WHEN @setError THEN @error ELSE error END, updated_at = @now
         WHERE client_order_id = @id`,
      ).run({
        id: clientOrderId,
        state: change.state ?? null,
        exid: change.exchangeOrderId ?? null,
        setError: change.error !== undefined ? 1 : 0,
        error: change.error ?? null,
        now: new Date().toISOString(),
      }),
    );
    return this.order(clientOrderId)!;
  }

  /** The orders a (cached) statement selects. */
  private orders(sql: string, ...args: unknown[]): OrderRow[] {
    return (statement(this.db, sql).all(...args) as RawOrder[]).map(toOrder);
  }

  order(clientOrderId: string): OrderRow | null {
    const r = statement(this.db, 'SELECT * FROM orders WHERE client_order_id = ?').get(
      clientOrderId,
    ) as RawOrder | undefined;
    return r ? toOrder(r) : null;
  }

  ordersInState(state: OrderState): OrderRow[] {
    return this.orders('SELECT * FROM orders WHERE state = ? ORDER BY created_at', state);
  }

  listOrders(opts: { limit?: number; connectionId?: string } = {}): OrderRow[] {
    const limit = Math.min(Math.max(opts.limit ?? 50, 1), 1000);
    const newest = 'ORDER BY created_at DESC, rowid DESC LIMIT ?';
    return opts.connectionId
      ? this.orders(
          `SELECT * FROM orders WHERE connection_id = ? ${newest}`,
          opts.connectionId,
          limit,
        )
      : this.orders(`SELECT * FROM orders ${newest}`, limit);
  }

  ordersForSignal(providerKey: string, signalId: string): OrderRow[] {
    return this.orders(
      'SELECT * FROM orders WHERE provider_key = ? AND signal_id = ?',
      providerKey,
      signalId,
    );
  }

  /** What the route's caps need, read only for the caps it sets (route-usage.ts). */
  capUsage(connectionId: string, route: Route, now = Date.now()): CapUsage {
    return capUsage(this.db, connectionId, route, now);
  }
}
