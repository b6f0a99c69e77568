/**
 * A whole trading setup on loopback, for the tests, the demo and the bench: the exchange simulator
 * and the reference signal relay in this process, the real host service as its own process in a
 * fresh SENTINEL_HOME (with a HOME of its own: nothing reaches the user's files), pointed at the
 * simulator, ccxt's throttle off. Optionally the vault (created, then unlocked at every start
 * from a passphrase file), one connection per exchange and a subscription routing
 * "<exchange>-trend" to each. Everything is undone by the scope.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostEnv, hostService, insecureTestKdf, runCli, type CliResult } from './host.js';
import type { HostService } from './host.js';
import type { Scope } from './scope.js';
import { until } from './wait.js';
import { deriveClientOrderId } from '../../src/exchanges/order-id.js';
import type { ExchangeId } from '../../src/exchanges/types.js';
import type { Route } from '../../src/native-host/service/trading/risk.js';
import {
  generateProviderKeys,
  signSignal,
  type ProviderKeys,
} from '../../src/node/signal-envelope.js';
import type { Connection } from '../../src/protocol/methods.js';
import type { SignalFrame } from '../../src/signals/types.js';
import type { PublishResult } from '../../tools/signal-relay/relay-api.js';
import { startRelay, type Relay } from '../../tools/signal-relay/server.js';
import { startSimulator, type SimKeyConfig, type Simulator } from '../../tools/simulator/index.js';

export const EXCHANGES = ['binance', 'bybit', 'okx'] as const;
export const PASS = 'harness vault passphrase';
export const PROVIDER_TOKEN = 'provider-token-0123456789';
export const SUBSCRIBER_TOKEN = 'subscriber-token-0123456789';
export const KID = 'k1';

let counter = 0;
export function signalId(prefix = 'sig'): string {
  counter++;
  return `${prefix}_${Date.now().toString(36)}_${counter}`;
}

/** A fresh market buy of 50 USDT of BTC for `strategy`, valid for 10 minutes. */
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

export const RIG_BALANCES = { USDT: '1000000', BTC: '100', ETH: '1000', SOL: '10000' };

/** A live spot key the simulator knows: "<EXCHANGE><TAG>KEY0001", "<exchange>-<tag>-secret-0001". */
export function simKey(
  sim: Simulator,
  exchange: ExchangeId,
  tag = 'rig',
  balances: Record<string, string> = RIG_BALANCES,
): SimKeyConfig {
  return {
    exchange,
    apiKey: `${exchange.toUpperCase()}${tag.toUpperCase()}KEY0001`,
    secret: `${exchange}-${tag}-secret-0001`,
    ...(exchange === 'okx' ? { passphrase: 'RigPass-001!' } : {}),
    environment: 'live',
    permissions: { read: true, spot: true },
    ipList: [sim.clientIp],
    createdAt: Date.now(),
    balances,
  };
}

export interface ConnectOptions {
  /** Labels "<tag> <exchange>" and the keys' tag (simKey). Default "rig". */
  tag?: string;
  balances?: Record<string, string>;
  /** Set each connection live (default: the product's dry-run). */
  live?: boolean;
  /** Default: "<exchange>-trend" → that exchange's connection, up to 1,000,000 per order. */
  routes?: (c: Record<ExchangeId, Connection>) => Route[];
  /** Keys that may also trade futures (perpetual swaps). Default: spot only. */
  futures?: boolean;
}

export interface TradingStackOptions {
  /** Insecure test KDF (tests that do not test the KDF) or the product's (demo, bench). */
  kdf: 'insecure-test' | 'production';
  /** SENTINEL_HOME's temp prefix (short: the socket path must stay under ~100 bytes). */
  prefix?: string;
  logLevel?: 'debug' | 'info';
  serviceEnv?: NodeJS.ProcessEnv;
  /** hostService's: the service run directly (default) or by `sentinel-host service start`. */
  via?: 'spawn' | 'cli';
  callTimeoutMs?: number;
  /** The provider's key id and the names the relay shows. */
  kid?: string;
  relayName?: string;
  subscriberName?: string;
  /** Create the vault, unlocked at every start from a passphrase file. Default true. */
  vault?: boolean;
  /** Connections and the subscription at start (needs the vault). Default: with the vault. */
  connect?: boolean | ConnectOptions;
}

