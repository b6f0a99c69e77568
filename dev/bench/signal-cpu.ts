/**
 * CPU per signal in the service, in-process: the real functions run thousands of times, so the
 * figures do not depend on the machine's load the way row 1's do. Not a row of its own; a note
 * beside row 1 (where the service's time per signal goes).
 *
 *   node dist/dev/bench/signal-cpu.js [signals] [frame|engine]   (both parts by default)
 *
 * Frame: JSON.parse of the frame text + verifySignalFrame against the pinned key (what the feed
 * does per frame), and its parts. Engine: TradingEngine.handle on a real state database (on
 * /dev/shm, so fsyncs cost nothing: CPU only), a real ccxt client from the pool with its markets
 * loaded from the exchange simulator (in this process, on loopback) and createOrder stubbed, so
 * the clock stops where the order would be sent. The log drops everything below warn (the
 * service writes one info line per signal). CPU_BENCH_DIR sets the database folder's prefix
 * (default /dev/shm/sc-cpu-): on a disk, each commit's write and fsync are counted too.
 */
import { createHash, verify as cryptoVerify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { marketSignal } from '../harness/trading.js';
import { ordersSince, worthsSince } from '../../src/native-host/service/store/route-usage.js';
import { performance } from 'node:perf_hooks';
import {
  generateProviderKeys,
  importPrivateKey,
  importPublicKey,
  signSignal,
  signingInput,
  verifySignalFrame,
} from '../../src/node/signal-envelope.js';
import { parseSignal, type Signal } from '../../src/signals/signal.js';
import { canonicalJson } from '../../src/signals/canonical-json.js';
import { deriveClientOrderId } from '../../src/exchanges/order-id.js';
import { StateDb } from '../../src/native-host/service/store/state-db.js';
import {
  TradingStore,
  type SubscriptionRow,
} from '../../src/native-host/service/store/trading-store.js';
import { ClientPool } from '../../src/native-host/service/trading/client-pool.js';
import { TradingEngine } from '../../src/native-host/service/trading/engine.js';
import { MarketData } from '../../src/native-host/service/trading/market-data.js';
import { DEFAULT_PRICE_CONFIG } from '../../src/native-host/service/trading/price-cache.js';
import type { ServiceContext } from '../../src/native-host/service/handlers/context.js';
import type { Connection } from '../../src/protocol/methods.js';
import { marketRules } from '../../src/native-host/service/trading/market-reads.js';
import { planOrder } from '../../src/native-host/service/trading/order-plan.js';
import { parseDec } from '../../src/lib/decimal.js';
import { startSimulator } from '../../tools/simulator/index.js';

const N = Number(process.argv[2] ?? 5000);
const now = (): number => performance.now();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;

function line(name: string, samples: number[], cpuMs?: number): void {
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const cpu = cpuMs === undefined ? '' : `  cpu ${us(cpuMs / samples.length)}`;
  console.log(
    `${name.padEnd(52)} median ${us(median(samples)).padStart(10)}  mean ${us(mean)}${cpu}`,
  );
}

/** User + system CPU of this process since `from`, in ms. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

/** Times fn n times (after n/10 of warm-up) and prints median and mean per call, and CPU. */
function time(name: string, fn: (i: number) => unknown, n = N): void {
  for (let i = 0; i < n / 10; i++) fn(i);
  const samples: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t = now();
    fn(i);
    samples.push(now() - t);
  }
  line(name, samples, cpuSince(cpu));
}

/** The harness's market-buy signal (dev/harness/trading.ts) under a chosen id. */
const signalBody = (id: string, strategy: string): Record<string, unknown> =>
  marketSignal(strategy, { id });

