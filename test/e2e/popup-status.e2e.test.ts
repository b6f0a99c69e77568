/**
 * The popup's status view and the dashboard's connection cards against the real host and the
 * exchange simulator: connections with their verdicts and key age (checks on the dashboard),
 * going live only after a confirmation, pause-all, and on the dashboard re-audit, leaks and
 * removal; live updates in both pages when something changes elsewhere. Tests share one popup
 * and one dashboard, in order.
 */
import type { Page } from 'puppeteer';
import { PROFILES, type ExchangeId } from '../../src/exchanges/index.js';
import type { AddConnectionResult, Connection, HelloResult } from '../../src/protocol/methods.js';
import type { SimKeyConfig } from '../../tools/simulator/index.js';
import { openPopup, screenshot } from '../helpers/chromium.js';
import { startExchangeWorld, type ExchangeWorld } from '../helpers/https-fixtures.js';
import { DASHBOARD_URL } from '../helpers/trading-browser.js';

const DAY = 86_400_000;
let w: ExchangeWorld;
let popup: Page;
let dashboard: Page;
const keys = {} as Record<ExchangeId, SimKeyConfig>;
const ids = {} as Record<ExchangeId, string>;

beforeAll(async () => {
  w = await startExchangeWorld({ state: 'unlocked', passphrase: 'popup status passphrase 3' });
  // Binance's key is due for rotation (120 days), Bybit's overdue (200), OKX's age unknown.
  const ages: Record<ExchangeId, number> = { binance: 120, bybit: 200, okx: 10 };
  for (const exchange of ['binance', 'bybit', 'okx'] as const) {
    const key: SimKeyConfig = {
      exchange,
      apiKey: `${exchange.toUpperCase()}popK7Qm2pLwZ9vX${exchange.length}`,
      secret: `psec-${exchange}-Zx81kQpL0aMwTq`,
      ...(exchange === 'okx' ? { passphrase: 'OkxPopup-Pass1!' } : {}),
      environment: 'live',
      permissions: { read: true, spot: true },
      ipList: [w.sim.clientIp],
      createdAt: Date.now() - ages[exchange] * DAY,
    };
    w.sim.addKey(key);
    keys[exchange] = key;
    const { connection } = await w.call<AddConnectionResult>('connections.add', {
      exchange,
      label: `${PROFILES[exchange].name} bot`,
      credentials: { apiKey: key.apiKey, secret: key.secret, passphrase: key.passphrase },
    });
    ids[exchange] = connection.id;
  }
  popup = await openPopup(w.session.browser);
  dashboard = await w.session.browser.newPage();
  await dashboard.setViewport({ width: 1000, height: 800 });
  await dashboard.goto(DASHBOARD_URL);
  for (const page of [popup, dashboard])
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="connection"]').length === 3,
      { timeout: 20_000, polling: 100 },
    );
}, 90_000);
afterAll(async () => {
  await w?.close();
});

const card = (exchange: ExchangeId) => `[data-testid="connection"][data-id="${ids[exchange]}"]`;
const conn = async (exchange: ExchangeId) =>
  (await w.call<Connection[]>('connections.list')).find((c) => c.id === ids[exchange]);
const attr = (selector: string, name: string, page = popup) =>
  page.$eval(selector, (e, n) => e.getAttribute(n), name);
// Polling by interval: a page in a background tab gets no animation frames to poll on.
const waitAttr = (selector: string, name: string, value: string, page = popup) =>
  page.waitForFunction(
    (s, n, v) => document.querySelector(s)?.getAttribute(n) === v,
    { timeout: 20_000, polling: 100 },
    selector,
    name,
    value,
  );

