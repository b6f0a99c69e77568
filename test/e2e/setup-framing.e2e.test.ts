/**
 * The credential form cannot be framed by any page but the guide panel's (docs/security-model.md):
 * the built extension in Chromium, at the exchanges' real hostnames. Chrome ignores paths in
 * web_accessible_resources, so every page of www.binance.com may load the form's address; what
 * stops them is `use_dynamic_url` (the static address is refused) and the ticket handshake (a page
 * that learns the dynamic address still gets an empty page without the panel's live nonce).
 * The tests share one browser and run in order.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'puppeteer';
import { EXTENSION_ID } from '../../src/protocol/constants.js';
import type { SimKeyConfig } from '../../tools/simulator/index.js';
import {
  ClosedShadow,
  EXTENSION_DIR,
  SETUP_URL_PREFIX,
  openSetupForm,
  screenshot,
} from '../helpers/chromium.js';
import { startExchangeWorld, type ExchangeWorld } from '../helpers/https-fixtures.js';

const API_PAGE = '/en/my/settings/api-management';
/** A page of the same site where the content script does not run. */
const OTHER_PAGE = '/en/markets';

let w: ExchangeWorld;
beforeAll(async () => {
  w = await startExchangeWorld({ state: 'unlocked', passphrase: 'framing test vault pass 9' });
}, 60_000);
afterAll(async () => {
  await w?.close();
});

async function openPage(path: string): Promise<{ page: Page; console: string[] }> {
  const page = await w.session.browser.newPage();
  const console: string[] = [];
  page.on('console', (m) => console.push(m.text()));
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(w.fixtures.url('www.binance.com', path));
  return { page, console };
}

/** The panel on Binance's API page with its form open; the iframe's src (read in the closed root). */
async function openPanelForm(): Promise<{ page: Page; frame: Frame; src: string }> {
  const { page } = await openPage(API_PAGE);
  const panel = new ClosedShadow(page, 'sentinel-companion-guide');
  await panel.until('the guide panel', () => panel.exists('[data-testid="panel"]'));
  const frame = await openSetupForm(panel, page);
  await frame.waitForSelector('[data-testid="credential-form"]', { timeout: 15_000 });
  const src = await panel.attr('[data-testid="setup-frame"]', 'src');
  if (!src) throw new Error('the panel has no form frame');
  return { page, frame, src };
}

/** What a page script does: iframes of its choice in its own document. */
async function frameFromPage(page: Page, srcs: string[]): Promise<void> {
  await page.evaluate((list: string[]) => {
    for (const src of list) {
      const f = document.createElement('iframe');
      f.src = src;
      f.style.opacity = '0.01'; // how a clickjacking page would overlay it
      document.body.append(f);
    }
  }, srcs);
}

/**
 * What each framed form page rendered, once it had the time to ask the background (the panel's
 * own frame shows its form well within this).
 */
async function rendered(
  frames: Frame[],
): Promise<{ text: string; controls: number; app: number }[]> {
  await new Promise((r) => setTimeout(r, 1500));
  return Promise.all(
    frames.map((f) =>
      f.evaluate(() => ({
        text: document.body.innerText.trim(),
        controls: document.querySelectorAll('input, button, select, textarea, a').length,
        app: document.getElementById('app')?.childElementCount ?? -1,
      })),
    ),
  );
}

/** The frames of `page` that loaded the form page (the static address, where the dynamic leads). */
function formFrames(page: Page): Frame[] {
  return page.frames().filter((f) => f.url().startsWith(SETUP_URL_PREFIX));
}

async function untilFrames(page: Page, count: number): Promise<Frame[]> {
  const deadline = Date.now() + 10_000;
  while (formFrames(page).length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} form frames`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return formFrames(page);
}

const EMPTY = { text: '', controls: 0, app: 0 };

it('the built manifest marks the form use_dynamic_url; Chromium loads it without warnings', async () => {
  const built = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as {
    web_accessible_resources: {
      resources: string[];
      matches: string[];
      use_dynamic_url?: boolean;
    }[];
  };
  const form = built.web_accessible_resources.filter((r) =>
    r.resources.includes('src/setup/index.html'),
  );
  expect(form).toHaveLength(1);
  expect(form[0]?.use_dynamic_url).toBe(true);
  expect(form[0]?.matches.sort()).toEqual([
    'https://www.binance.com/*',
    'https://www.bybit.com/*',
    'https://www.okx.com/*',
  ]);

  // chrome://extensions' own API reports what the extensions page would show as warnings.
  const page = await w.session.browser.newPage();
  await page.goto('chrome://extensions');
  const info = await page.evaluate(async (id: string) => {
    type Info = { installWarnings: string[]; manifestErrors: unknown[]; state: string };
    const dp = (
      globalThis as unknown as {
        chrome: { developerPrivate: { getExtensionInfo(id: string): Promise<Info> } };
      }
    ).chrome.developerPrivate;
    const i = await dp.getExtensionInfo(id);
    return { installWarnings: i.installWarnings, manifestErrors: i.manifestErrors, state: i.state };
  }, EXTENSION_ID);
  expect(info).toEqual({ installWarnings: [], manifestErrors: [], state: 'ENABLED' });
  await page.close();
});

it('another page of the exchange cannot load the form at its static address', async () => {
  const { page, console } = await openPage(OTHER_PAGE);
  expect(await page.$('sentinel-companion-guide')).toBeNull(); // no content script here
  // The old address with its mode in the query, and one with a guessed nonce.
  await frameFromPage(page, [
    `${SETUP_URL_PREFIX}?exchange=binance&rotate=c_Ab1`,
    `${SETUP_URL_PREFIX}#ticket=${'A'.repeat(43)}`,
  ]);
  const deadline = Date.now() + 10_000;
  while (page.frames().filter((f) => f.url().startsWith('chrome-error:')).length < 2) {
    if (Date.now() > deadline) throw new Error('the frames neither loaded nor failed');
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(formFrames(page)).toEqual([]);
  // Refused by Chrome for web_accessible_resources (not by the page's CSP).
  expect(console.filter((m) => m.startsWith('Denying load of chrome-extension://'))).toHaveLength(
    2,
  );
  await page.close();
});

