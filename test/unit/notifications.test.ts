/**
 * The notification decisions (src/background/notifications.ts): a sequence of events, each at a
 * time, with the prefs in force → the notifications shown, kind by kind.
 */
import {
  EMPTY_STATE,
  FEED_DOWN_MS,
  ORDER_MEMORY,
  clean,
  decide,
  nextCheckAt,
  relayName,
  type NotifierEvent,
  type NotifierState,
  type ShownNotification,
} from '../../src/background/notifications.js';
import type { Audit } from '../../src/exchanges/types.js';
import type { Connection } from '../../src/protocol/methods.js';
import type { FeedStatus, OrderRow, Subscription } from '../../src/protocol/trading.js';
import { DEFAULT_PREFS, type NotificationPrefs } from '../../src/ui/notification-prefs.js';

const T0 = Date.parse('2026-12-01T12:00:00Z');
const API_KEY = 'BINANCEqK81LmZ0aPwT9vXnR4sYc7JdE2FgH';
const SECRET = 'secret-Zx81kQpL0aMwTq-9f8e7d6c5b4a';

const conn = (extra: Partial<Connection> = {}): Connection => ({
  id: 'c1',
  exchange: 'binance',
  label: 'Main bot',
  environment: 'live',
  mode: 'live',
  apiKeyHint: 'BINA…EFgH',
  createdAt: '2026-11-01T00:00:00Z',
  lastAudit: {
    at: '2026-12-01T00:00:00Z',
    verdict: 'ok',
    permissions: {},
    ipRestricted: true,
    checks: [],
  } as unknown as Audit,
  ...extra,
});
const blocked = (extra: Partial<Connection> = {}): Connection =>
  conn({
    lastAudit: {
      ...(conn().lastAudit as Audit),
      verdict: 'block',
      checks: [{ id: 'withdraw', level: 'block', message: 'The key can withdraw: delete it.' }],
    },
    ...extra,
  });

const order = (extra: Partial<OrderRow> = {}): OrderRow => ({
  clientOrderId: 'x-ord-1',
  providerKey: 'pk',
  signalId: 's1',
  connectionId: 'c1',
  mode: 'live',
  state: 'placed',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'market',
  amount: '0.0005',
  price: null,
  quote: '50',
  exchangeOrderId: '123',
  attempts: 1,
  error: null,
  expiresAt: T0 + 60_000,
  createdAt: '2026-12-01T12:00:00Z',
  updatedAt: '2026-12-01T12:00:00Z',
  ...extra,
});

const sub = (feed: Subscription['feed'], id = 'sub1'): Subscription => ({
  id,
  url: 'wss://relay.example.com:8443/ws?token=sub-token-abcdefghijklmnopqrstuvwxyz',
  providerKey: 'pk',
  routes: [],
  createdAt: '2026-11-01T00:00:00Z',
  tokenHint: 'sub-…',
  feed,
});

const host = (method: string, params: unknown): NotifierEvent => ({ kind: 'host', method, params });
const ordered = (o: Partial<OrderRow>) => host('order.updated', order(o));
const audited = (c: Connection) =>
  host('connection.audited', { connection: c, audit: c.lastAudit });
const feed = (state: FeedStatus['state'], at: number, id = 'sub1') =>
  host('feed.status', { subscriptionId: id, state, since: new Date(T0 + at).toISOString() });
const tick: NotifierEvent = { kind: 'tick' };
const baseline: NotifierEvent = { kind: 'connections', list: [conn()] };
const feeds: NotifierEvent = {
  kind: 'subscriptions',
  list: [sub({ state: 'connected', since: new Date(T0).toISOString() })],
};

