/**
 * The guided setup as a user walks it: Binance's API page (a local copy at its real address) with
 * the Sentinel panel, the vault created in the form, a withdraw-enabled key refused, a safe key
 * audited and stored.
 */
import type { Frame, Page } from 'puppeteer';
import { PROFILES } from '../../src/exchanges/index.js';
import { EXTENSION_ID } from '../../src/protocol/constants.js';
import type { Connection, HelloResult } from '../../src/protocol/methods.js';
import type { SimKeyConfig } from '../../tools/simulator/index.js';
import { ClosedShadow } from '../harness/closed-shadow.js';
import { attrIn, screenshot, textIn } from './browser.js';
import type { Demo } from './context.js';
import { quote } from './narrate.js';
import { until } from './scope.js';

export const API_PAGE = 'https://www.binance.com/en/my/settings/api-management';
const SETUP_URL_PREFIX = `chrome-extension://${EXTENSION_ID}/src/setup/index.html`;
/** Only typed into the form; the vault lives in the demo's temp SENTINEL_HOME. */
const VAULT_PASSPHRASE = 'demo vault: correct horse battery staple 42';
const FORM = '[data-testid="credential-form"]';

function binanceKey(d: Demo, tag: string, withdraw: boolean): SimKeyConfig {
  const key: SimKeyConfig = {
    exchange: 'binance',
    apiKey: `DEMOKx7Qm2pLwZ9vR4tY8uN3bV6cX1zA5sD0fG${tag}`,
    secret: `demo-secret-${tag.toLowerCase()}-Zx81kQpL0aMwTqHy5`,
    environment: 'live',
    permissions: { read: true, spot: true, ...(withdraw ? { withdraw: true } : {}) },
    ipList: [d.stack.sim.clientIp],
    createdAt: Date.now() - 2 * 86_400_000,
    balances: { USDT: '10000', BTC: '1' },
  };
  d.stack.sim.addKey(key); // what "Create API" on Binance would have made
  return key;
}

const hint = (apiKey: string): string => `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}`;

/** Types the key into the form, submits, and returns the outcome's kind. */
async function submitKey(frame: Frame, key: SimKeyConfig): Promise<string> {
  await frame.waitForSelector(`${FORM} [data-testid="submit"]:not([disabled])`, {
    timeout: 20_000,
  });
  await frame.click(`${FORM} input[name="apiKey"]`, { count: 3 }); // replaces a kept API key
  await frame.type(`${FORM} input[name="apiKey"]`, key.apiKey);
  await frame.type(`${FORM} input[name="secret"]`, key.secret);
  await frame.click(`${FORM} [data-testid="submit"]`);
  // The form drops the previous outcome while the host audits the key: wait for the new one.
  await frame
    .waitForFunction(`!document.querySelector('[data-testid="outcome"]')`, { timeout: 5_000 })
    .catch(() => undefined);
  await frame.waitForSelector('[data-testid="outcome"]', { timeout: 30_000 });
  return (await attrIn(frame, '[data-testid="outcome"]', 'data-kind')) ?? '';
}

/** The outcome's checks as the form lists them: [id, level, message]. */
function checksIn(frame: Frame): Promise<[string, string, string][]> {
  return frame.evaluate(`[...document.querySelectorAll('[data-testid="outcome"] [data-check]')].map(
    (e) => [e.dataset.check, e.dataset.level, e.querySelector('span:last-child')?.textContent ?? ''])`) as Promise<
    [string, string, string][]
  >;
}

/** What the guided setup leaves: the stored connection and the key the user made on Binance. */
export interface SetupResult {
  conn: Connection;
  key: SimKeyConfig;
}