export interface TradingStack {
  home: string;
  /** HOME of the service and of every CLI call (never the user's). */
  userHome: string;
  env: NodeJS.ProcessEnv;
  sim: Simulator;
  relay: Relay;
  keys: ProviderKeys;
  kid: string;
  service: HostService;
  /** Filled by `connect` (at start unless told otherwise). */
  connections: Record<ExchangeId, Connection>;
  call(method: string, params?: unknown): Promise<unknown>;
  /** `sentinel-host ARGS` in this stack's environment; `input` is the whole stdin. */
  cli(args: string[], input?: string): Promise<CliResult>;
  /** One connection per exchange (audited by the service) and the subscription; waits for the feed. */
  connect(opts?: ConnectOptions): Promise<Record<ExchangeId, Connection>>;
  sign(signal: object): SignalFrame;
  /** Sign with the provider key and publish through the relay (in process). */
  publish(signal: object): Promise<PublishResult>;
  /** POST a frame to the relay over HTTP, as a provider does. */
  post(frame: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  /** The client order id the service derives for this signal on this exchange's connection. */
  clientOrderId(exchange: ExchangeId, signalId: string): string;
  /** Whether the relay has the service's ack for this signal id. */
  acked(id: string): boolean;
}

const sha256 = (b: Uint8Array): Uint8Array => createHash('sha256').update(b).digest();

export async function startTradingStack(
  scope: Scope,
  opts: TradingStackOptions,
): Promise<TradingStack> {
  const kid = opts.kid ?? KID;
  const sim = await startSimulator({});
  scope.defer('close the exchange simulator', () => sim.close());
  const keys = generateProviderKeys();
  // The provider signs; the relay holds only its public key.
  const relay = await startRelay({
    ...(opts.relayName ? { name: opts.relayName } : {}),
    providers: [{ token: PROVIDER_TOKEN, kid, publicKey: keys.publicKey }],
    subscribers: [
      {
        token: SUBSCRIBER_TOKEN,
        providerKid: kid,
        ...(opts.subscriberName ? { name: opts.subscriberName } : {}),
      },
    ],
    replayMs: 600_000,
    maxBuffer: 5000,
  });
  scope.defer('close the signal relay', () => relay.close());

  const home = scope.tempDir(opts.prefix ?? 'sc-rig-');
  const userHome = join(scope.tempDir('sc-user-'), 'home');
  mkdirSync(userHome);
  const withVault = opts.vault ?? true;
  const passFile = join(home, 'passphrase');
  if (withVault) writeFileSync(passFile, PASS, { mode: 0o600 });
  const env = hostEnv(home, {
    HOME: userHome,
    SENTINEL_ENDPOINT_BINANCE: sim.endpoint('binance'),
    SENTINEL_ENDPOINT_BYBIT: sim.endpoint('bybit'),
    SENTINEL_ENDPOINT_OKX: sim.endpoint('okx'),
    SENTINEL_PUBLIC_IP_URL: `${sim.url}/ip`,
    SENTINEL_CCXT_RATE_LIMIT: 'off',
    SENTINEL_LOG_LEVEL: opts.logLevel ?? 'info',
    ...(withVault ? { SENTINEL_PASSPHRASE_FILE: passFile } : {}),
    ...(opts.kdf === 'insecure-test' ? insecureTestKdf(home) : {}),
    ...opts.serviceEnv,
  });
  const service = hostService(scope, home, env, {
    ...(opts.via ? { via: opts.via } : {}),
    ...(opts.callTimeoutMs ? { callTimeoutMs: opts.callTimeoutMs } : {}),
  });
  await service.start();
  const call = service.call;
  if (withVault) await call('vault.create', { passphrase: PASS });

  const connections = {} as Record<ExchangeId, Connection>;
  const stack: TradingStack = {
    home,
    userHome,
    env,
    sim,
    relay,
    keys,
    kid,
    service,
    connections,
    call,
    cli: (args, input) => runCli(args, env, input),
    async connect(c = {}) {
      const tag = c.tag ?? 'rig';
      for (const exchange of EXCHANGES) {
        const spotKey = simKey(sim, exchange, tag, c.balances);
        const key = c.futures
          ? { ...spotKey, permissions: { ...spotKey.permissions, futures: true } }
          : spotKey;
        sim.addKey(key);
        const added = (await call('connections.add', {
          exchange,
          label: `${tag} ${exchange}`,
          credentials: {
            apiKey: key.apiKey,
            secret: key.secret,
            ...(key.passphrase ? { passphrase: key.passphrase } : {}),
          },
        })) as { connection: Connection };
        connections[exchange] = added.connection;
        if (c.live) await call('connections.setMode', { id: added.connection.id, mode: 'live' });
      }
      const routes =
        c.routes?.(connections) ??
        EXCHANGES.map((ex) => ({
          strategy: `${ex}-trend`,
          connectionId: connections[ex].id,
          maxOrderQuote: '1000000',
        }));
      await call('signals.subscribe', {
        url: relay.wsUrl,
        token: SUBSCRIBER_TOKEN,
        providerKey: keys.publicKey,
        routes,
      });
      await until(() => relay.connections().length > 0, 20_000, 'the feed to connect');
      return connections;
    },
    sign: (signal) => signSignal(signal, keys.privateKey, kid),
    publish: (signal) => relay.publish(stack.sign(signal)),
    async post(frame) {
      const res = await fetch(`${relay.url}/signals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${PROVIDER_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(frame),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    clientOrderId(exchange, id) {
      const connection = connections[exchange] as Connection | undefined;
      if (!connection) throw new Error(`no ${exchange} connection yet`);
      return deriveClientOrderId(`${keys.publicKey}/${id}`, connection.id, sha256);
    },
    acked: (id) => relay.acks(SUBSCRIBER_TOKEN).some((a) => a.id === id),
  };
  const connect = opts.connect ?? withVault;
  if (connect) await stack.connect(connect === true ? {} : connect);
  return stack;
}