/** Runs the events (each [ms after T0, event]) and returns every notification shown. */
function run(
  steps: [number, NotifierEvent][],
  prefs: NotificationPrefs = DEFAULT_PREFS,
  start: NotifierState = EMPTY_STATE,
): { shown: ShownNotification[]; state: NotifierState } {
  let state = start;
  const shown: ShownNotification[] = [];
  for (const [at, event] of steps) {
    const d = decide(state, event, T0 + at, prefs);
    state = d.state;
    shown.push(...d.show);
  }
  return { shown, state };
}

const kinds = (shown: ShownNotification[]) => shown.map((n) => n.kind);

describe('which events notify', () => {
  const cases: {
    name: string;
    steps: [number, NotifierEvent][];
    prefs?: Partial<NotificationPrefs>;
    expect: string[];
  }[] = [
    // Orders
    {
      name: 'a live order placed',
      steps: [
        [0, baseline],
        [1, ordered({})],
      ],
      expect: ['orders'],
    },
    {
      name: 'a live order refused',
      steps: [
        [0, baseline],
        [1, ordered({ state: 'failed', error: 'insufficient balance' })],
      ],
      expect: ['orders'],
    },
    {
      name: 'dry-run orders never notify (simulated, or any state)',
      steps: [
        [0, baseline],
        [1, ordered({ mode: 'dry-run', state: 'simulated' })],
        [2, ordered({ mode: 'dry-run', state: 'placed', clientOrderId: 'x2' })],
        [3, ordered({ mode: 'dry-run', state: 'failed', clientOrderId: 'x3' })],
      ],
      expect: [],
    },
    {
      name: 'an order still an intent does not notify; placed later does, once',
      steps: [
        [0, ordered({ state: 'intent' })],
        [1, ordered({})],
        [2, ordered({})],
      ],
      expect: ['orders'],
    },
    {
      name: 'the same order updated twice notifies once (placed, then failed)',
      steps: [
        [0, ordered({})],
        [1, ordered({ state: 'failed', error: 'x' })],
      ],
      expect: ['orders'],
    },
    {
      name: 'an unconfirmed live order notifies, and again once it settles; never twice for one state',
      steps: [
        [0, ordered({ state: 'unknown', error: 'could not confirm' })],
        [1, ordered({ state: 'unknown', error: 'could not confirm' })],
        [2, ordered({})],
        [3, ordered({})],
      ],
      expect: ['orders', 'orders'],
    },
    {
      name: 'an order told as executed is not told again as unconfirmed',
      steps: [
        [0, ordered({})],
        [1, ordered({ state: 'unknown' })],
      ],
      expect: ['orders'],
    },
    {
      name: 'two orders notify twice',
      steps: [
        [0, ordered({})],
        [1, ordered({ clientOrderId: 'x-ord-2' })],
      ],
      expect: ['orders', 'orders'],
    },
    {
      name: 'a damaged order row notifies nothing',
      steps: [[0, host('order.updated', 7)]],
      expect: [],
    },
    // Keys
    {
      name: 'a key whose audit turns "block"',
      steps: [
        [0, baseline],
        [1, audited(blocked())],
      ],
      expect: ['keys'],
    },
    {
      name: 'a connection paused (verdict still warn)',
      steps: [
        [0, baseline],
        [1, audited(conn({ pausedReason: 'withdrawals not proven off: …' }))],
      ],
      expect: ['keys'],
    },
    {
      name: 'unsafe already: audited again notifies nothing more',
      steps: [
        [0, baseline],
        [1, audited(blocked())],
        [2, audited(blocked({ pausedReason: 'the exchange rejected the key' }))],
      ],
      expect: ['keys'],
    },
    {
      name: 'unsafe, safe again, unsafe again: two notifications',
      steps: [
        [0, baseline],
        [1, audited(blocked())],
        [2, audited(conn())],
        [3, audited(blocked())],
      ],
      expect: ['keys', 'keys'],
    },
    {
      name: 'a snapshot is the baseline: unsafe at connect does not notify',
      steps: [[0, { kind: 'connections', list: [blocked()] }]],
      expect: [],
    },
    {
      name: 'a snapshot after a reconnect tells a known safe key that turned unsafe meanwhile',
      steps: [
        [0, baseline],
        [1, { kind: 'connections', list: [blocked()] }],
        [2, { kind: 'connections', list: [blocked()] }],
      ],
      expect: ['keys'],
    },
    {
      name: 'a removed connection is forgotten (its id unsafe again is told as new)',
      steps: [
        [0, audited(blocked())],
        [1, host('connection.removed', { id: 'c1' })],
        [2, audited(blocked())],
      ],
      expect: ['keys', 'keys'],
    },
    {
      name: 'a re-audit that failed (audit null) keeps the connection’s own verdict',
      steps: [
        [0, baseline],
        [1, host('connection.audited', { connection: conn(), audit: null })],
      ],
      expect: [],
    },
    // Feeds
    {
      name: 'a feed down for over a minute: one notification',
      steps: [
        [0, feeds],
        [1000, feed('disconnected', 1000)],
        [30_000, feed('connecting', 30_000)],
        [40_000, feed('disconnected', 40_000)],
        [1000 + FEED_DOWN_MS, tick],
        [1000 + FEED_DOWN_MS + 5000, feed('connecting', 0)],
        [1000 + 5 * FEED_DOWN_MS, tick],
      ],
      expect: ['feeds'],
    },
    {
      name: 'flapping, each time back within the minute: never',
      steps: [
        [0, feeds],
        [1000, feed('disconnected', 1000)],
        [50_000, feed('connected', 50_000)],
        [60_000, feed('disconnected', 60_000)],
        [110_000, feed('connected', 110_000)],
        [120_000, feed('connecting', 120_000)],
        [170_000, feed('connected', 170_000)],
        [400_000, tick],
      ],
      expect: [],
    },
    {
      name: 'exactly one per outage, and a line when back: two outages',
      steps: [
        [0, feeds],
        [0, feed('disconnected', 0)],
        [FEED_DOWN_MS, tick],
        [FEED_DOWN_MS + 1, tick],
        [2 * FEED_DOWN_MS, feed('connected', 2 * FEED_DOWN_MS)],
        [3 * FEED_DOWN_MS, feed('disconnected', 3 * FEED_DOWN_MS)],
        [5 * FEED_DOWN_MS, host('signal.received', { status: 'executed' })],
        [6 * FEED_DOWN_MS, tick],
      ],
      expect: ['feeds', 'feeds', 'feeds'],
    },
    {
      name: 'the outage is measured from timestamps: any later event notices it (no timer)',
      steps: [
        [0, feed('disconnected', 0)],
        [FEED_DOWN_MS - 1, host('vault.changed', { vault: 'unlocked' })],
        [FEED_DOWN_MS, host('trading.changed', { paused: false })],
      ],
      expect: ['feeds'],
    },
    {
      name: 'stopped (vault locked, unsubscribed) is not an outage',
      steps: [
        [0, feed('stopped', 0)],
        [10 * FEED_DOWN_MS, tick],
      ],
      expect: [],
    },
    {
      name: 'a feed gone from the snapshot is forgotten (unsubscribed while down)',
      steps: [
        [0, feed('disconnected', 0)],
        [1000, { kind: 'subscriptions', list: [] }],
        [2 * FEED_DOWN_MS, tick],
      ],
      expect: [],
    },
    {
      name: 'a snapshot down for long already (worker woke late): told at once',
      steps: [
        [
          5 * FEED_DOWN_MS,
          {
            kind: 'subscriptions',
            list: [sub({ state: 'connecting', since: new Date(T0).toISOString() })],
          },
        ],
      ],
      expect: ['feeds'],
    },
    {
      name: 'a `since` in the future is not believed (counted from now)',
      steps: [
        [0, feed('disconnected', 10 * FEED_DOWN_MS)],
        [FEED_DOWN_MS - 1, tick],
      ],
      expect: [],
    },
    // Prefs
    {
      name: 'orders off: orders suppressed, keys and feeds still told',
      prefs: { orders: false },
      steps: [
        [0, baseline],
        [0, feed('disconnected', 0)],
        [1, ordered({})],
        [2, audited(blocked())],
        [FEED_DOWN_MS, tick],
      ],
      expect: ['keys', 'feeds'],
    },
    {
      name: 'keys off: only keys suppressed',
      prefs: { keys: false },
      steps: [
        [0, baseline],
        [0, feed('disconnected', 0)],
        [1, ordered({})],
        [2, audited(blocked())],
        [FEED_DOWN_MS, tick],
      ],
      expect: ['orders', 'feeds'],
    },
    {
      name: 'feeds off: only feeds suppressed',
      prefs: { feeds: false },
      steps: [
        [0, baseline],
        [0, feed('disconnected', 0)],
        [1, ordered({})],
        [2, audited(blocked())],
        [FEED_DOWN_MS, tick],
      ],
      expect: ['orders', 'keys'],
    },
  ];

  it.each(cases)('$name', ({ steps, prefs, expect: expected }) => {
    expect(kinds(run(steps, { ...DEFAULT_PREFS, ...prefs }).shown)).toEqual(expected);
  });
});

