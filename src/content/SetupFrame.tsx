/**
 * The credential form: an extension page in an iframe. It is cross-origin to the exchange's page,
 * so the page's scripts cannot read what is typed into it; and, inside a closed shadow root, it is
 * not even among the page's `window.frames` (no handle to navigate or message it). It has no
 * name (nothing can target it) and it talks to the background itself.
 */
import browser from 'webextension-polyfill';
import type { ExchangeId } from '../exchanges/index.js';
import { setupFrameUrl } from './guide-model.js';

export function SetupFrame({ exchange, rotate }: { exchange: ExchangeId; rotate: string | null }) {
  return (
    <iframe
      class="setup-frame"
      title="Sentinel Companion: connect your API key"
      src={setupFrameUrl(browser.runtime.getURL(''), exchange, rotate)}
      data-testid="setup-frame"
    />
  );
}
