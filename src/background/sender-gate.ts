/**
 * Who sent a runtime message, and what each kind of sender may ask. Pure: the background passes
 * the sender's URL and its own base URL.
 */
import type { ExchangeId } from '../exchanges/types.js';
import { CONTENT_REQUESTS, type ContentRequest } from '../protocol/extension-messages.js';

const EXCHANGE_OF_HOST: ReadonlyMap<string, ExchangeId> = new Map([
  ['www.binance.com', 'binance'],
  ['www.bybit.com', 'bybit'],
  ['www.okx.com', 'okx'],
]);

/** The hosts whose API pages get the panel: only their content scripts are answered at all. */
export const EXCHANGE_HOSTS: ReadonlySet<string> = new Set(EXCHANGE_OF_HOST.keys());

/** The same rule as the host's (src/protocol/params.ts): what a connection id may look like. */
const CONNECTION_ID = /^c_[A-Za-z0-9]{1,40}$/;

/**
 * Which exchange a content script's page belongs to, from the URL the browser reports for the
 * sender (not from anything the message says).
 */
export function exchangeOfSender(url: string | undefined): ExchangeId | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' ? (EXCHANGE_OF_HOST.get(u.hostname) ?? null) : null;
  } catch {
    return null;
  }
}

export type SenderKind = 'extension-page' | 'exchange-content-script' | 'other';

export function senderKind(
  sender: { id?: string; url?: string; tab?: unknown },
  extensionId: string,
  extensionBase: string,
): SenderKind {
  if (sender.id !== extensionId || !sender.url) return 'other';
  if (sender.url.startsWith(extensionBase)) return 'extension-page';
  let url: URL;
  try {
    url = new URL(sender.url);
  } catch {
    return 'other';
  }
  // Our content scripts run only in tabs, on https pages of the three exchanges.
  if (sender.tab && url.protocol === 'https:' && EXCHANGE_HOSTS.has(url.hostname))
    return 'exchange-content-script';
  return 'other';
}

/** A content script's message, if it is one of the allowed requests (anything else: null). */
export function parseContentRequest(message: unknown): ContentRequest | null {
  if (typeof message !== 'object' || message === null) return null;
  const m = message as Record<string, unknown>;
  if (!CONTENT_REQUESTS.includes(m.type as ContentRequest['type'])) return null;
  if (m.type === 'content.publicIp') return { type: 'content.publicIp', fresh: m.fresh === true };
  if (m.type === 'content.setupTicket') {
    // A malformed id is refused, not dropped: silently adding a key instead would be a surprise.
    if (m.rotate === null || m.rotate === undefined)
      return { type: 'content.setupTicket', rotate: null };
    return typeof m.rotate === 'string' && CONNECTION_ID.test(m.rotate)
      ? { type: 'content.setupTicket', rotate: m.rotate }
      : null;
  }
  return { type: 'content.status' };
}
