/**
 * Open perpetual positions in the pages, against the real host and the simulator: a Binance
 * USDⓈ-M long shows on the dashboard's connection card (side, size, entry, mark, P&L with its sign
 * and word, SL/TP) and as a short mention on the popup's connection row — only on that connection — and
 * the popup with three connections and five orders still fits 600 px. Light and dark screenshots.
 *
 * The Binance route gets "swap" in the state DB directly: signals.subscribe refuses "swap" until
 * the swap order path is enabled (trading/risk.ts parseRoutes).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { openPopup, screenshot } from '../helpers/chromium.js';
import { perpCcxtFor } from '../helpers/simulator.js';
import {
  DASHBOARD_URL,
  colorScheme,
  marketSignal,
  startTradingBrowser,
  type TradingBrowser,
} from '../helpers/trading-browser.js';
import { simKey } from '../../dev/harness/trading.js';

let w: TradingBrowser;
let binanceId: string;

beforeAll(async () => {
  w = await startTradingBrowser();
  // As in the popup's glance test: one connection live, the others dry-run.
  await w.call('connections.setMode', { id: w.stack.connections.binance.id, mode: 'live' });
  await w.ordersUntil(
    [
      marketSignal('binance-trend'),
      marketSignal('bybit-trend'),
      marketSignal('okx-trend'),
      marketSignal('bybit-trend', { symbol: 'ETH/USDT' }),
      marketSignal('binance-trend', { side: 'sell', size: { base: '0.01' } }),
    ],
    5,
  );
  const { sim, home } = w.stack;
  binanceId = w.stack.connections.binance.id;
  // The user enables futures on the key and holds a 0.02 BTC long, opened outside the host.
  const key = {
    ...simKey(sim, 'binance', 'main'),
    permissions: { read: true, spot: true, futures: true },
  };
  sim.addKey(key);
  const ex = perpCcxtFor(sim, key);
  await ex.loadMarkets();
  await ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.02);
  // The main feed's Binance route now trades the perpetual too (spot and swap).
  const db = new Database(join(home, 'state.db'));
  try {
    const subs = db.prepare('SELECT id, routes FROM subscriptions').all() as {
      id: string;
      routes: string;
    }[];
    const main = subs.find((s) => s.routes.includes(binanceId));
    if (!main) throw new Error('no subscription routes to the Binance connection');
    const routes = (JSON.parse(main.routes) as { connectionId: string }[]).map((r) =>
      r.connectionId === binanceId ? { ...r, markets: ['spot', 'swap'] } : r,
    );
    db.prepare('UPDATE subscriptions SET routes = ? WHERE id = ?').run(
      JSON.stringify(routes),
      main.id,
    );
  } finally {
    db.close();
  }
  // The mark moves up: the long is in profit.
  sim.setPrice('binance', 'BTC/USDT', Number(sim.price('binance', 'BTC/USDT')) * 1.02);
}, 120_000);
afterAll(async () => {
  await w?.close();
});

const texts = (page: Page, selector: string) =>
  page.$$eval(selector, (els) => els.map((e) => (e as HTMLElement).innerText.trim()));

it("the dashboard shows the long on Binance's card, and no positions section elsewhere", async () => {
  const page = await w.session.browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  await page.goto(DASHBOARD_URL);
  await page.waitForSelector('[data-testid="position-row"]', { timeout: 20_000 });
  const cards = await page.$$eval('[data-testid="connection"]', (els) =>
    els.map((e) => ({
      id: e.getAttribute('data-id'),
      positions: e.querySelectorAll('[data-testid="position-row"]').length,
      section: e.querySelector('[data-testid="positions"]') !== null,
    })),
  );
  expect(cards.find((c) => c.id === binanceId)).toMatchObject({ positions: 1, section: true });
  for (const c of cards.filter((x) => x.id !== binanceId)) expect(c.section).toBe(false);
  const [row] = await texts(page, '[data-testid="position-row"]');
  // Binance USDⓈ-M reports no leverage with the position: a dash, never a guess.
  expect(row?.replace(/\s+/g, ' ')).toMatch(
    /^BTC\/USDT perp Long 0\.02 cross margin · leverage not reported Entry [\d.]+ Mark [\d.]+ P&L \+[\d.]+ ▲ profit no SL\/TP$/,
  );
  expect(
    await page.$eval('[data-testid="position-pnl"]', (e) => ({
      tone: e.getAttribute('data-tone'),
      color: getComputedStyle(e).color,
    })),
  ).toEqual({ tone: 'gain', color: 'rgb(20, 108, 46)' });
  for (const scheme of ['light', 'dark'] as const) {
    await colorScheme(page, scheme);
    await page.$eval(`#conn-${binanceId}`, (e) => e.scrollIntoView());
    await screenshot(page, `positions-dashboard-${scheme}`);
  }
  await page.close();
});

it('the popup mentions the long on the Binance row only, and still fits 600 px (light and dark)', async () => {
  const popup = await openPopup(w.session.browser);
  await popup.waitForSelector('[data-testid="positions-line"]', { timeout: 20_000 });
  await popup.waitForFunction(
    () => document.querySelectorAll('[data-testid="order"]').length === 5,
    { timeout: 20_000 },
  );
  const rows = await popup.$$eval('[data-testid="connection"]', (els) =>
    els.map((e) => ({
      id: e.getAttribute('data-id'),
      line: (e.querySelector('[data-testid="positions-line"]') as HTMLElement | null)?.innerText,
    })),
  );
  expect(rows).toHaveLength(3);
  expect(rows.find((r) => r.id === binanceId)?.line).toMatch(/^Long BTC \+[\d.]+ ▲$/);
  expect(
    await popup.$eval('[data-testid="positions-line"]', (e) => e.getAttribute('title')),
  ).toMatch(/^Long 0\.02 BTC\/USDT perp: P&L \+[\d.]+ ▲ profit, no SL\/TP$/);
  expect(rows.filter((r) => r.line !== undefined)).toHaveLength(1);
  for (const scheme of ['light', 'dark'] as const) {
    await colorScheme(popup, scheme);
    const size = await popup.evaluate(() => ({
      height: document.documentElement.scrollHeight,
      width: document.documentElement.scrollWidth,
    }));
    await screenshot(popup, `positions-popup-${scheme}`);
    expect(size.width).toBeLessThanOrEqual(360);
    expect(size.height).toBeLessThanOrEqual(600);
  }
  await popup.close();
});
