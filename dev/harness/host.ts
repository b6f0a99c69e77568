/**
 * The built host (dist/host) as separate processes, for the tests, the demo and the bench: the
 * CLI, the service (started, waited for, stopped — never left running), and the environment of a
 * temporary SENTINEL_HOME, with or without the insecure test KDF.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './root.js';
import type { Scope } from './scope.js';
import { sleep, until } from './wait.js';
import { callServiceRaw } from '../../src/native-host/ipc/client.js';
import { hostPaths } from '../../src/native-host/paths.js';
import {
  TEST_HOME_MARKER,
  TEST_HOME_MARKER_TEXT,
  TEST_KDF_ENV,
  TEST_KDF_VALUE,
} from '../../src/native-host/service/vault/kdf-policy.js';
import type { HelloResult } from '../../src/protocol/methods.js';

export const CLI = join(ROOT, 'dist/host/native-host/main.js');
export const EXTENSION_DIR = join(ROOT, 'dist/extension');

export function requireBuiltHost(): void {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run "npm run build" (npm test does it first)`);
}

// ---------------------------------------------------------------------------------------------
// Environment

/** The caller's environment minus every SENTINEL_* setting, plus the given ones. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SENTINEL_')) env[k] = v;
  return { ...env, ...extra };
}

/**
 * The environment of a host process in `home`: none of the caller's SENTINEL_* settings (a
 * developer's own passphrase file or endpoints never leak in), log level info unless `extra` says.
 */
export function hostEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cleanEnv({ SENTINEL_HOME: home, SENTINEL_LOG_LEVEL: 'info', ...extra });
}

/** The variable of the insecure test KDF; honoured only in a home marked by markTestHome. */
export const TEST_KDF_SWITCH: NodeJS.ProcessEnv = { [TEST_KDF_ENV]: TEST_KDF_VALUE };

/** Marks `home` (a folder inside the temp folder) as a test home: src/.../vault/kdf-policy.ts. */
export function markTestHome(home: string): void {
  const marker = join(home, TEST_HOME_MARKER);
  if (!existsSync(marker)) writeFileSync(marker, TEST_HOME_MARKER_TEXT, { mode: 0o600 });
}

/**
 * Makes `home` a test home and returns the variable that turns the insecure test KDF on there:
 * vaults cost ~1 ms instead of ~1 s. Only for what does not test the KDF itself; the service
 * logs a warning at every start and reports it in host.hello.
 */
export function insecureTestKdf(home: string): NodeJS.ProcessEnv {
  markTestHome(home);
  return TEST_KDF_SWITCH;
}

// ---------------------------------------------------------------------------------------------
// Processes

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI to completion; `input` is its whole stdin (closed at once when absent). */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  input?: string | Uint8Array,
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves with the exit code (null after a signal; at once for a child already gone); rejects
 * when it is still running after `timeoutMs`.
 */
