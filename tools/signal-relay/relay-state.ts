/**
 * The relay's live state, shared by publishing, the feed and the Relay handle: the checked config
 * (whose providers hold the replay buffers) and the open subscriber connections.
 */
import { WebSocket } from 'ws';
import type { Provider, RelayConfig, Subscriber } from './relay-config.js';

export interface Client {
  ws: WebSocket;
  subscriber: Subscriber;
  connectedAt: number;
  remoteAddress: string;
  alive: boolean;
}

export interface RelayState extends RelayConfig {
  clients: Set<Client>;
}

/** A subscriber that does not read is dropped rather than buffered without bound. */
const MAX_SOCKET_BACKLOG = 4 * 1024 * 1024;

/** Drops buffered signals that expired or outlived replayMs, and the oldest past maxBuffer. */
export function prune(state: RelayState, provider: Provider): void {
  const t = state.now();
  const keep = provider.buffer.filter((b) => b.expiresAt > t && b.receivedAt + state.replayMs > t);
  while (keep.length > state.maxBuffer) keep.shift();
  if (keep.length !== provider.buffer.length) {
    provider.buffer = keep;
    provider.seen = new Set(keep.map((b) => b.frame.signal.id));
  }
}

export function sendTo(state: RelayState, client: Client, text: string): boolean {
  if (client.ws.readyState !== WebSocket.OPEN) return false;
  if (client.ws.bufferedAmount > MAX_SOCKET_BACKLOG) {
    state.log(`relay: ${client.subscriber.name} is not reading; dropping the connection`);
    client.ws.terminate();
    return false;
  }
  client.ws.send(text);
  return true;
}
