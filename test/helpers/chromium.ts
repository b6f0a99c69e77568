/**
 * Debian's Chromium driven by puppeteer, with the built extension loaded and its own profile and
 * HOME (Crashpad writes under $HOME even with a custom profile).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer';
import { CHROMIUM_ARGS, CHROMIUM_PATH, POPUP_URL } from '../../dev/harness/chromium.js';
import { ClosedShadow } from '../../dev/harness/closed-shadow.js';
import { EXTENSION_ID } from '../../src/protocol/constants.js';
import { ROOT } from './host.js';

export const EXTENSION_DIR = join(ROOT, 'dist/extension');
export const ARTIFACTS = join(ROOT, 'test-artifacts');

export { CHROMIUM_PATH, POPUP_URL } from '../../dev/harness/chromium.js';

export function requireChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed (looked for ${CHROMIUM_PATH}). Install Debian's package: ` +
        '"apt-get update && apt-get install -y chromium", or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`${EXTENSION_DIR} is missing: run "npm run build" (npm test does it first)`);
  }
}

export interface BrowserSession {
  browser: Browser;
  /** --user-data-dir; its NativeMessagingHosts/ is where Chromium looks for hosts. */
  profile: string;
  /** HOME of the browser process (and so of the hosts it starts). */
  home: string;
  close(): Promise<void>;
}

export async function launchChromium(
  env: NodeJS.ProcessEnv = {},
  options: { args?: string[] } = {},
): Promise<BrowserSession> {
  requireChromium();
  const base = mkdtempSync(join(tmpdir(), 'sc-browser-'));
  const profile = join(base, 'profile');
  const home = join(base, 'home');
  mkdirSync(profile);
  mkdirSync(home);
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    pipe: true,
    enableExtensions: [EXTENSION_DIR],
    userDataDir: profile,
    env: { ...process.env, HOME: home, ...env },
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
  return {
    browser,
    profile,
    home,
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(base, { recursive: true, force: true });
    },
  };
}

export async function openPopup(browser: Browser): Promise<Page> {
  // The worker must be up before the popup asks it anything.
  await browser.waitForTarget(
    (t) =>
      t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${EXTENSION_ID}/`),
    { timeout: 15_000 },
  );
  const page = await browser.newPage();
  await page.setViewport({ width: 360, height: 480 });
  await page.goto(POPUP_URL);
  return page;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: path as `${string}.png`, fullPage: true });
  return path;
}

export const SETUP_URL_PREFIX = `chrome-extension://${EXTENSION_ID}/src/setup/index.html`;

/** The guide panel's credential form: an extension iframe inside the panel's closed shadow root. */
export async function setupFrame(page: Page): Promise<Frame> {
  return page.waitForFrame((f) => f.url().startsWith(SETUP_URL_PREFIX), { timeout: 15_000 });
}

/** The panel's "Connect key" tab, then its form's frame. */
export async function openSetupForm(panel: ClosedShadow, page: Page): Promise<Frame> {
  await panel.click('[data-testid="tab-connect"]');
  return setupFrame(page);
}

/**
 * Types credentials into the setup form and submits it; returns the outcome's kind and what the
 * secret field held right after the click (before the host answered).
 */
export async function submitSetupForm(
  frame: Frame,
  creds: { apiKey: string; secret: string; passphrase?: string },
): Promise<{ kind: string; secretAfterSubmit: string }> {
  const form = '[data-testid="credential-form"]';
  await frame.waitForSelector(`${form} [data-testid="submit"]:not([disabled])`, {
    timeout: 15_000,
  });
  // The API key stays in the form after a refusal (only the secrets are cleared): replace it.
  await frame.click(`${form} input[name="apiKey"]`, { count: 3 });
  await frame.type(`${form} input[name="apiKey"]`, creds.apiKey);
  await frame.type(`${form} input[name="secret"]`, creds.secret);
  if (creds.passphrase) await frame.type(`${form} input[name="passphrase"]`, creds.passphrase);
  await frame.click(`${form} [data-testid="submit"]`);
  const secretAfterSubmit = await frame.$eval(
    `${form} input[name="secret"]`,
    (e) => (e as HTMLInputElement).value,
  );
  const outcome = await frame.waitForSelector('[data-testid="outcome"]', { timeout: 30_000 });
  const kind = (await outcome!.evaluate((e) => e.getAttribute('data-kind'))) ?? '';
  return { kind, secretAfterSubmit };
}

export { ClosedShadow };
