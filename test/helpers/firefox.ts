/**
 * Debian's Firefox ESR driven by puppeteer over WebDriver BiDi, with the built Firefox extension
 * (dist/firefox) installed as a temporary add-on, its own profile and HOME (Firefox reads the
 * user's native-messaging manifests under $HOME), headless and off the network.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import {
  FIREFOX_ARGS,
  FIREFOX_ENV,
  FIREFOX_PATH,
  FIREFOX_POPUP_URL,
  firefoxPrefs,
} from '../../dev/harness/firefox.js';
import { FIREFOX_ADDON_ID, HOST_NAME } from '../../src/protocol/constants.js';
import type { Simulator } from '../../tools/simulator/index.js';
import { startSimulatedHost } from './https-fixtures.js';
import { startFixtureServer, type FixtureServer } from '../../dev/harness/exchange-pages.js';
import { startFixtureProxy, type FixtureProxy } from '../../dev/harness/firefox.js';
import { ROOT, cleanupHome, hostEnv, runCli } from './host.js';

export const FIREFOX_DIR = join(ROOT, 'dist/firefox');
export const XPI = join(ROOT, 'dist/sentinel-companion-firefox.xpi');

export {
  FIREFOX_PATH,
  FIREFOX_POPUP_URL,
  FIREFOX_SETUP_URL,
  startFixtureProxy,
} from '../../dev/harness/firefox.js';
export { BidiClosedShadow } from '../../dev/harness/closed-shadow-bidi.js';

export function requireFirefox(): void {
  if (!existsSync(FIREFOX_PATH)) {
    throw new Error(
      `Firefox ESR is not installed (looked for ${FIREFOX_PATH}). Install Debian's package: ` +
        '"apt-get update && apt-get install -y firefox-esr", or set FIREFOX_PATH to a Firefox binary.',
    );
  }
  if (!existsSync(join(FIREFOX_DIR, 'manifest.json'))) {
    throw new Error(`${FIREFOX_DIR} is missing: run "npm run build" (npm test does it first)`);
  }
}

export interface FirefoxSession {
  browser: Browser;
  profile: string;
  /** HOME of the browser (and of the hosts it starts): ~/.mozilla/native-messaging-hosts. */
  home: string;
  close(): Promise<void>;
}

/**
 * A fresh profile and HOME, Firefox started headless, then the add-on installed (as
 * about:debugging's "Load Temporary Add-on" does). `beforeLaunch` runs once HOME exists, before
 * Firefox starts (e.g. to install the host into it).
 */
export async function launchFirefox(
  options: {
    env?: NodeJS.ProcessEnv;
    prefs?: Record<string, unknown>;
    beforeLaunch?: (home: string) => Promise<void>;
  } = {},
): Promise<FirefoxSession> {
  requireFirefox();
  const base = mkdtempSync(join(tmpdir(), 'sc-firefox-'));
  const profile = join(base, 'profile');
  const home = join(base, 'home');
  mkdirSync(profile);
  mkdirSync(home);
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    rmSync(base, { recursive: true, force: true });
  };
  try {
    await options.beforeLaunch?.(home);
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      userDataDir: profile,
      acceptInsecureCerts: true,
      env: { ...process.env, ...FIREFOX_ENV, HOME: home, ...options.env },
      args: [...FIREFOX_ARGS],
      extraPrefsFirefox: firefoxPrefs(options.prefs),
    });
    const id = await browser.installExtension(FIREFOX_DIR);
    if (id !== FIREFOX_ADDON_ID) throw new Error(`the add-on was installed as ${id}`);
  } catch (e) {
    await close();
    throw e;
  }
  return { browser, profile, home, close };
}

/**
 * Navigates without waiting for puppeteer's load events: a moz-extension:// page loads in the
 * extension process, and puppeteer does not see that navigation complete (it waits forever).
 */
export async function goto(page: Page, url: string): Promise<void> {
  const ctx = (
    page.mainFrame() as unknown as {
      browsingContext: {
        navigate(url: string, wait: 'none' | 'interactive' | 'complete'): Promise<unknown>;
      };
    }
  ).browsingContext;
  await ctx.navigate(url, 'complete');
}

/** The popup page, opened in a tab of its own (as the Chromium tests do). */
export async function openPopup(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 360, height: 480 });
  await goto(page, FIREFOX_POPUP_URL);
  return page;
}

export { screenshot } from './chromium.js';

/** `sentinel-host install --browser firefox [extra]` into a Firefox HOME, for the service in `sentinelHome`. */
export async function installForFirefox(
  sentinelHome: string,
  firefoxHome: string,
  extra: string[] = [],
): Promise<void> {
  const r = await runCli(['install', '--browser', 'firefox', ...extra], {
    ...hostEnv(sentinelHome),
    HOME: firefoxHome,
  });
  if (r.code !== 0) throw new Error(`install: ${r.stdout}\n${r.stderr}`);
  const manifest = join(firefoxHome, '.mozilla', 'native-messaging-hosts', `${HOST_NAME}.json`);
  if (!existsSync(manifest)) throw new Error(`install wrote no ${manifest}`);
}

/**
 * The guided-setup tests' world in Firefox: the exchange pages over HTTPS at their real names
 * (through the fixture proxy), the exchange simulator, the real host service pointed at it, and
 * Firefox with the add-on and the host installed for its HOME.
 */
export interface FirefoxExchangeWorld {
  sim: Simulator;
  fixtures: FixtureServer;
  proxy: FixtureProxy;
  home: string;
  session: FirefoxSession;
  call<T = unknown>(method: string, params?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startFirefoxExchangeWorld(passphrase: string): Promise<FirefoxExchangeWorld> {
  requireFirefox();
  const { sim, home, call } = await startSimulatedHost();
  await call('vault.create', { passphrase });
  const fixtures = await startFixtureServer();
  const proxy = await startFixtureProxy(fixtures.port);
  const session = await launchFirefox({
    prefs: proxy.prefs,
    beforeLaunch: (firefoxHome) => installForFirefox(home, firefoxHome),
  });
  return {
    sim,
    fixtures,
    proxy,
    home,
    session,
    call,
    async close() {
      await session.close();
      await proxy.close();
      await fixtures.close();
      await cleanupHome(home);
      await sim.close();
    },
  };
}