export async function guidedSetup(d: Demo): Promise<SetupResult> {
  const { say, stack } = d;
  const page: Page = await d.session.browser.newPage();
  await page.setViewport({ width: 1280, height: 960 });
  // This copy starts with "Enable Withdrawals" switched on, as a careless key would have it.
  await page.goto(`${API_PAGE}?withdraw=on`);
  const panel = new ClosedShadow(page, 'sentinel-companion-guide', 20_000);
  await panel.until('the Sentinel panel on the page', () => panel.exists('[data-testid="panel"]'));
  const steps = (await panel.all('[data-step]')).length;
  await panel.until("this machine's IP in the panel", () =>
    panel.exists('[data-testid="ip-copy"]'),
  );
  const ip = String(await panel.prop('[data-testid="ip-copy"] input', 'value'));
  say.step(
    `Binance's API page at ${API_PAGE}: the Sentinel panel shows ${steps} steps and this machine's IP ${ip}`,
  );
  say.expect(
    steps === PROFILES.binance.guideSteps.length,
    'the panel shows the Binance guide',
    `${steps} steps instead of ${PROFILES.binance.guideSteps.length}`,
  );
  say.expect(ip === stack.sim.clientIp, "the panel shows this machine's IP", `it shows ${ip}`);
  await panel.until('the host line', () => panel.exists('[data-testid="host-line"]'));
  say.detail(`panel: "${quote(await panel.text('[data-testid="host-line"]'))}"`);
  const marks = new ClosedShadow(page, 'sentinel-companion-marks', 20_000);
  await marks.until('the mark on the withdraw toggle', () => marks.exists('.mark.danger'));
  say.detail(
    `the page's "Enable Withdrawals" toggle is on: Sentinel marks it "${quote(await marks.text('.tag'))}"`,
  );
  const hints = await panel.text('[data-testid="page-hints"] li');
  say.detail(`the panel's hint: "${quote(hints)}"`);
  say.shot(await screenshot(page, d.out, '1-panel-on-binance'), 'the panel on the page');
  await d.pace();

  // "Connect key": the credential form, an extension iframe inside the panel's closed shadow root.
  await panel.click('[data-testid="tab-connect"]');
  const frame = await page.waitForFrame((f) => f.url().startsWith(SETUP_URL_PREFIX), {
    timeout: 20_000,
  });
  await frame.waitForSelector('[data-testid="vault-panel"][data-vault="absent"]', {
    timeout: 20_000,
  });
  // The create form is loaded on demand (src/ui/VaultCreateForm.tsx): wait for it, not just the panel.
  await frame.waitForSelector('input[name="new-passphrase"]', { timeout: 20_000 });
  await frame.type('input[name="new-passphrase"]', VAULT_PASSPHRASE);
  await frame.type('input[name="repeat-passphrase"]', VAULT_PASSPHRASE);
  await frame.click('[data-testid="vault-panel"] button[type="submit"]');
  await frame.waitForSelector(`${FORM} [data-testid="submit"]:not([disabled])`, {
    timeout: 30_000,
  });
  const hello = await stack.call<HelloResult>('host.hello', { client: 'demo' });
  say.step(
    `"Connect key" tab: no vault yet, so the form creates one with a passphrase; the host says the vault is ${hello.vault}`,
  );
  say.expect(hello.vault === 'unlocked', 'the vault is created', `the host says ${hello.vault}`);
  await d.pace();

  const unsafe = binanceKey(d, 'WDRW', true);
  const kind = await submitKey(frame, unsafe);
  const fixes = (await textIn(frame, '[data-testid="fixes"]')) ?? '';
  const sentences = fixes.replace(/\s+/g, ' ').split(/(?<=\.) (?=[A-Z])/);
  const stored = await stack.call<Connection[]>('connections.list');
  say.step(
    `A key with withdrawals enabled (${hint(unsafe.apiKey)}) pasted into the form: ${kind === 'unsafe' ? 'refused' : kind}: "${sentences[0] ?? ''}" — nothing was stored (connections in the vault: ${stored.length})`,
  );
  const todo = sentences.filter((x) => /^Untick\b/.test(x)).join(' ');
  if (todo) say.detail(`the form says what to do: "${todo}"`);
  say.expect(kind === 'unsafe', 'the withdraw-enabled key is refused', `the form said "${kind}"`);
  say.expect(
    /Withdrawals/.test(fixes),
    'the refusal names the withdraw toggle',
    `it says "${quote(fixes)}"`,
  );
  say.expect(stored.length === 0, 'nothing is stored', `${stored.length} connections exist`);
  say.shot(await screenshot(page, d.out, '2-withdraw-key-refused'), 'the refusal in the form');
  await d.pace();

  // The user switches withdrawals off on the page (the mark goes) and pastes a new, safe key.
  await page.click('[data-testid="withdraw-row"]');
  await until(
    async () => (await page.$('sentinel-companion-marks')) === null,
    10_000,
    'the mark to go once withdrawals are off',
  );
  const safe = binanceKey(d, 'SAFE', false);
  const safeKind = await submitKey(frame, safe);
  const verdict = await attrIn(frame, '[data-testid="outcome"]', 'data-verdict');
  const checks = await checksIn(frame);
  say.step(
    `Withdrawals switched off on the page, a new key (${hint(safe.apiKey)}: Read + Spot trading, IP whitelist ${ip}) pasted: ${safeKind}, audit verdict "${verdict}" with ${checks.length} checks`,
  );
  for (const [id, level, message] of checks)
    say.detail(`${level.toUpperCase().padEnd(5)} ${id}: ${quote(message, 220)}`);
  say.expect(safeKind === 'stored', 'the safe key is stored', `the form said "${safeKind}"`);
  say.expect(verdict === 'ok', 'the audit verdict is ok', `it is "${verdict}"`);
  const list = await stack.call<Connection[]>('connections.list');
  const conn = list[0];
  say.expect(
    list.length === 1 && conn?.lastAudit?.verdict === 'ok',
    'the host holds one audited connection',
    `connections.list: ${JSON.stringify(list.map((c) => c.lastAudit?.verdict))}`,
  );
  say.detail(`the host stored connection ${conn!.id} "${conn!.label}", mode ${conn!.mode}`);
  say.shot(await screenshot(page, d.out, '3-safe-key-verdict'), 'the form with the verdict');
  await d.pace();
  return { conn: conn!, key: safe };
}
