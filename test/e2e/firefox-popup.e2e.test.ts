/**
 * The whole chain in Firefox, for real: the built Firefox add-on (dist/firefox) in Debian's
 * Firefox ESR → Firefox native messaging (argv: manifest path, add-on id) → the sentinel-host
 * bridge installed by `sentinel-host install --browser firefox` into the profile's HOME → the
 * host service. The same proofs as popup-host and popup-vault in Chromium.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import {
  cleanupHome,
  hostEnv,
  isAlive,
  requireBuiltHost,
  runCli,
  tempHome,
} from '../helpers/host.js';
import {
  FIREFOX_DIR,
  XPI,
  installForFirefox,
  launchFirefox,
  openPopup,
  requireFirefox,
  screenshot,
  type FirefoxSession,
} from '../helpers/firefox.js';
import { firefoxManifest, type ChromeManifest } from '../../dev/build/firefox-manifest.js';
import { FIREFOX_ADDON_ID } from '../../src/protocol/constants.js';
import { ROOT } from '../../dev/harness/root.js';

const PASS = 'firefox popup vault passphrase 8';
let session: FirefoxSession | undefined;
let sentinelHome: string | undefined;

beforeAll(() => {
  requireBuiltHost();
  requireFirefox();
});
afterEach(async () => {
  await session?.close();
  session = undefined;
  if (sentinelHome) await cleanupHome(sentinelHome);
  sentinelHome = undefined;
});

async function hostStatus(page: Page, tone: 'ok' | 'problem'): Promise<string> {
  const el = await page.waitForSelector(`[data-testid="host-status"][data-tone="${tone}"]`, {
    timeout: 20_000,
  });
  return (await el!.evaluate((e) => (e as HTMLElement).innerText)) ?? '';
}

async function status(): Promise<{ vault: string; service: { pid: number } }> {
  const r = await runCli(['status', '--json'], hostEnv(sentinelHome!));
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** `doctor --browser firefox` as the user of that Firefox HOME would run it. */
async function doctor(home: string): Promise<string> {
  const r = await runCli(['doctor', '--browser', 'firefox'], {
    ...hostEnv(sentinelHome!),
    HOME: home,
  });
  return r.stdout;
}

it('the build: dist/firefox carries the manifest derived from manifest.json, and the .xpi exists', () => {
  const built = JSON.parse(readFileSync(join(FIREFOX_DIR, 'manifest.json'), 'utf8'));
  const derived = firefoxManifest(
    JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as ChromeManifest,
  );
  expect(built.browser_specific_settings).toEqual(derived.browser_specific_settings);
  expect(built.background.scripts).toHaveLength(1);
  expect(built.background).not.toHaveProperty('service_worker');
  for (const key of ['key', 'minimum_chrome_version']) expect(built).not.toHaveProperty(key);
  expect(built.permissions).toEqual(derived.permissions);
  expect(existsSync(XPI)).toBe(true);
});

it('connects and shows the host; the vault is created from the popup; doctor sees the add-on', async () => {
  sentinelHome = tempHome();
  session = await launchFirefox({ beforeLaunch: (home) => installForFirefox(sentinelHome!, home) });
  const page = await openPopup(session.browser);
  expect(await hostStatus(page, 'ok')).toContain('Connected to the Sentinel host');
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
  expect(await page.$eval('[data-testid="host-version"]', (e) => e.textContent)).toBe(
    `v${version} (protocol 1)`,
  );
  expect(await page.$eval('[data-testid="vault-state"]', (e) => e.textContent)).toBe(
    'not created yet',
  );
  await screenshot(page, 'firefox-popup-connected');

  // The vault, created from the popup, through Firefox's native port.
  await page.waitForSelector('[data-testid="vault-panel"][data-vault="absent"]');
  await page.waitForSelector('input[name="new-passphrase"]'); // the create form loads on demand
  await page.type('input[name="new-passphrase"]', PASS);
  await page.type('input[name="repeat-passphrase"]', PASS);
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-testid="vault-panel"][data-vault="unlocked"]', {
    timeout: 20_000,
  });
  expect((await status()).vault).toBe('unlocked');
  await screenshot(page, 'firefox-popup-vault-created');
  // A change made elsewhere (the CLI) shows up in the open popup.
  expect((await runCli(['vault', 'lock'], hostEnv(sentinelHome))).code).toBe(0);
  await page.waitForSelector('[data-testid="vault-panel"][data-vault="locked"]', {
    timeout: 20_000,
  });
  expect(await page.content()).not.toContain(PASS);
  // The extension kept nothing: its storage is empty (read from the popup, an extension page).
  const stored = await page.evaluate(async () => {
    const b = (
      globalThis as unknown as {
        browser: {
          storage: {
            local: { get(k: null): Promise<object> };
            session: { get(k: null): Promise<object> };
          };
        };
      }
    ).browser;
    return JSON.stringify([await b.storage.local.get(null), await b.storage.session.get(null)]);
  });
  expect(stored).toBe('[{},{}]');

  // doctor follows Firefox's chain and saw the add-on say hello through the bridge (the service
  // runs with the test KDF, so its own check fails on purpose: not asserted here).
  const out = await doctor(session.home);
  expect(out).toContain(
    `[ok]   Firefox: manifest present: ${session.home}/.mozilla/native-messaging-hosts/`,
  );
  expect(out).toContain(`[ok]   Firefox: add-on allowed: ${FIREFOX_ADDON_ID}`);
  expect(out).toMatch(
    new RegExp(`\\[ok\\] {3}extension connected: ${FIREFOX_ADDON_ID} last said hello`),
  );
});