describe('what a notification says', () => {
  it('an executed order: side, amount, symbol, connection and exchange, worth', () => {
    const [n] = run([
      [0, baseline],
      [1, ordered({})],
    ]).shown;
    expect(n!.title).toBe('Order executed: BUY 0.0005 BTC/USDT');
    expect(n!.message).toBe('Main bot (Binance) · worth 50 USDT');
    expect(n!.id).toBe('sentinel/order/x-ord-1');
  });

  it('an unconfirmed order: the same, what Sentinel does about it, and what to do', () => {
    const [n] = run([
      [0, baseline],
      [1, ordered({ state: 'unknown', error: 'could not confirm' })],
    ]).shown;
    expect(n!.title).toBe('Order unconfirmed: BUY 0.0005 BTC/USDT');
    expect(n!.message).toBe(
      'Main bot (Binance) · worth 50 USDT\nThe exchange could not confirm it; Sentinel keeps looking and counts it in your limits. Check it on the exchange.',
    );
    expect(n!.id).toBe('sentinel/order/x-ord-1');
  });

  it('a refused order: the same, and the reason', () => {
    const [n] = run([
      [0, baseline],
      [
        1,
        ordered({
          state: 'failed',
          side: 'sell',
          type: 'limit',
          price: '61000',
          symbol: 'BTC/USDT:USDT',
          error:
            'Binance refused the order: Account has insufficient balance for requested action.',
        }),
      ],
    ]).shown;
    expect(n!.title).toBe('Live order refused: SELL 0.0005 BTC/USDT:USDT at 61000');
    expect(n!.message).toBe(
      'Main bot (Binance) · worth 50 USDT\nReason: Binance refused the order: Account has insufficient balance for requested action.',
    );
  });

  it.each([
    ['placed', 'stop-loss', 'Stop-loss placed: SELL 0.0005 BTC/USDT:USDT (trigger 58000)'],
    ['failed', 'stop-loss', 'Stop-loss refused: SELL 0.0005 BTC/USDT:USDT (trigger 58000)'],
    ['placed', 'take-profit', 'Take-profit placed: SELL 0.0005 BTC/USDT:USDT (trigger 58000)'],
  ] as const)('a protective leg %s (%s): placed to wait, not executed', (state, role, title) => {
    const [n] = run([
      [0, baseline],
      [
        1,
        ordered({
          state,
          role,
          side: 'sell',
          symbol: 'BTC/USDT:USDT',
          triggerPrice: '58000',
          ...(state === 'failed' ? { error: 'refused' } : {}),
        }),
      ],
    ]).shown;
    expect(n!.title).toBe(title);
  });

  it('an unsafe key: which connection, why, and what to do', () => {
    const [n] = run([
      [0, baseline],
      [1, audited(blocked())],
    ]).shown;
    expect(n!.title).toBe('Key unsafe: Main bot (Binance)');
    expect(n!.message).toContain('The key can withdraw: delete it.');
    expect(n!.message).toContain(
      "Open the dashboard; if the key can withdraw or may have leaked, delete it on Binance's API page.",
    );
  });

  it('a feed down: the relay host only (never the path or the token in its URL)', () => {
    const [n] = run([
      [0, feeds],
      [
        0,
        host('feed.status', {
          subscriptionId: 'sub1',
          state: 'disconnected',
          since: new Date(T0).toISOString(),
          problem: 'connection refused',
        }),
      ],
      [3 * FEED_DOWN_MS, tick],
    ]).shown;
    expect(n!.title).toBe('Signal feed down: relay.example.com:8443');
    expect(n!.message).toMatch(/^Not connected for 3 minutes: connection refused\./);
    expect(JSON.stringify(n)).not.toContain('token');
  });

  it('never a key or a secret, even when the host’s text carried one', () => {
    const leaky = `bad key ${API_KEY} signature=${SECRET} at https://api.binance.com/api/v3/order?apiKey=${API_KEY}&signature=abc`;
    const { shown } = run([
      [0, { kind: 'connections', list: [conn({ label: `bot ${API_KEY}` })] }],
      [1, ordered({ state: 'failed', error: leaky })],
      [2, audited(blocked({ pausedReason: leaky }))],
    ]);
    expect(shown).toHaveLength(2);
    for (const n of shown) {
      const text = `${n.title}\n${n.message}`;
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('signature=abc');
    }
    expect(shown[0]!.message).toContain('https://api.binance.com');
  });

  it('clean bounds the length and keeps short words', () => {
    expect(clean('a'.repeat(10) + ' ok', 8)).toBe('aaaaaaa…');
    expect(clean('insufficient-balance over-max-order', 100)).toBe(
      'insufficient-balance over-max-order',
    );
    expect(relayName('not a url')).toBe('a signal feed');
  });
});

