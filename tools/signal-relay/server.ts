/**
 * The reference signal relay: strategy providers POST signals, subscribed hosts receive them over
 * a WebSocket (docs/protocol.md, "Signal relay → host"). It never sees exchange credentials; at most it holds a
 * provider's signing key, to sign bare signals on the provider's behalf.
 *
 *   POST /signals   Authorization: Bearer <provider token>, Content-Type: application/json
 *                   body: a signed frame {type:'signal', kid, sig, signal} (verified with the
 *                   provider's public key) or a bare signal (signed with the provider's private
 *                   key, when the relay holds it) → 200 {id, delivered}
 *                   400 {error, reason} invalid/unverifiable · 401 unknown token · 405 method ·
 *                   409 duplicate id · 413 over 64 KiB · 415 not application/json
 *   GET  /feed      WebSocket upgrade, Authorization: Bearer <subscriber token> (401 otherwise):
 *                   hello, then the buffered signals still fresh (issue order), then live ones.
 *                   Accepts acks only (≤ 4 KiB text); anything else closes the socket.
 *   GET  /health    200 {ok: true, relay}
 *
 * Tokens are compared in constant time (hashed, then timingSafeEqual) and never logged.
 *
 * This module wires the pieces together into the Relay handle: relay-api.ts (public shapes),
 * relay-config.ts (option checks), relay-tokens.ts, relay-state.ts, relay-publish.ts,
 * relay-http.ts (POST /signals) and relay-feed.ts (GET /feed).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SignalFrame } from '../../src/signals/types.js';
import type { RecordedAck, Relay, RelayConnection, RelayOptions } from './relay-api.js';
import { resolveRelayConfig } from './relay-config.js';
import { attachFeed } from './relay-feed.js';
import { createRequestHandler } from './relay-http.js';
import { publish } from './relay-publish.js';
import { prune, type RelayState } from './relay-state.js';
import { findByToken } from './relay-tokens.js';

export { RelayConfigError, RelayPublishError } from './relay-api.js';
export type {
  PublishResult,
  RecordedAck,
  Relay,
  RelayConnection,
  RelayOptions,
  RelayProviderConfig,
  RelaySubscriberConfig,
} from './relay-api.js';

export async function startRelay(options: RelayOptions): Promise<Relay> {
  const state: RelayState = { ...resolveRelayConfig(options), clients: new Set() };
  const { clients, host, log, providers, subscribers } = state;
  const server = createServer(createRequestHandler(state));
  const { wss, pinger } = attachFeed(server, state);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const url = `http://${hostPart}:${port}`;
  const wsUrl = `ws://${hostPart}:${port}/feed`;
  log(
    `relay: listening on ${url} (${providers.length} providers, ${subscribers.length} subscribers)`,
  );

  let closing: Promise<void> | null = null;
  return {
    url,
    wsUrl,
    port,
    publish: (frameOrSignal: unknown, kid?: string) => {
      try {
        return Promise.resolve(publish(state, frameOrSignal, kid));
      } catch (e) {
        return Promise.reject(e as Error);
      }
    },
    acks(subscriberToken?: string): RecordedAck[] {
      if (subscriberToken === undefined)
        return subscribers.flatMap((s) => s.acks).sort((a, b) => a.at - b.at);
      const s = findByToken(subscribers, subscriberToken);
      return s ? [...s.acks] : [];
    },
    connections(): RelayConnection[] {
      return [...clients].map((c) => ({
        subscriber: c.subscriber.name,
        providerKid: c.subscriber.providerKid,
        connectedAt: c.connectedAt,
        remoteAddress: c.remoteAddress,
      }));
    },
    buffered(kid: string): SignalFrame[] {
      const provider = providers.find((p) => p.kid === kid);
      if (!provider) return [];
      prune(state, provider);
      return [...provider.buffer]
        .sort((a, b) => a.frame.signal.issuedAt - b.frame.signal.issuedAt)
        .map((b) => b.frame);
    },
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(pinger);
        for (const client of clients) client.ws.terminate();
        clients.clear();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
        log('relay: closed');
      });
      return closing;
    },
  };
}
