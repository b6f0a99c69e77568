/**
 * Content script for the three exchange sites. The sites are single-page apps (FACTS.md): a user
 * reaches the API-management page by in-app navigation, so the manifest matches each whole site
 * and this script mounts the guide only while profile.isApiPage(location.href) holds, and removes
 * it (panel, marks, page watcher) when the user navigates elsewhere. On other pages it only
 * watches the URL (url-watch.ts). It reads the page, never clicks or types into it.
 */
import { PROFILES, exchangeForUrl, type ExchangeId } from '../exchanges/index.js';
import { dangerousLabels } from './hint-match.js';
import { scanDocument } from './hint-dom.js';
import { HintsStore } from './hints-store.js';
import { MarkLayer } from './marks.js';
import { mountPanel } from './mount.js';
import { rotateIdFromHash } from './guide-model.js';
import { loadUiState } from './storage.js';
import { watchUrl } from './url-watch.js';
import { watchPage } from './watcher.js';

/** Everything the guide runs on an API page; stop() takes all of it off the page. */
interface Guide {
  exchange: ExchangeId;
  stop(): void;
}

async function startGuide(exchange: ExchangeId, stillWanted: () => boolean): Promise<Guide | null> {
  const profile = PROFILES[exchange];
  const ui = await loadUiState(exchange, profile.guideSteps);
  // The user may have navigated away while the stored state was read.
  if (!stillWanted()) return null;
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
  const stopWatching = watchPage(document, () => {
    const here = exchangeForUrl(location.href) === exchange;
    panel.setVisible(here);
    const found = here ? scanDocument(document, index) : [];
    hints.set(found);
    marks.update(found, here);
  });
  return {
    exchange,
    stop() {
      stopWatching();
      marks.destroy();
      panel.unmount();
    },
  };
}

function start(): void {
  // One guide per document, even if the script is injected twice (this flag lives in the content
  // script's isolated world: the page can neither see nor set it).
  const flags = globalThis as { sentinelGuideStarted?: boolean };
  if (flags.sentinelGuideStarted) return;
  flags.sentinelGuideStarted = true;

  let guide: Guide | null = null;
  /** Which exchange's guide is wanted for the current URL (null: none). */
  let wanted: ExchangeId | null = null;
  let starting = false;

  const sync = (): void => {
    wanted = exchangeForUrl(location.href);
    if (guide && guide.exchange !== wanted) {
      guide.stop();
      guide = null;
    }
    if (!wanted || guide || starting) return;
    const exchange = wanted;
    starting = true;
    void startGuide(exchange, () => wanted === exchange)
      .then((g) => {
        guide = g;
        if (g && wanted !== exchange) {
          g.stop();
          guide = null;
        }
      })
      .finally(() => {
        starting = false;
        // The URL may have changed meanwhile (another exchange's page cannot happen on one site,
        // but away-and-back can): settle on the current one. No retry loop on a failed start.
        if (wanted !== exchange) sync();
      });
  };
  watchUrl(window, sync);
  sync();
}

start();
