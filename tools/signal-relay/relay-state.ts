/**
 * The relay's live state, shared by publishing, the feed and the Relay handle: the checked config,
 * the backend (embedded or NATS) and the open subscriber connections.
 */
import { WebSocket } from 'ws';
import type { KeyObject } from 'node:crypto';
import { importPublicKey } from '../../src/node/signal-envelope.js';
import type { FeedSession, RelayBackend, StoredProvider } from './relay-backend.js';
import type { Provider, RelayConfig, Subscriber } from './relay-config.js';
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
  if (!stored || !(await providerByKid(state, stored.providerKid))) return null;
  return { name: stored.name, tokenHash: hash, providerKid: stored.providerKid, source: 'store' };
}

const keys = new Map<string, KeyObject>();

function fromStore(stored: StoredProvider): Provider | null {
  let publicKey = keys.get(stored.publicKey);
  if (!publicKey) {
    try {
      publicKey = importPublicKey(stored.publicKey);
    } catch {
      return null;
    }
    keys.set(stored.publicKey, publicKey);
  }
  return { kid: stored.kid, tokenHash: Buffer.from(stored.tokenHash, 'hex'), publicKey };
}

/** The provider a token names: one from the config, else one added at run time. */
export async function providerForToken(
  state: RelayState,
  token: string | null,
): Promise<Provider | null> {
  if (token === null) return null;
  const listed = findByToken(state.providers, token);
  if (listed) return listed;
  if (findByToken(state.subscribers, token)) return null;
  const stored = await state.backend.providers.byToken(hashToken(token).toString('hex'));
  return stored ? fromStore(stored) : null;
}

/** The provider with this kid: from the config, else one added at run time. */
export async function providerByKid(state: RelayState, kid: string): Promise<Provider | null> {
  const listed = state.providers.find((p) => p.kid === kid);
  if (listed) return listed;
  const stored = await state.backend.providers.byKid(kid);
  return stored ? fromStore(stored) : null;
}
