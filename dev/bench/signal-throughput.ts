/**
 * 1f. Throughput: signals published as fast as the relay takes them (signed beforehand, as a
 * provider would), spread over the three live connections; counted as orders per second at the
 * simulator, from the first publish to the last order request received. Every signal must end
 * executed, exactly one order each. Baseline, same run: bare ccxt createOrder on three clients at
 * once, each one order at a time (the service too sends one order at a time per connection).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Exchange } from 'ccxt';
import { preciseNow, sleep, until } from './common.js';
import { ratio, type Row } from './report.js';
import { EXCHANGES, type Rig } from './rig.js';
import type { LinkResult } from './signal-link.js';
import type { ExchangeId } from '../../src/exchanges/types.js';

const POLL = 50; // the rate is read from the simulator's own stamps, not from this poll

/**
 * CPU time (user + system, ms) a process has used, from /proc/<pid>/stat (Linux; null elsewhere).
 * Fields 14 and 15, in clock ticks of 10 ms (USER_HZ 100 on Linux):
 * https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html
 */
function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Signals/s the CPU allows: each process is single-threaded, and both share the cores. */
function cpuCeiling(serviceMs: number, benchMs: number): number {
  return Math.min(
    1000 / serviceMs,
    1000 / benchMs,
    (availableParallelism() * 1000) / (serviceMs + benchMs),
  );
}

export async function throughput(
  rig: Rig,
  clients: Record<ExchangeId, Exchange>,
  signals: number,
): Promise<LinkResult> {
  const batch = Array.from({ length: signals }, (_, i) => {
    const exchange = EXCHANGES[i % EXCHANGES.length]!;
    return { exchange, ...rig.signal(exchange) };
  });
  const ids = new Set(batch.map((s) => s.clientOrderId));
  const ordersBefore = rig.sim.orders().length;
  const serviceCpuBefore = cpuMs(rig.servicePid);
  const benchCpuBefore = process.cpuUsage();
  const start = preciseNow();
  for (const s of batch) {
    const { delivered } = await rig.relay.publish(s.frame);
    if (delivered !== 1) throw new Error(`the relay delivered ${s.id} to ${delivered} feeds`);
    // The relay and the simulator share this process: let the simulator answer in between (a
    // publish resolves at once, so awaiting it alone never lets network events run).
    await new Promise((r) => setImmediate(r));
  }
  const publishedAt = preciseNow();
  const publishedMs = publishedAt - start;
  await until(
    () => rig.sim.orders().length - ordersBefore >= signals || undefined,
    120_000,
    `${signals} orders at the simulator`,
    POLL,
  );
  const mine = rig.sim
    .orders()
    .slice(ordersBefore)
    .filter((o) => ids.has(o.clientOrderId ?? ''));
  const placed = new Set(mine.filter((o) => o.outcome === 'placed').map((o) => o.clientOrderId));
  if (mine.length !== signals || placed.size !== signals)
    throw new Error(
      `${signals} signals gave ${mine.length} order requests, ${placed.size} distinct placed`,
    );
  const lastOrder = Math.max(...mine.map((o) => o.receivedAt));
  const serviceRate = signals / ((lastOrder - start) / 1000);
  const duringPublish = mine.filter((o) => o.receivedAt <= publishedAt).length;
  // The backlog the service still had when the relay was done: how fast it drains is the
  // service's own pace, whatever the relay's.
  const drainRate =
    lastOrder > publishedAt ? (signals - duringPublish) / ((lastOrder - publishedAt) / 1000) : NaN;
  // Every signal settled and acknowledged as executed.
  const signalIds = new Set(batch.map((s) => s.id));
  const acks = await until(
    () => {
      const byStatus = rig.ackStatuses(signalIds);
      return Object.values(byStatus).reduce((a, b) => a + b, 0) >= signals ? byStatus : undefined;
    },
    60_000,
    `the acks of ${signals} signals`,
    POLL,
  );
  if (acks.executed !== signals)
    throw new Error(`${signals} signals were acknowledged as ${JSON.stringify(acks)}`);
  // CPU per signal, first publish → last ack: the service's, and this process's (relay and
  // simulator) — what the 2 cores are shared by, whatever else the machine runs.
  const serviceCpuAfter = cpuMs(rig.servicePid);
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const serviceCpuPerSignal =
    serviceCpuBefore !== null && serviceCpuAfter !== null
      ? (serviceCpuAfter - serviceCpuBefore) / signals
      : null;
  const benchCpuPerSignal = (benchCpu.user + benchCpu.system) / 1000 / signals;

  await sleep(200);
  const perClient = Math.ceil(signals / EXCHANGES.length);
  let n = 0;
  const bareStart = preciseNow();
  await Promise.all(
    EXCHANGES.map(async (exchange) => {
      for (let i = 0; i < perClient; i++)
        await clients[exchange].createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, {
          clientOrderId: `benchtp${++n}x${Date.now().toString(36)}`,
        });
    }),
  );
  const bareRate = (perClient * EXCHANGES.length) / ((preciseNow() - bareStart) / 1000);
  const row: Row = {
    id: '1f',
    what: `Throughput: ${signals} signals published as fast as the relay takes them, over 3 live connections (orders per second at the simulator, first publish → last order request)`,
    result: `${Math.round(serviceRate)} signals/s`,
    baseline: `${Math.round(bareRate)} orders/s (bare ccxt createOrder, 3 clients at once, one order at a time each)`,
    ratio: ratio(bareRate, serviceRate),
    n: `${signals} + ${perClient * EXCHANGES.length}`,
    data: {
      unit: 'per second',
      serviceRate,
      bareRate,
      publishedMs,
      firstToLastOrderMs: lastOrder - start,
      ordersWhilePublishing: duringPublish,
      drainRate,
      serviceCpuPerSignal,
      benchCpuPerSignal,
    },
  };
  return {
    rows: [row],
    notes: [
      `1f: the relay took the ${signals} frames in ${Math.round(publishedMs)} ms (${Math.round(signals / (publishedMs / 1000))}/s), and ${duringPublish} orders reached the simulator by then; the other ${signals - duringPublish} in the next ${Math.round(lastOrder - publishedAt)} ms (the service draining its backlog: ${Number.isFinite(drainRate) ? Math.round(drainRate) : '–'} orders/s). Every signal ended executed, one order each. Ratio: bare rate / service rate.`,
      `1f: CPU per signal from the first publish to the last ack: the service ${serviceCpuPerSignal !== null ? `${serviceCpuPerSignal.toFixed(2)} ms` : '(not measured: no /proc)'}, the bench process (relay and simulator) ${benchCpuPerSignal.toFixed(2)} ms${serviceCpuPerSignal !== null ? `; the CPU alone caps this rig at ${Math.round(cpuCeiling(serviceCpuPerSignal, benchCpuPerSignal))} signals/s (each process runs on one core at a time; ${availableParallelism()} cores)` : ''}.`,
    ],
    details: { throughputSignals: signals },
  };
}
