/**
 * Which browser notifications to show (docs/architecture.md, "Browser notifications"), decided
 * purely: (previous state, one event, now, prefs) → (next state, notifications to show). The
 * worker (notifier.ts) only feeds it the host's notifications and snapshots, stores the state
 * and shows what it answers.
 *
 * Three kinds, each with its own switch (src/ui/notification-prefs.ts):
 * - orders: a live connection's order reached `placed` (executed) or `failed` (refused), once per
 *   order (client order id) — and `unknown` (the exchange could not confirm it) once before that;
 *   dry-run orders never notify;
 * - keys: a connection whose audit verdict became "block" or that got a pausedReason, when it was
 *   not so before (a snapshot at connect is the baseline, never a notification of its own);
 * - feeds: a signal feed not connected for a whole minute, once per outage, and a line when it
 *   is back; a feed that recovers within the minute never notifies, and `stopped` (vault locked,
 *   unsubscribed) is not an outage.
 *
 * A switched-off kind still updates the state (the order counts as told, the outage as
 * notified), so switching it on later does not replay old events.
 *
 * What a notification says comes only from what the host sends the extension, which never holds
 * an API key or secret; every text still goes through `clean` (long token-like runs redacted,
 * URLs cut to their host, length bounded) as a second line of defence.
 */
import { siteNamed } from '../exchanges/sites.js';
import type { Connection } from '../protocol/methods.js';
import type { FeedState, FeedStatus, OrderRow, Subscription } from '../protocol/trading.js';
import type { NotificationKind, NotificationPrefs } from '../ui/notification-prefs.js';

/** How long a feed must stay down before it is worth a notification. */
export const FEED_DOWN_MS = 60_000;
/** How many order ids are remembered as already told (the oldest are forgotten first). */
export const ORDER_MEMORY = 500;
/** Every notification id starts with this; the worker's click handler owns only these. */
export const NOTIFICATION_PREFIX = 'sentinel/';

export interface KnownConnection {
  label: string;
  exchange: string;
  mode: string;
  unsafe: boolean;
}

export interface KnownFeed {
  /** The relay's host:port, as the user would recognise it (never the path, query or token). */
  relay: string;
  state: FeedState;
  /** ms since epoch: when the current outage began; null while connected or stopped. */
  downSince: number | null;
  /** The current outage was notified (or would have been, with feeds switched off). */
  notified: boolean;
  /** Why the feed's last connection ended, as the host said it (never the token). */
  problem?: string;
}

export interface NotifierState {
  connections: Record<string, KnownConnection>;
  feeds: Record<string, KnownFeed>;
  /** Client order ids already told, oldest first. */
  toldOrders: string[];
}

export const EMPTY_STATE: NotifierState = { connections: {}, feeds: {}, toldOrders: [] };

export type NotifierEvent =
  /** A host JSON-RPC notification, as it arrived (untrusted shape). */
  | { kind: 'host'; method: string; params: unknown }
  /** connections.list after (re)connecting: the baseline. */
  | { kind: 'connections'; list: Connection[] }
  /** signals.list after (re)connecting: the feeds' states and relays; unlisted feeds are gone. */
  | { kind: 'subscriptions'; list: Subscription[] }
  /** Nothing new: just look at the clock (timer). */
  | { kind: 'tick' };

export interface ShownNotification {
  id: string;
  kind: NotificationKind;
  title: string;
  message: string;
}

export interface Decision {
  state: NotifierState;
  show: ShownNotification[];
}

export function decide(
  previous: NotifierState,
  event: NotifierEvent,
  now: number,
  prefs: NotificationPrefs,
): Decision {
  const state: NotifierState = {
    connections: { ...previous.connections },
    feeds: { ...previous.feeds },
    toldOrders: previous.toldOrders,
  };
  const candidates: ShownNotification[] = [];
  if (event.kind === 'host') onHost(state, event.method, event.params, now, candidates);
  else if (event.kind === 'connections') onConnections(state, event.list, now, candidates);
  else if (event.kind === 'subscriptions') onSubscriptions(state, event.list, now, candidates);
  // Every event is also a clock check: an outage is measured from timestamps, not by a timer.
  checkOutages(state, now, candidates);
  return { state, show: candidates.filter((n) => prefs[n.kind]) };
}

/** When the worker should look at the clock again (an outage reaching the minute), or null. */
export function nextCheckAt(state: NotifierState): number | null {
  let next: number | null = null;
  for (const feed of Object.values(state.feeds)) {
    if (feed.downSince === null || feed.notified) continue;
    const at = feed.downSince + FEED_DOWN_MS;
    if (next === null || at < next) next = at;
  }
  return next;
}

// --- Events

