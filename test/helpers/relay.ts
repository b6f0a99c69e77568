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

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export const NATS_SERVER = '/usr/sbin/nats-server';

export interface NatsServer {
  url: string;
  port: number;
  /** Stop (SIGKILL by default) and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Start again on the same port and store. */
  start(): Promise<void>;
}

/** A real `nats-server -js` on loopback with its store in `dir` (started, ready). */
export async function startNatsServer(dir: string): Promise<NatsServer> {
  const { spawn } = await import('node:child_process');
  const { connect } = await import('node:net');
  const port = await freePort();
  let child: import('node:child_process').ChildProcess | null = null;
  const up = async () => {
    child = spawn(NATS_SERVER, ['-js', '-sd', dir, '-p', String(port), '-a', '127.0.0.1'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const deadline = Date.now() + 15_000;
    while (!log.includes('Server is ready')) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`nats-server did not start: ${log.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise<void>((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve();
      });
      s.once('error', reject);
    });
  };
  await up();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    async stop(signal = 'SIGKILL') {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill(signal);
      await exited;
    },
    start: up,
  };
}

export interface Gateway {
  url: string;
  wsUrl: string;
  pid: number;
  stderr(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `relay serve --config FILE` as its own process (built CLI); resolves once it listens. */
export async function startGateway(config: string): Promise<Gateway> {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const script = fileURLToPath(new URL('../../dist/tools/signal-relay/main.js', import.meta.url));
  const child = spawn(process.execPath, [script, 'serve', '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0] as string);
    });
    child.once('exit', (code) => reject(new Error(`relay serve exited ${code}: ${err}`)));
  });
  const { url, wsUrl } = JSON.parse(first) as { url: string; wsUrl: string };
  return {
    url,
    wsUrl,
    pid: child.pid as number,
    stderr: () => err,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
  };
}

/**
 * A subscriber as a host behaves towards the relay: it acks every signal at once and, when its
 * connection ends, reconnects to the next URL of `urls` (round robin) until stopped.
 */
export interface Subscriber {
  /** Signal ids in arrival order (repeats included). */
  ids: string[];
  /** Per connection: [gateway index, ids received on it, when it closed]. */
  connections: { url: number; ids: string[]; at: number[]; closedAt?: number }[];
  hellos: number;
  stop(): void;
}

export function subscribe(urls: string[], first: number, token: string): Subscriber {
  const sub: Subscriber = { ids: [], connections: [], hellos: 0, stop: () => undefined };
  let stopped = false;
  let ws: WebSocket | null = null;
  let attempt = 0;
  const open = (i: number) => {
    if (stopped) return;
    const conn = { url: i % urls.length, ids: [] as string[], at: [] as number[] };
    const socket = new WebSocket(urls[i % urls.length] as string, {
      headers: { authorization: `Bearer ${token}` },
    });
    ws = socket;
    socket.on('open', () => {
      attempt = 0;
      sub.connections.push(conn);
    });
    socket.on('message', (d) => {
      const f = JSON.parse(d.toString()) as { type: string; signal?: { id: string } };
      if (f.type === 'hello') sub.hellos++;
      if (f.type !== 'signal' || !f.signal) return;
      sub.ids.push(f.signal.id);
      conn.ids.push(f.signal.id);
      conn.at.push(Date.now());
      socket.send(JSON.stringify({ type: 'ack', id: f.signal.id, status: 'executed' }));
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      (conn as { closedAt?: number }).closedAt = Date.now();
      if (stopped) return;
      attempt++;
      setTimeout(() => open(i + 1), Math.min(1_000, 50 * attempt) + Math.random() * 100);
    });
  };
  open(first);
  sub.stop = () => {
    stopped = true;
    ws?.terminate();
  };
  return sub;
}
