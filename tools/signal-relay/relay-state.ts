/**
 * The relay's live state, shared by publishing, the feed and the Relay handle: the checked config,
 * the backend (embedded or NATS) and the open subscriber connections.
 */
import { WebSocket } from 'ws';
import type { FeedSession, RelayBackend } from './relay-backend.js';
import type { RelayConfig, Subscriber } from './relay-config.js';
import { findByToken, hashToken } from './relay-tokens.js';

export interface Client {
  ws: WebSocket;
  subscriber: Subscriber;
  session: FeedSession | null;
  connectedAt: number;
  remoteAddress: string;
  alive: boolean;
}

export interface RelayState extends RelayConfig {
  clients: Set<Client>;
  backend: RelayBackend;
}

/** A subscriber that does not read is dropped rather than buffered without bound. */
const MAX_SOCKET_BACKLOG = 4 * 1024 * 1024;

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

/** The subscriber a token names: one from the config, else one added at run time. */
export async function subscriberFor(
  state: RelayState,
  token: string | null,
): Promise<Subscriber | null> {
  if (token === null) return null;
  const listed = findByToken(state.subscribers, token);
  if (listed) return listed;
  const hash = hashToken(token);
  if (findByToken(state.providers, token)) return null;
  const stored = await state.backend.subscribers.find(hash.toString('hex'));
  if (!stored || !state.providers.some((p) => p.kid === stored.providerKid)) return null;
  return { name: stored.name, tokenHash: hash, providerKid: stored.providerKid, source: 'store' };
}