function onHost(
  state: NotifierState,
  method: string,
  params: unknown,
  now: number,
  out: ShownNotification[],
): void {
  if (!isRecord(params)) return;
  if (method === 'order.updated') onOrder(state, params as Partial<OrderRow>, out);
  else if (method === 'connection.audited') {
    const audit = params['audit'];
    const verdict = isRecord(audit) ? audit['verdict'] : undefined;
    const c = params['connection'];
    const before =
      isRecord(c) && typeof c['id'] === 'string' ? state.connections[c['id']] : undefined;
    onConnection(state, c, verdict, 'event', before, now, out);
  } else if (method === 'connection.removed') {
    if (typeof params['id'] === 'string') delete state.connections[params['id']];
  } else if (method === 'feed.status') onFeedStatus(state, params as Partial<FeedStatus>, now, out);
}

/** toldOrders holds `id` once a final outcome was told, and `id?` once `unknown` was. */
const UNCONFIRMED_MARK = '?';

function onOrder(state: NotifierState, o: Partial<OrderRow>, out: ShownNotification[]): void {
  const final = o.state === 'placed' || o.state === 'failed';
  if (o.mode !== 'live' || (!final && o.state !== 'unknown')) return;
  const id = o.clientOrderId;
  if (typeof id !== 'string' || state.toldOrders.includes(id)) return;
  // An unconfirmed order is told once, and again when it settles (the same notification id,
  // so the browser replaces the first one).
  if (!final && state.toldOrders.includes(id + UNCONFIRMED_MARK)) return;
  state.toldOrders = [...state.toldOrders, final ? id : id + UNCONFIRMED_MARK].slice(-ORDER_MEMORY);
  const what = [
    str(o.side).toUpperCase(),
    str(o.size ?? o.amount), // a swap's amount is in contracts; its size in base units
    str(o.symbol) || 'an order',
    o.type === 'limit' && o.price ? `at ${str(o.price)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const quoteAsset = str(o.symbol).split('/')[1]?.split(':')[0] ?? '';
  const worth = o.quote ? `worth ${str(o.quote)} ${quoteAsset}`.trim() : '';
  const where = connectionName(state, str(o.connectionId));
  const placed = o.state === 'placed';
  // A perpetual's protective leg is placed to wait for its trigger, not executed.
  const leg = o.role === 'stop-loss' ? 'Stop-loss' : o.role === 'take-profit' ? 'Take-profit' : '';
  const legWhat = leg && o.triggerPrice ? `${what} (trigger ${str(o.triggerPrice)})` : what;
  const title =
    o.state === 'unknown'
      ? `${leg || 'Order'} unconfirmed: ${legWhat}`
      : placed
        ? `${leg ? `${leg} placed` : 'Order executed'}: ${legWhat}`
        : `${leg || 'Live order'} refused: ${legWhat}`;
  const why =
    o.state === 'unknown'
      ? `The exchange could not confirm it; Sentinel keeps looking and counts it in your limits. Check it on the exchange.`
      : placed
        ? ''
        : `Reason: ${str(o.error) || 'the exchange did not take it'}`;
  out.push({
    id: `${NOTIFICATION_PREFIX}order/${id}`,
    kind: 'orders',
    title: clean(title, 100),
    message: clean([`${where}${worth ? ` · ${worth}` : ''}`, why].filter(Boolean).join('\n'), 300),
  });
}

/**
 * A connection as the host now describes it. From an event, turning unsafe is told unless it
 * was unsafe already; from a snapshot, only when we knew it as safe (a change made while we
 * were not listening) — a connection first seen in a snapshot is the baseline.
 */
function onConnection(
  state: NotifierState,
  value: unknown,
  verdict: unknown,
  source: 'event' | 'snapshot',
  before: KnownConnection | undefined,
  now: number,
  out: ShownNotification[],
): void {
  if (!isRecord(value) || typeof value['id'] !== 'string') return;
  const c = value as Partial<Connection> & { id: string };
  const unsafe =
    (verdict ?? c.lastAudit?.verdict) === 'block' ||
    (typeof c.pausedReason === 'string' && c.pausedReason !== '');
  state.connections[c.id] = {
    label: str(c.label),
    exchange: str(c.exchange),
    mode: str(c.mode),
    unsafe,
  };
  const tell = source === 'event' ? !before?.unsafe : before !== undefined && !before.unsafe;
  if (!unsafe || !tell) return;
  const exchangeName = siteNamed(str(c.exchange))?.name ?? (str(c.exchange) || 'the exchange');
  const blocking = Array.isArray(c.lastAudit?.checks)
    ? c.lastAudit.checks.find((check) => check?.level === 'block')?.message
    : undefined;
  const why = str(c.pausedReason) || str(blocking) || 'its audit now blocks the key';
  out.push({
    id: `${NOTIFICATION_PREFIX}key/${c.id}/${now.toString(36)}`,
    kind: 'keys',
    title: clean(`Key unsafe: ${connectionName(state, c.id)}`, 100),
    message: clean(
      `${why}\nNothing trades on it now. Open the dashboard; if the key can withdraw or may have ` +
        `leaked, delete it on ${exchangeName}'s API page.`,
      300,
    ),
  });
}

