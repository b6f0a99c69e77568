/**
 * The exchanges' sites by id: names, API pages and which URL is whose. Pages that only name an
 * exchange or link to its API page (popup, background) import this, not profiles.ts, whose guide
 * text, key-info parsers and error tables they never run.
 */
import { binanceSite } from './binance/site.js';
import { bybitSite } from './bybit/site.js';
import { okxSite } from './okx/site.js';
import type { ExchangeSite } from './profile.js';
import { EXCHANGE_IDS, type ExchangeId } from './types.js';

export const SITES: Record<ExchangeId, ExchangeSite> = {
  binance: binanceSite,
  bybit: bybitSite,
  okx: okxSite,
};

/** Which exchange's API-key page this URL is, if any (the content script decides with this). */
export function exchangeForUrl(url: string): ExchangeId | null {
  return EXCHANGE_IDS.find((id) => SITES[id].isApiPage(url)) ?? null;
}

/** The site of an exchange id read from elsewhere (a host message); undefined when there is none. */
export function siteNamed(id: string): ExchangeSite | undefined {
  return (EXCHANGE_IDS as readonly string[]).includes(id) ? SITES[id as ExchangeId] : undefined;
}
