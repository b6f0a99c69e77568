/**
 * 7. Relay fan-out: one signal published (in-process publish call) → received by every subscriber
 * connection (the last one to receive it), at 100 and 1,000 subscribers, for the embedded relay
 * (SQLite) and a gateway over NATS JetStream (a local `nats-server -js`, skipped when absent).
 * Baseline, same run: a bare `ws` server writing the same frame to the same number of clients —
 * the cost of the fan-out itself, without a relay's checks, storage or stream.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { generateProviderKeys, signSignal } from '../../src/node/signal-envelope.js';
import { startRelay, type Relay } from '../../tools/signal-relay/server.js';
import { preciseNow, sleep, stat, until, type Scope, type Stat } from './common.js';
import type { Measurement } from './measurement.js';
import { p50p99, ratio, type Row } from './report.js';

const NATS_SERVER = '/usr/sbin/nats-server';
const PROVIDER = 'bench-provider-token-0123456789';
const token = (i: number) => `bench-subscriber-token-${i}-0123456789`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function startNats(scope: Scope): Promise<string | null> {
  if (!existsSync(NATS_SERVER)) return null;
  const port = await freePort();
  const dir = scope.tempDir('sc-bench-nats-');
  const child = spawn(
    NATS_SERVER,
    ['-js', '-sd', join(dir, 'js'), '-p', String(port), '-a', '127.0.0.1'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  scope.defer('stop nats-server', async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  });
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  await until(() => log.includes('Server is ready'), 15_000, 'nats-server to start');
  return `nats://127.0.0.1:${port}`;
}

/** N clients on `url`: each records when each signal id arrived and (for a relay) acks it. */
async function clients(url: string, n: number, tokenOf: (i: number) => string, ack: boolean) {
  const seen = new Map<string, { count: number; last: number }>();
  const sockets: WebSocket[] = [];
  await Promise.all(
    Array.from({ length: n }, (_, i) => {
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${tokenOf(i)}` } });
      sockets.push(ws);
      ws.on('message', (d) => {
        const t = preciseNow();
        const f = JSON.parse(d.toString()) as { type: string; signal?: { id: string } };
        if (f.type !== 'signal' || !f.signal) return;
        const e = seen.get(f.signal.id) ?? { count: 0, last: 0 };
        e.count++;
        e.last = Math.max(e.last, t);
        seen.set(f.signal.id, e);
        if (ack) ws.send(JSON.stringify({ type: 'ack', id: f.signal.id, status: 'executed' }));
      });
      return new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
    }),
  );
  return {
    seen,
    close: () => sockets.forEach((s) => s.terminate()),
  };
}

/** Publish `count` signals one at a time; each time: publish start → the last of n received. */
async function fanOut(
  n: number,
  count: number,
  url: string,
  tokenOf: (i: number) => string,
  ack: boolean,
  publish: (frame: ReturnType<typeof signSignal>) => Promise<void>,
): Promise<Stat> {
  const keys = generateProviderKeys();
  const c = await clients(url, n, tokenOf, ack);
  await sleep(200);
  const samples: number[] = [];
  try {
    for (let i = 0; i < count + 3; i++) {
      const signal = {
        v: 1,
        id: `fan_${n}_${i}_${Date.now()}`,
        strategy: 'bench',
        issuedAt: Date.now(),
        ttlMs: 600_000,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'market',
        size: { quote: '50' },
      };
      const frame = signSignal(signal, keys.privateKey, 'k1');
      const t0 = preciseNow();
      await publish(frame);
      await until(() => (c.seen.get(signal.id)?.count ?? 0) >= n, 30_000, `all ${n} receive`, 1);
      if (i >= 3) samples.push((c.seen.get(signal.id)?.last ?? NaN) - t0); // 3 warm-up signals
    }
  } finally {
    c.close();
  }
  return stat(samples);
}

async function relayFanOut(
  scope: Scope,
  n: number,
  count: number,
  nats: string | null,
  stream: string,
): Promise<Stat> {
  const keys = generateProviderKeys();
  let relay: Relay | null = await startRelay({
    providers: [{ token: PROVIDER, kid: 'k1', privateKey: keys.privateKey }],
    subscribers: Array.from({ length: n }, (_, i) => ({ token: token(i), providerKid: 'k1' })),
    replayMs: 600_000,
    ...(nats
      ? { nats: { servers: nats, stream } }
      : { dataFile: join(scope.tempDir('sc-bench-relay-'), 'relay.db') }),
  });
  scope.defer('close the relay', () => relay?.close());
  try {
    return await fanOut(n, count, relay.wsUrl, token, true, async (frame) => {
      const { signal } = frame;
      await (relay as Relay).publish(signal, 'k1');
    });
  } finally {
    await relay.close();
    relay = null;
  }
}

async function baselineFanOut(n: number, count: number): Promise<Stat> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const open = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    open.add(ws);
    ws.on('close', () => open.delete(ws));
  });
  try {
    const { port } = wss.address() as { port: number };
    return await fanOut(
      n,
      count,
      `ws://127.0.0.1:${port}`,
      () => 'x',
      false,
      (frame) => {
        const text = JSON.stringify(frame);
        for (const ws of open) ws.send(text);
        return Promise.resolve();
      },
    );
  } finally {
    for (const ws of open) ws.terminate();
    await new Promise((r) => wss.close(r));
  }
}

export function relayFanout(count: number): Measurement {
  return {
    id: '7',
    title: 'Relay fan-out: publish → received by every subscriber',
    timeoutMs: 600_000,
    async run(scope, progress) {
      const nats = await startNats(scope);
      const rows: Row[] = [];
      const notes: string[] = [];
      let k = 0;
      for (const n of [100, 1_000]) {
        progress(`baseline, ${n} clients…`);
        const base = await baselineFanOut(n, count);
        const variants: [string, string | null][] = [['embedded (SQLite)', null]];
        if (nats) variants.push(['NATS JetStream gateway', nats]);
        for (const [label, url] of variants) {
          progress(`${label}, ${n} subscribers…`);
          const s = await relayFanOut(scope, n, count, url, `BENCH_${n}_${k++}`);
          rows.push({
            id: `7${'abcd'[rows.length]}`,
            what: `Relay fan-out, ${n} subscribers, ${label} (publish → the last subscriber receives it)`,
            result: p50p99(s),
            baseline: `${p50p99(base)} (bare ws server writing the frame to ${n} clients)`,
            ratio: ratio(s.p50, base.p50),
            n: `${s.n} + ${base.n}`,
            data: { unit: 'ms', relay: s, baseline: base, subscribers: n },
          });
        }
      }
      if (!nats)
        notes.push(`${NATS_SERVER} is not installed: the JetStream rows were not measured.`);
      notes.push(
        'subscribers are WebSocket clients in the bench process that ack each signal, as hosts do; one relay process (one gateway) on loopback.',
      );
      return { rows, notes };
    },
  };
}
