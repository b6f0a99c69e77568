/**
 * Browser notifications, for real: the trading rig (exchange simulator, signal relay, the host
 * service) with the Binance connection live, Debian's Chromium with the built extension, the host
 * installed for its profile by the project's installer, the real bridge. A signal executes on the
 * simulator and the worker shows a notification; a refused live order, an unsafe key, a dry-run
 * order and a switched-off kind are checked the same way.
 *
 * What is read: `chrome.notifications.getAll()` in the extension's service worker (the ids of
 * the notifications the browser holds — headless Chromium creates them, it draws nothing), and,
 * since getAll gives no options back, the options of every `chrome.notifications.create` call,
 * recorded by a wrapper this test installs in the worker before the host is reachable (the
 * extension itself keeps no log: it stores nothing but the user's switches).
 */
import type { WebWorker } from 'puppeteer';
import { Scope } from '../../dev/harness/scope.js';
import {
  EXCHANGES,
  RIG_BALANCES,
  SUBSCRIBER_TOKEN,
  marketSignal,
  simKey,
  startTradingStack,
  type TradingStack,
} from '../../dev/harness/trading.js';
import { sleep, until } from '../../dev/harness/wait.js';
import { FEED_DOWN_MS } from '../../src/background/notifications.js';
import type { ExchangeId } from '../../src/exchanges/types.js';
import type { HelloResult } from '../../src/protocol/methods.js';
import type { OrderRow, Subscription } from '../../src/protocol/trading.js';
import { EXTENSION_ID } from '../../src/protocol/constants.js';
import { launchChromium, type BrowserSession } from '../helpers/chromium.js';
import { requireBuiltHost } from '../helpers/host.js';

interface Shown {
  id: string;
  kind: string;
  type: string;
  iconUrl: string;
  title: string;
  message: string;
}

/** The part of chrome.* read in the worker (evaluated there; only the type lives here). */
interface WorkerChrome {
  notifications: {
    getAll(): Promise<Record<string, boolean>>;
    create(...args: unknown[]): unknown;
  };
  storage: {
    local: { set(items: object): Promise<void> };
  };
}

let scope: Scope;
let stack: TradingStack;
let session: BrowserSession;
let worker: WebWorker;

