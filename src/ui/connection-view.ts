/** Words for a connection in the popup: environment, verdict, key age and rotation. Pure. */
import { keyAgeDays, rotationState } from '../exchanges/policy-age.js';
import type { Audit, Environment } from '../exchanges/types.js';

export const ENVIRONMENT_LABEL: Record<Environment, string> = {
  live: 'Live exchange',
  testnet: 'Testnet',
  demo: 'Demo trading',
};

export const VERDICT_LABEL: Record<Audit['verdict'], string> = {
  ok: 'Safe',
  warn: 'Warnings',
  block: 'Blocked',
};

export interface RotationView {
  state: 'fresh' | 'due' | 'overdue' | 'unknown';
  text: string;
  tone: 'ok' | 'warn' | 'block' | 'muted';
}

/** "Key 12 days old", "Rotation due: key 120 days old", … (due after 90 days, overdue after 180). */
export function rotationView(keyCreatedAt: string | undefined, now: Date): RotationView {
  const created = keyCreatedAt ? Date.parse(keyCreatedAt) : undefined;
  const ms = created !== undefined && Number.isFinite(created) ? created : undefined;
  const state = rotationState(ms, now);
  const days = keyAgeDays(ms, now);
  const age = `key ${days} day${days === 1 ? '' : 's'} old`;
  switch (state) {
    case 'fresh':
      return { state, text: `${age[0]?.toUpperCase()}${age.slice(1)}`, tone: 'ok' };
    case 'due':
      return { state, text: `Rotation due: ${age}`, tone: 'warn' };
    case 'overdue':
      return { state, text: `Rotation overdue: ${age}`, tone: 'block' };
    default:
      return { state, text: 'Key age unknown (the exchange does not say)', tone: 'muted' };
  }
}

/** "3 ok · 1 warning · 1 blocking" for the collapsed checks. */
export function checkSummary(audit: Audit): string {
  const n = (level: Audit['verdict']) => audit.checks.filter((c) => c.level === level).length;
  const parts = [`${n('ok')} ok`];
  if (n('warn') > 0) parts.push(`${n('warn')} warning${n('warn') === 1 ? '' : 's'}`);
  if (n('block') > 0) parts.push(`${n('block')} blocking`);
  return parts.join(' · ');
}

/** The exchange's API page, opening the guide panel in rotation mode for this connection. */
export function rotateUrl(apiPageUrl: string, connectionId: string): string {
  return `${apiPageUrl}#sentinel-rotate=${encodeURIComponent(connectionId)}`;
}

/** The key's age for a one-line row: "Key 12 days old", "Key 120 days: rotation due", … */
export function keyAgeShort(keyCreatedAt: string | undefined, now: Date): string {
  const created = keyCreatedAt ? Date.parse(keyCreatedAt) : undefined;
  const ms = created !== undefined && Number.isFinite(created) ? created : undefined;
  const days = keyAgeDays(ms, now);
  switch (rotationState(ms, now)) {
    case 'due':
      return `Key ${days} days: rotation due`;
    case 'overdue':
      return `Key ${days} days: overdue`;
    case 'fresh':
      return rotationView(keyCreatedAt, now).text;
    default:
      return 'Key age unknown';
  }
}