it("a page that learns the dynamic address still gets an empty page: no nonce, a guessed one, or the panel's spent one", async () => {
  const panel = await openPanelForm();
  const [dynamicPage, nonce] = panel.src.split('#ticket=') as [string, string];
  // The panel's address is the dynamic one (a per-session id), never the extension id.
  expect(dynamicPage).toMatch(/^chrome-extension:\/\/[0-9a-f-]{36}\/src\/setup\/index\.html$/);
  expect(dynamicPage).not.toContain(EXTENSION_ID);
  expect(nonce).toMatch(/^[\w-]{43}$/);

  // Another tab, on a page without the panel: the address leaked, with and without nonces.
  const { page: other } = await openPage(OTHER_PAGE);
  await frameFromPage(other, [
    dynamicPage,
    `${dynamicPage}?exchange=binance&rotate=c_Ab1`,
    `${dynamicPage}#ticket=${'A'.repeat(43)}`,
    panel.src, // the live nonce itself, replayed from another tab
  ]);
  expect(await rendered(await untilFrames(other, 4))).toEqual([EMPTY, EMPTY, EMPTY, EMPTY]);
  await screenshot(other, 'framing-other-page');

  // The API page's own scripts, in the panel's tab, replaying the nonce in a frame of their own.
  await frameFromPage(panel.page, [panel.src]);
  const replay = (await untilFrames(panel.page, 2)).filter((f) => f !== panel.frame);
  expect(replay).toHaveLength(1);
  expect(await rendered(replay)).toEqual([EMPTY]);

  // The panel's own frame keeps its form.
  expect(await panel.frame.$('[data-testid="credential-form"]')).not.toBeNull();
  expect(
    await panel.frame.$eval('[data-testid="setup"]', (e) => e.getAttribute('data-exchange')),
  ).toBe('binance');
  await other.close();
  await panel.page.close();
});

it('opened as a tab of its own the form page shows no form, only where to find it', async () => {
  const page = await w.session.browser.newPage();
  await page.goto(`${SETUP_URL_PREFIX}?exchange=binance`);
  await page.waitForSelector('[data-testid="setup-standalone"]');
  expect(await page.$('[data-testid="credential-form"]')).toBeNull();
  expect(await page.$$('input, button, select, textarea, a')).toHaveLength(0);
  await page.close();
});

it('a paste followed at once by Enter submits what was pasted', async () => {
  const key: SimKeyConfig = {
    exchange: 'binance',
    apiKey: 'BINANCEfrKx7Qm2pLwZ9v001',
    secret: 'frsec-binance-1-Zx81kQpL0aMwTq',
    environment: 'live',
    permissions: { read: true, spot: true },
    ipList: [w.sim.clientIp],
    createdAt: Date.now() - 3 * 86_400_000,
  };
  w.sim.addKey(key);
  const { page, frame } = await openPanelForm();
  const form = '[data-testid="credential-form"]';
  await frame.waitForSelector(`${form} [data-testid="submit"]:not([disabled])`, {
    timeout: 15_000,
  });
  // Values land in the fields and the form is submitted in the same task: no render in between,
  // so the component's state still holds the empty fields of the last render.
  const secretAfterSubmit = await frame.evaluate(
    (sel: string, k: { apiKey: string; secret: string }) => {
      const f = document.querySelector<HTMLFormElement>(sel)!;
      for (const [name, value] of Object.entries(k)) {
        const input = f.elements.namedItem(name) as HTMLInputElement;
        input.value = value;
        input.dispatchEvent(
          new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }),
        );
      }
      f.requestSubmit();
      return (f.elements.namedItem('secret') as HTMLInputElement).value;
    },
    form,
    { apiKey: key.apiKey, secret: key.secret },
  );
  expect(secretAfterSubmit).toBe(''); // cleared at once, before the host answered
  const outcome = await frame.waitForSelector('[data-testid="outcome"]', { timeout: 30_000 });
  expect(await outcome!.evaluate((e) => e.getAttribute('data-kind'))).toBe('stored');
  expect(await page.content()).not.toContain(key.secret);
  expect(w.serviceLog()).not.toContain(key.secret);
  await page.close();
});
