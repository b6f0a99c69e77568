/**
 * The form page's entry: nothing is rendered until the page knows it is the panel's own frame
 * (src/setup/ticket.ts). Framed by anything else it stays an empty page: nothing to see, nothing
 * to click, so nothing to overlay or to learn about the user's connections.
 */
import { render } from 'preact';
import { browser } from '../ui/extension-api.js';
import type { SetupClaim } from '../protocol/extension-messages.js';
import { SetupApp } from './SetupApp.js';
import { grantOf, setupStart } from './ticket.js';

async function start(root: HTMLElement): Promise<void> {
  const how = setupStart(location.hash, {
    isTop: window.top === window,
    parentIsTop: window.parent === window.top,
  });
  if (how.kind === 'standalone') {
    render(
      <p class="note" data-testid="setup-standalone">
        This form opens inside the Sentinel guide: go to your exchange's API-key page (Binance,
        Bybit or OKX) and choose “Connect key” in the Sentinel panel.
      </p>,
      root,
    );
    return;
  }
  if (how.kind === 'blank') return;
  const claim: SetupClaim = { type: 'setup.claim', nonce: how.nonce };
  const reply: unknown = await browser.runtime.sendMessage(claim).catch(() => null);
  const mode = grantOf(reply);
  if (mode) render(<SetupApp exchange={mode.exchange} rotate={mode.rotate} />, root);
}

const root = document.getElementById('app');
if (root) void start(root);