it('lists each connection: exchange, label, mode, verdict, key age; the checks on the dashboard', async () => {
  for (const page of [popup, dashboard]) {
    expect(await attr(`${card('binance')} [data-testid="rotation"]`, 'data-state', page)).toBe(
      'due',
    );
    expect(await attr(`${card('bybit')} [data-testid="rotation"]`, 'data-state', page)).toBe(
      'overdue',
    );
    expect(await attr(`${card('okx')} [data-testid="rotation"]`, 'data-state', page)).toBe(
      'unknown',
    );
    // A key due for rotation is a warning in the audit too.
    expect(await attr(`${card('binance')} [data-testid="verdict"]`, 'data-verdict', page)).toBe(
      'warn',
    );
  }
  const row = await popup.$eval(card('binance'), (e) => (e as HTMLElement).innerText);
  expect(row).toMatch(/Binance[\s\S]*Binance bot[\s\S]*Warnings[\s\S]*dry-run/);
  expect(row).toContain('Key 120 days: rotation due');
  const full = await dashboard.$eval(card('binance'), (e) => (e as HTMLElement).innerText);
  expect(full).toMatch(/Binance[\s\S]*Binance bot[\s\S]*dry-run[\s\S]*Real account/);
  expect(full).toContain('Rotation due: key 120 days old');
  await dashboard.bringToFront();
  await dashboard.click(`${card('binance')} summary`);
  expect(
    await dashboard.$eval(`${card('binance')} [data-check="key-age"]`, (e) =>
      e.getAttribute('data-level'),
    ),
  ).toBe('warn');
  // Readable at 360 px: nothing wider than the popup.
  expect(await popup.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await popup.bringToFront();
  await screenshot(popup, 'popup-status');
  await dashboard.bringToFront();
  await screenshot(dashboard, 'dashboard-connections');
});

it('going live takes a confirmation (keyboard only); dry-run is one click', async () => {
  // Tab to "Go live…" on the Binance row and press Enter: real buttons, reachable by keyboard.
  await popup.bringToFront();
  for (let i = 0; i < 40; i++) {
    await popup.keyboard.press('Tab');
    const here = await popup.evaluate(
      (s) => document.activeElement?.closest(s) !== null && document.activeElement?.textContent,
      card('binance'),
    );
    if (here === 'Go live…') break;
  }
  await popup.keyboard.press('Enter');
  await popup.waitForSelector(`${card('binance')} [data-testid="confirm"]`);
  expect(await popup.evaluate(() => document.activeElement?.textContent)).toBe('Yes, go live');
  expect((await conn('binance'))?.mode).toBe('dry-run'); // nothing happened yet
  await screenshot(popup, 'popup-status-confirm-live');
  await popup.keyboard.press('Enter');
  await waitAttr(card('binance'), 'data-mode', 'live');
  expect((await conn('binance'))?.mode).toBe('live');
  await popup.click(`${card('binance')} button ::-p-text(Switch to dry-run)`);
  await waitAttr(card('binance'), 'data-mode', 'dry-run');
});

it('pause-all pauses and resumes; a change made elsewhere shows at once', async () => {
  await popup.bringToFront();
  await popup.click('[data-testid="pause-all"]');
  await waitAttr('[data-testid="trading"]', 'data-paused', 'true');
  expect((await w.call<HelloResult>('host.hello')).trading.paused).toBe(true);
  await w.call('trading.resume'); // e.g. from the CLI
  await waitAttr('[data-testid="trading"]', 'data-paused', 'false');
});

it('Re-audit (dashboard) shows a key that can now withdraw as Blocked, with the pause reason', async () => {
  w.sim.addKey({ ...keys.bybit, permissions: { read: true, spot: true, withdraw: true } });
  await dashboard.bringToFront();
  await dashboard.click(`${card('bybit')} button ::-p-text(Re-audit)`);
  await waitAttr(`${card('bybit')} [data-testid="verdict"]`, 'data-verdict', 'block', dashboard);
  expect(
    await dashboard.$eval(`${card('bybit')} [data-testid="paused-reason"]`, (e) => e.textContent),
  ).toMatch(/^Paused: /);
  // …and the popup, open beside it, says so too.
  await waitAttr(`${card('bybit')} [data-testid="verdict"]`, 'data-verdict', 'block');
  expect(
    await popup.$eval(`${card('bybit')} [data-testid="paused-reason"]`, (e) => e.textContent),
  ).toMatch(/paused: /);
  // An audit the service runs by itself (here: asked over its socket) updates the open pages.
  w.sim.addKey({ ...keys.okx, ipList: [] });
  await w.call('connections.audit', { id: ids.okx });
  await waitAttr(`${card('okx')} [data-testid="verdict"]`, 'data-verdict', 'warn');
  await waitAttr(`${card('okx')} [data-testid="verdict"]`, 'data-verdict', 'warn', dashboard);
});

it('"Key leaked?" (dashboard) stops the key at once and links the page where to delete it', async () => {
  await w.call('connections.setMode', { id: ids.binance, mode: 'live' });
  await waitAttr(card('binance'), 'data-mode', 'live', dashboard);
  await dashboard.click(`${card('binance')} button ::-p-text(Key leaked?)`);
  await waitAttr(card('binance'), 'data-mode', 'dry-run', dashboard);
  expect((await conn('binance'))?.mode).toBe('dry-run');
  const advice = await dashboard.waitForSelector(`${card('binance')} [data-testid="leak-advice"]`);
  expect(await advice!.$eval('a', (a) => (a as HTMLAnchorElement).href)).toBe(
    PROFILES.binance.apiPageUrl,
  );
  await screenshot(dashboard, 'dashboard-leaked');
});

it('Remove (dashboard) asks first; cancelled, nothing changes; confirmed, the key is gone', async () => {
  await dashboard.click(`${card('okx')} button ::-p-text(Remove…)`);
  await dashboard.click(`${card('okx')} [data-testid="confirm"] button ::-p-text(Cancel)`);
  expect(await conn('okx')).toBeDefined();
  await dashboard.click(`${card('okx')} button ::-p-text(Remove…)`);
  await dashboard.click(`${card('okx')} [data-testid="confirm"] button ::-p-text(Yes, remove)`);
  for (const page of [dashboard, popup])
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="connection"]').length === 2,
      { timeout: 20_000, polling: 100 },
    );
  expect(await conn('okx')).toBeUndefined();
});

it('shows signal feeds and orders only when the host offers them', async () => {
  for (const method of ['signals.list', 'orders.list']) {
    const offered = await w.call(method).then(
      () => true,
      (err: { reason?: string }) => err.reason !== 'METHOD_NOT_FOUND',
    );
    expect(await popup.$(`[data-testid="section-${method}"]`), method).toSatisfy((el) =>
      offered ? el !== null : el === null,
    );
  }
});
