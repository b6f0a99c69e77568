/**
 * A signal feed in words: a readable name (the strategies it routes, and the relay's host unless
 * it runs on this computer) instead of ws://127.0.0.1:PORT, and its state. Pure.
 */
import type { FeedState, Subscription } from '../protocol/trading.js';

export const FEED_STATE_LABEL: Record<FeedState, string> = {
  connected: 'connected',
  connecting: 'connecting…',
  disconnected: 'disconnected',
  stopped: 'stopped (vault locked)',
};

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** "relay.example.com", or "local relay" for a relay on this computer; the URL when unreadable. */
export function relayPlace(url: string): string {
  try {
    const host = new URL(url).hostname;
    return LOOPBACK.test(host) ? 'local relay' : host;
  } catch {
    return url;
  }
}

/** "btc-trend, eth-trend +2 · relay.example.com": what the feed trades, then where it comes from. */
export function feedName(sub: Pick<Subscription, 'url' | 'routes'>, maxStrategies = 2): string {
  const strategies = [...new Set(sub.routes.map((r) => r.strategy))];
  const shown = strategies.slice(0, maxStrategies).join(', ');
  const more = strategies.length > maxStrategies ? ` +${strategies.length - maxStrategies}` : '';
  const place = relayPlace(sub.url);
  return strategies.length === 0 ? place : `${shown}${more} · ${place}`;
}
