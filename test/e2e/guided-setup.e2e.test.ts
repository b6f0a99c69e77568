/**
 * The guided setup on copies of the exchanges' API pages (served over HTTPS at their real names),
 * with the built extension, the real host and the exchange simulator: the panel and its hints,
 * the credential form with the real audit, rotation from the popup, and no secret left anywhere.
 * The tests share one browser and one service and run in order (vault unlocked in test 2).
 */
import { readFileSync } from 'node:fs';
import type { Frame, Page } from 'puppeteer';
import { EXCHANGE_IDS, PROFILES, type ExchangeId } from '../../src/exchanges/index.js';
import { hintFor } from '../../src/content/hint-match.js';
import type { Connection } from '../../src/protocol/methods.js';
import { EXTENSION_ID } from '../../src/protocol/constants.js';
import type { SimKeyConfig } from '../../tools/simulator/index.js';
import {
  ClosedShadow,
  openPopup,
  openSetupForm,
  screenshot,
  setupFrame,
  submitSetupForm,
} from '../helpers/chromium.js';
import { startExchangeWorld, type ExchangeWorld } from '../helpers/https-fixtures.js';

const PASS = 'guided setup vault passphrase 7';
const HOSTS: Record<ExchangeId, 'www.binance.com' | 'www.bybit.com' | 'www.okx.com'> = {
  binance: 'www.binance.com',
  bybit: 'www.bybit.com',
  okx: 'www.okx.com',
};
/** API pages with a locale prefix (as users reach them) and without. */
const PATHS: Record<ExchangeId, string> = {
  binance: '/en/my/settings/api-management',
  bybit: '/app/user/api-management',
  okx: '/zh-hans/account/my-api',
};
/** What a user clicks to switch the withdraw permission off on each fixture. */
const WITHDRAW_TOGGLE: Record<ExchangeId, string> = {
  binance: '[data-testid="withdraw-row"]',
  bybit: 'button[data-perm="withdraw"]',
  okx: 'label[data-perm="withdraw"]',
};

let w: ExchangeWorld;
/** Every page the tests opened on an exchange, scanned for secrets at the end. */
const exchangePages: Page[] = [];
/** Everything secret the tests typed. */
const secrets: string[] = [PASS];

beforeAll(async () => {
  w = await startExchangeWorld({ state: 'locked', passphrase: PASS });
}, 60_000);
afterAll(async () => {
  await w?.close();
});

