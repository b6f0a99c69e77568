/**
 * The demo's back end on loopback: the exchange simulator and the reference signal relay in this
 * process, and the real host service as its own process (`sentinel-host service start`) in a
 * fresh SENTINEL_HOME, pointed at the simulator. Every process and folder is undone by the scope.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { callServiceRaw } from '../../src/native-host/ipc/client.js';
import { hostPaths } from '../../src/native-host/paths.js';
import type { HelloResult } from '../../src/protocol/methods.js';
import { startRelay, type Relay } from '../../tools/signal-relay/server.js';
import { generateProviderKeys, type ProviderKeys } from '../../src/node/signal-envelope.js';
import { startSimulator, type Simulator } from '../../tools/simulator/index.js';
import type { Scope } from './scope.js';

import { ROOT } from '../harness/root.js';

export { ROOT };
export const CLI = join(ROOT, 'dist/host/native-host/main.js');
export const EXTENSION_DIR = join(ROOT, 'dist/extension');

export const PROVIDER_KID = 'demo-provider';
const PROVIDER_TOKEN = 'demo-provider-token-0123456789';
export const SUBSCRIBER_TOKEN = 'demo-subscriber-token-0123456789';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Stack {
  /** The demo's SENTINEL_HOME (never the user's). */
  home: string;
  /** HOME for every process the demo starts, the browser included (never the user's). */
  userHome: string;
  /** The environment of the service and of every CLI call. */
  env: NodeJS.ProcessEnv;
  sim: Simulator;
  relay: Relay;
  provider: ProviderKeys;
  servicePid: number;
  call<T = unknown>(method: string, params?: unknown): Promise<T>;
  /** `sentinel-host ARGS` with the demo's environment; `input` is its whole stdin. */
  cli(args: string[], input?: string): Promise<CliResult>;
  /** POST a frame to the relay as the strategy provider does. */
  publish(frame: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  serviceLogTail(lines?: number): string;
}

/** The user's environment without any SENTINEL_* variable: the demo must not reach their setup. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SENTINEL_')) env[k] = v;
  return env;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<CliResult> {
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

export async function startStack(scope: Scope): Promise<Stack> {
  const sim = await startSimulator({});
  scope.defer('close the exchange simulator', () => sim.close());

  const provider = generateProviderKeys();
  const relay = await startRelay({
    name: 'demo-relay',
    providers: [{ token: PROVIDER_TOKEN, kid: PROVIDER_KID, publicKey: provider.publicKey }],
    subscribers: [{ token: SUBSCRIBER_TOKEN, providerKid: PROVIDER_KID, name: 'demo-host' }],
  });
  scope.defer('close the signal relay', () => relay.close());

  const home = scope.tempDir('sc-demo-');
  const userHome = join(scope.tempDir('sc-demo-home-'), 'home');
  mkdirSync(userHome);
  const env: NodeJS.ProcessEnv = {
    ...cleanEnv(),
    HOME: userHome,
    SENTINEL_HOME: home,
    SENTINEL_ENDPOINT_BINANCE: sim.endpoint('binance'),
    SENTINEL_ENDPOINT_BYBIT: sim.endpoint('bybit'),
    SENTINEL_ENDPOINT_OKX: sim.endpoint('okx'),
    SENTINEL_PUBLIC_IP_URL: `${sim.url}/ip`,
    SENTINEL_CCXT_RATE_LIMIT: 'off',
    SENTINEL_LOG_LEVEL: 'info',
  };
  const paths = hostPaths({ SENTINEL_HOME: home });
  const call = <T>(method: string, params: unknown = {}) =>
    callServiceRaw(paths, method, params, { timeoutMs: 30_000 }) as Promise<T>;
  const cli = (args: string[], input?: string) => runCli(args, env, input);

  const service: { pid?: number } = {};
  // Registered before the start: a service that started but never answered is stopped too.
  scope.defer('stop the host service', async () => {
    const stopped = await cli(['service', 'stop']);
    if (stopped.code !== 0 && service.pid !== undefined) {
      // It did not stop on SIGTERM within 5 s: it is ours, so end it.
      try {
        process.kill(service.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  const started = await cli(['service', 'start']);
  if (started.code !== 0)
    throw new Error(`"sentinel-host service start" failed: ${started.stderr || started.stdout}`);
  const servicePid = (await call<HelloResult>('host.hello', { client: 'demo' })).service.pid;
  service.pid = servicePid;

  return {
    home,
    userHome,
    env,
    sim,
    relay,
    provider,
    servicePid,
    call,
    cli,
    async publish(frame) {
      const res = await fetch(`${relay.url}/signals`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${PROVIDER_TOKEN}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(frame),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    serviceLogTail(lines = 15) {
      if (!existsSync(paths.serviceLog)) return '(no service log)';
      return readFileSync(paths.serviceLog, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    },
  };
}
