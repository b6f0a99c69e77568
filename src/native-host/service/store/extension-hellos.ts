/**
 * The last host.hello per extension origin, kept in the state DB's settings under one key as
 * `{origin: {origin, lastHelloAt, client}}` — no secrets. `sentinel-host doctor` reads it back
 * through host.hello's `extensions` to tell whether an extension ever connected.
 */
import type { ExtensionHello } from '../../../protocol/methods.js';

export const EXTENSION_HELLOS_SETTING = 'extensions.hello';

/** Bound: only origins the bridge serves arrive here, but a damaged value must not grow forever. */
const MAX_ORIGINS = 16;

interface SettingsStore {
  getSetting(key: string): string | null;
  setSetting(key: string, value: string): void;
}

function isHello(v: unknown): v is ExtensionHello {
  if (typeof v !== 'object' || v === null) return false;
  const h = v as Record<string, unknown>;
  return (
    typeof h.origin === 'string' &&
    typeof h.lastHelloAt === 'string' &&
    (h.client === undefined || typeof h.client === 'string')
  );
}

/** Most recent first; an unreadable value reads as none. */
export function extensionHellos(db: SettingsStore): ExtensionHello[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(db.getSetting(EXTENSION_HELLOS_SETTING) ?? '{}');
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  return Object.values(parsed)
    .filter(isHello)
    .sort((a, b) => b.lastHelloAt.localeCompare(a.lastHelloAt));
}

export function recordExtensionHello(
  db: SettingsStore,
  origin: string,
  client: string | undefined,
  at: Date = new Date(),
): void {
  const hello: ExtensionHello = {
    origin,
    lastHelloAt: at.toISOString(),
    ...(client !== undefined ? { client } : {}),
  };
  const kept = extensionHellos(db).filter((h) => h.origin !== origin);
  const all = [hello, ...kept].slice(0, MAX_ORIGINS);
  db.setSetting(
    EXTENSION_HELLOS_SETTING,
    JSON.stringify(Object.fromEntries(all.map((h) => [h.origin, h]))),
  );
}
