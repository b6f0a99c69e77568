/**
 * What the audit's check groups share: the exchange's profile, its answer about the key, and a
 * way to add checks in order. Message helpers that name the exchange's own toggles live here too.
 */
import type { ExchangeProfile } from './profile.js';
import type { AuditCheck, CheckLevel, KeyInfo, Permission } from './types.js';

export interface CheckContext {
  profile: ExchangeProfile;
  info: KeyInfo;
  /** "Binance's API Management page": where every message sends the user. */
  page: string;
  checks: AuditCheck[];
}

export function addCheck(ctx: CheckContext, id: string, level: CheckLevel, message: string): void {
  ctx.checks.push({ id, level, message });
}

/** ms → "2025-01-31" (UTC). */
export const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The exchange's own name for the toggle of a permission, e.g. `"Enable Withdrawals"`. */
export function uiName(profile: ExchangeProfile, p: Permission, fallback: string): string {
  return profile.permissionCatalogue.find((e) => e.permission === p)?.uiName ?? fallback;
}

/** The toggles behind a granted permission, by the names the answer listed. */
export function grantedUiNames(profile: ExchangeProfile, info: KeyInfo, p: Permission): string {
  const entries = profile.permissionCatalogue.filter((e) => e.permission === p);
  const hit = entries.filter((e) => e.apiNames.some((n) => info.grantedRaw.includes(n)));
  return (hit.length > 0 ? hit : entries).map((e) => e.uiName).join(' and ');
}
