/**
 * The exchanges' sites are single-page apps (FACTS.md): users reach the API page by in-app
 * navigation (history.pushState), not by loading it. On the fixture pages at the real hostnames,
 * with the built extension and the real host: the panel appears when the app navigates to the API
 * page and leaves when it navigates away; its host line follows the vault as it is created; the
 * danger marks sit beside the page's toggles, never over another control.
 */
import type { Page } from 'puppeteer';
import { ClosedShadow, openSetupForm, screenshot } from '../helpers/chromium.js';
import { startExchangeWorld, type ExchangeWorld } from '../helpers/https-fixtures.js';

const PASS = 'spa navigation vault passphrase 9';
const GUIDE = 'sentinel-companion-guide';

let w: ExchangeWorld;

beforeAll(async () => {
  w = await startExchangeWorld({ state: 'absent' });
}, 60_000);
afterAll(async () => {
  await w?.close();
});

async function newPage(): Promise<Page> {
  const page = await w.session.browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  return page;
}

const panelShown = (panel: ClosedShadow) => panel.exists('[data-testid="panel"]');

it('pushState to the API page shows the panel, away hides it, back shows it again', async () => {
  const page = await newPage();
  await page.goto(w.fixtures.url('www.binance.com', '/en/markets'));
  await new Promise((r) => setTimeout(r, 800));
  expect(await page.$(GUIDE)).toBeNull();
  const loads = w.fixtures.requests.length;

  // In-app: the fixture's link calls history.pushState and swaps the body, no reload.
  await page.click('[data-testid="spa-api"]');
  await page.waitForFunction(() => location.pathname === '/en/my/settings/api-management');
  const panel = new ClosedShadow(page, GUIDE, 5_000);
  await panel.until('the panel after pushState', () => panelShown(panel));
  expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
  // Only the fetch of the page's HTML by the app itself, not a document load of it.
  expect(w.fixtures.requests.slice(loads)).toEqual([
    'www.binance.com/en/my/settings/api-management',
  ]);
  expect(await panel.text('[data-testid="panel"] h2')).toContain('Binance');
  // The form's ticket binds to this tab and now holds for this URL: the form renders.
  const frame = await openSetupForm(panel, page);
  await frame.waitForSelector('[data-testid="vault-panel"]', { timeout: 15_000 });

  // Away, in-app: the panel and its marks leave the page entirely.
  await page.click('[data-testid="spa-markets"]');
  await page.waitForFunction(() => location.pathname === '/en/markets');
  await panel.until('the panel gone', async () => (await page.$(GUIDE)) === null);
  expect(await page.$('sentinel-companion-marks')).toBeNull();

  // Back (popstate) to the API page: the panel returns.
  await page.goBack();
  await page.waitForFunction(() => location.pathname === '/en/my/settings/api-management');
  await panel.until('the panel after going back', () => panelShown(panel));
  expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
  await page.close();
});

it('a pushState with no event the page fires (replaceState) is noticed too', async () => {
  const page = await newPage();
  await page.goto(w.fixtures.url('www.binance.com', '/en/markets'));
  await new Promise((r) => setTimeout(r, 500));
  await page.evaluate(() => history.replaceState(null, '', '/en/my/settings/api-management'));
  const panel = new ClosedShadow(page, GUIDE, 5_000);
  await panel.until('the panel after replaceState', () => panelShown(panel));
  await page.evaluate(() => history.pushState(null, '', '/en/fr/my/settings/api-management'));
  await panel.until('the panel gone on a non-API URL', async () => (await page.$(GUIDE)) === null);
  await page.close();
});

it('the host line follows the vault: created elsewhere, the panel says so without a reload', async () => {
  const page = await newPage();
  await page.goto(w.fixtures.url('www.binance.com', '/en/my/settings/api-management'));
  const panel = new ClosedShadow(page, GUIDE);
  await panel.until('the host line', () => panel.exists('[data-testid="host-line"]'));
  await panel.until('no vault yet', async () =>
    (await panel.text('[data-testid="host-line"]')).includes('no vault yet'),
  );
  await screenshot(page, 'spa-panel-no-vault-dark');

  const before = Date.now();
  await w.call('vault.create', { passphrase: PASS });
  // Pushed by the worker on vault.changed: well before the 10 s backstop poll.
  await panel.until(
    'vault unlocked in the host line',
    async () => (await panel.text('[data-testid="host-line"]')).includes('vault unlocked'),
    5_000,
  );
  expect(Date.now() - before).toBeLessThan(5_000);

  await w.call('vault.lock');
  await panel.until(
    'vault locked in the host line',
    async () => (await panel.text('[data-testid="host-line"]')).includes('vault locked'),
    5_000,
  );
  await page.close();
});

it('marks sit beside the toggles, over no control of the page; the label the exchange accepts', async () => {
  for (const theme of ['dark', 'light'] as const) {
    const page = await newPage();
    await page.goto(
      w.fixtures.url(
        'www.binance.com',
        `/en/my/settings/api-management?withdraw=on${theme === 'light' ? '&theme=light' : ''}`,
      ),
    );
    const panel = new ClosedShadow(page, GUIDE);
    await panel.until('the panel', () => panelShown(panel));
    const marks = new ClosedShadow(page, 'sentinel-companion-marks');
    await marks.until('a mark', () => marks.exists('.tag'));
    await new Promise((r) => setTimeout(r, 300));
    // The tag's box (read through the closed root), and every control of the page it could cover.
    const box = await marks.rect('.tag');
    // The full label fits in the row's empty space here (not the compact "⚠").
    expect(await marks.text('.tag')).toContain('never enable');
    const overlaps = await page.evaluate((b) => {
      const hits: string[] = [];
      for (const el of document.querySelectorAll(
        'label, input, button, a, [role="switch"], span',
      )) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const row = el.closest('[data-testid="withdraw-row"]');
        if (row && el !== row) continue; // inside the marked row: its text and toggle come first
        if (el === row) continue; // the row's own empty space is where the tag may sit
        if (r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top)
          hits.push((el.textContent ?? el.localName).trim().slice(0, 40));
      }
      return hits;
    }, box);
    expect(overlaps).toEqual([]);
    // The copy box shows the whole suggested label, which Binance accepts.
    const label = String(await panel.prop('[data-testid="label-copy"] input', 'value'));
    expect(label).toMatch(/^Sentinel \d{8}$/);
    const fits = await panel.prop('[data-testid="label-copy"] input', 'scrollWidth');
    const width = await panel.prop('[data-testid="label-copy"] input', 'clientWidth');
    expect(Number(fits)).toBeLessThanOrEqual(Number(width));
    await screenshot(page, `spa-panel-marks-${theme}`);
    await page.close();
  }
});
