/**
 * What the guide panel shows for one exchange, derived from its profile: the steps, the
 * permissions grouped by advice, progress, and the rotation hash. Pure.
 */
import type { Advice, ExchangeGuide, ExchangeId, GuideStep } from '../exchanges/index.js';

export interface PermissionLine {
  uiName: string;
  why: string;
}

export interface PermissionGroup {
  advice: Advice;
  title: string;
  lines: PermissionLine[];
}

const GROUPS: { advice: Advice; title: string }[] = [
  { advice: 'enable', title: 'Enable' },
  { advice: 'only-if-needed', title: 'Only if your strategy needs it' },
  { advice: 'never', title: 'Never enable' },
  { advice: 'disable', title: 'Leave off' },
];

/** The catalogue by advice, one line per toggle name (some entries share a toggle). */
export function permissionGroups(profile: ExchangeGuide): PermissionGroup[] {
  return GROUPS.map(({ advice, title }) => {
    const seen = new Set<string>();
    const lines: PermissionLine[] = [];
    for (const e of profile.permissionCatalogue) {
      if (e.advice !== advice || seen.has(e.uiName)) continue;
      seen.add(e.uiName);
      lines.push({ uiName: e.uiName, why: e.why });
    }
    return { advice, title, lines };
  }).filter((g) => g.lines.length > 0);
}

/** Ticks read back from storage: only ids of this exchange's steps, whatever was stored. */
export function sanitizeTicks(stored: unknown, steps: readonly GuideStep[]): string[] {
  if (!Array.isArray(stored)) return [];
  const ids = new Set(steps.map((s) => s.id));
  return [...new Set(stored.filter((v): v is string => typeof v === 'string' && ids.has(v)))];
}

export function progressText(ticks: readonly string[], steps: readonly GuideStep[]): string {
  return `${ticks.length} of ${steps.length} steps done`;
}

const CONNECTION_ID = /^c_[A-Za-z0-9]{1,40}$/;

/** `#sentinel-rotate=c_…` (the popup's "Rotate key" link) → the connection id, else null. */
export function rotateIdFromHash(hash: string): string | null {
  const m = /(?:^#|&)sentinel-rotate=([^&]*)/.exec(hash);
  const id = m?.[1] ?? '';
  return CONNECTION_ID.test(id) ? id : null;
}

/** The form page, as listed in the manifest's web_accessible_resources (with use_dynamic_url). */
export const SETUP_PAGE_PATH = 'src/setup/index.html';

/**
 * The panel iframe's address: the form page's dynamic URL (runtime.getURL of SETUP_PAGE_PATH: a
 * per-session random id instead of the extension id) and the ticket's nonce in the fragment, which
 * no request carries. Nothing else: the form takes exchange and mode from the ticket, never from
 * its URL.
 */
export function setupFrameUrl(pageUrl: string, nonce: string): string {
  return `${pageUrl}#ticket=${encodeURIComponent(nonce)}`;
}

/** Storage keys: nothing but UI state (never a secret, never a key or an IP). */
export const STORAGE_KEYS = {
  collapsed: 'panel.collapsed',
  ticks: (exchange: ExchangeId) => `guide.ticks.${exchange}`,
} as const;
