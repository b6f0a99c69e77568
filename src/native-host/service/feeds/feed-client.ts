/**
 * One outbound WebSocket to a signal relay per subscription: Authorization: Bearer <token>,
 * heartbeats (ping every 15 s, a missed pong ends the socket), reconnects with backoff and jitter.
 * Frames go to `onFrame`; acks go back on the same socket. Nothing but acks is ever sent.
 */
import type WebSocket from 'ws';

import type { FeedState, FeedStatus } from '../../../protocol/trading.js';

/** The state `feed.status` announces (src/protocol/trading.ts). */
export type { FeedState, FeedStatus };

export interface FeedClientOptions {
  subscriptionId: string;
  url: string;
  token: string;
  onFrame(frame: unknown, ack: (ack: object) => void): void;
  onStatus(status: FeedStatus): void;
  pingMs?: number;
  maxFrameBytes?: number;
}

export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.5 + random())); // full jitter around the base: relays are not stampeded
}

// ws (and its native bufferutil) is loaded with the first feed: a service without subscriptions
// never needs it (≈4 MiB of resident memory, docs/benchmarks.md row 4).
let wsLoad: Promise<typeof WebSocket> | null = null;
const loadWebSocket = (): Promise<typeof WebSocket> =>
  (wsLoad ??= import('ws').then((m) => m.default));

export class FeedClient {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  private pinger: NodeJS.Timeout | null = null;
  private connects = 0;

  constructor(private readonly o: FeedClientOptions) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.pinger) clearInterval(this.pinger);
    this.socket?.terminate();
    this.socket = null;
    this.status('stopped');
  }

  private status(state: FeedState, extra: Partial<FeedStatus> = {}): void {
    this.o.onStatus({
      subscriptionId: this.o.subscriptionId,
      state,
      since: new Date().toISOString(),
      ...extra,
    });
  }

  private connect(): void {
    if (this.stopped) return;
    this.status('connecting');
    const attempt = ++this.connects; // a stop + start while ws loads leaves one socket, not two
    loadWebSocket().then(
      (WebSocketClass) => {
        if (!this.stopped && attempt === this.connects) this.open(WebSocketClass);
      },
      (err: unknown) => {
        wsLoad = null;
        if (this.stopped || attempt !== this.connects) return;
        this.retryLater(`the WebSocket client could not be loaded (${String(err)})`);
      },
    );
  }

  private retryLater(problem: string | undefined): void {
    const delay = reconnectDelayMs(this.attempt++);
    this.status('disconnected', { ...(problem ? { problem } : {}), retryInMs: delay });
    this.retry = setTimeout(() => this.connect(), delay);
  }

  private open(WebSocketClass: typeof WebSocket): void {
    const ws = new WebSocketClass(this.o.url, {
      headers: { Authorization: `Bearer ${this.o.token}` },
      maxPayload: this.o.maxFrameBytes ?? 256 * 1024,
      handshakeTimeout: 10_000,
      // No compression offered (ws offers permessage-deflate by default): a frame is ~300 bytes,
      // and with a relay that accepts it every frame and ack goes through zlib — measured on
      // loopback, ≈0.2 ms more from frame to handler and several times the CPU per round trip.
      perMessageDeflate: false,
    });
    this.socket = ws;
    let alive = true;
    let problem: string | undefined;
    ws.on('open', () => {
      this.attempt = 0;
      this.status('connected');
      this.pinger = setInterval(() => {
        if (!alive) {
          problem = 'the relay stopped answering heartbeats';
          ws.terminate();
          return;
        }
        alive = false;
        ws.ping();
      }, this.o.pingMs ?? 15_000);
    });
    ws.on('pong', () => (alive = true));
    ws.on('unexpected-response', (_req, res) => {
      problem =
        res.statusCode === 401 || res.statusCode === 403
          ? 'the relay refused the subscription token'
          : `the relay answered HTTP ${res.statusCode}`;
      ws.terminate();
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return; // not JSON: ignored (the relay is not trusted with anything that matters)
      }
      this.o.onFrame(frame, (ack) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(ack));
      });
    });
    ws.on(
      'error',
      (err) =>
        (problem ??= `connection error: ${(err as NodeJS.ErrnoException).code ?? err.message}`),
    );
    ws.on('close', () => {
      if (this.pinger) clearInterval(this.pinger);
      this.pinger = null;
      if (this.socket === ws) this.socket = null;
      if (this.stopped) return;
      this.retryLater(problem);
    });
  }
}