it('reconnects by itself after the service dies (Firefox closes the port without an error)', async () => {
  sentinelHome = tempHome();
  session = await launchFirefox({ beforeLaunch: (home) => installForFirefox(sentinelHome!, home) });
  const page = await openPopup(session.browser);
  await hostStatus(page, 'ok');
  const first = (await status()).service.pid;
  process.kill(first, 'SIGKILL');
  // The bridge exits with its service; the background retries after ~1 s (backoff) and the new
  // bridge starts a new service.
  let second = first;
  for (let i = 0; i < 100 && second === first; i++) {
    const r = await runCli(['status', '--json'], hostEnv(sentinelHome));
    if (r.code === 0) second = (JSON.parse(r.stdout) as { service: { pid: number } }).service.pid;
    else await new Promise((res) => setTimeout(res, 200));
  }
  expect(second).not.toBe(first);
  expect(isAlive(second)).toBe(true);
  await hostStatus(page, 'ok');
});

it('the open native port keeps the event page past its idle timeout: no reconnect, no new hello', async () => {
  sentinelHome = tempHome();
  session = await launchFirefox({
    // Firefox stops an idle event page after this (default 30 s; ext-backgroundPage.js) unless,
    // among others, it holds an open native port.
    prefs: { 'extensions.background.idle.timeout': 1000 },
    beforeLaunch: (home) => installForFirefox(sentinelHome!, home),
  });
  const popup = await openPopup(session.browser);
  await hostStatus(popup, 'ok');
  await popup.close();
  const hello = async (): Promise<string | undefined> => {
    const r = await runCli(['status', '--json'], hostEnv(sentinelHome!));
    const s = JSON.parse(r.stdout) as { extensions?: { origin: string; lastHelloAt: string }[] };
    return s.extensions?.find((e) => e.origin === FIREFOX_ADDON_ID)?.lastHelloAt;
  };
  const first = await hello();
  expect(first).toBeDefined();
  const pid = (await status()).service.pid;
  // Nothing of the extension is open now but its background and its port.
  await new Promise((r) => setTimeout(r, 4000));
  const again = await openPopup(session.browser);
  expect(await hostStatus(again, 'ok')).toContain('Connected to the Sentinel host');
  // A stopped and restarted background would have connected again and said hello again.
  expect(await hello()).toBe(first);
  expect((await status()).service.pid).toBe(pid);
});

it('with no host installed, says so and shows the install command', async () => {
  session = await launchFirefox();
  const page = await openPopup(session.browser);
  const text = await hostStatus(page, 'problem');
  expect(text).toContain('Firefox cannot start the Sentinel host');
  expect(text).toContain('the host is not installed');
  expect(text).toContain(`id ${FIREFOX_ADDON_ID}`);
  expect(text).toContain('No such native application com.sentinel.companion');
  expect(await page.$eval('[data-testid="fix-command"]', (e) => e.textContent)).toBe(
    'npm run setup',
  );
  await screenshot(page, 'firefox-popup-host-missing');
});

it('with a manifest for another add-on id, names this add-on and the fix; doctor says which', async () => {
  sentinelHome = tempHome();
  session = await launchFirefox({
    beforeLaunch: (home) =>
      installForFirefox(sentinelHome!, home, ['--extension-id', 'another-addon@example.org']),
  });
  const page = await openPopup(session.browser);
  const text = await hostStatus(page, 'problem');
  expect(text).toContain('Firefox cannot start the Sentinel host');
  expect(text).toContain('its manifest allows another add-on');
  expect(text).toContain(`id ${FIREFOX_ADDON_ID}`);
  expect(await page.$eval('[data-testid="fix-command"]', (e) => e.textContent)).toBe(
    'npm run setup',
  );
  await screenshot(page, 'firefox-popup-host-forbidden');
  expect(await doctor(session.home)).toContain(
    `[FAIL] Firefox: add-on allowed: allowed_extensions lacks ${FIREFOX_ADDON_ID}`,
  );
});
