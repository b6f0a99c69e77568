/**
 * A whole trading setup on loopback for tests: the exchange simulator, the reference signal relay,
 * and the real host service (a separate process, unlocked at start from a passphrase file) with
 * one connection per exchange and a subscription routing strategies to them.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, cleanupHome, hostEnv, runCli, tempHome } from './host.js';
import { startSimulator, type SimKeyConfig, type Simulator } from '../../tools/simulator/index.js';
import { startRelay, type Relay } from '../../tools/signal-relay/server.js';
import {
  generateProviderKeys,
  signSignal,
  type ProviderKeys,
} from '../../src/node/signal-envelope.js';
import { callServiceRaw } from '../../src/native-host/ipc/client.js';
import { hostPaths } from '../../src/native-host/paths.js';
import type { ExchangeId } from '../../src/exchanges/types.js';
import type { Connection } from '../../src/protocol/methods.js';
import type { Route } from '../../src/native-host/service/trading/risk.js';

export const PASS = 'trading rig passphrase';
export const PROVIDER_TOKEN = 'provider-token-0123456789';
export const SUBSCRIBER_TOKEN = 'subscriber-token-0123456789';
export const KID = 'k1';

export interface Rig {
  home: string;
  sim: Simulator;
  relay: Relay;
  keys: ProviderKeys;
  connections: Record<ExchangeId, Connection>;
  call(method: string, params?: unknown): Promise<unknown>;
  startService(): Promise<number>;
  stopService(): Promise<void>;
  /** Sign with the provider key and publish through the relay. */
  publish(signal: object): Promise<unknown>;
  close(): Promise<void>;
}

let counter = 0;
export function signalId(prefix = 'sig'): string {
  counter++;
  return `${prefix}_${Date.now().toString(36)}_${counter}`;
}

export function marketSignal(strategy: string, extra: object = {}): Record<string, unknown> {
  return {
    v: 1,
    id: signalId(),
    strategy,
    issuedAt: Date.now(),
    ttlMs: 600_000,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    size: { quote: '50' },
    ...extra,
  };
}

export async function startRig(
  opts: {
    routes?: (c: Record<ExchangeId, Connection>) => Route[];
    serviceEnv?: NodeJS.ProcessEnv;
  } = {},
): Promise<Rig> {
  const home = tempHome('sc-rig-');
  const sim = await startSimulator({});
  const keys = generateProviderKeys();
  const relay = await startRelay({
    providers: [
      { token: PROVIDER_TOKEN, kid: KID, publicKey: keys.publicKey, privateKey: keys.privateKey },
    ],
    subscribers: [{ token: SUBSCRIBER_TOKEN, providerKid: KID }],
    replayMs: 600_000,
    maxBuffer: 5000,
  });
  const passFile = join(home, 'passphrase');
  writeFileSync(passFile, PASS, { mode: 0o600 });
  const env = hostEnv(home, {
    SENTINEL_ENDPOINT_BINANCE: sim.endpoint('binance'),
    SENTINEL_ENDPOINT_BYBIT: sim.endpoint('bybit'),
    SENTINEL_ENDPOINT_OKX: sim.endpoint('okx'),
    SENTINEL_PUBLIC_IP_URL: `${sim.url}/ip`,
    SENTINEL_PASSPHRASE_FILE: passFile,
    SENTINEL_CCXT_RATE_LIMIT: 'off',
    SENTINEL_LOG_LEVEL: 'info',
    ...opts.serviceEnv,
  });
  const call = (method: string, params: unknown = {}) =>
    callServiceRaw(hostPaths({ SENTINEL_HOME: home }), method, params, { timeoutMs: 60_000 });
  // Started directly (as `sentinel-host service start` does, minus one CLI process): the crash
  // test restarts it a hundred times.
  const startService = async (): Promise<number> => {
    const log = openSync(join(home, 'rig-service.log'), 'a');
    spawn(process.execPath, [CLI, 'service'], {
      env,
      detached: true,
      stdio: ['ignore', log, log],
    }).unref();
    closeSync(log);
    const hello = await until(
      () =>
        call('host.hello').then(
          (h) => h as { service: { pid: number } },
          () => null,
        ),
      30_000,
      'the service to answer',
    );
    return hello.service.pid;
  };
  await startService();
  await call('vault.create', { passphrase: PASS });

  const connections = {} as Record<ExchangeId, Connection>;
  for (const exchange of ['binance', 'bybit', 'okx'] as const) {
    const key: SimKeyConfig = {
      exchange,
      apiKey: `${exchange.toUpperCase()}RIGKEY0001`,
      secret: `${exchange}-rig-secret-0001`,
      ...(exchange === 'okx' ? { passphrase: 'RigPass-001!' } : {}),
      environment: 'live',
      permissions: { read: true, spot: true },
      ipList: [sim.clientIp],
      createdAt: Date.now(),
      balances: { USDT: '1000000', BTC: '100', ETH: '1000', SOL: '10000' },
    };
    sim.addKey(key);
    const added = (await call('connections.add', {
      exchange,
      label: `rig ${exchange}`,
      credentials: {
        apiKey: key.apiKey,
        secret: key.secret,
        ...(key.passphrase ? { passphrase: key.passphrase } : {}),
      },
    })) as { connection: Connection };
    connections[exchange] = added.connection;
  }
  const routes = opts.routes?.(connections) ?? [
    { strategy: 'binance-trend', connectionId: connections.binance.id, maxOrderQuote: '1000000' },
    { strategy: 'bybit-trend', connectionId: connections.bybit.id, maxOrderQuote: '1000000' },
    { strategy: 'okx-trend', connectionId: connections.okx.id, maxOrderQuote: '1000000' },
  ];
  await call('signals.subscribe', {
    url: relay.wsUrl,
    token: SUBSCRIBER_TOKEN,
    providerKey: keys.publicKey,
    routes,
  });

  return {
    home,
    sim,
    relay,
    keys,
    connections,
    call,
    startService,
    stopService: async () => {
      await runCli(['service', 'stop'], env);
    },
    publish: (signal) => relay.publish(signSignal(signal, keys.privateKey, KID)),
    close: async () => {
      await cleanupHome(home);
      await relay.close();
      await sim.close();
    },
  };
}

/** Wait until `probe` returns a truthy value (polling), or fail after timeoutMs. */
export async function until<T>(
  probe: () => T | Promise<T>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
