/**
 * Key age and expiry. The guide: "Rotating API keys every 3-6 months is good security practice.
 * [...] create the new key first, update your bot configuration, verify it works, then delete the
 * old key."
 */
import { addCheck, day, type CheckContext } from './policy-context.js';

export const ROTATION_DUE_DAYS = 90;
export const ROTATION_OVERDUE_DAYS = 180;
export const EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;

const ROTATE_HOW =
  'create the new key first, update Sentinel with it, verify it works, then delete the old key';

/** Whole days since creation; null when the exchange gave no creation date. */
export function keyAgeDays(createdAt: number | undefined, now: Date): number | null {
  if (createdAt === undefined || !Number.isFinite(createdAt)) return null;
  return Math.max(0, Math.floor((now.getTime() - createdAt) / DAY_MS));
}

/** fresh up to 90 days, due after 90, overdue after 180; unknown without a creation date. */
export function rotationState(
  createdAt: number | undefined,
  now: Date,
): 'fresh' | 'due' | 'overdue' | 'unknown' {
  const days = keyAgeDays(createdAt, now);
  if (days === null) return 'unknown';
  if (days > ROTATION_OVERDUE_DAYS) return 'overdue';
  if (days > ROTATION_DUE_DAYS) return 'due';
  return 'fresh';
}

/** Checks "key-age" (when the creation date is known) and "key-expiry" (when an expiry is). */
export function ageChecks(ctx: CheckContext, now: Date): void {
  const { profile, info, page } = ctx;
  const age = keyAgeDays(info.createdAt, now);
  const rotation = rotationState(info.createdAt, now);
  if (age !== null && rotation === 'overdue') {
    addCheck(
      ctx,
      'key-age',
      'warn',
      `This key is ${age} days old: rotation is overdue. Rotate API keys every 3–6 months: ${ROTATE_HOW} on ${page}.`,
    );
  } else if (age !== null && rotation === 'due') {
    addCheck(
      ctx,
      'key-age',
      'warn',
      `This key is ${age} days old: rotation is due. Rotating API keys every 3–6 months is good security practice: ${ROTATE_HOW} on ${page}.`,
    );
  } else if (age !== null) {
    addCheck(ctx, 'key-age', 'ok', `This key is ${age} days old; rotate it every 3–6 months.`);
  }

  if (info.expiresAt !== undefined) {
    const left = Math.floor((info.expiresAt - now.getTime()) / DAY_MS);
    const replace = `Create a new key${profile.auditNotes.replacementKey ?? ''}, add it to Sentinel, then delete the old one on ${page}.`;
    if (left < 0) {
      addCheck(
        ctx,
        'key-expiry',
        'warn',
        `${profile.name} says this key expired on ${day(info.expiresAt)}. ${replace}`,
      );
    } else if (left <= EXPIRY_WARNING_DAYS) {
      addCheck(
        ctx,
        'key-expiry',
        'warn',
        `${profile.name} will disable this key in ${left} day${left === 1 ? '' : 's'} (${day(info.expiresAt)}). ${replace}`,
      );
    } else {
      addCheck(
        ctx,
        'key-expiry',
        'ok',
        `${profile.name} will disable this key on ${day(info.expiresAt)}.`,
      );
    }
  }
}
