/**
 * Debian's Chromium driven by puppeteer with the built extension: a fresh profile and HOME in a
 * temp folder (never the user's), headed when a display exists, headless otherwise. Plus what the
 * demo needs to look inside the guide panel's closed shadow root and to take screenshots.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'puppeteer';
import { CHROMIUM_ARGS, CHROMIUM_PATH, POPUP_URL } from '../harness/chromium.js';
import { EXTENSION_ID } from '../../src/protocol/constants.js';
import { DemoPrerequisite } from './narrate.js';
import type { Scope } from './scope.js';
import { EXTENSION_DIR } from './stack.js';
import { errorMessage } from '../../src/lib/error-text.js';

export { CHROMIUM_PATH, POPUP_URL };

export function requireChromium(): void {
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  if (!existsSync(CHROMIUM_PATH))
    throw new DemoPrerequisite(
      `Chromium is not installed (looked for ${CHROMIUM_PATH}). Install Debian's package:\n` +
        `  ${sudo}apt-get update && ${sudo}apt-get install -y chromium\n` +
        'or set CHROMIUM_PATH to a Chromium binary.',
    );
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json')))
    throw new DemoPrerequisite(`${EXTENSION_DIR} is missing: run "npm run build" first`);
}

export interface BrowserSession {
  browser: Browser;
  /** --user-data-dir; its NativeMessagingHosts/ is where Chromium looks for native hosts. */
  profile: string;
  headed: boolean;
  version: string;
}

export async function launchBrowser(
  scope: Scope,
  opts: { profile: string; env: NodeJS.ProcessEnv; args: string[]; headed: boolean },
): Promise<BrowserSession> {
  const puppeteer = (
    await import('puppeteer').catch((e: unknown) => {
      throw new DemoPrerequisite(`puppeteer cannot be loaded (${errorMessage(e)}): run "npm ci"`);
    })
  ).default;
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: !opts.headed,
    pipe: true,
    enableExtensions: [EXTENSION_DIR],
    userDataDir: opts.profile,
    env: opts.env,
    // The demo's own handlers close the browser (and everything else) on Ctrl-C.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    defaultViewport: null,
    args: [...CHROMIUM_ARGS, '--no-default-browser-check', '--window-size=1280,960', ...opts.args],
  });
  scope.defer('close Chromium', () => browser.close());
  return { browser, profile: opts.profile, headed: opts.headed, version: await browser.version() };
}

/** The popup page, in a tab of its own at the popup's size. */
export async function openPopup(browser: Browser, height = 640): Promise<Page> {
  // The worker must be up before the popup asks it anything.
  await browser.waitForTarget(
    (t) =>
      t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${EXTENSION_ID}/`),
    { timeout: 20_000 },
  );
  const page = await browser.newPage();
  await page.setViewport({ width: 360, height });
  await page.goto(POPUP_URL);
  return page;
}

export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`) as `${string}.png`;
  await page.bringToFront();
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Reads from a page or frame with a script expression (runs there; no DOM types needed here).
 * `null` when nothing matches.
 */
export function textIn(where: Page | Frame, selector: string): Promise<string | null> {
  return where.evaluate(
    `document.querySelector(${JSON.stringify(selector)})?.innerText ?? null`,
  ) as Promise<string | null>;
}

export function attrIn(
  where: Page | Frame,
  selector: string,
  name: string,
): Promise<string | null> {
  return where.evaluate(
    `document.querySelector(${JSON.stringify(selector)})?.getAttribute(${JSON.stringify(name)}) ?? null`,
  ) as Promise<string | null>;
}

export function countIn(where: Page | Frame, selector: string): Promise<number> {
  return where.evaluate(
    `document.querySelectorAll(${JSON.stringify(selector)}).length`,
  ) as Promise<number>;
}
