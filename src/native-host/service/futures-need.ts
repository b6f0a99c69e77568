/**
 * Whether a connection needs futures comes from the routes: a connection that any subscription's
 * route trades perpetual swaps on (`markets` includes "swap") needs its key to trade futures, and
 * the audit then blocks a key that may not (src/exchanges/policy-permissions.ts). Two moments use
 * it: `signals.subscribe` refuses a swap route to a connection whose last audit found futures off
 * (with the exchange's fix), and a connection whose need changed with a subscription is audited
 * again at once, so its "futures" check turns from a warning into ok or a block (or back).
 */
import { profileFor } from '../../exchanges/index.js';
import type { Needs } from '../../exchanges/types.js';
import type { Connection } from '../../protocol/methods.js';
import type { Route } from '../../protocol/trading.js';

/** The ids of the connections that some route trades perpetual swaps on. */
export function swapConnectionIds(
  subscriptions: readonly { routes: readonly Route[] }[],
): Set<string> {
  const ids = new Set<string>();
  for (const s of subscriptions)
    for (const r of s.routes) if (r.markets?.includes('swap')) ids.add(r.connectionId);
  return ids;
}

/** What the audit checks for a connection: what the user said at setup, plus futures from routes. */
export function auditNeeds(stored: Needs | undefined, tradesSwaps: boolean): Needs {
  const needs: Needs = { ...(stored ?? {}) };
  if (tradesSwaps) needs.futures = true;
  return needs;
}

/** The connections whose need for futures differs between two sets of swap connections. */
export function changedNeeds(before: ReadonlySet<string>, after: ReadonlySet<string>): string[] {
  return [...new Set([...before, ...after])].filter((id) => before.has(id) !== after.has(id));
}

/**
 * Why a swap route may not go to this connection, from its last audit: its key was found unable to
 * trade futures (or the account cannot). null when the audit did not say so (not audited yet, or
 * the exchange's answer does not tell): the re-audit that follows the subscription decides then.
 */
export function futuresRefusal(connection: Connection): string | null {
  const audit = connection.lastAudit;
  if (!audit) return null;
  const what = `routes: connection "${connection.label}" would trade perpetual swaps, but its last audit found that`;
  const again = `audit the connection again (popup, or "sentinel-host connections audit ${connection.id}") and subscribe again.`;
  if (audit.permissions.futures === false) {
    const profile = profileFor(connection.exchange);
    const info = {
      permissions: audit.permissions,
      grantedRaw: [],
      ipRestricted: audit.ipRestricted,
    };
    const fix =
      profile.auditNotes.futuresFix?.(info) ?? `on ${profile.name}'s ${profile.apiPageName} page`;
    return `${what} its key may not trade futures. Enable futures on this key: ${fix}. Then ${again}`;
  }
  // A block that is not the key's permission: the account itself cannot trade them (OKX Spot mode).
  const blocked = audit.checks.find((c) => c.id === 'futures' && c.level === 'block');
  return blocked
    ? `routes: connection "${connection.label}" cannot trade perpetual swaps yet; its last audit says: ${blocked.message} Once that is done, subscribe again.`
    : null;
}
