/**
 * Who sent a runtime message, and what each kind of sender may ask. Pure: the background passes
 * the sender's URL and its own base URL.
 */
import { CONTENT_REQUESTS, type ContentRequest } from './page-messages.js';

/** The hosts whose API pages get the panel: only their content scripts are answered at all. */
export const EXCHANGE_HOSTS = new Set(['www.binance.com', 'www.bybit.com', 'www.okx.com']);

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
  return { type: 'content.status' };
}
