/**
 * What every benchmark shares: where the built host is, a clean environment, a scope that stops
 * everything a measurement started (even when it fails), statistics, and /proc readings.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scope } from '../harness/scope.js';
import { callServiceRaw } from '../../src/native-host/ipc/client.js';
import { hostPaths } from '../../src/native-host/paths.js';
import type { HelloResult } from '../../src/protocol/methods.js';

import { ROOT } from '../harness/root.js';

export { ROOT };
export const CLI = join(ROOT, 'dist/host/native-host/main.js');
export const EXTENSION_DIR = join(ROOT, 'dist/extension');

/** Fractional ms since epoch; the simulator stamps its records with the same clock. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Cleanup: the dev harness's scope (shared with the demo).
export { Scope, withTimeout } from '../harness/scope.js';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL. */
export async function stopPid(pid: number, graceMs = 5000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(25);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
    while (isAlive(pid)) await sleep(10);
  }
}

/** Resolves with the exit code (null after a signal); a child already gone resolves at once. */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

/** Poll `probe` every `everyMs` until it returns a truthy value, or fail after `timeoutMs`. */
export async function until<T>(
  probe: () => T | Promise<T>,
  timeoutMs: number,
  what: string,
  everyMs = 2,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------------------------------------
// The host

/** The caller's environment minus any SENTINEL_* setting, plus the given ones. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SENTINEL_')) env[k] = v;
  return { ...env, ...extra };
}

export function hostEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cleanEnv({ SENTINEL_HOME: home, SENTINEL_LOG_LEVEL: 'info', ...extra });
}

export function callHome(
  home: string,
  method: string,
  params: unknown = {},
  timeoutMs = 60_000,
): Promise<unknown> {
  return callServiceRaw(hostPaths({ SENTINEL_HOME: home }), method, params, { timeoutMs });
}

/**
 * Starts `sentinel-host service` in the foreground of a detached process (as `service start`
 * does, minus one CLI process) and waits until it answers; the scope stops it.
 */
export async function startService(
  scope: Scope,
  home: string,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const log = openSync(join(home, 'bench-service.log'), 'a');
  const child = spawn(process.execPath, [CLI, 'service'], {
    env,
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the service');
  scope.defer(`stop service ${pid}`, () => stopPid(pid));
  const hello = await until(
    () =>
      callHome(home, 'host.hello', {}, 5000).then(
        (h) => h as HelloResult,
        () => null,
      ),
    30_000,
    'the service to answer',
    50,
  );
  if (hello.service.pid !== pid)
    throw new Error(`another service (pid ${hello.service.pid}) answers in ${home}`);
  return pid;
}

/** Stops whatever service answers in `home` (one the browser's bridge started, say). */
export async function stopServiceIn(home: string): Promise<void> {
  const hello = (await callHome(home, 'host.hello', {}, 2000).catch(
    () => null,
  )) as HelloResult | null;
  if (hello) await stopPid(hello.service.pid);
}

/** Runs the built CLI to completion. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, out }));
  });
}

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
