/**
 * A subscription's secrets live in the vault, never in the state DB: the relay token (the feed
 * reads it at each connect, so feeds need the vault unlocked — they run only while it is) and the
 * provider kid pinned at the relay's first hello. Older state DBs kept the token in
 * `subscriptions.token`: at the first unlock `migrate` moves it into the vault, empties the
 * column and rewrites the DB file (VACUUM, WAL truncated) so the old value is not left in free
 * pages or the WAL.
 */
import type { Logger } from '../../log.js';
import type { TradingStore } from '../store/trading-store.js';
import type { Vault } from '../vault/vault.js';

/** The settings key recording that the DB file was rewritten after the tokens left it. */
export const TOKENS_PURGED_SETTING = 'relay-tokens-purged';

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

  async store(id: string, token: string, providerKid?: string): Promise<void> {
    await this.vault.update((d) => {
      d.subscriptions ??= {};
      d.subscriptions[id] = { token, ...(providerKid ? { providerKid } : {}) };
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

  /** Erase a subscription's secrets (a locked vault is swept at its next unlock instead). */
  async erase(id: string): Promise<void> {
    if (this.vault.state() !== 'unlocked' || !this.vault.read().subscriptions?.[id]) return;
    await this.vault.update((d) => {
      if (d.subscriptions) delete d.subscriptions[id];
    });
  }

  /**
   * At unlock, before the feeds start: move tokens an older DB still holds into the vault, erase
   * the secrets of subscriptions that no longer exist (unsubscribed while locked), and purge the
   * DB file of the old values once.
   */
  async migrate(store: TradingStore, log: Logger): Promise<void> {
    const legacy = store.legacyTokens();
    const live = new Set(store.listSubscriptions().map((s) => s.id));
    const orphans = Object.keys(this.vault.read().subscriptions ?? {}).filter(
      (id) => !live.has(id),
    );
    if (legacy.length > 0 || orphans.length > 0) {
      await this.vault.update((d) => {
        d.subscriptions ??= {};
        for (const { id, token } of legacy) d.subscriptions[id] = { ...d.subscriptions[id], token };
        for (const id of orphans) delete d.subscriptions[id];
      });
    }
    if (orphans.length > 0)
      log.info(`erased the relay secrets of ${orphans.length} removed subscription(s)`);
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
