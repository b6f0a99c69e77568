/**
 * The guided setup in Firefox: copies of the exchanges' API pages at their real hostnames (over
 * HTTPS, through the fixture proxy), the built Firefox add-on, the real host and the exchange
 * simulator. The panel appears on the three API pages (also after an in-app navigation), the
 * credential form in its frame stores a safe key and refuses a withdraw-enabled one, and the form
 * renders nothing when a page frames it on its own. One browser and one service, tests in order.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'puppeteer';
import { EXCHANGE_IDS, PROFILES, type ExchangeId } from '../../src/exchanges/index.js';
import type { Connection } from '../../src/protocol/methods.js';
import type { SimKeyConfig } from '../../tools/simulator/index.js';
import { submitSetupForm } from '../helpers/chromium.js';
import {
  BidiClosedShadow,
  FIREFOX_POPUP_URL,
  FIREFOX_SETUP_URL,
  goto,
  screenshot,
  startFirefoxExchangeWorld,
  type FirefoxExchangeWorld,
} from '../helpers/firefox.js';

const PASS = 'firefox guided vault passphrase 3';
const GUIDE = 'sentinel-companion-guide';
const HOSTS: Record<ExchangeId, 'www.binance.com' | 'www.bybit.com' | 'www.okx.com'> = {
  binance: 'www.binance.com',
  bybit: 'www.bybit.com',
  okx: 'www.okx.com',
};
const PATHS: Record<ExchangeId, string> = {
  binance: '/en/my/settings/api-management',
  bybit: '/app/user/api-management',
  okx: '/zh-hans/account/my-api',
};

let w: FirefoxExchangeWorld;
const secrets: string[] = [PASS];

beforeAll(async () => {
  w = await startFirefoxExchangeWorld(PASS);
}, 60_000);
afterAll(async () => {
  await w?.close();
});

let serial = 0;
function simKey(exchange: ExchangeId, extra: Partial<SimKeyConfig> = {}): SimKeyConfig {
  serial++;
  const key: SimKeyConfig = {
    exchange,
    apiKey: `${exchange.toUpperCase()}ffKx7Qm2pLwZ9v${String(serial).padStart(3, '0')}`,
    secret: `ffsec-${exchange}-${serial}-Zx81kQpL0aMwTq`,
    ...(exchange === 'okx' ? { passphrase: `OkxFf-${serial}-Pass!` } : {}),
    environment: 'live',
    permissions: { read: true, spot: true },
    ipList: [w.sim.clientIp],
    createdAt: Date.now() - 3 * 86_400_000,
    ...extra,
  };
  w.sim.addKey(key);
  secrets.push(key.secret, ...(key.passphrase ? [key.passphrase] : []));
  return key;
}

async function newPage(): Promise<Page> {
  const page = await w.session.browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  return page;
}

async function openApiPage(exchange: ExchangeId): Promise<{ page: Page; panel: BidiClosedShadow }> {
  const page = await newPage();
  await page.goto(w.fixtures.url(HOSTS[exchange], PATHS[exchange]));
  const panel = new BidiClosedShadow(page, GUIDE);
  await panel.until('the guide panel', () => panel.exists('[data-testid="panel"]'));
  return { page, panel };
}

/**
 * The frame whose document is the extension's form page. Puppeteer over BiDi does not follow a
 * frame into the extension process (its URL stays about:blank), but it can run code there: ask
 * each subframe where it is.
 */
async function extensionFrame(page: Page, timeoutMs = 15_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const f of page.frames().slice(1)) {
      const href = await f.evaluate(() => location.href).catch(() => '');
      if (href.startsWith(FIREFOX_SETUP_URL)) return f;
    }
    if (Date.now() > deadline) throw new Error('no frame of the form page');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function openForm(panel: BidiClosedShadow, page: Page): Promise<Frame> {
  await panel.click('[data-testid="tab-connect"]');
  const frame = await extensionFrame(page);
  await frame.waitForSelector('[data-testid="credential-form"]', { timeout: 15_000 });
  return frame;
}

const list = () => w.call<Connection[]>('connections.list');

it('the panel appears on each API page and the host line says the host is connected', async () => {
  for (const exchange of EXCHANGE_IDS) {
    const { page, panel } = await openApiPage(exchange);
    expect(await panel.attr('[data-testid="panel"]', 'data-exchange')).toBe(exchange);
    expect(await panel.count('[data-step]')).toBe(PROFILES[exchange].guideSteps.length);
    await panel.until('the host line', async () =>
      (await panel.text('[data-testid="panel"]')).includes('Sentinel host connected'),
    );
    // This machine's IP, from the host through the background's content-script allow-list.
    await panel.until('the public IP', () => panel.exists('[data-testid="ip-copy"]'));
    expect(await panel.prop('[data-testid="ip-copy"] input', 'value')).toBe(w.sim.clientIp);
    await screenshot(page, `firefox-guided-${exchange}`);
    await page.close();
  }
  // Firefox asked the proxy for the three exchange hosts only (all answered by the fixtures).
  const asked = new Set(w.proxy.requests);
  expect([...asked].sort()).toEqual([
    'www.binance.com:443',
    'www.bybit.com:443',
    'www.okx.com:443',
  ]);
});