export function exited(child: ChildProcess, timeoutMs = 10_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolvePromise, reject) => {
    const t = setTimeout(
      () => reject(new Error(`process ${child.pid} still running after ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once('exit', (code) => {
      clearTimeout(t);
      resolvePromise(code);
    });
  });
}

/** Waits up to `graceMs` for `pid` to end; then SIGKILLs it. Returns whether it had to. */
async function reap(pid: number, graceMs: number): Promise<boolean> {
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(25);
  if (!isAlive(pid)) return false;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return false; // gone meanwhile
  }
  while (isAlive(pid)) await sleep(10);
  return true;
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL: for processes that are not the service. */
export async function stopPid(pid: number, graceMs = 5000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  await reap(pid, graceMs);
}

/** One request to the service in `home`. */
export function callHome(
  home: string,
  method: string,
  params: unknown = {},
  timeoutMs = 60_000,
): Promise<unknown> {
  return callServiceRaw(hostPaths({ SENTINEL_HOME: home }), method, params, { timeoutMs });
}

const helloOf = (home: string): Promise<HelloResult | null> =>
  callHome(home, 'host.hello', { client: 'harness' }, 5000).then(
    (h) => h as HelloResult,
    () => null,
  );

/**
 * Stops the service in `home`, whoever started it (the harness, `service start`, a browser's
 * bridge): `sentinel-host service stop` (SIGTERM, waits for the socket to close), then each pid
 * it answered with or in `pids` must exit within 5 s or is SIGKILLed. Throws when the stop
 * failed or a kill was needed — after the kill, so nothing is left running either way.
 */
export async function stopServiceIn(
  home: string,
  env: NodeJS.ProcessEnv = hostEnv(home),
  pids: Iterable<number> = [],
): Promise<void> {
  const all = new Set(pids);
  const hello = await helloOf(home);
  if (hello) all.add(hello.service.pid);
  const problems: string[] = [];
  const stopped = await runCli(['service', 'stop'], env);
  if (stopped.code !== 0)
    problems.push(`"service stop" exited ${stopped.code}: ${stopped.stderr.trim()}`);
  for (const pid of all)
    if (await reap(pid, 5000)) problems.push(`service pid ${pid} had to be SIGKILLed`);
  if (problems.length > 0)
    throw new Error(`stopping the service in ${home}: ${problems.join('; ')}`);
}

export interface HostService {
  home: string;
  env: NodeJS.ProcessEnv;
  /** The pid of the last start, or null before it. */
  readonly pid: number | null;
  /** Starts the service and waits until it answers as the process started; returns its pid. */
  start(): Promise<number>;
  /** Stops it (stopServiceIn); the scope does this too. */
  stop(): Promise<void>;
  call(method: string, params?: unknown): Promise<unknown>;
  /** The last lines of logs/service.log. */
  logTail(lines?: number): string;
}

/**
 * The service of `home`, its stop registered in `scope` before anything starts. `via: 'spawn'`
 * runs `sentinel-host service` detached (as `service start` does, minus one CLI process: the
 * crash test restarts it a hundred times); `via: 'cli'` runs `sentinel-host service start`.
 * Either way the output goes to logs/service.log and the answering pid must be the one started.
 */
export function hostService(
  scope: Scope,
  home: string,
  env: NodeJS.ProcessEnv,
  opts: { via?: 'spawn' | 'cli'; callTimeoutMs?: number } = {},
): HostService {
  const paths = hostPaths({ SENTINEL_HOME: home });
  // Children this handle spawned and that have not exited: only those pids are ever killed, so a
  // pid the system reused after a crash test's SIGKILL is never touched.
  const running = new Set<number>();
  let last: number | null = null;
  const stop = (): Promise<void> => stopServiceIn(home, env, running);
  scope.defer(`stop the service in ${home}`, stop);

  const spawnDetached = (): { pid: number; gone: Promise<string> } => {
    mkdirSync(paths.logDir, { recursive: true, mode: 0o700 });
    const log = openSync(paths.serviceLog, 'a', 0o600);
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [CLI, 'service'], {
        env,
        detached: true,
        stdio: ['ignore', log, log],
      });
    } finally {
      closeSync(log);
    }
    child.unref();
    const pid = child.pid;
    if (pid === undefined) throw new Error('could not spawn the service');
    running.add(pid);
    const gone = new Promise<string>((r) =>
      child.once('exit', (code, signal) => {
        running.delete(pid);
        r(`exited (${signal ?? code})`);
      }),
    );
    return { pid, gone };
  };

  const service: HostService = {
    home,
    env,
    get pid() {
      return last;
    },
    async start() {
      let expected: number | null = null;
      let died: string | null = null;
      if (opts.via === 'cli') {
        const r = await runCli(['service', 'start'], env);
        if (r.code !== 0)
          throw new Error(`"sentinel-host service start" failed: ${r.stderr || r.stdout}`);
      } else {
        const child = spawnDetached();
        expected = child.pid;
        // A service that exits before answering (another one holds the socket, a bad home)
        // fails at once, with its log, instead of after the whole wait.
        void child.gone.then((why) => (died = why));
      }
      const hello = await until(
        async () => {
          if (died) throw new Error(`the service ${died} before answering:\n${service.logTail()}`);
          return helloOf(home);
        },
        30_000,
        'the service to answer',
      );
      if (expected !== null && hello.service.pid !== expected)
        throw new Error(`another service (pid ${hello.service.pid}) answers in ${home}`);
      last = hello.service.pid;
      return last;
    },
    stop,
    call: (method, params = {}) => callHome(home, method, params, opts.callTimeoutMs ?? 60_000),
    logTail(lines = 15) {
      if (!existsSync(paths.serviceLog)) return '(no service log)';
      return readFileSync(paths.serviceLog, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    },
  };
  return service;
}
