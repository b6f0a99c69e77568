/**
 * The service's signal feeds: one FeedClient per subscription while the vault is unlocked (no
 * order can be signed while it is locked; the relay replays fresh signals after a reconnect).
 * Each signal frame is verified against the provider key pinned at subscribe time, and its kid
 * against the provider kid pinned at the relay's first hello (kept in the vault with the token),
 * before anything in it is believed; then it goes to the trading engine and the outcome is
 * acknowledged to the relay. The relay token is read from the vault at each connect.
 */
import { freshness, type Signal } from '../../../signals/signal.js';
import { KID_PATTERN } from '../../../signals/types.js';
import type { ServiceContext } from '../handlers/context.js';
import type { SubscriptionRow, TradingStore } from '../store/trading-store.js';
import type { TradingEngine } from '../trading/engine.js';
import { FeedClient, type FeedStatus } from './feed-client.js';
import type { RelaySecrets } from './relay-secrets.js';
import { errorDetail, errorMessage } from '../../../lib/error-text.js';

/** `pinnedKid`: the kid the frame must carry (undefined until the relay's first hello). */
export type VerifyFrame = (
  frame: unknown,
  pinnedPublicKey: string,
  pinnedKid: string | undefined,
) =>
  /** `signed`: the signal's canonical JSON, kept as its record (built once, by the verification). */
  { ok: true; signal: Signal; signed?: string } | { ok: false; reason: string; message: string };

const validKid = (v: unknown): string | undefined =>
  typeof v === 'string' && KID_PATTERN.test(v) ? v : undefined;

const safeId = (frame: unknown): string | undefined => {
  const id = (frame as { signal?: { id?: unknown } } | null)?.signal?.id;
  return typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : undefined;
};

export class Feeds {
  private readonly clients = new Map<string, FeedClient>();
  private readonly statuses = new Map<string, FeedStatus>();
  /** The pinned provider kid per subscription (mirrors the vault; set at once on first hello). */
  private readonly kids = new Map<string, string>();
  private running = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly store: TradingStore,
    private readonly engine: TradingEngine,
    private readonly verify: VerifyFrame,
    private readonly secrets: RelaySecrets,
  ) {}

  /** Subscriptions whose feed went down and has not come back yet. */
  private readonly outages = new Set<string>();

  status(id: string): FeedStatus | undefined {
    return this.statuses.get(id);
  }

  /** Settle what a crash left behind, then connect every subscription. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.secrets.migrate(this.store, this.ctx.log);
    if (!this.running) return; // locked again meanwhile
    const subs = this.store.listSubscriptions();
    await this.engine.reconcile(subs);
    if (!this.running) return; // locked again meanwhile
    for (const sub of subs) this.connect(sub);
  }

  stop(): void {
    this.running = false;
    for (const client of this.clients.values()) client.stop();
    this.clients.clear();
    this.kids.clear();
    this.outages.clear();
  }

  add(sub: SubscriptionRow): void {
    if (this.running) this.connect(sub);
  }

  remove(id: string): void {
    this.clients.get(id)?.stop();
    this.clients.delete(id);
    this.statuses.delete(id);
    this.kids.delete(id);
    this.outages.delete(id);
  }

  private connect(sub: SubscriptionRow): void {
    const token = this.secrets.token(sub.id);
    if (token === undefined) {
      const status: FeedStatus = {
        subscriptionId: sub.id,
        state: 'stopped',
        since: new Date().toISOString(),
        problem: 'no relay token in the vault: unsubscribe and subscribe again',
      };
      this.statuses.set(sub.id, status);
      this.ctx.notify('feed.status', status);
      this.ctx.log.warn(`feed ${sub.id}: ${status.problem}`);
      return;
    }
    const pinned = this.secrets.pinnedKid(sub.id);
    if (pinned !== undefined) this.kids.set(sub.id, pinned);
    const client = new FeedClient({
      subscriptionId: sub.id,
      url: sub.url,
      token,
      onStatus: (s) => {
        this.statuses.set(sub.id, s);
        // Back after an outage (this machine's network, most often): what went out meanwhile is
        // read back — unconfirmed orders, protective legs against their positions — at once,
        // not at the next minute's pass.
        if (s.state === 'disconnected') this.outages.add(sub.id);
        else if (s.state === 'connected' && this.outages.delete(sub.id))
          this.engine
            .settleUnknown()
            .catch((err: unknown) =>
              this.ctx.log.warn(
                `could not read orders back after a reconnect: ${errorDetail(err)}`,
              ),
            );
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
    if (type === 'hello') return this.onHello(sub, frame);
    if (type !== 'signal') return;
    const pinnedKid = this.kids.get(sub.id);
    const verified = this.verify(frame, sub.providerKey, pinnedKid);
    if (!verified.ok) {
      const id = safeId(frame);
      const kid = validKid((frame as { kid?: unknown }).kid);
      const kidNote =
        pinnedKid !== undefined && kid !== undefined && kid !== pinnedKid
          ? ` (kid "${kid}" is not the pinned provider kid "${pinnedKid}")`
          : '';
      this.ctx.log.warn(
        `feed ${sub.id}: refused a signal${id ? ` claiming id ${id}` : ''}: ${verified.reason}${kidNote}`,
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
    void this.engine.handle(sub, signal, freshness(signal, Date.now()), verified.signed).then(
      (o) =>
        ack({
          type: 'ack',
          id: signal.id,
          status: o.status,
          ...(o.reason ? { reason: o.reason } : {}),
        }),
      (err: unknown) => this.ctx.log.error(`signal ${signal.id}: ${errorMessage(err)}`),
    );
  }

  /**
   * The relay's hello names the provider it forwards (providerKid). The first one is pinned for the
   * subscription (in memory at once, in the vault next); a later hello naming another kid is
   * logged and changes nothing: signals under that kid are refused.
   */
  private onHello(sub: SubscriptionRow, frame: unknown): void {
    const kid = validKid((frame as { providerKid?: unknown }).providerKid);
    if (kid === undefined) {
      this.ctx.log.warn(`feed ${sub.id}: the relay's hello names no valid provider kid`);
      return;
    }
    const pinned = this.kids.get(sub.id);
    if (pinned !== undefined) {
      if (pinned !== kid)
        this.ctx.log.warn(
          `feed ${sub.id}: the relay's hello names provider kid "${kid}", but "${pinned}" is pinned; its signals will be refused`,
        );
      return;
    }
    this.kids.set(sub.id, kid);
    this.secrets.pinKid(sub.id, kid).then(
      (ok) => {
        if (ok) this.ctx.log.info(`feed ${sub.id}: provider kid "${kid}" pinned`);
      },
      (err: unknown) =>
        this.ctx.log.warn(`feed ${sub.id}: could not save the pinned kid: ${errorMessage(err)}`),
    );
  }
}
