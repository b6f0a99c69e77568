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
 *                   hello, then the signals still fresh that this subscriber has not acked
 *                   (issue order), then live ones.
 *                   Accepts acks only (≤ 4 KiB text); anything else closes the socket.
 *   GET  /health    200 {ok: true, relay}
 *   GET  /healthz   200 {ok: true, relay, backend}: the process answers (liveness)
 *   GET  /readyz    200 {ready: true, …} when the backend answers too, else 503 (readiness)
 *
 * Backends (relay-backend.ts): embedded (default; SQLite, durable across restarts when given a
 * dataFile) or NATS JetStream (`nats`): then this process is a stateless gateway, and every
 * gateway with the same `nats` setting is one relay.
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
import { openEmbeddedBackend } from './backend-embedded.js';
import { openNatsBackend } from './backend-nats.js';
import type { RelayBackend } from './relay-backend.js';
import { resolveRelayConfig, type RelayConfig } from './relay-config.js';
import { attachFeed } from './relay-feed.js';
import { createRequestHandler } from './relay-http.js';
import { publish } from './relay-publish.js';
import type { RelayState } from './relay-state.js';
import { hashToken } from './relay-tokens.js';

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

function openBackend(config: RelayConfig): Promise<RelayBackend> {
  const { replayMs, maxBuffer, now, log } = config;
  if (config.nats)
    return openNatsBackend({ ...config.nats, replayMs, maxBuffer, now, log, name: config.name });
  return Promise.resolve(
    openEmbeddedBackend({
      replayMs,
      maxBuffer,
      now,
      ...(config.dataFile !== undefined ? { dataFile: config.dataFile } : {}),
    }),
  );
}

export async function startRelay(options: RelayOptions): Promise<Relay> {
  const config = resolveRelayConfig(options);
  const backend = await openBackend(config);
  const state: RelayState = { ...config, backend, clients: new Set() };
  const { clients, host, log, providers, subscribers } = state;
  const server = createServer(createRequestHandler(state));
  const { wss, pinger } = attachFeed(server, state);

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => {
      void backend.close();
      reject(e);
    });
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
    `relay: listening on ${url} (${providers.length} providers, ${subscribers.length} subscribers in the config, backend ${backend.kind})`,
  );

  let closing: Promise<void> | null = null;
  return {
    url,
    wsUrl,
    port,
    publish: (frameOrSignal: unknown, kid?: string) => publish(state, frameOrSignal, kid),
    acks(subscriberToken?: string): RecordedAck[] {
      return backend.acks(
        subscriberToken === undefined ? undefined : hashToken(subscriberToken).toString('hex'),
      );
    },
    connections(): RelayConnection[] {
      return [...clients].map((c) => ({
        subscriber: c.subscriber.name,
        providerKid: c.subscriber.providerKid,
        connectedAt: c.connectedAt,
        remoteAddress: c.remoteAddress,
      }));
    },
    dropConnections(): number {
      const n = clients.size;
      for (const client of [...clients]) client.ws.terminate();
      return n;
    },
    buffered(kid: string): SignalFrame[] {
      return providers.some((p) => p.kid === kid) ? backend.buffered(kid) : [];
    },
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(pinger);
        for (const client of clients) {
          client.session?.close();
          client.ws.terminate();
        }
        clients.clear();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(async () => {
        await backend.close();
        log('relay: closed');
      });
      return closing;
    },
  };
}
