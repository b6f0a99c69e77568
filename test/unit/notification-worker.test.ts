/**
 * The worker's glue (src/background/notifier.ts) with a stand-in link and browser: a snapshot at
 * connect, an order of an unknown connection asks for the connections first, the timer tells an
 * outage at the minute, switches are read at every event, a click opens the dashboard.
 */
import type { HostStatus, RpcReply } from '../../src/protocol/extension-messages.js';
import type { JsonRpcNotification } from '../../src/protocol/jsonrpc.js';
import type { Connection } from '../../src/protocol/methods.js';
import type { OrderRow, Subscription } from '../../src/protocol/trading.js';

const fake = vi.hoisted(() => ({
  created: [] as { id: string; options: Record<string, unknown> }[],
  cleared: [] as string[],
  tabs: [] as string[],
  clicked: [] as ((id: string) => void)[],
  local: {} as Record<string, unknown>,
}));

vi.mock('webextension-polyfill', () => ({
  default: {
    notifications: {
      create: async (id: string, options: Record<string, unknown>) => {
        fake.created.push({ id, options });
        return id;
      },
      clear: async (id: string) => void fake.cleared.push(id),
      onClicked: { addListener: (l: (id: string) => void) => void fake.clicked.push(l) },
    },
    tabs: { create: async ({ url }: { url: string }) => void fake.tabs.push(url) },
    runtime: { getURL: (path: string) => `chrome-extension://ext-id/${path}` },
    storage: {
      local: {
        get: async (key: string) => (key in fake.local ? { [key]: fake.local[key] } : {}),
        set: async (items: Record<string, unknown>) => void Object.assign(fake.local, items),
      },
    },
  },
}));

const { startNotifier } = await import('../../src/background/notifier.js');
const { FEED_DOWN_MS } = await import('../../src/background/notifications.js');

const connection = (id: string, label: string): Connection =>
  ({ id, exchange: 'bybit', label, mode: 'live', environment: 'live' }) as Connection;
const orderRow = (connectionId: string, clientOrderId: string): OrderRow =>
  ({
    clientOrderId,
    connectionId,
    mode: 'live',
    state: 'placed',
    symbol: 'ETH/USDT',
    side: 'sell',
    type: 'market',
    amount: '0.5',
    quote: '1500',
    price: null,
    error: null,
  }) as OrderRow;

function fakeLink(answers: Record<string, () => unknown>) {
  const status = new Set<(s: HostStatus) => void>();
  const notes = new Set<(n: JsonRpcNotification) => void>();
  const requests: string[] = [];
  return {
    requests,
    link: {
      onStatus: (l: (s: HostStatus) => void) => (status.add(l), () => status.delete(l)),
      onNotification: (l: (n: JsonRpcNotification) => void) => (
        notes.add(l),
        () => notes.delete(l)
      ),
      request: async (method: string): Promise<RpcReply> => {
        requests.push(method);
        const answer = answers[method];
        return answer
          ? { ok: true, result: answer() }
          : {
              ok: false,
              error: { code: -32601, message: 'no', data: { reason: 'METHOD_NOT_FOUND' } },
            };
      },
    },
    setStatus: (s: HostStatus) => status.forEach((l) => l(s)),
    notify: (method: string, params: unknown) =>
      notes.forEach((l) => l({ jsonrpc: '2.0', method, params })),
  };
}

/** Lets the worker's queue of promises run. */
const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
};

beforeEach(() => {
  fake.created.length = 0;
  fake.cleared.length = 0;
  fake.tabs.length = 0;
  fake.clicked.length = 0;
  for (const k of Object.keys(fake.local)) delete fake.local[k];
});

