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
