/**
 * Which browser notifications the user wants (docs/architecture.md, "Browser notifications"):
 * one switch per kind, all on by default, kept in browser.storage.local under PREFS_KEY.
 * Preferences only — never a secret. No Preact and no polyfill here: the background reads the
 * same prefs, and the storage area is passed in (so unit tests pass a stand-in).
 */

export type NotificationKind = 'orders' | 'keys' | 'feeds';

export type NotificationPrefs = Record<NotificationKind, boolean>;

export const NOTIFICATION_KINDS: readonly NotificationKind[] = ['orders', 'keys', 'feeds'];

export const DEFAULT_PREFS: NotificationPrefs = { orders: true, keys: true, feeds: true };

/** What each switch says, in the order the settings show them. */
export const KIND_LABELS: Record<NotificationKind, { title: string; detail: string }> = {
  orders: {
    title: 'Live orders',
    detail: 'An order a live connection placed on the exchange, or one the exchange refused.',
  },
  keys: {
    title: 'Unsafe keys',
    detail: 'A key whose audit now blocks it, or a connection the host paused.',
  },
  feeds: {
    title: 'Signal feeds',
    detail: 'A signal feed down for over a minute (and when it is back).',
  },
};

export const PREFS_KEY = 'notificationPrefs';

/** The part of browser.storage.local these helpers use. */
export interface PrefsStorage {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

/** Whatever is stored, read as prefs: a missing or damaged value falls back to on. */
export function parsePrefs(value: unknown): NotificationPrefs {
  const stored = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const prefs = { ...DEFAULT_PREFS };
  for (const kind of NOTIFICATION_KINDS)
    if (typeof stored[kind] === 'boolean') prefs[kind] = stored[kind];
  return prefs;
}

export async function readPrefs(storage: PrefsStorage): Promise<NotificationPrefs> {
  try {
    return parsePrefs((await storage.get(PREFS_KEY))[PREFS_KEY]);
  } catch {
    return { ...DEFAULT_PREFS };
  }
}

/** Switch one kind on or off; the others keep their stored value. */
export async function writePref(
  storage: PrefsStorage,
  kind: NotificationKind,
  on: boolean,
): Promise<NotificationPrefs> {
  const prefs = { ...(await readPrefs(storage)), [kind]: on };
  await storage.set({ [PREFS_KEY]: prefs });
  return prefs;
}
