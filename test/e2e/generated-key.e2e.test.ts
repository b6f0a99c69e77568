/**
 * "Let Sentinel make the key" on the copy of Binance's API page, with the built extension, the real
 * host and the simulator: the panel recommends it, the form generates the pair through the host,
 * shows the public key with a copy button and where to paste it, asks only for the API key, and the
 * connection is stored and audited — while no private key is in chrome.storage, the page, the DOM,
 * the log or any host file in the clear. OKX's panel says plainly that it is not offered.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import type { Connection } from '../../src/protocol/methods.js';
import { EXTENSION_ID } from '../../src/protocol/constants.js';
import { ClosedShadow, openSetupForm, screenshot } from '../helpers/chromium.js';
import { startExchangeWorld, type ExchangeWorld } from '../helpers/https-fixtures.js';

const PASS = 'generated key e2e passphrase 3';
const API_KEY = 'BINANCEgenE2eKx7Qm2pLwZ9v001';
let w: ExchangeWorld;
const pages: Page[] = [];

beforeAll(async () => {
  w = await startExchangeWorld({ state: 'unlocked', passphrase: PASS });
}, 60_000);
afterAll(async () => {
  await w?.close();
});

async function openApiPage(
  host: 'www.binance.com' | 'www.okx.com',
  path: string,
): Promise<{ page: Page; panel: ClosedShadow }> {
  const page = await w.session.browser.newPage();
  pages.push(page);
  await page.setViewport({ width: 1280, height: 1000 });
  await page.goto(w.fixtures.url(host, path));
  const panel = new ClosedShadow(page, 'sentinel-companion-guide');
  await panel.until('the guide panel', () => panel.exists('[data-testid="panel"]'));
  return { page, panel };
}

it('OKX: the panel and the form say plainly that Sentinel cannot make the key', async () => {
  const { page, panel } = await openApiPage('www.okx.com', '/zh-hans/account/my-api');
  expect(await panel.attr('[data-testid="key-choice"]', 'data-offered')).toBe('false');
  expect(await panel.text('[data-testid="key-choice"]')).toMatch(
    /OKX offers no self-generated keys/,
  );
  const frame = await openSetupForm(panel, page);
  const note = await frame.waitForSelector('[data-testid="no-generated-keys"]', {
    timeout: 15_000,
  });
  expect(await note!.evaluate((e) => (e as HTMLElement).innerText)).toMatch(/OKX offers no/);
  expect(await frame.$('[data-testid="mode-generated"]')).toBeNull();
});

it('Binance: generate in the panel, copy the public key, give only the API key — stored and audited', async () => {
  const { page, panel } = await openApiPage('www.binance.com', '/en/my/settings/api-management');
  expect(await panel.attr('[data-testid="key-choice"]', 'data-offered')).toBe('true');
  expect(await panel.text('[data-testid="key-choice"]')).toMatch(
    /Let Sentinel make the key \(recommended\)[\s\S]*Self-generated/,
  );
  // The permission checklist and the IP steps are still there.
  expect(await panel.text('[data-testid="guide-steps"]')).toMatch(/IP/);
  await panel.click('[data-testid="key-choice-connect"]');
  const frame = await openSetupForm(panel, page);
  await frame.waitForSelector('[data-testid="mode-generated"]', { timeout: 15_000 });
  await frame.click('[data-testid="mode-generated"]');
  // No secret field at all on this path; the form waits for the key.
  expect(await frame.$('[data-testid="credential-form"] input[name="secret"]')).toBeNull();
  expect(
    await frame.$eval('[data-testid="submit"]', (b) => (b as HTMLButtonElement).disabled),
  ).toBe(true);
  await frame.click('[data-testid="generate"]');
  const box = await frame.waitForSelector('[data-testid="public-key"]', { timeout: 20_000 });
  const publicKeyPem = await box!.evaluate((e) => (e as HTMLTextAreaElement).value);
  const keyId = await box!.evaluate((e) => e.getAttribute('data-key-id'));
  expect(publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
  expect(
    await frame.$eval('[data-testid="paste-where"]', (e) => (e as HTMLElement).innerText),
  ).toMatch(/"Self-generated", paste this public key/);
  // Copyable: the button copies the public key (read back through the clipboard where allowed).
  await frame.click('[data-testid="copy-public-key"]');
  await frame.waitForFunction(
    () => document.querySelector('[data-testid="copy-public-key"]')?.textContent === 'Copied',
    { timeout: 5_000 },
  );
  await screenshot(page, 'generated-key-binance-public-key');

  // What the user does on Binance: create the API key with this public key.
  w.sim.addKey({
    exchange: 'binance',
    apiKey: API_KEY,
    publicKeyPem,
    environment: 'live',
    permissions: { read: true, spot: true },
    ipList: [w.sim.clientIp],
    createdAt: Date.now(),
  });
  const form = '[data-testid="credential-form"]';
  await frame.type(`${form} input[name="apiKey"]`, API_KEY);
  await frame.click(`${form} [data-testid="submit"]`);
  const outcome = await frame.waitForSelector('[data-testid="outcome"]', { timeout: 30_000 });
  expect(await outcome!.evaluate((e) => e.getAttribute('data-kind'))).toBe('stored');
  expect(await outcome!.evaluate((e) => e.getAttribute('data-verdict'))).toBe('ok');
  await screenshot(page, 'generated-key-binance-stored');

  const stored = (await w.call<Connection[]>('connections.list')).find(
    (c) => c.apiKeyHint === `${API_KEY.slice(0, 4)}…${API_KEY.slice(-4)}`,
  );
  expect(stored?.lastAudit?.verdict).toBe('ok');
  // Attached: no longer waiting.
  expect((await w.call<{ keyId: string }[]>('keys.list')).map((k) => k.keyId)).not.toContain(keyId);
});

it('no private key in chrome.storage, the pages, the DOM, the log or any host file in the clear', async () => {
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
  const haystacks: [string, string][] = [['chrome.storage', JSON.stringify(stored)]];
  for (const page of pages) {
    if (page.isClosed()) continue;
    haystacks.push([`${page.url()} content`, await page.content()]);
    const panel = new ClosedShadow(page, 'sentinel-companion-guide');
    if (await panel.exists('*')) haystacks.push([`${page.url()} panel`, await panel.html()]);
    for (const frame of page.frames())
      haystacks.push([
        `${frame.url()} DOM`,
        await frame.evaluate(() => document.documentElement.outerHTML),
      ]);
  }
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [],
    );
  for (const f of files(w.home)) {
    if (existsSync(f)) haystacks.push([f, readFileSync(f).toString('latin1')]);
  }
  expect(haystacks.some(([where]) => where.endsWith('vault.bin'))).toBe(true);
  for (const [where, text] of haystacks)
    expect(text, `${where} holds a PEM private key`).not.toMatch(/PRIVATE KEY/);
});
