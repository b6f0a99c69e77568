/**
 * The worker's side of browser notifications: feeds the host's notifications (and a snapshot of
 * connections and feeds at every connect) to the pure `decide` (notifications.ts) and shows what
 * it answers with browser.notifications. Clicking one opens the dashboard.
 *
 * The state lives in the worker's memory only: the extension keeps nothing in chrome.storage but
 * the user's switches (docs/security-model.md), and the worker lives as long as its native port
 * is open. A worker started again (browser start, extension reload, the host gone and back)
 * rebuilds it from the snapshot it takes at connect: connections as the baseline, each feed's
 * state and `since` from signals.list.
 *
 * Timing of a feed outage: with the port open the worker stays alive, so a timer to the minute's
 * end normally fires. It is not relied on alone: the outage's start is a timestamp (the host's
 * `since`), and every event — any host notification, a snapshot — first compares it with the
 * clock, so a late or lost timer only delays the notification to the next event. chrome.alarms
 * would add a permission (and a 30 s minimum period) for what the timer and the events cover.
 */
import browser from 'webextension-polyfill';
import type { NativeHostLink } from './native-host-link.js';
import {
  EMPTY_STATE,
  NOTIFICATION_PREFIX,
  decide,
  nextCheckAt,
  type NotifierEvent,
  type NotifierState,
  type ShownNotification,
} from './notifications.js';
import { NOTIFICATION_ICON } from './notification-icon.js';
import { readPrefs } from '../ui/notification-prefs.js';
import type { Connection } from '../protocol/methods.js';
import type { Subscription } from '../protocol/trading.js';
import { errorMessage } from '../lib/error-text.js';

export const DASHBOARD_PAGE = 'src/dashboard/index.html';

/** What the notifier needs of the native link. */
export type NotifierLink = Pick<NativeHostLink, 'onStatus' | 'onNotification' | 'request'>;

export function startNotifier(link: NotifierLink): void {
  let state: NotifierState = EMPTY_STATE;
  let chain: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | null = null;

  /** Events are decided one at a time, in arrival order (each needs the state the last left). */
  const enqueue = (events: () => Promise<NotifierEvent[]>): void => {
    chain = chain
      .then(async () => {
        for (const event of await events()) await apply(event);
      })
      .catch((err: unknown) => console.warn(`notifications: ${errorMessage(err)}`));
  };

  async function apply(event: NotifierEvent): Promise<void> {
    const decision = decide(state, event, Date.now(), await readPrefs(browser.storage.local));
    state = decision.state;
    for (const n of decision.show) await show(n);
    schedule(nextCheckAt(state));
  }

  function schedule(at: number | null): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (at === null) return;
    timer = setTimeout(
      () => enqueue(async () => [{ kind: 'tick' }]),
      Math.max(0, at - Date.now()) + 250,
    );
  }

  async function snapshot(): Promise<NotifierEvent[]> {
    const [connections, subscriptions] = await Promise.all([
      link.request('connections.list'),
      link.request('signals.list'),
    ]);
    return [
      ...(connections.ok
        ? [{ kind: 'connections', list: connections.result as Connection[] }]
        : []),
      ...(subscriptions.ok
        ? [{ kind: 'subscriptions', list: subscriptions.result as Subscription[] }]
        : []),
    ] as NotifierEvent[];
  }

  let connected = false;
  link.onStatus((s) => {
    const now = s.connection === 'connected';
    if (now && !connected) enqueue(snapshot);
    connected = now;
  });

  link.onNotification((n) => {
    const event: NotifierEvent = { kind: 'host', method: n.method, params: n.params };
    enqueue(async () => {
      // An order of a connection, or the status of a feed, we have not seen yet (added since the
      // last snapshot): learn its name first (label and exchange, the relay's host), so the
      // notification can say it.
      const p = (n.params ?? {}) as { connectionId?: unknown; subscriptionId?: unknown };
      const unknown =
        (n.method === 'order.updated' &&
          typeof p.connectionId === 'string' &&
          !state.connections[p.connectionId]) ||
        (n.method === 'feed.status' &&
          typeof p.subscriptionId === 'string' &&
          !state.feeds[p.subscriptionId]);
      return unknown ? [...(await snapshot()), event] : [event];
    });
  });

  // Registered synchronously at start-up: a click wakes a stopped worker and must find it.
  browser.notifications.onClicked.addListener((id: string) => {
    if (!id.startsWith(NOTIFICATION_PREFIX)) return;
    void browser.tabs.create({ url: browser.runtime.getURL(DASHBOARD_PAGE) });
    void browser.notifications.clear(id);
  });
}

async function show(n: ShownNotification): Promise<void> {
  try {
    await browser.notifications.create(n.id, {
      type: 'basic',
      iconUrl: NOTIFICATION_ICON,
      title: n.title,
      message: n.message,
      contextMessage: 'Sentinel Companion',
    });
  } catch (err) {
    console.warn(`notification ${n.id} not shown: ${errorMessage(err)}`);
  }
}