function onConnections(
  state: NotifierState,
  list: Connection[],
  now: number,
  out: ShownNotification[],
): void {
  const known = state.connections;
  state.connections = {};
  for (const c of Array.isArray(list) ? list : [])
    if (isRecord(c) && typeof c.id === 'string')
      onConnection(state, c, undefined, 'snapshot', known[c.id], now, out);
}

function onSubscriptions(
  state: NotifierState,
  list: Subscription[],
  now: number,
  out: ShownNotification[],
): void {
  const feeds: Record<string, KnownFeed> = {};
  for (const sub of Array.isArray(list) ? list : []) {
    if (!isRecord(sub) || typeof sub.id !== 'string') continue;
    const relay = relayName(sub.url);
    const was = state.feeds[sub.id];
    feeds[sub.id] = was
      ? { ...was, relay }
      : { relay, state: 'stopped', downSince: null, notified: false };
  }
  state.feeds = feeds;
  for (const sub of Array.isArray(list) ? list : [])
    if (isRecord(sub) && typeof sub.id === 'string' && isRecord(sub.feed))
      onFeedStatus(state, { ...sub.feed, subscriptionId: sub.id }, now, out);
}

function onFeedStatus(
  state: NotifierState,
  s: Partial<FeedStatus>,
  now: number,
  out: ShownNotification[],
): void {
  const id = s.subscriptionId;
  if (typeof id !== 'string' || typeof s.state !== 'string') return;
  const was: KnownFeed = state.feeds[id] ?? {
    relay: 'a signal feed',
    state: 'stopped',
    downSince: null,
    notified: false,
  };
  if (s.state === 'connected' || s.state === 'stopped') {
    if (was.notified && s.state === 'connected' && was.downSince !== null)
      out.push({
        id: `${NOTIFICATION_PREFIX}feed-back/${id}/${now.toString(36)}`,
        kind: 'feeds',
        title: clean(`Signal feed back: ${was.relay}`, 100),
        message: clean(`Connected again after ${minutes(now - was.downSince)}.`, 300),
      });
    const { problem: _ended, ...rest } = was;
    state.feeds[id] = { ...rest, state: s.state, downSince: null, notified: false };
    return;
  }
  // connecting / disconnected: down since the first such state after a connected or stopped one
  // (the host's `since` when it is believable, else now), whatever flapping follows.
  const since = Date.parse(s.since ?? '');
  const start = Number.isFinite(since) && since <= now ? since : now;
  state.feeds[id] = {
    ...was,
    state: s.state,
    downSince: was.downSince ?? start,
    ...(typeof s.problem === 'string' ? { problem: s.problem } : {}),
  };
}

function checkOutages(state: NotifierState, now: number, out: ShownNotification[]): void {
  for (const [id, feed] of Object.entries(state.feeds)) {
    if (feed.downSince === null || feed.notified || now - feed.downSince < FEED_DOWN_MS) continue;
    state.feeds[id] = { ...feed, notified: true };
    const problem = feed.problem;
    out.push({
      id: `${NOTIFICATION_PREFIX}feed/${id}/${feed.downSince.toString(36)}`,
      kind: 'feeds',
      title: clean(`Signal feed down: ${feed.relay}`, 100),
      message: clean(
        `Not connected for ${minutes(now - feed.downSince)}${problem ? `: ${problem}` : ''}. ` +
          'No signals arrive meanwhile; the host keeps retrying. Open the dashboard for details.',
        300,
      ),
    });
  }
}

// --- Text

function connectionName(state: NotifierState, id: string): string {
  const c = state.connections[id];
  if (!c) return 'a connection';
  const exchange = siteNamed(c.exchange)?.name ?? c.exchange;
  return c.label ? `${c.label} (${exchange})` : exchange;
}

/** host:port of a relay address; never its path or query (a token could hide there). */
export function relayName(url: unknown): string {
  try {
    return new URL(String(url)).host || 'a signal feed';
  } catch {
    return 'a signal feed';
  }
}

function minutes(ms: number): string {
  const m = Math.max(1, Math.round(ms / 60_000));
  return m === 1 ? '1 minute' : `${m} minutes`;
}

/**
 * A notification's text, defended: URLs are cut to their origin, any run of 24 or more
 * token-like characters (an API key, a signature, a secret) is replaced, and the length bounded.
 */
export function clean(text: string, max: number): string {
  const out = text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#]+[^\s]*/gi, (url) => {
      try {
        return new URL(url).origin;
      } catch {
        return '[address]';
      }
    })
    .replace(/[A-Za-z0-9+/=_-]{24,}/g, '[redacted]')
    .replace(/[^\S\n]+/g, ' ')
    .trim();
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
