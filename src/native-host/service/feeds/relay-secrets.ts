/**
 * A subscription's secrets live in the vault, never in the state DB: the relay token (the feed
 * reads it at each connect, so feeds need the vault unlocked — they run only while it is) and the
 * provider kid pinned at the relay's first hello. Older state DBs kept the token in
 * `subscriptions.token`: at the first unlock `migrate` moves it into the vault, empties the
 * column and rewrites the DB file (VACUUM, WAL truncated) so the old value is not left in free
 * pages or the WAL.
 *
 * The vault entry also keeps what the DB knows of the subscription (`meta`), so a subscription
 * whose row was lost with the state DB is rebuilt at the next unlock rather than its token erased.
 * A subscription removed while the vault was locked leaves a marker in the DB, and only those
 * entries are erased.
 */
import type { Logger } from '../../log.js';
import type { SubscriptionRow, TradingStore } from '../store/trading-store.js';
import type { StoredSubscription, Vault } from '../vault/vault.js';
import type { Route } from '../../../protocol/trading.js';

/** The settings key recording that the DB file was rewritten after the tokens left it. */
export const TOKENS_PURGED_SETTING = 'relay-tokens-purged';
/** Settings key prefix marking a subscription removed while the vault was locked. */
export const ERASE_MARK_PREFIX = 'relay-secret-erase:';

const metaOf = (s: SubscriptionRow): NonNullable<StoredSubscription['meta']> => ({
  url: s.url,
  providerKey: s.providerKey,
  routes: s.routes,
  createdAt: s.createdAt,
});

export class RelaySecrets {
  constructor(private readonly vault: Vault) {}

  /** Throws VAULT_LOCKED / VAULT_ABSENT when the vault cannot be read. */
  requireUnlocked(): void {
    this.vault.read();
  }

  /** The relay token of a subscription; undefined when the vault has none (or is locked). */
  token(id: string): string | undefined {
    if (this.vault.state() !== 'unlocked') return undefined;
    return this.vault.read().subscriptions?.[id]?.token;
  }

  /** The provider kid pinned for a subscription, if one was pinned yet. */
  pinnedKid(id: string): string | undefined {
    if (this.vault.state() !== 'unlocked') return undefined;
    return this.vault.read().subscriptions?.[id]?.providerKid;
  }

  async store(sub: SubscriptionRow, token: string): Promise<void> {
    await this.vault.update((d) => {
      d.subscriptions ??= {};
      d.subscriptions[sub.id] = { token, meta: metaOf(sub) };
    });
  }

  /** Pin the provider kid (first hello); false when another kid is already pinned. */
  async pinKid(id: string, kid: string): Promise<boolean> {
    const pinned = this.pinnedKid(id);
    if (pinned !== undefined) return pinned === kid;
    await this.vault.update((d) => {
      const s = d.subscriptions?.[id];
      if (s && s.providerKid === undefined) s.providerKid = kid;
    });
    return this.pinnedKid(id) === kid;
  }

  /** Record that a subscription is being removed (before its row goes); returns the key. */
  markRemoved(id: string, store: TradingStore): string {
    const mark = `${ERASE_MARK_PREFIX}${id}`;
    store.setSetting(mark, new Date().toISOString());
    return mark;
  }

  /**
   * Erase a subscription's secrets. The removal is recorded in the DB first: when the vault is
   * locked (or its write fails) the next unlock erases the entry instead of rebuilding the
   * subscription from it (migrate).
   */
  async erase(id: string, store: TradingStore): Promise<void> {
    const mark = this.markRemoved(id, store);
    if (this.vault.state() !== 'unlocked') return;
    if (this.vault.read().subscriptions?.[id])
      await this.vault.update((d) => {
        if (d.subscriptions) delete d.subscriptions[id];
      });
    store.deleteSetting(mark);
  }

  /**
   * At unlock, before the feeds start: move tokens an older DB still holds into the vault; give
   * every vault entry the subscription's details; erase the entries of subscriptions removed
   * while the vault was locked; rebuild from the vault the rows a lost state DB took with it (an
   * entry without details cannot be rebuilt and is erased); purge the DB file of old values once.
   */
  async migrate(store: TradingStore, log: Logger): Promise<void> {
    const legacy = store.legacyTokens();
    const rows = store.listSubscriptions();
    const live = new Set(rows.map((s) => s.id));
    const marks = store.settingKeys(ERASE_MARK_PREFIX);
    const removed = new Set(marks.map((k) => k.slice(ERASE_MARK_PREFIX.length)));
    const entries = this.vault.read().subscriptions ?? {};
    const orphans = Object.keys(entries).filter((id) => !live.has(id));
    const erase = orphans.filter((id) => removed.has(id) || !entries[id]?.meta);
    const rebuild = orphans.filter((id) => !removed.has(id) && entries[id]?.meta);
    const withoutMeta = rows.filter((r) => entries[r.id] && !entries[r.id]?.meta);
    if (legacy.length + erase.length + withoutMeta.length > 0) {
      await this.vault.update((d) => {
        d.subscriptions ??= {};
        for (const { id, token } of legacy) d.subscriptions[id] = { ...d.subscriptions[id], token };
        for (const row of withoutMeta) {
          const entry = d.subscriptions[row.id];
          if (entry) entry.meta = metaOf(row);
        }
        for (const id of erase) delete d.subscriptions[id];
      });
    }
    for (const id of rebuild) {
      const meta = entries[id]?.meta as NonNullable<StoredSubscription['meta']>;
      store.addSubscription({ id, ...meta, routes: meta.routes as Route[] });
      log.warn(
        `integrity: rebuilt subscription ${id} (${new URL(meta.url).host}, ${meta.routes.length} routes) from the vault`,
      );
    }
    for (const key of marks) store.deleteSetting(key);
    if (erase.length > 0)
      log.info(`erased the relay secrets of ${erase.length} removed subscription(s)`);
    if (legacy.length > 0) {
      store.clearLegacyTokens(legacy.map((l) => l.id));
      log.info(`moved ${legacy.length} relay token(s) from the state DB into the vault`);
    }
    if (legacy.length > 0 || store.getSetting(TOKENS_PURGED_SETTING) === null) {
      store.purgeFreePages();
      store.setSetting(TOKENS_PURGED_SETTING, new Date().toISOString());
      if (legacy.length > 0) log.info('state DB rewritten: no old relay token is left in its file');
    }
  }
}
