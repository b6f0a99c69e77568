/**
 * Helpers for tests of the signal relay and of signals: a valid fresh signal, a WebSocket feed
 * client that queues what it receives, an upgrade-refusal probe, and a JSON POST.
 */
import { WebSocket } from 'ws';
import type { Signal } from '../../src/signals/signal.js';

export const PROVIDER_TOKEN = 'provider-token-0123456789abcdef';
export const SUBSCRIBER_TOKEN = 'subscriber-token-0123456789abcdef';

let counter = 0;

/** A valid market signal issued now (ttl 60 s) with a unique id; `extra` overrides fields. */
export function makeSignal(extra: Partial<Signal> | Record<string, unknown> = {}): Signal {
  counter++;
  return {
    v: 1,
    id: `sig_${process.pid}_${Date.now().toString(36)}_${counter}`,
    strategy: 'btc-trend',
    issuedAt: Date.now(),
    ttlMs: 60_000,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    size: { quote: '50' },
    ...extra,
  } as Signal;
}

export interface FeedClient {
  ws: WebSocket;
  /** Every message received so far, parsed. */
  messages: unknown[];
  /** The next message not yet returned by next(); fails after timeoutMs. */
  next(timeoutMs?: number): Promise<unknown>;
  /** Resolves if no further message arrives within ms; fails otherwise. */
  quietFor(ms: number): Promise<void>;
  send(value: unknown): void;
  /** Resolves with the close code and reason once the socket is closed. */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/** Connect to a relay feed with a bearer token; resolves once open. */
export function connectFeed(wsUrl: string, token: string): Promise<FeedClient> {
  const ws = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${token}` } });
  const messages: unknown[] = [];
  let cursor = 0;
  let wake: (() => void) | null = null;
  ws.on('message', (data) => {
    messages.push(JSON.parse(data.toString()) as unknown);
    wake?.();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const client: FeedClient = {
    ws,
    messages,
    closed,
    async next(timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (cursor >= messages.length) {
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`no message within ${timeoutMs} ms (got ${messages.length})`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        wake = null;
      }
      return messages[cursor++];
    },
    async quietFor(ms) {
      const before = messages.length;
      await new Promise((r) => setTimeout(r, ms));
      if (messages.length !== before)
        throw new Error(`unexpected message: ${JSON.stringify(messages[before])}`);
    },
    send(value) {
      ws.send(typeof value === 'string' ? value : JSON.stringify(value));
    },
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.close();
      await closed;
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`upgrade refused with HTTP ${res.statusCode}`)),
    );
  });
}

/** Try to open a feed; resolves with the HTTP status of the refusal (fails if it opens). */
export function upgradeRefusal(wsUrl: string, token: string | null): Promise<number> {
  const headers: Record<string, string> =
    token === null ? {} : { authorization: `Bearer ${token}` };
  const ws = new WebSocket(wsUrl, { headers });
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('error', (e) => reject(e));
  });
}

export interface PostAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** POST to the relay's /signals. `body` is sent as JSON unless it is already a string/Buffer. */
export async function postSignal(
  url: string,
  token: string | null,
  body: unknown,
  opts: { contentType?: string } = {},
): Promise<PostAnswer> {
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? 'application/json',
  };
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  const res = await fetch(`${url}/signals`, {
    method: 'POST',
    headers,
    body:
      typeof body === 'string'
        ? body
        : Buffer.isBuffer(body)
          ? new Uint8Array(body)
          : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed };
}
