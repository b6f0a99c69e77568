/**
 * Fail closed on withdrawals. A key's audit proves withdrawals off only when the exchange's own
 * answer said so (`Audit.permissions.withdraw === false`); when the key-info call failed (5xx,
 * rate limit, a renamed field) the audit reads it as `null` ("unknown") and says "warn".
 * Such a connection may be stored and run in dry-run, but never goes live: connections.setMode
 * refuses, and a live connection whose re-audit cannot read the permissions is paused until an
 * audit proves them again (then the pause lifts by itself). Pure: the handlers act on the answers.
 */
import { profileFor } from '../../exchanges/index.js';
import { uiName } from '../../exchanges/policy-context.js';
import type { Audit } from '../../exchanges/types.js';
import type { Connection } from '../../protocol/methods.js';

/** Existing wording (connections.ts before this module): kept, the popup and tests show it. */
export const BLOCK_PAUSE_REASON = 'the last audit blocks this key: see its checks';

/** How every pause this module sets begins, so that only those lift by themselves. */
const UNPROVEN_PREFIX = 'withdrawals not proven off:';

export function withdrawProvenOff(audit: Audit | null | undefined): boolean {
  return audit?.permissions?.withdraw === false;
}

/** Why the audit did not prove withdrawals off, in one clause. */
function unprovenCause(c: Pick<Connection, 'exchange'>, audit: Audit | null | undefined): string {
  const name = profileFor(c.exchange).name;
  if (!audit) return 'this key has not been audited';
  if (audit.permissions?.withdraw === true) return 'withdrawals are enabled on this key';
  if (audit.checks.some((check) => check.id === 'could-not-verify'))
    return `the last audit could not read this key's permissions from ${name}`;
  return `${name}'s answer did not say whether withdrawals are enabled on this key`;
}

/** What to do about it, for the user: re-audit, and look at the key on the exchange's page. */
function whatToDo(c: Pick<Connection, 'id' | 'exchange'>): string {
  const profile = profileFor(c.exchange);
  const withdrawUi = uiName(profile, 'withdraw', '"Withdraw"');
  return `Audit the key again once ${profile.name} answers (sentinel-host connections audit ${c.id}, or Re-audit on the Sentinel dashboard). Meanwhile check on ${profile.name}'s ${profile.apiPageName} page that ${withdrawUi} is not ticked; if it is, untick it or create a new key and rotate to it.`;
}

/** The KEY_UNSAFE message of connections.setMode {mode: "live"}, or null when it may go live. */
export function liveRefusal(c: Pick<Connection, 'id' | 'exchange' | 'lastAudit'>): string | null {
  if (withdrawProvenOff(c.lastAudit)) return null;
  return `this connection cannot go live: ${unprovenCause(c, c.lastAudit)}, so Sentinel cannot confirm that withdrawals are disabled, and it sends real orders only with keys that cannot withdraw. ${whatToDo(c)}`;
}

/** The pausedReason of a live connection whose withdrawals are not proven off. */
export function unprovenPauseReason(c: Pick<Connection, 'id' | 'exchange'>, cause: string): string {
  return `${UNPROVEN_PREFIX} ${cause}. Sentinel sends no orders on this connection until an audit confirms that withdrawals are disabled; it resumes by itself then. ${whatToDo(c)}`;
}

export function isUnprovenPause(reason: string | null | undefined): boolean {
  return reason?.startsWith(UNPROVEN_PREFIX) === true;
}

export type PauseAction = { kind: 'pause'; reason: string } | { kind: 'lift' } | { kind: 'keep' };

/**
 * What an audit recorded for connection `c` (as it was before) does to its pause. `rotated`: the
 * audit is of a new key replacing the old one (a pause caused by the old key lifts if it passes).
 */
export function pauseAfterAudit(
  c: Pick<Connection, 'id' | 'exchange' | 'mode' | 'pausedReason'>,
  audit: Audit,
  rotated: boolean,
): PauseAction {
  if (audit.verdict === 'block') return { kind: 'pause', reason: BLOCK_PAUSE_REASON };
  if (c.mode === 'live' && !withdrawProvenOff(audit)) {
    // Another pause (a blocked audit, a rejected key) already stops it and keeps its own words.
    if (c.pausedReason && !rotated && !isUnprovenPause(c.pausedReason)) return { kind: 'keep' };
    return { kind: 'pause', reason: unprovenPauseReason(c, unprovenCause(c, audit)) };
  }
  if (rotated) return { kind: 'lift' };
  if (withdrawProvenOff(audit) && isUnprovenPause(c.pausedReason)) return { kind: 'lift' };
  return { kind: 'keep' };
}

/**
 * A re-audit that failed outright (exchange unreachable, key rejected, …) read no permissions: a
 * live connection that is not paused yet is paused. `problem` is the host's own message (never
 * ccxt's text, which can hold a signed URL).
 */
export function pauseAfterFailedAudit(
  c: Pick<Connection, 'id' | 'exchange' | 'mode' | 'pausedReason'>,
  problem: string,
): PauseAction {
  if (c.mode !== 'live' || c.pausedReason) return { kind: 'keep' };
  const name = profileFor(c.exchange).name;
  const cause = `the last audit could not read this key's permissions from ${name} (${problem.replace(/[.\s]+$/, '')})`;
  return { kind: 'pause', reason: unprovenPauseReason(c, cause) };
}