let serial = 0;
function simKey(exchange: ExchangeId, extra: Partial<SimKeyConfig> = {}): SimKeyConfig {
  serial++;
  const key: SimKeyConfig = {
    exchange,
    apiKey: `${exchange.toUpperCase()}gdKx7Qm2pLwZ9v${String(serial).padStart(3, '0')}`,
    secret: `gsec-${exchange}-${serial}-Zx81kQpL0aMwTq`,
    ...(exchange === 'okx' ? { passphrase: `OkxGd-${serial}-Pass!` } : {}),
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

async function openApiPage(
  exchange: ExchangeId,
  query = '',
): Promise<{ page: Page; panel: ClosedShadow }> {
  const page = await w.session.browser.newPage();
  exchangePages.push(page);
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(w.fixtures.url(HOSTS[exchange], `${PATHS[exchange]}${query}`));
  const panel = new ClosedShadow(page, 'sentinel-companion-guide');
  await panel.until('the guide panel', () => panel.exists('[data-testid="panel"]'));
  return { page, panel };
}

async function submitKey(frame: Frame, key: SimKeyConfig): Promise<string> {
  const { kind, secretAfterSubmit } = await submitSetupForm(frame, key);
  expect(secretAfterSubmit).toBe(''); // emptied at once, before the host has answered
  return kind;
}

const list = () => w.call<Connection[]>('connections.list');

it('no panel on pages that are not an API-key page', async () => {
  const page = await w.session.browser.newPage();
  exchangePages.push(page);
  // Not matched by the manifest at all; and matched by Chrome's "*" but refused by isApiPage.
  for (const path of ['/en/markets', '/en/fr/my/settings/api-management']) {
    await page.goto(w.fixtures.url('www.binance.com', path));
    await new Promise((r) => setTimeout(r, 800));
    expect(await page.$('sentinel-companion-guide')).toBeNull();
    expect(await page.$('sentinel-companion-marks')).toBeNull();
  }
  expect(w.fixtures.requests).toContain('www.binance.com/en/markets');
});

it('the form says the vault is locked and unlocks it in place', async () => {
  const { page, panel } = await openApiPage('binance');
  const frame = await openSetupForm(panel, page);
  await frame.waitForSelector('[data-testid="vault-needed"]', { timeout: 15_000 });
  expect(
    await frame.$eval('[data-testid="submit"]', (b) => (b as HTMLButtonElement).disabled),
  ).toBe(true);
  await frame.type('[data-testid="vault-panel"] input[type="password"]', PASS);
  await frame.click('[data-testid="vault-panel"] button[type="submit"]');
  await frame.waitForSelector('[data-testid="submit"]:not([disabled])', { timeout: 20_000 });
  expect(await frame.$('[data-testid="vault-needed"]')).toBeNull();
  expect(
    await frame
      .$eval('[data-testid="vault-panel"] input', (e) => (e as HTMLInputElement).value)
      .catch(() => ''),
  ).toBe('');
});

describe.each(EXCHANGE_IDS)('%s', (exchange) => {
  const profile = PROFILES[exchange];
  const withdraw = profile.permissionCatalogue.find((e) => e.permission === 'withdraw')!;

  it("shows the exchange's own guide; marks a withdraw toggle that is on, until it is switched off", async () => {
    const { page, panel } = await openApiPage(exchange, '?withdraw=on');
    expect(await panel.attr('[data-testid="panel"]', 'data-exchange')).toBe(exchange);
    const steps = await panel.all('[data-step]');
    expect(steps).toHaveLength(profile.guideSteps.length);
    const guide = await panel.text('[data-testid="guide-steps"]');
    for (const step of profile.guideSteps) expect(guide).toContain(step.title);
    expect(await panel.text('[data-advice="never"]')).toContain(withdraw.uiName);
    expect(await panel.prop('[data-testid="label-copy"] input', 'value')).toBe(
      profile.suggestedLabel(new Date()),
    );
    // This machine's IP, from the host through the background's content-script allow-list.
    await panel.until('the public IP', () => panel.exists('[data-testid="ip-copy"]'));
    expect(await panel.prop('[data-testid="ip-copy"] input', 'value')).toBe(w.sim.clientIp);

    await panel.until('the withdraw hint', async () =>
      (await panel.text('[data-testid="page-hints"]')).includes(hintFor(withdraw).message),
    );
    const marks = new ClosedShadow(page, 'sentinel-companion-marks');
    await marks.until('the mark', () => marks.exists('.mark.danger'));
    expect(await marks.all('.mark')).toHaveLength(1);
    expect(await marks.text('.tag')).toContain('never enable');
    await screenshot(page, `guided-${exchange}-withdraw-on`);

    // Progress the user ticks is kept (per exchange, ids only).
    await panel.click('[data-step="2fa"] input[type="checkbox"]');
    await panel.until('the tick', async () =>
      (await panel.text('[data-testid="progress"]')).startsWith('(1 of'),
    );

    await page.click(WITHDRAW_TOGGLE[exchange]);
    await panel.until(
      'the mark to go',
      async () => (await page.$('sentinel-companion-marks')) === null,
    );
    expect(await panel.text('[data-testid="page-hints"]')).toMatch(/None of the|is off/);
  });

  it('refuses a key that can withdraw (names the fix, stores nothing), then accepts a safe one', async () => {
    const before = await list();
    const { page, panel } = await openApiPage(exchange);
    const frame = await openSetupForm(panel, page);

    const unsafe = simKey(exchange, { permissions: { read: true, spot: true, withdraw: true } });
    expect(await submitKey(frame, unsafe)).toBe('unsafe');
    const refusal = await frame.$eval(
      '[data-testid="outcome"]',
      (e) => (e as HTMLElement).innerText,
    );
    expect(refusal).toContain('Nothing was stored');
    expect(refusal).toContain(`Untick ${withdraw.uiName}`);
    expect(refusal).toContain('delete this key and create a new one');
    expect(await list()).toEqual(before);
    await screenshot(page, `guided-${exchange}-refused`);

    const safe = simKey(exchange);
    expect(await submitKey(frame, safe)).toBe('stored');
    expect(
      await frame.$eval('[data-testid="outcome"]', (e) => e.getAttribute('data-verdict')),
    ).toBe('ok');
    expect(await frame.$eval('[data-check="withdraw"]', (e) => e.getAttribute('data-level'))).toBe(
      'ok',
    );
    const after = await list();
    expect(after).toHaveLength(before.length + 1);
    expect(after.find((c) => c.exchange === exchange)?.lastAudit?.verdict).toBe('ok');
    // The form is empty again (the API key too, after a success).
    expect(await frame.$eval('input[name="apiKey"]', (e) => (e as HTMLInputElement).value)).toBe(
      '',
    );
    await screenshot(page, `guided-${exchange}-connected`);
  });
});

it('the popup lists each connection with its verdict', async () => {
  const popup = await openPopup(w.session.browser);
  await popup.waitForFunction(
    () => document.querySelectorAll('[data-testid="connection"]').length === 3,
    { timeout: 15_000 },
  );
  const verdicts = await popup.$$eval('[data-testid="verdict"]', (es) =>
    es.map((e) => e.getAttribute('data-verdict')),
  );
  expect(verdicts).toEqual(['ok', 'ok', 'ok']);
  await screenshot(popup, 'guided-popup-connections');
  await popup.close();
});

it('"Rotate key" in the popup opens the panel in rotation mode; the verified new key replaces the old', async () => {
  const binance = (await list()).find((c) => c.exchange === 'binance')!;
  const popup = await openPopup(w.session.browser);
  const card = `[data-testid="connection"][data-id="${binance.id}"]`;
  await popup.waitForSelector(card, { timeout: 15_000 });
  const opened = w.session.browser.waitForTarget((t) => t.url().includes('#sentinel-rotate='));
  await popup.click(`${card} button ::-p-text(Rotate key)`);
  const target = await opened;
  expect(target.url()).toBe(`${PROFILES.binance.apiPageUrl}#sentinel-rotate=${binance.id}`);
  const page = (await target.page())!;
  exchangePages.push(page);
  await page.setViewport({ width: 1280, height: 900 });
  const panel = new ClosedShadow(page, 'sentinel-companion-guide');
  await panel.until(
    'the panel in rotation mode',
    async () =>
      (await panel.exists('[data-testid="tab-connect"][aria-selected="true"]')) &&
      (await panel.text('[data-testid="tab-connect"]')) === 'Rotate key',
  );
  const frame = await setupFrame(page);
  // The frame's URL holds the ticket's nonce and nothing else: the form learnt the mode and the
  // connection from the background (test/e2e/setup-framing.e2e.test.ts).
  expect(frame.url()).toMatch(/\/src\/setup\/index\.html#ticket=[\w-]{43}$/);
  expect(frame.url()).not.toContain(binance.id);
  await frame.waitForSelector('[data-testid="rotation-intro"]');
  expect(await frame.$eval('[data-testid="setup"]', (e) => e.getAttribute('data-mode'))).toBe(
    'rotate',
  );
  expect(
    await frame.$eval('[data-testid="rotation-intro"]', (e) => (e as HTMLElement).innerText),
  ).toMatch(/Create the new key first[\s\S]*then delete the old key/i);
  const fresh = simKey('binance');
  expect(await submitKey(frame, fresh)).toBe('rotated');
  const reminder = await frame.$eval(
    '[data-testid="rotate-reminder"]',
    (e) => (e as HTMLElement).innerText,
  );
  expect(reminder).toContain('delete the old key');
  expect(
    await frame.$eval('[data-testid="rotate-reminder"] a', (a) => (a as HTMLAnchorElement).href),
  ).toBe(PROFILES.binance.apiPageUrl);
  const rotated = (await list()).find((c) => c.id === binance.id)!;
  expect(rotated.apiKeyHint).not.toBe(binance.apiKeyHint);
  await screenshot(page, 'guided-binance-rotated');
  await popup.close();
});

it('the collapsed state is remembered', async () => {
  const { page, panel } = await openApiPage('okx');
  await panel.click('[data-testid="panel-collapse"]');
  await panel.until('the pill', () => panel.exists('[data-testid="panel-expand"]'));
  await page.reload();
  await panel.until('the pill after reload', () => panel.exists('[data-testid="panel-expand"]'));
  expect(await panel.exists('[data-testid="panel"]')).toBe(false);
  await screenshot(page, 'guided-okx-collapsed');
  await panel.click('[data-testid="panel-expand"]');
  await panel.until('the panel', () => panel.exists('[data-testid="panel"]'));
});

it("the page has no handle on the panel or on the form's frame", async () => {
  const { page, panel } = await openApiPage('bybit');
  await openSetupForm(panel, page);
  expect(
    await page.evaluate(() => ({
      // Closed shadow root: nothing to query into.
      shadowRoot: document.querySelector('sentinel-companion-guide')?.shadowRoot ?? null,
      // A frame inside a shadow tree is not one of the page's window.frames: it cannot be
      // navigated, messaged or targeted by name from the page.
      frames: window.length,
      iframes: document.querySelectorAll('iframe').length,
    })),
  ).toEqual({ shadowRoot: null, frames: 0, iframes: 0 });
});

it('no secret in chrome.storage, in the exchange pages, or in the service log', async () => {
  expect(secrets.length).toBeGreaterThan(6);
  const worker = await (
    await w.session.browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().includes(EXTENSION_ID),
    )
  ).worker();
  const stored = await worker!.evaluate(async () => {
    const c = (
      globalThis as unknown as {
        chrome: {
          storage: {
            local: { get(k: null): Promise<object> };
            session: { get(k: null): Promise<object> };
          };
        };
      }
    ).chrome;
    return { local: await c.storage.local.get(null), session: await c.storage.session.get(null) };
  });
  // Only UI state: the collapsed flag and step ticks.
  expect(
    Object.keys(stored.local).every((k) => k === 'panel.collapsed' || k.startsWith('guide.ticks.')),
  ).toBe(true);
  expect(stored.session).toEqual({});
  const haystacks: [string, string][] = [
    ['storage', JSON.stringify(stored)],
    ['service.log', w.serviceLog()],
  ];
  for (const page of exchangePages) {
    if (page.isClosed()) continue;
    haystacks.push([`${page.url()} content`, await page.content()]);
    haystacks.push([
      `${page.url()} main world`,
      await page.evaluate(() => document.documentElement.outerHTML + document.body.innerText),
    ]);
    const panel = new ClosedShadow(page, 'sentinel-companion-guide');
    if (await panel.exists('*')) haystacks.push([`${page.url()} panel`, await panel.html()]);
  }
  for (const [where, text] of haystacks) {
    for (const secret of secrets)
      expect(text.includes(secret), `${where} holds a secret`).toBe(false);
  }
  expect(readFileSync(`${w.home}/logs/service.log`, 'utf8').length).toBeGreaterThan(0);
});
