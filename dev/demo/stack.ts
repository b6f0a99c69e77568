/**
 * The demo's back end on loopback: the dev harness's trading stack (dev/harness/trading.ts) — the
 * exchange simulator and the reference signal relay in this process, the real host service as
 * its own process (`sentinel-host service start`) in a fresh SENTINEL_HOME with a HOME of its own,
 * pointed at the simulator. The product's KDF; no vault or connection yet: the demo makes them
 * through the extension. Every process and folder is undone by the scope.
 */
import { startTradingStack, SUBSCRIBER_TOKEN } from '../harness/trading.js';
import type { CliResult } from '../harness/host.js';
import type { ProviderKeys } from '../../src/node/signal-envelope.js';
import type { Relay } from '../../tools/signal-relay/server.js';
import type { Simulator } from '../../tools/simulator/index.js';
import type { Scope } from './scope.js';

export { ROOT } from '../harness/root.js';
export { CLI, EXTENSION_DIR, type CliResult } from '../harness/host.js';
export { SUBSCRIBER_TOKEN };

export const PROVIDER_KID = 'demo-provider';

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

export async function startStack(scope: Scope): Promise<Stack> {
  const stack = await startTradingStack(scope, {
    kdf: 'production',
    prefix: 'sc-demo-',
    via: 'cli',
    callTimeoutMs: 30_000,
    kid: PROVIDER_KID,
    relayName: 'demo-relay',
    subscriberName: 'demo-host',
    vault: false,
    // The host's reconciliation cancels a fired stop-loss's sibling on Binance: every second here
    // instead of every minute, so the swap step sees it within the demo's pace.
    serviceEnv: { SENTINEL_SETTLE_INTERVAL_MS: '1000' },
  });
  return {
    home: stack.home,
    userHome: stack.userHome,
    env: stack.env,
    sim: stack.sim,
    relay: stack.relay,
    provider: stack.keys,
    servicePid: stack.service.pid!,
    call: <T>(method: string, params?: unknown) => stack.call(method, params) as Promise<T>,
    cli: stack.cli,
    publish: stack.post,
    serviceLogTail: (lines) => stack.service.logTail(lines),
  };
}
