/**
 * Content script for the exchanges' API-management pages (manifest matches = the profiles'
 * apiPages). The profile's isApiPage decides (it is stricter than Chrome's match patterns); on
 * other pages this script changes nothing. It reads the page, never clicks or types into it.
 */
import { PROFILES, exchangeForUrl } from '../exchanges/index.js';
import { dangerousLabels } from './hint-match.js';
import { scanDocument } from './hint-dom.js';
import { HintsStore } from './hints-store.js';
import { MarkLayer } from './marks.js';
import { mountPanel } from './mount.js';
import { rotateIdFromHash } from './guide-model.js';
import { loadUiState } from './storage.js';
import { watchPage } from './watcher.js';

async function start(): Promise<void> {
  // One panel per document, even if the script is injected twice (this flag lives in the content
  // script's isolated world: the page can neither see nor set it).
  const flags = globalThis as { sentinelGuideStarted?: boolean };
  if (flags.sentinelGuideStarted) return;
  flags.sentinelGuideStarted = true;
  const exchange = exchangeForUrl(location.href);
  if (!exchange) return;
  const profile = PROFILES[exchange];
  const ui = await loadUiState(exchange, profile.guideSteps);
  const hints = new HintsStore();
  const panel = mountPanel(document, {
    profile,
    hints,
    initialCollapsed: ui.collapsed,
    initialTicks: ui.ticks,
    rotate: rotateIdFromHash(location.hash),
  });
  const marks = new MarkLayer(document);
  const index = dangerousLabels(profile);
  watchPage(document, () => {
    // Exchanges are single-page apps: leaving the API page hides everything, coming back shows it.
    const here = exchangeForUrl(location.href) === exchange;
    panel.setVisible(here);
    const found = here ? scanDocument(document, index) : [];
    hints.set(found);
    marks.update(found, here);
  });
}

void start();