describe('state', () => {
  it('remembers at most ORDER_MEMORY told orders, the newest', () => {
    const steps: [number, NotifierEvent][] = [];
    for (let i = 0; i < ORDER_MEMORY + 5; i++) steps.push([i, ordered({ clientOrderId: `o${i}` })]);
    const { state, shown } = run(steps);
    expect(shown).toHaveLength(ORDER_MEMORY + 5);
    expect(state.toldOrders).toHaveLength(ORDER_MEMORY);
    expect(state.toldOrders.at(-1)).toBe(`o${ORDER_MEMORY + 4}`);
  });

  it('a switched-off kind still counts as told: switching it on later replays nothing', () => {
    const off = run(
      [
        [0, ordered({})],
        [0, feed('disconnected', 0)],
        [FEED_DOWN_MS, tick],
      ],
      {
        ...DEFAULT_PREFS,
        orders: false,
        feeds: false,
      },
    );
    expect(off.shown).toEqual([]);
    expect(
      run(
        [
          [1, ordered({})],
          [2 * FEED_DOWN_MS, tick],
        ],
        DEFAULT_PREFS,
        off.state,
      ).shown,
    ).toEqual([]);
  });

  it('nextCheckAt: the end of the minute of the first outage not yet told', () => {
    const { state } = run([
      [0, feed('disconnected', 0, 'a')],
      [10_000, feed('disconnected', 10_000, 'b')],
    ]);
    expect(nextCheckAt(state)).toBe(T0 + FEED_DOWN_MS);
    expect(nextCheckAt(run([[FEED_DOWN_MS, tick]], DEFAULT_PREFS, state).state)).toBe(
      T0 + 10_000 + FEED_DOWN_MS,
    );
    expect(nextCheckAt(EMPTY_STATE)).toBeNull();
  });
});