function frameBench(): void {
  const keys = generateProviderKeys();
  const priv = importPrivateKey(keys.privateKey);
  const pub = importPublicKey(keys.publicKey);
  const texts = Array.from({ length: N + N / 10 }, (_, i) =>
    JSON.stringify(signSignal(signalBody(`f${i}`, 's'), priv, 'k1')),
  );
  const frame = JSON.parse(texts[0]!) as { sig: string; signal: Signal };
  const input = signingInput(frame.signal);
  const sig = Buffer.from(frame.sig, 'base64url');
  console.log(`frame (${texts[0]!.length} bytes)`);
  time('  JSON.parse + verifySignalFrame (cached KeyObject)', (i) => {
    const r = verifySignalFrame(JSON.parse(texts[i]!), pub, { kid: 'k1' });
    if (!r.ok) throw new Error(r.message);
  });
  time('    JSON.parse', (i) => JSON.parse(texts[i]!));
  const parsedFrames = texts.map((t) => JSON.parse(t) as { sig: string; signal: Signal });
  time('    verifySignalFrame (frame parsed)', (i) => verifySignalFrame(parsedFrames[i], pub));
  time('    crypto.verify (each frame its own input)', (i) =>
    cryptoVerify(
      null,
      signingInput(parsedFrames[i]!.signal),
      pub,
      Buffer.from(parsedFrames[i]!.sig, 'base64url'),
    ),
  );
  time('    importPublicKey', () => importPublicKey(keys.publicKey));
  time('    canonicalJson(signal)', () => canonicalJson(frame.signal, { maxDepth: 4 }));
  time('    signingInput(signal) (canonical JSON + UTF-8)', () => signingInput(frame.signal));
  time('    crypto.verify (Ed25519)', () => cryptoVerify(null, input, pub, sig));
  time('    parseSignal', () => parseSignal(frame.signal));
  time('    deriveClientOrderId', (i) =>
    deriveClientOrderId(`P/f${i}`, 'c1', (b) => createHash('sha256').update(b).digest()),
  );
}

