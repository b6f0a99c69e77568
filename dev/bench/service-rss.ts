/**
 * 4. Service resident memory (VmRSS from /proc/PID/status): idle — started, vault created and
 * unlocked, no connections — and loaded — a connection per exchange added (each audited through
 * ccxt) and a few live signals executed on each. Baseline: a bare idle `node`. Each state is read
 * twice: 1.5 s after the last action (the rows) and again once V8 has had time to shrink its heap
 * in a quiet process (SETTLED_MS; the notes): what a long-running service holds.
 */
import { spawn } from 'node:child_process';
import { procStatusKb, sleep, stat, stopPid, until, type Scope } from './common.js';
import type { Measurement } from './measurement.js';
import { mib, ratio } from './report.js';
import { EXCHANGES, startRig } from './rig.js';

const SIGNALS_PER_EXCHANGE = 3;
const SETTLE_MS = 1500;
/** V8's memory reducer often shrinks a quiet heap 5-10 s after the last work; read after that. */
const SETTLED_MS = 12_000;
const SAMPLES = 5;

/** Median VmRSS (KiB) of a few readings, and the peak so far (VmHWM). */
async function sampleRss(pid: number): Promise<{ rssKb: number; hwmKb: number }> {
  const rss: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    if (i > 0) await sleep(200);
    const v = procStatusKb(pid, 'VmRSS');
    if (v === null) throw new Error(`cannot read /proc/${pid}/status`);
    rss.push(v);
  }
  return { rssKb: stat(rss).p50, hwmKb: procStatusKb(pid, 'VmHWM') ?? NaN };
}

/** The reading SETTLED_MS after `since` (the last action). */
async function settledRss(pid: number, since: number): Promise<{ rssKb: number; hwmKb: number }> {
  await sleep(Math.max(0, since + SETTLED_MS - Date.now()));
  return sampleRss(pid);
}

async function bareNode(scope: Scope): Promise<{ rssKb: number; hwmKb: number }> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(()=>{},1e9)'], { stdio: 'ignore' });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn node');
  scope.defer(`stop bare node ${pid}`, () => stopPid(pid, 1000));
  await sleep(SETTLE_MS);
  const r = await sampleRss(pid);
  await stopPid(pid, 1000);
  return r;
}

export function serviceRss(): Measurement {
  return {
    id: '4',
    title: 'Service memory',
    timeoutMs: 120_000,
    async run(scope) {
      if (procStatusKb(process.pid, 'VmRSS') === null)
        throw new Error('/proc/PID/status is not readable here (Linux only)');
      const base = await bareNode(scope);
      const rig = await startRig(scope, 'scb-rss-');
      let lastAction = Date.now();
      await sleep(SETTLE_MS);
      const idle = await sampleRss(rig.servicePid);
      const idleSettled = await settledRss(rig.servicePid, lastAction);

      await rig.addConnections();
      for (let i = 0; i < SIGNALS_PER_EXCHANGE; i++)
        for (const exchange of EXCHANGES) {
          const s = rig.signal(exchange);
          await rig.relay.publish(s.frame);
          await until(() => rig.acked(s.id), 30_000, `the ack of ${s.id}`, 10);
        }
      const placed = rig.sim.orders().filter((o) => o.outcome === 'placed').length;
      if (placed !== SIGNALS_PER_EXCHANGE * EXCHANGES.length)
        throw new Error(
          `expected ${SIGNALS_PER_EXCHANGE * EXCHANGES.length} orders, saw ${placed}`,
        );
      lastAction = Date.now();
      await sleep(SETTLE_MS);
      const loaded = await sampleRss(rig.servicePid);
      const loadedSettled = await settledRss(rig.servicePid, lastAction);

      const baseline = `${mib(base.rssKb)} (bare idle \`node -e "setTimeout(()=>{},1e9)"\`)`;
      return {
        rows: [
          {
            id: '4a',
            what: 'Service RSS, idle (started, vault unlocked, no connections)',
            result: mib(idle.rssKb),
            baseline,
            ratio: ratio(idle.rssKb, base.rssKb),
            n: `median of ${SAMPLES}`,
            data: { unit: 'KiB', service: idle, settled: idleSettled, bareNode: base },
          },
          {
            id: '4b',
            what: `Service RSS, 3 exchanges loaded (connections.add per exchange, ${SIGNALS_PER_EXCHANGE} live signals executed on each)`,
            result: mib(loaded.rssKb),
            baseline,
            ratio: ratio(loaded.rssKb, base.rssKb),
            n: `median of ${SAMPLES}`,
            data: { unit: 'KiB', service: loaded, settled: loadedSettled, bareNode: base },
          },
        ],
        notes: [
          `RSS read ${SETTLE_MS / 1000} s after the last action; ${SETTLED_MS / 1000} s after it (V8 shrinks a quiet heap some seconds after the last work, not always by then): idle ${mib(idleSettled.rssKb)}, loaded ${mib(loadedSettled.rssKb)}.`,
          `Peak (VmHWM): idle ${mib(idle.hwmKb)}, loaded ${mib(loaded.hwmKb)}: the scrypt KDF at vault create needs 128 MiB while it runs, and hands it back to the OS when it ends (idle RSS above).`,
        ],
      };
    },
  };
}
