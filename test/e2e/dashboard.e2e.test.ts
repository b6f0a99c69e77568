/**
 * The dashboard against the real host: the order history with a filter that changes the rows,
 * the signal history, and the timeline chart (a canvas drawn at a real size) with its text
 * alternative listing the counts per connection; live updates; light and dark screenshots.
 */
import type { Page } from 'puppeteer';
import { screenshot } from '../helpers/chromium.js';
import { until } from '../helpers/trading-rig.js';
import {
  DASHBOARD_URL,
  colorScheme,
  marketSignal,
  startTradingBrowser,
  type TradingBrowser,
} from '../helpers/trading-browser.js';

let w: TradingBrowser;
let page: Page;

const rows = (testid: string) => page.$$eval(`[data-testid="${testid}"]`, (r) => r.length);
const countCell = (connectionId: string, count: string) =>
  page.$eval(
    `[data-testid="timeline-table"] tr[data-connection="${connectionId}"] td[data-count="${count}"]`,
    (e) => Number(e.textContent),
  );

beforeAll(async () => {
  w = await startTradingBrowser();
  await w.call('connections.setMode', { id: w.stack.connections.binance.id, mode: 'live' });
  // Binance (live): 2 placed; Bybit: 2 simulated, one of them ETH; OKX: 1 simulated.
  await w.ordersUntil(
    [
      marketSignal('binance-trend'),
      marketSignal('binance-trend', { side: 'sell', size: { base: '0.01' } }),
      marketSignal('bybit-trend'),
      marketSignal('bybit-trend', { symbol: 'ETH/USDT' }),
      marketSignal('okx-trend'),
    ],
    5,
  );
  // A signal no route takes: recorded, no order.
  await w.stack.publish(marketSignal('nobody-trend'));
  const session = w.session.browser;
  await session.waitForTarget((t) => t.type() === 'service_worker', { timeout: 15_000 });
  page = await session.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  await page.goto(DASHBOARD_URL);
  await page.waitForFunction(
    () =>
      document.querySelectorAll('[data-testid="order-row"]').length === 5 &&
      document.querySelectorAll('[data-testid="signal-row"]').length === 6,
    { timeout: 20_000 },
  );
}, 120_000);
afterAll(async () => {
  await w?.close();
});

it('shows the order history; a filter changes the rows', async () => {
  expect(await page.$eval('[data-testid="order-count"]', (e) => e.textContent)).toBe(
    '5 of 5 orders',
  );
  await page.select('[data-testid="filter-result"]', 'placed');
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="order-row"]').length === 2,
  );
  expect(
    await page.$$eval('[data-testid="order-row"]', (r) =>
      r.map((e) => e.getAttribute('data-state')),
    ),
  ).toEqual(['placed', 'placed']);
  await page.select('[data-testid="filter-result"]', '');
  await page.select('[data-testid="filter-symbol"]', 'ETH/USDT');
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="order-row"]').length === 1,
  );
  expect(
    await page.$eval('[data-testid="order-row"]', (e) => (e as HTMLElement).innerText),
  ).toMatch(/main bybit\s+buy\s+ETH\/USDT/);
  await page.select('[data-testid="filter-symbol"]', '');
  await page.select('[data-testid="filter-connection"]', w.stack.connections.okx.id);
  await page.waitForFunction(
    () =>
      document.querySelectorAll('[data-testid="order-row"]').length === 1 &&
      document.querySelectorAll('[data-testid="signal-row"]').length === 1,
  );
  await page.select('[data-testid="filter-connection"]', '');
  await page.select('[data-testid="filter-status"]', 'rejected');
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="signal-row"]').length === 1,
  );
  expect(
    await page.$eval('[data-testid="signal-row"]', (e) => (e as HTMLElement).innerText),
  ).toMatch(/nobody-trend\s+no route\s+rejected\s+no-route/);
  await page.select('[data-testid="filter-status"]', '');
  expect(await rows('order-row')).toBe(5);
});

it('draws the timeline of signals → orders per connection, with the counts as text', async () => {
  const size = await page.$eval('[data-testid="timeline-canvas"]', (c) => {
    const canvas = c as HTMLCanvasElement;
    // Drawn: some pixel is not transparent.
    const ctx = canvas.getContext('2d')!;
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
    return { width: canvas.clientWidth, height: canvas.clientHeight, painted };
  });
  expect(size.width).toBeGreaterThan(300);
  expect(size.height).toBeGreaterThan(150);
  expect(size.painted).toBeGreaterThan(1000);
  const { binance, bybit, okx } = w.stack.connections;
  expect([await countCell(binance.id, 'signals'), await countCell(binance.id, 'orders')]).toEqual([
    2, 2,
  ]);
  expect(await countCell(binance.id, 'placed')).toBe(2);
  expect([await countCell(bybit.id, 'orders'), await countCell(bybit.id, 'simulated')]).toEqual([
    2, 2,
  ]);
  expect(await countCell(okx.id, 'orders')).toBe(1);
  const label = await page.$eval('[data-testid="timeline-canvas"]', (c) =>
    c.getAttribute('aria-label'),
  );
  expect(label).toContain('main binance: 2 signals → 2 orders (2 placed)');
  expect(label).toContain('main okx: 1 signal → 1 order (1 simulated)');
});

it('updates live: a new signal adds an order row and a count without a reload', async () => {
  await w.ordersUntil([marketSignal('okx-trend')], 6);
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="order-row"]').length === 6,
    { timeout: 20_000 },
  );
  await page.waitForFunction(
    (id) =>
      document.querySelector(
        `[data-testid="timeline-table"] tr[data-connection="${id}"] td[data-count="orders"]`,
      )?.textContent === '2',
    { timeout: 20_000 },
    w.stack.connections.okx.id,
  );
});

it('the notification switches: one per kind, saved in the extension, all on by default', async () => {
  const kinds = await page.$$eval('[data-testid="notification-settings"] input[data-kind]', (els) =>
    els.map((e) => [e.getAttribute('data-kind'), (e as HTMLInputElement).checked]),
  );
  expect(kinds).toEqual([
    ['orders', true],
    ['keys', true],
    ['feeds', true],
  ]);
  await page.click('[data-testid="notification-settings"] input[data-kind="orders"]');
  // Saved where the worker reads it (browser.storage.local), and only the switches are kept.
  // The page's own chrome.storage (an extension page has it; the test's types do not).
  const stored = () =>
    page.evaluate(() =>
      (
        globalThis as unknown as {
          chrome: { storage: { local: { get(k: null): Promise<Record<string, unknown>> } } };
        }
      ).chrome.storage.local.get(null),
    );
  const ordersOn = async () =>
    ((await stored())['notificationPrefs'] as { orders?: boolean } | undefined)?.orders;
  await until(async () => (await ordersOn()) === false, 5_000, 'the switch to be saved off');
  expect(Object.keys(await stored())).toEqual(['notificationPrefs']);
  await page.click('[data-testid="notification-settings"] input[data-kind="orders"]');
  await until(async () => (await ordersOn()) === true, 5_000, 'the switch to be saved on');
});

it('screenshots, light and dark', async () => {
  for (const scheme of ['light', 'dark'] as const) {
    await colorScheme(page, scheme);
    await new Promise((r) => setTimeout(r, 300)); // the chart redraws in the scheme's colours
    await screenshot(page, `dashboard-${scheme}`);
  }
  await colorScheme(page, 'light');
});
