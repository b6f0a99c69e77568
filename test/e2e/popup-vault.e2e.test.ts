/** Creating, locking and unlocking the vault from the popup, through the real host. */
import type { Page } from 'puppeteer';
import { cleanupHome, hostEnv, requireBuiltHost, runCli, tempHome } from '../helpers/host.js';
import { launchChromium, openPopup, screenshot, type BrowserSession } from '../helpers/chromium.js';
import { EXTENSION_ID } from '../../src/protocol/constants.js';

const PASS = 'popup vault passphrase 42';
let session: BrowserSession | undefined;
let sentinelHome: string;

beforeAll(requireBuiltHost);
afterEach(async () => {
  await session?.close();
  session = undefined;
  await cleanupHome(sentinelHome);
});

async function vaultIs(page: Page, state: string): Promise<void> {
  await page.waitForSelector(`[data-testid="vault-panel"][data-vault="${state}"]`, {
    timeout: 20_000,
  });
}

async function cliVault(): Promise<string> {
  const r = await runCli(['status', '--json'], hostEnv(sentinelHome));
  return (JSON.parse(r.stdout) as { vault: string }).vault;
}

it('create with the passphrase twice, lock, refuse a wrong one, unlock; nothing kept in the extension', async () => {
  sentinelHome = tempHome();
  session = await launchChromium();
  const install = await runCli(
    ['install', '--browser', 'chromium', '--user-data-dir', session.profile],
    hostEnv(sentinelHome),
  );
  expect(install.code, install.stderr).toBe(0);
  const page = await openPopup(session.browser);
  await vaultIs(page, 'absent');
  // The create form is loaded on demand (src/ui/VaultCreateForm.tsx).
  await page.waitForSelector('input[name="new-passphrase"]');

  await page.type('input[name="new-passphrase"]', 'short');
  expect(await page.$eval('[data-testid="strength"]', (e) => e.textContent)).toMatch(
    /^Strength: too short/,
  );
  expect(await page.$eval('button[type="submit"]', (b) => (b as HTMLButtonElement).disabled)).toBe(
    true,
  );
  await page.$eval('input[name="new-passphrase"]', (e) => ((e as HTMLInputElement).value = ''));
  await page.click('input[name="new-passphrase"]', { count: 3 });
  await page.keyboard.press('Backspace');
  await page.type('input[name="new-passphrase"]', PASS);
  await page.type('input[name="repeat-passphrase"]', PASS);
  expect(await page.$eval('[data-testid="strength"]', (e) => e.textContent)).toMatch(
    /^Strength: (good|strong)\./,
  );
  await screenshot(page, 'popup-vault-create');
  await page.click('button[type="submit"]');
  await vaultIs(page, 'unlocked');
  expect(await cliVault()).toBe('unlocked');

  await page.click('[data-testid="vault-panel"] button');
  await vaultIs(page, 'locked');
  expect(await cliVault()).toBe('locked');

  await page.type('input[name="passphrase"]', 'not the passphrase');
  await page.click('button[type="submit"]');
  const error = await page.waitForSelector('[data-testid="vault-error"]', { timeout: 20_000 });
  expect(await error!.evaluate((e) => e.textContent)).toContain('wrong passphrase');
  expect(await page.$eval('input[name="passphrase"]', (e) => (e as HTMLInputElement).value)).toBe(
    '',
  );

  await page.type('input[name="passphrase"]', PASS);
  await page.click('button[type="submit"]');
  await vaultIs(page, 'unlocked');
  await screenshot(page, 'popup-vault-unlocked');

  // A change made elsewhere (the CLI) shows up in the open popup.
  expect((await runCli(['vault', 'lock'], hostEnv(sentinelHome))).code).toBe(0);
  await vaultIs(page, 'locked');

  // The extension kept nothing: its storage is empty and the DOM holds no passphrase.
  const worker = await (
    await session.browser.waitForTarget(
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
    return JSON.stringify([await c.storage.local.get(null), await c.storage.session.get(null)]);
  });
  expect(stored).toBe('[{},{}]');
  expect(await page.content()).not.toContain(PASS);
});
