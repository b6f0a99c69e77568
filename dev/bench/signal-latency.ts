/**
 * 1. Signal → order request. The relay hands a signed signal frame to the service's feed socket;
 * the clock stops when the simulator receives the order request the service makes from it. Each
 * signal waits for the previous one's ack, so this is latency, not throughput.
 *
 * Baseline: a bare ccxt createOrder (the same client setup the service uses, throttle off,
 * markets loaded) on its own key at the same simulator, from the call to the simulator receiving
 * the request; its full round trip is kept too. Row 1d's baseline is the floor of any durable
 * signal path: one durable SQLite commit, then the same bare createOrder (signal-floor.ts).
 * Service and baselines alternate, one each per iteration, so all see the same machine state.
 * Then, on the same service: 1e over a 25 ms link (signal-link.ts) and 1f, throughput
 * (signal-throughput.ts).
 */
import type { Exchange } from 'ccxt';
import { POLL_MS, preciseNow, stat, until, type Stat } from './common.js';
import type { Measurement } from './measurement.js';
import { p50p99, ratio, type Row } from './report.js';
import { BENCH_BALANCES, EXCHANGES, simKey, startRig, type Rig } from './rig.js';
import { floorOrder, openFloorJournal } from './signal-floor.js';
import { overALink } from './signal-link.js';
import { throughput } from './signal-throughput.js';
import type { ExchangeId } from '../../src/exchanges/types.js';
import { createExchangeClient } from '../../src/native-host/service/exchange/client.js';
import type { OrderRecord } from '../../tools/simulator/index.js';

const WARMUP_PER_EXCHANGE = 3;

function findOrder(rig: Rig, exchange: ExchangeId, clientOrderId: string): OrderRecord | undefined {
  const list = rig.sim.orders(exchange);
  for (let i = list.length - 1; i >= 0; i--)
    if (list[i]!.clientOrderId === clientOrderId) return list[i];
  return undefined;
}

async function viaService(rig: Rig, exchange: ExchangeId): Promise<number> {
  const s = rig.signal(exchange);
  // publish() verifies the frame and writes it to the feed socket synchronously.
  const published = rig.relay.publish(s.frame);
  const sentAt = preciseNow();
  const { delivered } = await published;
  if (delivered !== 1) throw new Error(`the relay delivered the signal to ${delivered} feeds`);
  const order = await until(
    () => findOrder(rig, exchange, s.clientOrderId),
    30_000,
    `the ${exchange} order of ${s.id}`,
    POLL_MS,
  );
  if (order.outcome !== 'placed')
    throw new Error(`${exchange} refused the order: ${order.code} ${order.message ?? ''}`);
  // The next signal starts once this one is settled (journal written, ack sent).
  await until(() => rig.acked(s.id), 30_000, `the ack of ${s.id}`, POLL_MS);
  return order.receivedAt - sentAt;
}

let baselineCounter = 0;
async function viaCcxt(
  rig: Rig,
  client: Exchange,
  exchange: ExchangeId,
): Promise<{ toReceived: number; roundTrip: number }> {
  baselineCounter++;
  const clientOrderId = `bench${baselineCounter}x${Date.now().toString(36)}`;
  const start = preciseNow();
  await client.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId });
  const end = preciseNow();
  const order = findOrder(rig, exchange, clientOrderId);
  if (!order || order.outcome !== 'placed')
    throw new Error(`the baseline ${exchange} order was not placed: ${order?.code ?? 'missing'}`);
  return { toReceived: order.receivedAt - start, roundTrip: end - start };
}

