/**
 * The extension's popup (opened as a page at its own size): the connection with its verdict, going
 * live through "Go live…" and its confirmation, and the feed and orders after the signals.
 */
import type { Page } from 'puppeteer';
import type { Connection } from '../../src/protocol/methods.js';
import { attrIn, countIn, openPopup, screenshot, textIn } from './browser.js';
import type { Demo } from './context.js';
import { quote } from './narrate.js';
import { sleep, until } from './scope.js';
import { errorMessage } from '../../src/lib/error-text.js';

const card = (c: Connection) => `[data-testid="connection"][data-id="${c.id}"]`;

export async function popupConnection(d: Demo, conn: Connection): Promise<Page> {
  const { say } = d;
  const popup = await openPopup(d.session.browser);
  await popup.waitForSelector(card(conn), { timeout: 20_000 });
  const status = (await textIn(popup, '[data-testid="host-status"] h2')) ?? '';
  const verdict = await attrIn(popup, `${card(conn)} [data-testid="verdict"]`, 'data-verdict');
  const mode = await attrIn(popup, card(conn), 'data-mode');
  const modeText = (await textIn(popup, `${card(conn)} [data-testid="mode"]`)) ?? '';
  say.step(
    `The popup: "${quote(status)}"; connection "${conn.label}" with verdict ${verdict}, mode "${quote(modeText)}"`,
  );
  say.expect(verdict === 'ok', 'the popup shows the verdict', `it shows ${verdict}`);
  say.expect(mode === 'dry-run', 'the connection starts in dry-run', `it is ${mode}`);
  say.shot(await screenshot(popup, d.out, '4-popup-connection'), 'the popup with the connection');
  await d.pace();
  return popup;
}

/** "Go live…", then "Yes, go live" in the confirmation; the host's mode is the proof. */
export async function goLive(d: Demo, popup: Page, conn: Connection): Promise<void> {
  const { say, stack } = d;
  let how = 'the popup\'s "Go live…" and its confirmation "Yes, go live"';
  let confirmText = '';
  let shot: string | null = null;
  try {
    await popup.bringToFront();
    await popup.click(`${card(conn)} button ::-p-text(Go live…)`);
    await popup.waitForSelector(`${card(conn)} [data-testid="confirm"]`, { timeout: 10_000 });
    confirmText = (await textIn(popup, `${card(conn)} [data-testid="confirm"] p`)) ?? '';
    shot = await screenshot(popup, d.out, '5-popup-go-live-confirm');
    await popup.click(`${card(conn)} [data-testid="confirm"] button ::-p-text(Yes, go live)`);
    await popup.waitForFunction(
      `document.querySelector(${JSON.stringify(card(conn))})?.getAttribute('data-mode') === 'live'`,
      { timeout: 15_000 },
    );
  } catch (e) {
    // The brief allows it: the same switch through the host's API, said out loud.
    how = `connections.setMode (the popup did not respond: ${quote(errorMessage(e), 100)})`;
    await stack.call('connections.setMode', { id: conn.id, mode: 'live' });
  }
  const now = (await stack.call<Connection[]>('connections.list')).find((c) => c.id === conn.id);
  say.step(`Switched the connection live with ${how}: the host says mode "${now?.mode}"`);
  if (confirmText) say.detail(`the confirmation said: "${quote(confirmText, 200)}"`);
  if (shot) say.shot(shot, 'the go-live confirmation');
  say.expect(now?.mode === 'live', 'the connection is live', `the host says ${now?.mode}`);
  await d.pace();
}

export async function popupAfterSignals(d: Demo, popup: Page): Promise<void> {
  const { say } = d;
  // A fresh load lists what the host has now (an open popup also refreshes on notifications).
  await popup.reload();
  await popup.waitForSelector('[data-testid="connection"]', { timeout: 20_000 });
  const orders = await until(
    async () => {
      const n = await countIn(popup, '[data-testid="order"]');
      return n > 0 ? n : null;
    },
    5_000,
    'order rows in the popup',
  ).catch(() => 0);
  await sleep(300); // let the last section settle before the picture
  const feeds = await countIn(popup, '[data-testid="feed"]');
  const mode = await attrIn(popup, '[data-testid="connection"]', 'data-mode');
  const rows = (await popup.evaluate(
    `[...document.querySelectorAll('[data-testid="order"]')].map((e) => e.innerText)`,
  )) as string[];
  say.step(
    `The popup after the signals: connection ${mode}, ${feeds} signal feed, ${orders} recent order${orders === 1 ? '' : 's'}`,
  );
  for (const r of rows) say.detail(`order: ${quote(r)}`);
  say.expect(mode === 'live', 'the popup shows the connection live', `it shows ${mode}`);
  say.shot(await screenshot(popup, d.out, '6-popup-after-signals'), 'the popup after the signals');
}