it('after an in-app navigation (pushState) the panel appears and its form renders', async () => {
  const page = await newPage();
  await page.goto(w.fixtures.url('www.binance.com', '/en/markets'));
  await new Promise((r) => setTimeout(r, 800));
  expect(await page.$(GUIDE)).toBeNull();
  await page.click('[data-testid="spa-api"]');
  await page.waitForFunction(() => location.pathname === '/en/my/settings/api-management');
  const panel = new BidiClosedShadow(page, GUIDE);
  await panel.until('the panel after pushState', () => panel.exists('[data-testid="panel"]'));
  expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
  // The ticket is issued against the tab's current URL (Firefox gives it to the background).
  const frame = await openForm(panel, page);
  expect(await frame.$('[data-testid="submit"]')).not.toBeNull();
  await page.click('[data-testid="spa-markets"]');
  await panel.until('the panel gone', async () => (await page.$(GUIDE)) === null);
  await page.close();
});

describe.each(EXCHANGE_IDS)('%s', (exchange) => {
  const withdraw = PROFILES[exchange].permissionCatalogue.find((e) => e.permission === 'withdraw')!;

  it('refuses a key that can withdraw (stores nothing), then stores a safe one', async () => {
    const before = await list();
    const { page, panel } = await openApiPage(exchange);
    const frame = await openForm(panel, page);

    const unsafe = simKey(exchange, { permissions: { read: true, spot: true, withdraw: true } });
    const refused = await submitSetupForm(frame, unsafe);
    expect(refused).toEqual({ kind: 'unsafe', secretAfterSubmit: '' });
    const refusal = await frame.$eval(
      '[data-testid="outcome"]',
      (e) => (e as HTMLElement).innerText,
    );
    expect(refusal).toContain('Nothing was stored');
    expect(refusal).toContain(`Untick ${withdraw.uiName}`);
    expect(await list()).toEqual(before);
    await screenshot(page, `firefox-guided-${exchange}-refused`);

    const safe = simKey(exchange);
    expect(await submitSetupForm(frame, safe)).toEqual({ kind: 'stored', secretAfterSubmit: '' });
    const after = await list();
    expect(after).toHaveLength(before.length + 1);
    expect(after.find((c) => c.exchange === exchange)?.lastAudit?.verdict).toBe('ok');
    await screenshot(page, `firefox-guided-${exchange}-connected`);
    // No secret in the exchange page, in the panel, or in the page's own view of the DOM.
    const haystack = (await page.content()) + (await panel.html());
    for (const s of secrets) expect(haystack.includes(s)).toBe(false);
    await page.close();
  });
});

it('the form page framed by the exchange page itself, with a guessed ticket, renders nothing', async () => {
  const { page } = await openApiPage('bybit');
  // The page learnt the add-on's address (here: the tests fixed it); it still gets no form.
  await page.evaluate((url) => {
    const f = document.createElement('iframe');
    f.src = `${url}#ticket=${'A'.repeat(43)}`;
    document.body.append(f);
  }, FIREFOX_SETUP_URL);
  const frame = await extensionFrame(page);
  await new Promise((r) => setTimeout(r, 1000));
  expect(await frame.evaluate(() => document.body.innerText.trim())).toBe('');
  expect(await frame.$('[data-testid="credential-form"]')).toBeNull();
  await page.close();
});

it('no secret in the extension storage or in the service log; only the panel UI state is kept', async () => {
  const popup = await w.session.browser.newPage();
  await goto(popup, FIREFOX_POPUP_URL);
  await popup.waitForSelector('[data-testid="host-status"][data-tone="ok"]', { timeout: 15_000 });
  const stored = await popup.evaluate(async () => {
    const b = (
      globalThis as unknown as {
        browser: {
          storage: {
            local: { get(k: null): Promise<Record<string, unknown>> };
            session: { get(k: null): Promise<Record<string, unknown>> };
          };
        };
      }
    ).browser;
    return { local: await b.storage.local.get(null), session: await b.storage.session.get(null) };
  });
  expect(
    Object.keys(stored.local).every((k) => k === 'panel.collapsed' || k.startsWith('guide.ticks.')),
  ).toBe(true);
  expect(stored.session).toEqual({});
  const log = readFileSync(join(w.home, 'logs', 'service.log'), 'utf8');
  expect(log.length).toBeGreaterThan(0);
  for (const s of secrets) {
    expect(JSON.stringify(stored).includes(s)).toBe(false);
    expect(log.includes(s)).toBe(false);
  }
  await popup.close();
});
