/**
 * The whole chain, for real: the built extension in Debian's Chromium → Chrome native messaging
 * → the sentinel-host bridge installed by the project's own installer → the host service.
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
import { launchChromium, openPopup, screenshot, type BrowserSession } from '../helpers/chromium.js';
import { EXTENSION_ID, HOST_NAME } from '../../src/protocol/constants.js';

let session: BrowserSession | undefined;
let sentinelHome: string | undefined;

beforeAll(requireBuiltHost);
afterEach(async () => {
  await session?.close();
  session = undefined;
  if (sentinelHome) await cleanupHome(sentinelHome);
  sentinelHome = undefined;
});

async function install(profile: string, extra: string[] = []): Promise<void> {
  const r = await runCli(
    ['install', '--browser', 'chromium', '--user-data-dir', profile, ...extra],
    hostEnv(sentinelHome!),
  );
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(existsSync(join(profile, 'NativeMessagingHosts', `${HOST_NAME}.json`))).toBe(true);
}

async function hostStatus(page: Page, tone: 'ok' | 'problem'): Promise<string> {
  const el = await page.waitForSelector(`[data-testid="host-status"][data-tone="${tone}"]`, {
    timeout: 20_000,
  });
  return (await el!.evaluate((e) => (e as HTMLElement).innerText)) ?? '';
}

describe('popup ↔ native host in Chromium', () => {
  it('shows "connected" with the service version once the host is installed', async () => {
    sentinelHome = tempHome();
    session = await launchChromium();
    await install(session.profile);
    const page = await openPopup(session.browser);
    const text = await hostStatus(page, 'ok');
    expect(text).toContain('Connected to the Sentinel host');
    const version = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
      .version as string;
    expect(await page.$eval('[data-testid="host-version"]', (e) => e.textContent)).toBe(
      `v${version} (protocol 1)`,
    );
    expect(await page.$eval('[data-testid="vault-state"]', (e) => e.textContent)).toBe(
      'not created yet',
    );
    await screenshot(page, 'popup-connected');

    // The browser started the bridge, and the bridge started the service in our SENTINEL_HOME.
    const status = await runCli(['status', '--json'], hostEnv(sentinelHome));
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).version).toBe(version);
  });

  it('reconnects by itself after the service dies', async () => {
    sentinelHome = tempHome();
    session = await launchChromium();
    await install(session.profile);
    const page = await openPopup(session.browser);
    await hostStatus(page, 'ok');
    const first = JSON.parse((await runCli(['status', '--json'], hostEnv(sentinelHome))).stdout)
      .service.pid as number;
    process.kill(first, 'SIGKILL');
    // The bridge exits with its service, the browser reports it, the worker retries with backoff,
    // and the new bridge starts a new service.
    await page.waitForFunction(
      (pid) => {
        const t = document.querySelector('[data-testid="host-status"]');
        return (
          t?.getAttribute('data-tone') === 'ok' && !document.body.innerText.includes(`pid ${pid}`)
        );
      },
      { timeout: 30_000 },
      first,
    );
    let second = first;
    for (let i = 0; i < 50 && second === first; i++) {
      const r = await runCli(['status', '--json'], hostEnv(sentinelHome));
      if (r.code === 0) second = JSON.parse(r.stdout).service.pid as number;
      else await new Promise((res) => setTimeout(res, 200));
    }
    expect(second).not.toBe(first);
    expect(isAlive(second)).toBe(true);
  });

  it('with no host installed, shows the install command instead of a blank', async () => {
    session = await launchChromium();
    const page = await openPopup(session.browser);
    const text = await hostStatus(page, 'problem');
    expect(text).toContain('The Sentinel host is not installed');
    expect(await page.$eval('[data-testid="fix-command"]', (e) => e.textContent)).toBe(
      'npm run setup',
    );
    await screenshot(page, 'popup-host-missing');
  });

  it('with a manifest for another extension id, says the browser refused and why', async () => {
    sentinelHome = tempHome();
    session = await launchChromium();
    await install(session.profile, ['--extension-id', 'abcdefghijklmnopabcdefghijklmnop']);
    const page = await openPopup(session.browser);
    const text = await hostStatus(page, 'problem');
    expect(text).toContain('The browser refused to start the Sentinel host');
    expect(text).toContain('forbidden');
    expect(text).toContain(EXTENSION_ID);
    expect(await page.$eval('[data-testid="fix-command"]', (e) => e.textContent)).toBe(
      'npm run setup',
    );
    await screenshot(page, 'popup-host-forbidden');
  });
});