beforeAll(async () => {
  requireBuiltHost();
  scope = new Scope('notifications e2e');
  stack = await startTradingStack(scope, { kdf: 'insecure-test', connect: true });
  await stack.call('connections.setMode', { id: stack.connections.binance.id, mode: 'live' });
  session = await launchChromium();
  scope.defer('close Chromium', () => session.close());
  const install = await stack.cli([
    'install',
    '--browser',
    'chromium',
    '--user-data-dir',
    session.profile,
  ]);
  expect(install.code, `${install.stdout}\n${install.stderr}`).toBe(0);
  const target = await session.browser.waitForTarget(
    (t) =>
      t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${EXTENSION_ID}/`),
    { timeout: 15_000 },
  );
  worker = (await target.worker())!;
  // The target can be attached before the extension's APIs are bound in it.
  await until(
    () =>
      worker.evaluate(
        () =>
          typeof (globalThis as unknown as { chrome?: Partial<WorkerChrome> }).chrome?.notifications
            ?.create === 'function',
      ),
    15_000,
    'chrome.notifications in the worker',
    100,
  );
  // Record what the extension asks the browser to show (no notification can exist before the
  // host is installed, below: nothing is missed).
  await worker.evaluate(() => {
    const g = globalThis as unknown as { chrome: WorkerChrome; recorded: unknown[] };
    const n = g.chrome.notifications;
    const create = n.create;
    g.recorded = [];
    n.create = function (...args: unknown[]) {
      const [id, options] = typeof args[0] === 'string' ? args : [undefined, args[0]];
      g.recorded.push({ id, ...(options as object) });
      return create.apply(this, args);
    };
  });
  // The worker tried the host before it was installed; its backoff (1 s, 2 s, 4 s …) brings it
  // back. The host records the extension's hello.
  await until(
    async () => ((await stack.call('host.hello')) as HelloResult).extensions.length > 0,
    40_000,
    'the extension to say hello to the host',
    250,
  );
}, 90_000);

afterAll(async () => {
  const problems = await scope?.close();
  expect(problems ?? []).toEqual([]);
});

/** The ids the browser holds (chrome.notifications.getAll). */
const browserIds = (): Promise<string[]> =>
  worker.evaluate(async () => {
    const c = (globalThis as unknown as { chrome: WorkerChrome }).chrome;
    return Object.keys(await c.notifications.getAll());
  });
/** What the worker asked the browser to show, with its text; the kind is read from the id. */
const shown = async (): Promise<Shown[]> =>
  (await worker.evaluate(() => (globalThis as unknown as { recorded: Shown[] }).recorded)).map(
    (n) => ({ ...n, kind: `${/^sentinel\/(order|key|feed)/.exec(n.id)?.[1] ?? '?'}s` }),
  );
const setPrefs = (prefs: { orders: boolean; keys: boolean; feeds: boolean }) =>
  worker.evaluate(async (p) => {
    const c = (globalThis as unknown as { chrome: WorkerChrome }).chrome;
    await c.storage.local.set({ notificationPrefs: p });
  }, prefs);

async function waitShown(match: (n: Shown) => boolean, what: string): Promise<Shown> {
  const n = await until(async () => (await shown()).find(match), 20_000, what, 100);
  // The browser holds it too: created, not only decided.
  expect(await browserIds()).toContain(n.id);
  return n;
}

async function order(exchange: ExchangeId, signalId: string): Promise<OrderRow> {
  const id = stack.clientOrderId(exchange, signalId);
  return until(
    async () =>
      ((await stack.call('orders.list', { limit: 50 })) as OrderRow[]).find(
        (o) => o.clientOrderId === id && o.state !== 'intent',
      ),
    20_000,
    `order ${id} to settle`,
    100,
  );
}

it('an executed live order: a notification with side, amount, symbol, connection, worth', async () => {
  const signal = marketSignal('binance-trend');
  await stack.publish(signal);
  const row = await order('binance', signal.id as string);
  expect(row).toMatchObject({ mode: 'live', state: 'placed' });
  const n = await waitShown(
    (x) => x.id === `sentinel/order/${row.clientOrderId}`,
    'the executed order notification',
  );
  expect(n).toMatchObject({ kind: 'orders', type: 'basic' });
  expect(n.iconUrl).toMatch(/^data:image\/png;base64,/);
  expect(n.title).toBe(`Order executed: BUY ${row.amount} BTC/USDT`);
  expect(n.message).toBe(`rig binance (Binance) · worth ${row.quote} USDT`);
});

it('a dry-run order never notifies; a refused live order does, with the reason', async () => {
  const dry = marketSignal('bybit-trend');
  await stack.publish(dry);
  const dryRow = await order('bybit', dry.id as string);
  expect(dryRow).toMatchObject({ mode: 'dry-run', state: 'simulated' });

  // The exchange refuses the next Binance order: the account has 1 USDT left.
  stack.sim.addKey({ ...simKey(stack.sim, 'binance'), balances: { USDT: '1', BTC: '0' } });
  try {
    const refused = marketSignal('binance-trend');
    await stack.publish(refused);
    const row = await order('binance', refused.id as string);
    expect(row).toMatchObject({ mode: 'live', state: 'failed' });
    expect(row.error).toMatch(/InsufficientFunds|balance/i);
    const n = await waitShown(
      (x) => x.id === `sentinel/order/${row.clientOrderId}`,
      'the refused order notification',
    );
    expect(n.title).toBe(`Live order refused: BUY ${row.amount} BTC/USDT`);
    expect(n.message).toBe(`rig binance (Binance) · worth ${row.quote} USDT\nReason: ${row.error}`);
  } finally {
    stack.sim.addKey({ ...simKey(stack.sim, 'binance'), balances: RIG_BALANCES });
  }

  // Events are decided in order: the refused order came after the dry-run one.
  expect((await shown()).some((x) => x.id.includes(dryRow.clientOrderId))).toBe(false);
  expect((await browserIds()).some((id) => id.includes(dryRow.clientOrderId))).toBe(false);
});

it('a switched-off kind does not appear; the others still do (an unsafe key)', async () => {
  await setPrefs({ orders: false, keys: true, feeds: true });
  const signal = marketSignal('binance-trend');
  await stack.publish(signal);
  const row = await order('binance', signal.id as string);
  expect(row, row.error ?? '').toMatchObject({ mode: 'live', state: 'placed' });

  // OKX's key can now withdraw: the next audit blocks it.
  stack.sim.addKey({
    ...simKey(stack.sim, 'okx'),
    permissions: { read: true, spot: true, withdraw: true },
  });
  await stack.call('connections.audit', { id: stack.connections.okx.id }).catch(() => undefined);
  const n = await waitShown(
    (x) => x.id.startsWith(`sentinel/key/${stack.connections.okx.id}/`),
    'the unsafe key notification',
  );
  expect(n.title).toBe('Key unsafe: rig okx (OKX)');
  expect(n.message).toContain(
    "Open the dashboard; if the key can withdraw or may have leaked, delete it on OKX's API page.",
  );

  // The order came before the audit, and the worker decides in order: it was seen, and not told.
  expect((await shown()).some((x) => x.id.includes(row.clientOrderId))).toBe(false);
  expect((await browserIds()).some((id) => id.includes(row.clientOrderId))).toBe(false);
  await setPrefs({ orders: true, keys: true, feeds: true });
});

it('a feed down for over a minute: one notification for the outage', async () => {
  const [sub] = (await stack.call('signals.list')) as Subscription[];
  const relay = new URL(stack.relay.wsUrl).host;
  const before = Date.now();
  await stack.relay.close(); // the host's feed retries with backoff: connecting, disconnected …
  const n = await until(
    async () => (await shown()).find((x) => x.id.startsWith(`sentinel/feed/${sub!.id}/`)),
    100_000,
    'the feed-down notification',
    500,
  );
  // Not before the minute (measured from the host's `since`, a little before our clock read).
  expect(Date.now() - before).toBeGreaterThanOrEqual(FEED_DOWN_MS - 2000);
  expect(await browserIds()).toContain(n.id);
  expect(n.title).toBe(`Signal feed down: ${relay}`);
  expect(n.message).toMatch(/^Not connected for 1 minute/);
  // The host keeps retrying (more statuses arrive): still one notification for this outage.
  await sleep(8000);
  expect((await shown()).filter((x) => x.kind === 'feeds')).toHaveLength(1);
}, 130_000);

it('no notification text holds an API key, a secret, a passphrase or the relay token', async () => {
  const all = await shown();
  expect(all.map((n) => n.kind).sort()).toEqual(['feeds', 'keys', 'orders', 'orders']);
  const secrets = EXCHANGES.flatMap((ex) => {
    const k = simKey(stack.sim, ex);
    return [k.apiKey, k.secret, ...(k.passphrase ? [k.passphrase] : [])];
  });
  secrets.push(SUBSCRIBER_TOKEN);
  for (const n of all)
    for (const s of secrets) expect(`${n.id}\n${n.title}\n${n.message}`).not.toContain(s);
});