it('an order of a connection it has not seen: asks for the connections, then names it', async () => {
  let connections: Connection[] = [];
  const h = fakeLink({ 'connections.list': () => connections, 'signals.list': () => [] });
  startNotifier(h.link);
  h.setStatus({ connection: 'connected' });
  await settle();
  expect(h.requests.sort()).toEqual(['connections.list', 'signals.list']);

  connections = [connection('c9', 'Swing')];
  h.notify('order.updated', orderRow('c9', 'o-1'));
  await settle();
  expect(h.requests.filter((r) => r === 'connections.list')).toHaveLength(2);
  expect(fake.created).toHaveLength(1);
  expect(fake.created[0]!.id).toBe('sentinel/order/o-1');
  expect(fake.created[0]!.options).toMatchObject({
    type: 'basic',
    title: 'Order executed: SELL 0.5 ETH/USDT',
    message: 'Swing (Bybit) · worth 1500 USDT',
  });
  expect(String(fake.created[0]!.options['iconUrl'])).toMatch(/^data:image\/png;base64,/);

  // Known now: the next order asks nothing more.
  h.notify('order.updated', orderRow('c9', 'o-2'));
  await settle();
  expect(h.requests.filter((r) => r === 'connections.list')).toHaveLength(2);
  expect(fake.created.map((c) => c.id)).toEqual(['sentinel/order/o-1', 'sentinel/order/o-2']);
});

it('a switch turned off takes effect at the next event', async () => {
  const h = fakeLink({ 'connections.list': () => [connection('c1', 'A')] });
  startNotifier(h.link);
  h.setStatus({ connection: 'connected' });
  await settle();
  fake.local['notificationPrefs'] = { orders: false };
  h.notify('order.updated', orderRow('c1', 'o-3'));
  await settle();
  expect(fake.created).toEqual([]);
});

it('a feed down: the timer tells it at the minute, with no other event', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  try {
    const since = new Date().toISOString();
    const subs: Subscription[] = [
      {
        id: 's1',
        url: 'ws://127.0.0.1:9000/feed',
        feed: { state: 'disconnected', since },
      } as Subscription,
    ];
    const h = fakeLink({ 'connections.list': () => [], 'signals.list': () => subs });
    startNotifier(h.link);
    h.setStatus({ connection: 'connected' });
    await settle();
    await vi.advanceTimersByTimeAsync(FEED_DOWN_MS - 1000);
    await settle();
    expect(fake.created).toEqual([]);
    await vi.advanceTimersByTimeAsync(2000);
    await settle();
    expect(fake.created.map((c) => c.options['title'])).toEqual([
      'Signal feed down: 127.0.0.1:9000',
    ]);
  } finally {
    vi.useRealTimers();
  }
});

it('the status of a feed subscribed since the snapshot: asks for the feeds, then names its relay', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  try {
    let subs: Subscription[] = [];
    const h = fakeLink({ 'connections.list': () => [], 'signals.list': () => subs });
    startNotifier(h.link);
    h.setStatus({ connection: 'connected' });
    await settle();
    const since = new Date().toISOString();
    subs = [
      { id: 's2', url: 'wss://relay.example.org/feed', feed: { state: 'connecting', since } },
    ] as Subscription[];
    h.notify('feed.status', { subscriptionId: 's2', state: 'disconnected', since });
    await settle();
    expect(h.requests.filter((r) => r === 'signals.list')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(FEED_DOWN_MS + 1000);
    await settle();
    expect(fake.created.map((c) => c.options['title'])).toEqual([
      'Signal feed down: relay.example.org',
    ]);
  } finally {
    vi.useRealTimers();
  }
});

it('a click on one of its notifications opens the dashboard and clears it; others are left', async () => {
  startNotifier(fakeLink({}).link);
  const click = fake.clicked.at(-1)!;
  click('other-extension-id');
  expect(fake.tabs).toEqual([]);
  click('sentinel/order/o-1');
  await settle();
  expect(fake.tabs).toEqual(['chrome-extension://ext-id/src/dashboard/index.html']);
  expect(fake.cleared).toEqual(['sentinel/order/o-1']);
});