async function engineBench(): Promise<void> {
  const apiKey = 'BINANCECPUKEY0001';
  const sim = await startSimulator({
    keys: [
      {
        exchange: 'binance',
        apiKey,
        secret: `${apiKey}-secret`,
        environment: 'live',
        permissions: { read: true, spot: true, withdraw: false },
        createdAt: Date.UTC(2026, 0, 15),
      },
    ],
  });
  const dir = mkdtempSync(process.env.CPU_BENCH_DIR ?? '/dev/shm/sc-cpu-');
  const db = new StateDb(join(dir, 'state.db'));
  try {
    const conn: Connection = {
      id: 'c1',
      exchange: 'binance',
      label: 'bench',
      environment: 'live',
      endpoint: sim.endpoint('binance'),
      mode: 'live',
      apiKeyHint: 'BINA…0001',
      createdAt: new Date().toISOString(),
      needs: {},
    } as Connection;
    db.insertConnection(conn);
    db.setMode('c1', 'live');
    const credentials = { apiKey, secret: `${apiKey}-secret` };
    const marks = { get: 0, priced: 0, journaled: 0, send: 0 };
    const ctx = {
      db,
      vault: {
        state: () => 'unlocked',
        read: () => ({ connections: { c1: credentials } }),
      },
      log: { debug() {}, info() {}, warn: console.warn, error: console.error },
      notify() {},
      trading: { paused: false },
    } as unknown as ServiceContext;
    const realGet = db.getConnection.bind(db);
    db.getConnection = (id: string) => {
      marks.get = now();
      return realGet(id);
    };
    const store = new TradingStore(db.handle);
    const realJournal = store.journalIntent.bind(store);
    store.journalIntent = (o) => {
      const r = realJournal(o);
      marks.journaled = now();
      return r;
    };
    const pool = new ClientPool({ enableRateLimit: false, orderWindowMs: 5_000 });
    const client = await pool.get(db.getConnection('c1')!, credentials);
    let orders = 0;
    client.createOrder = (() => {
      marks.send = now();
      return Promise.resolve({ id: String(++orders) });
    }) as unknown as typeof client.createOrder;
    const prices = new MarketData(DEFAULT_PRICE_CONFIG);
    const realPrice = prices.price.bind(prices);
    prices.price = (...args) =>
      realPrice(...args).then((answer) => {
        marks.priced = now();
        return answer;
      });
    const timing = { windowMs: 5_000, visibilityGraceMs: 0, unreachableAfterMs: 1_000 };
    const engine = new TradingEngine(ctx, store, pool, timing, prices);
    const sub: SubscriptionRow = {
      id: 'sub1',
      url: 'ws://127.0.0.1:1',
      providerKey: 'P',
      routes: [{ strategy: 's', connectionId: 'c1', maxOrderQuote: '1000000' }],
      createdAt: new Date().toISOString(),
    };
    const steps = {
      toExecute: [] as number[],
      toPrice: [] as number[],
      toJournal: [] as number[],
      toSend: [] as number[],
    };
    const after: number[] = [];
    const total: number[] = [];
    const run = async (i: number, keep: boolean): Promise<void> => {
      const parsed = parseSignal(signalBody(`e${i}`, 's'));
      if (!parsed.ok) throw new Error(parsed.message);
      // What the feed's verification built already (the service passes it on: signal-envelope.ts).
      const signed = canonicalJson(parsed.signal, { maxDepth: 4 });
      const t0 = now();
      const o = await engine.handle(sub, parsed.signal, 'fresh', signed);
      const t1 = now();
      if (o.status !== 'executed') throw new Error(`${o.status} ${o.message ?? ''}`);
      if (!keep) return;
      steps.toExecute.push(marks.get - t0);
      steps.toPrice.push(marks.priced - marks.get);
      steps.toJournal.push(marks.journaled - marks.priced);
      steps.toSend.push(marks.send - marks.journaled);
      after.push(t1 - marks.send);
      total.push(marks.send - t0);
    };
    for (let i = 0; i < N / 10; i++) await run(i, false);
    const cpu = process.cpuUsage();
    for (let i = 0; i < N; i++) await run(N + i, true);
    const engineCpu = cpuSince(cpu);
    console.log(`engine (${N} signals, one at a time)`);
    line('  handle → executeUnsafe start (getConnection)', steps.toExecute);
    line('  executeUnsafe start → price known (prepare)', steps.toPrice);
    line('  price known → intent journaled', steps.toJournal);
    line('  intent journaled → createOrder called', steps.toSend);
    line('  handle → createOrder called', total);
    line('  createOrder answered → handle resolved', after);
    console.log(`  cpu per signal, whole handle: ${us(engineCpu / N)}`);
    console.log('engine parts (in isolation, on the same database)');
    const signal = parseSignal(signalBody('parts', 's'));
    if (!signal.ok) throw new Error(signal.message);
    const sha = (b: Uint8Array): Uint8Array => createHash('sha256').update(b).digest();
    const someId = deriveClientOrderId('P/e' + String(N), 'c1', sha);
    const c = realGet('c1')!;
    time('  db.getConnection', () => realGet('c1'));
    time('  store.order (hit)', () => store.order(someId));
    time('  store.order (miss)', (i) => store.order(`none${i}`));
    time('  JSON.stringify(signal)', () => JSON.stringify(signal.signal));
    time('  pool.get (cached)', () => pool.get(c, credentials));
    time('  client.market', () => client.market('BTC/USDT'));
    const market = client.market('BTC/USDT');
    time('  marketRules', () => marketRules(client, market));
    const rules = marketRules(client, market);
    const route = sub.routes[0]!;
    time('  planOrder (quote size, no caps)', () =>
      planOrder({
        signal: signal.signal,
        route,
        rules,
        marketPrice: parseDec('50000')!,
        todayWorths: [],
        lastMinuteCount: 0,
      }),
    );
    // A route with a cap reads its window for every signal (here: all N of this run's orders).
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    time(
      '  worthsSince (the daily cap: every worth in the window)',
      () => worthsSince(db.handle, 'c1', 's', hourAgo),
      50,
    );
    time(
      '  ordersSince (the pace: a count in SQL)',
      () => ordersSince(db.handle, 'c1', 's', hourAgo),
      50,
    );
    prices.stop();
    pool.drop();
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    await sim.close();
  }
}

const part = process.argv[3];
if (part !== 'engine') frameBench();
if (part !== 'frame') await engineBench();
