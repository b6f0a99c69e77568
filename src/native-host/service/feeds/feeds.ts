/**
 * The service's signal feeds: one FeedClient per subscription while the vault is unlocked (no
 * order can be signed while it is locked; the relay replays fresh signals after a reconnect).
 * Each signal frame is verified against the provider key pinned at subscribe time before anything
 * in it is believed, then handed to the trading engine; the outcome is acknowledged to the relay.
 */
import { freshness, type Signal } from '../../../signals/signal.js';
import type { ServiceContext } from '../handlers/context.js';
import type { SubscriptionRow, TradingStore } from '../store/trading-store.js';
import type { TradingEngine } from '../trading/engine.js';
import { FeedClient, type FeedStatus } from './feed-client.js';

export type VerifyFrame = (
  frame: unknown,
  pinnedPublicKey: string,
) => { ok: true; signal: Signal } | { ok: false; reason: string; message: string };

const safeId = (frame: unknown): string | undefined => {
  const id = (frame as { signal?: { id?: unknown } } | null)?.signal?.id;
  return typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : undefined;
};

export class Feeds {
  private readonly clients = new Map<string, FeedClient>();
  private readonly statuses = new Map<string, FeedStatus>();
  private running = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly store: TradingStore,
    private readonly engine: TradingEngine,
    private readonly verify: VerifyFrame,
  ) {}

  status(id: string): FeedStatus | undefined {
    return this.statuses.get(id);
  }

  /** Settle what a crash left behind, then connect every subscription. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const subs = this.store.listSubscriptions();
    await this.engine.reconcile(subs);
    if (!this.running) return; // locked again meanwhile
    for (const sub of subs) this.connect(sub);
  }

  stop(): void {
    this.running = false;
    for (const client of this.clients.values()) client.stop();
    this.clients.clear();
  }

  add(sub: SubscriptionRow): void {
    if (this.running) this.connect(sub);
  }

  remove(id: string): void {
    this.clients.get(id)?.stop();
    this.clients.delete(id);
    this.statuses.delete(id);
  }

  private connect(sub: SubscriptionRow): void {
    const client = new FeedClient({
      subscriptionId: sub.id,
      url: sub.url,
      token: sub.token,
      onStatus: (s) => {
        this.statuses.set(sub.id, s);
        this.ctx.notify('feed.status', s);
        if (s.state === 'disconnected')
          this.ctx.log.warn(
            `feed ${sub.id}: ${s.problem ?? 'disconnected'}; retry in ${s.retryInMs} ms`,
          );
      },
      onFrame: (frame, ack) => this.onFrame(sub, frame, ack),
    });
    this.clients.set(sub.id, client);
    client.start();
  }

  private onFrame(sub: SubscriptionRow, frame: unknown, ack: (a: object) => void): void {
    const type = (frame as { type?: unknown } | null)?.type;
    if (type === 'hello') return;
    if (type !== 'signal') return;
    const verified = this.verify(frame, sub.providerKey);
    if (!verified.ok) {
      const id = safeId(frame);
      this.ctx.log.warn(
        `feed ${sub.id}: refused a signal${id ? ` claiming id ${id}` : ''}: ${verified.reason}`,
      );
      this.ctx.notify('signal.received', {
        subscriptionId: sub.id,
        ...(id ? { id } : {}),
        status: 'rejected',
        reason: verified.reason,
        message: verified.message,
      });
      if (id) ack({ type: 'ack', id, status: 'rejected', reason: verified.reason });
      return;
    }
    const signal = verified.signal;
    void this.engine.handle(sub, signal, freshness(signal, Date.now())).then(
      (o) =>
        ack({
          type: 'ack',
          id: signal.id,
          status: o.status,
          ...(o.reason ? { reason: o.reason } : {}),
        }),
      (err: unknown) =>
        this.ctx.log.error(
          `signal ${signal.id}: ${err instanceof Error ? err.message : String(err)}`,
        ),
    );
  }
}
