/**
 * The content script of one exchange site (binance.ts, bybit.ts, okx.ts: each site loads its own
 * exchange's guide only). The sites are single-page apps (FACTS.md): a user reaches the
 * API-management page by in-app navigation, so the manifest matches each whole site and this
 * script mounts the guide only while guide.isApiPage(location.href) holds, and removes it (panel,
 * marks, page watcher) when the user navigates elsewhere. On other pages it only watches the URL
 * (url-watch.ts). It reads the page, never clicks or types into it.
 */
import type { ExchangeGuide } from '../exchanges/index.js';
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
  stop(): void;
}

async function startGuide(
  profile: ExchangeGuide,
  stillWanted: () => boolean,
): Promise<Guide | null> {
  const ui = await loadUiState(profile.id, profile.guideSteps);
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
    const here = profile.isApiPage(location.href);
    panel.setVisible(here);
    const found = here ? scanDocument(document, index) : [];
    hints.set(found);
    marks.update(found, here);
  });
  return {
    stop() {
      stopWatching();
      marks.destroy();
      panel.unmount();
    },
  };
}

/** Runs the guide of this site's exchange: on its API page, and again whenever the user returns. */
export function runGuide(profile: ExchangeGuide): void {
  // One guide per document, even if the script is injected twice (this flag lives in the content
  // script's isolated world: the page can neither see nor set it).
  const flags = globalThis as { sentinelGuideStarted?: boolean };
  if (flags.sentinelGuideStarted) return;
  flags.sentinelGuideStarted = true;

  let guide: Guide | null = null;
  /** Whether the current URL is the API page, where the guide is wanted. */
  let wanted = false;
  let starting = false;

  const sync = (): void => {
    wanted = profile.isApiPage(location.href);
    if (guide && !wanted) {
      guide.stop();
      guide = null;
    }
    if (!wanted || guide || starting) return;
    starting = true;
    void startGuide(profile, () => wanted)
      .then((g) => {
        guide = g;
        if (g && !wanted) {
          g.stop();
          guide = null;
        }
      })
      .finally(() => {
        starting = false;
        // The URL may have changed meanwhile (away-and-back): settle on the current one. No
        // retry loop on a failed start.
        if (!wanted) sync();
      });
  };
  watchUrl(window, sync);
  sync();
}
