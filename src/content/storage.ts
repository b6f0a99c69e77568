/**
 * The panel's own UI state in chrome.storage.local: collapsed or not, and which guide steps the
 * user ticked per exchange. Never a secret, a key, a label or an IP.
 */
import { browser } from '../ui/extension-api.js';
import type { ExchangeId, GuideStep } from '../exchanges/index.js';
import { STORAGE_KEYS, sanitizeTicks } from './guide-model.js';

export async function loadUiState(
  exchange: ExchangeId,
  steps: readonly GuideStep[],
): Promise<{ collapsed: boolean; ticks: string[] }> {
  try {
    const got = await browser.storage.local.get([
      STORAGE_KEYS.collapsed,
      STORAGE_KEYS.ticks(exchange),
    ]);
    return {
      collapsed: got[STORAGE_KEYS.collapsed] === true,
      ticks: sanitizeTicks(got[STORAGE_KEYS.ticks(exchange)], steps),
    };
  } catch {
    return { collapsed: false, ticks: [] };
  }
}

export function saveCollapsed(collapsed: boolean): void {
  void browser.storage.local.set({ [STORAGE_KEYS.collapsed]: collapsed }).catch(() => undefined);
}

export function saveTicks(exchange: ExchangeId, ticks: readonly string[]): void {
  void browser.storage.local
    .set({ [STORAGE_KEYS.ticks(exchange)]: [...ticks] })
    .catch(() => undefined);
}
