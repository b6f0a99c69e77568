/**
 * What every benchmark shares: the dev harness (dev/harness/: the built host, a clean
 * environment, a scope that stops everything a measurement started, even when it fails),
 * a precise clock, statistics, and /proc readings.
 */
import { readFileSync } from 'node:fs';

export { ROOT } from '../harness/root.js';
export { Scope, withTimeout } from '../harness/scope.js';
export { sleep, until } from '../harness/wait.js';
export {
  CLI,
  EXTENSION_DIR,
  callHome,
  exited,
  hostEnv,
  hostService,
  isAlive,
  runCli,
  stopPid,
  stopServiceIn,
} from '../harness/host.js';

/** Fractional ms since epoch; the simulator stamps its records with the same clock. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

/** Polling period of the bench's waits: short, so a wait adds little to what it follows. */
export const POLL_MS = 2;

// ---------------------------------------------------------------------------------------------
// Numbers

export interface Stat {
  n: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of ascending-sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function stat(samples: readonly number[]): Stat {
  const s = [...samples].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: percentile(s, 50),
    p99: percentile(s, 99),
    min: s[0] ?? NaN,
    max: s[s.length - 1] ?? NaN,
    mean: s.reduce((a, b) => a + b, 0) / (s.length || 1),
  };
}

/**
 * Chromium's pages and workers read performance.now() in steps of 0.1 ms (hr-time's coarsening
 * for contexts that are not cross-origin isolated: https://w3c.github.io/hr-time/#dfn-coarsen-time),
 * so a 0.05 ms hop reads 0 or 0.1 and a nearest-rank p50 always lands on a step.
 */
export const PAGE_CLOCK_STEP_MS = 0.1;

/**
 * Percentile of samples read off a clock that moves in steps of `step` ms, read between the steps
 * as the median of grouped data is: the samples on the step the rank falls on are taken as spread
 * evenly over that step's width (never below 0). With the clock's jitter each reading is the true
 * time ± one step, so this is an estimate; the raw nearest-rank value is kept beside it.
 */
export function steppedPercentile(sorted: readonly number[], p: number, step: number): number {
  if (sorted.length === 0) return NaN;
  const onStep = percentile(sorted, p);
  const low = Math.max(0, onStep - step / 2);
  const high = onStep + step / 2;
  let below = 0;
  let on = 0;
  for (const x of sorted) {
    if (x < low) below++;
    else if (x < high) on++;
  }
  return low + (((p / 100) * sorted.length - below) / on) * (high - low);
}

/** `stat` of samples from a stepping clock: p50 and p99 read between its steps (steppedPercentile). */
export function steppedStat(
  samples: readonly number[],
  step: number,
): Stat & { step: number; p50OnStep: number; p99OnStep: number } {
  const s = [...samples].sort((a, b) => a - b);
  const raw = stat(s);
  return {
    ...raw,
    p50: steppedPercentile(s, 50, step),
    p99: steppedPercentile(s, 99, step),
    step,
    p50OnStep: raw.p50,
    p99OnStep: raw.p99,
  };
}

/** A field of /proc/PID/status in KiB (VmRSS, VmHWM, …); null when unreadable. */
export function procStatusKb(pid: number, field: string): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
