/**
 * The popup at a glance against the real host: three connections (one live), two feeds and the
 * last five orders fit Chrome's 600-px popup in light and dark; the trading headline says dry-run
 * while every connection is dry-run, live once one is, and paused with the reason.
 */
import type { Page } from 'puppeteer';
import { openPopup, screenshot } from '../helpers/chromium.js';
import {
  colorScheme,
  marketSignal,
  startTradingBrowser,
  type TradingBrowser,
} from '../helpers/trading-browser.js';

let w: TradingBrowser;
let popup: Page;

const headline = () => popup.$eval('[data-testid="trading"]', (e) => e.getAttribute('data-state'));
const headlineIs = (state: string) =>
  popup.waitForFunction(
    (s) => document.querySelector('[data-testid="trading"]')?.getAttribute('data-state') === s,
    { timeout: 20_000 },
    state,
  );
const text = (selector: string) =>
  popup.$eval(selector, (e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim());

beforeAll(async () => {
  w = await startTradingBrowser();
  // Five dry-run orders across the three connections.
  await w.ordersUntil(
    [
      marketSignal('binance-trend'),
      marketSignal('bybit-trend', { side: 'sell', size: { base: '0.01' } }),
      marketSignal('okx-trend'),
      marketSignal('binance-trend', { symbol: 'ETH/USDT', size: { quote: '120' } }),
      marketSignal('bybit-trend'),
    ],
    5,
  );
  popup = await openPopup(w.session.browser);
  await popup.waitForFunction(
    () =>
      document.querySelectorAll('[data-testid="connection"]').length === 3 &&
      document.querySelectorAll('[data-testid="feed"]').length === 2 &&
      document.querySelectorAll('[data-testid="order"]').length === 5,
    { timeout: 20_000 },
  );
}, 120_000);
afterAll(async () => {
  await w?.close();
});

it('says dry-run while every connection is dry-run, never that live connections send orders', async () => {
  await headlineIs('dry-run');
  const said = await text('[data-testid="trading-headline"]');
  expect(said).toMatch(/^DRY-RUN All 3 connections are in dry-run/i);
  expect(said).not.toMatch(/send(s)? real orders/);
  expect(await popup.$$eval('[data-testid="mode"]', (m) => m.map((e) => e.textContent))).toEqual([
    'dry-run',
    'dry-run',
    'dry-run',
  ]);
});

it('one row per connection, one line per feed with a readable name, orders with amount, worth, connection and result', async () => {
  const row = await text(`[data-testid="connection"][data-id="${w.stack.connections.binance.id}"]`);
  expect(row).toBe('Binance main binance Safe dry-run Key 0 days old Rotate key Go live…');
  const feeds = await popup.$$eval('[data-testid="feed"]', (f) =>
    f.map((e) => [e.getAttribute('data-state'), (e as HTMLElement).innerText.replace(/\s+/g, ' ')]),
  );
  expect(feeds).toContainEqual([
    'connected',
    'binance-trend, bybit-trend +1 · local relay connected',
  ]);
  expect(feeds.find(([, t]) => t?.startsWith('eth-swing · local relay'))?.[0]).not.toBe(
    'connected',
  );
  const orders = await popup.$$eval('[data-testid="order"]', (o) =>
    o.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim()),
  );
  expect(orders).toHaveLength(5);
  // In any order (the three connections execute in parallel): what, how much, worth, where, result.
  expect(orders).toEqual(
    expect.arrayContaining([
      expect.stringMatching(
        /^buy BTC\/USDT 0\.000\d+ BTC (49|50)[\d.]* USDT main bybit simulated \(dry-run\) \d\d:\d\d/,
      ),
      expect.stringMatching(
        /^buy ETH\/USDT 0\.0\d+ ETH 1[12]\d(\.\d+)? USDT main binance simulated/,
      ),
      expect.stringMatching(/^sell BTC\/USDT 0\.01 BTC \d+ USDT main bybit simulated/),
      expect.stringMatching(/^buy BTC\/USDT 0\.000\d+ BTC (49|50)[\d.]* USDT main okx simulated/),
    ]),
  );
});

it('says live once one connection is live; with three connections, feeds and five orders it fits 600 px (light and dark)', async () => {
  await w.call('connections.setMode', { id: w.stack.connections.binance.id, mode: 'live' });
  await headlineIs('live');
  expect(await text('[data-testid="trading-headline"]')).toBe(
    'LIVE 1 of 3 connections sends real orders; the others simulate.',
  );
  // A live order: placed on the (simulated) exchange, shown first.
  await w.ordersUntil([marketSignal('binance-trend')], 6);
  await popup.waitForFunction(
    () => document.querySelector('[data-testid="order"]')?.getAttribute('data-state') === 'placed',
    { timeout: 20_000 },
  );
  expect(await text('[data-testid="order"]')).toMatch(/ main binance placed \d\d:\d\d( [AP]M)?$/);
  expect(await popup.$$eval('[data-testid="order"]', (o) => o.length)).toBe(5);
  for (const scheme of ['light', 'dark'] as const) {
    await colorScheme(popup, scheme);
    const size = await popup.evaluate(() => ({
      height: document.documentElement.scrollHeight,
      width: document.documentElement.scrollWidth,
    }));
    await screenshot(popup, `popup-glance-${scheme}`);
    expect(size.width).toBeLessThanOrEqual(360);
    expect(size.height).toBeLessThanOrEqual(600);
  }
  await colorScheme(popup, 'light');
});

it('says paused with the reason; resumed, live again', async () => {
  await w.call('trading.pause', { reason: 'exchange maintenance tonight' });
  await headlineIs('paused');
  await popup.waitForFunction(
    () =>
      document.querySelector('[data-testid="trading-headline"]')?.textContent ===
      'Paused All trading is paused: exchange maintenance tonight. No connection sends orders.',
    { timeout: 20_000 },
  );
  await screenshot(popup, 'popup-glance-paused');
  await popup.click('[data-testid="pause-all"]');
  await headlineIs('live');
  expect(await headline()).toBe('live');
});

it('"Dashboard" opens the dashboard in a tab', async () => {
  const opened = w.session.browser.waitForTarget((t) => t.url().includes('/src/dashboard/'), {
    timeout: 15_000,
  });
  await popup.click('[data-testid="open-dashboard"]');
  const target = await opened;
  expect(target.url()).toMatch(/src\/dashboard\/index\.html$/);
});