export function signalLatency(
  signals: number,
  linkSignals: number,
  throughputSignals: number,
): Measurement {
  return {
    id: '1',
    title: 'Signal → order request',
    timeoutMs: 400_000,
    async run(scope, progress) {
      const rig = await startRig(scope, 'scb-sig-');
      await rig.addConnections();
      const clients = {} as Record<ExchangeId, Exchange>;
      const baselineKeys = new Set<string>();
      for (const exchange of EXCHANGES) {
        const key = simKey(rig.sim, exchange, 'base', BENCH_BALANCES);
        rig.sim.addKey(key);
        baselineKeys.add(key.apiKey);
        const client = await createExchangeClient({
          exchange,
          environment: 'live',
          endpoint: rig.sim.endpoint(exchange),
          credentials: {
            apiKey: key.apiKey,
            secret: key.secret,
            ...(key.passphrase ? { passphrase: key.passphrase } : {}),
          },
          enableRateLimit: false,
          timeoutMs: 10_000,
        });
        await client.loadMarkets();
        clients[exchange] = client;
      }

      // Warm-up (not counted): the service's first signal per exchange creates its ccxt client
      // and loads the markets; the first requests of both sides open their keep-alive sockets.
      const cold: Record<string, number> = {};
      for (let i = 0; i < WARMUP_PER_EXCHANGE; i++)
        for (const exchange of EXCHANGES) {
          const t = await viaService(rig, exchange);
          if (i === 0) cold[exchange] = t;
          await viaCcxt(rig, clients[exchange], exchange);
        }
      progress(`warm; ${signals} signals…`);

      const journal = openFloorJournal(scope.tempDir('scb-floor-'));
      scope.defer('close the floor journal', () => journal.close());
      const requestsBefore = rig.sim.requests().length;
      const runStart = preciseNow();
      const service: Record<ExchangeId, number[]> = { binance: [], bybit: [], okx: [] };
      const toReceived: Record<ExchangeId, number[]> = { binance: [], bybit: [], okx: [] };
      const roundTrip: Record<ExchangeId, number[]> = { binance: [], bybit: [], okx: [] };
      const floor: number[] = [];
      const commits: number[] = [];
      for (let i = 0; i < signals; i++) {
        const exchange = EXCHANGES[i % EXCHANGES.length]!;
        service[exchange].push(await viaService(rig, exchange));
        const b = await viaCcxt(rig, clients[exchange], exchange);
        toReceived[exchange].push(b.toReceived);
        roundTrip[exchange].push(b.roundTrip);
        const cid = `benchfloor${i}x${Date.now().toString(36)}`;
        const f = await floorOrder(journal, clients[exchange], cid);
        const placed = findOrder(rig, exchange, cid);
        if (!placed) throw new Error(`the floor's ${exchange} order ${cid} did not arrive`);
        floor.push(placed.receivedAt - f.start);
        commits.push(f.commitMs);
      }
      const runSeconds = (preciseNow() - runStart) / 1000;
      // The service's own requests (not the baselines' keys): its orders (POST) and its reads
      // (GET: the background price refresh, and any read on a signal's path).
      const own = rig.sim
        .requests()
        .slice(requestsBefore)
        .filter((r) => r.apiKey === undefined || !baselineKeys.has(r.apiKey));
      const ordersPerSignal = own.filter((r) => r.method === 'POST').length / signals;
      const reads = own.filter((r) => r.method === 'GET').length;

      const all = (r: Record<ExchangeId, number[]>) => EXCHANGES.flatMap((e) => r[e]);
      const row = (id: string, label: string, s: Stat, b: Stat, rt: Stat): Row => ({
        id,
        what: label,
        result: p50p99(s),
        baseline:
          id === '1'
            ? `${p50p99(b)} (bare ccxt createOrder: call → simulator receives; its full round trip ${p50p99(rt)})`
            : `${p50p99(b)} (round trip ${p50p99(rt)})`,
        ratio: ratio(s.p50, b.p50),
        n: `${s.n} + ${b.n}`,
        data: { unit: 'ms', service: s, baselineToReceived: b, baselineRoundTrip: rt },
      });
      const rows: Row[] = [
        row(
          '1',
          'Signal → order request, 3 exchanges (relay writes the frame → simulator receives the order request; live connections, ccxt throttle off)',
          stat(all(service)),
          stat(all(toReceived)),
          stat(all(roundTrip)),
        ),
        ...EXCHANGES.map((exchange, i) =>
          row(
            `1${'abc'[i]}`,
            `… ${exchange} only`,
            stat(service[exchange]),
            stat(toReceived[exchange]),
            stat(roundTrip[exchange]),
          ),
        ),
      ];
      const serviceAll = stat(all(service));
      const floorStat = stat(floor);
      const commitStat = stat(commits);
      rows.push({
        id: '1d',
        what: '… against the floor of a durable signal path: one durable SQLite commit (WAL, synchronous=FULL), then the bare createOrder',
        result: p50p99(serviceAll),
        baseline: `${p50p99(floorStat)} (commit → simulator receives; the commit alone ${p50p99(commitStat)})`,
        ratio: ratio(serviceAll.p50, floorStat.p50),
        n: `${serviceAll.n} + ${floorStat.n}`,
        data: { unit: 'ms', service: serviceAll, floor: floorStat, commit: commitStat },
      });
      const link = await overALink(rig, clients, linkSignals);
      progress('over a 25 ms link: done; throughput…');
      const tp = await throughput(rig, clients, throughputSignals);
      rows.push(...link.rows, ...tp.rows);
      return {
        rows,
        notes: [
          `per signal the service sent ${ordersPerSignal.toFixed(2)} order requests; it made ${reads} reads in the ${runSeconds.toFixed(1)} s of the run (${(reads / runSeconds / EXCHANGES.length).toFixed(2)}/s per connection) — the background price refresh reads one symbol per connection once a second, so ≈ ${Math.round(runSeconds * EXCHANGES.length)} of them; a read on a signal's path would show as one more round trip in 1e.`,
          `not counted: ${WARMUP_PER_EXCHANGE} warm-up signals per exchange; the first (creates the service's ccxt client and loads the markets) took ${EXCHANGES.map((e) => `${e} ${Math.round(cold[e] ?? NaN)} ms`).join(', ')}.`,
          ...link.notes,
          ...tp.notes,
        ],
        details: {
          signals,
          warmupPerExchange: WARMUP_PER_EXCHANGE,
          cold,
          ordersPerSignal,
          reads,
          runSeconds,
          ...link.details,
          ...tp.details,
        },
      };
    },
  };
}
