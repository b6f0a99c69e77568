/**
 * A whole trading setup on loopback, as test/helpers/trading-rig.ts builds it for the tests: the
 * exchange simulator and the reference relay in this process, the real host service as its own
 * process (fresh SENTINEL_HOME, ccxt throttle off), the vault created and unlocked. Connections
 * (one live key per exchange) and the subscription come with `addConnections`.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { callHome, hostEnv, startService, until, type Scope } from './common.js';
import { deriveClientOrderId } from '../../src/exchanges/order-id.js';
import type { ExchangeId } from '../../src/exchanges/types.js';
import type { Connection } from '../../src/protocol/methods.js';
import { startRelay, type Relay } from '../../tools/signal-relay/server.js';
import {
  generateProviderKeys,
  signSignal,
  type ProviderKeys,
} from '../../src/node/signal-envelope.js';
import type { SignalFrame } from '../../src/signals/types.js';
import { startSimulator, type SimKeyConfig, type Simulator } from '../../tools/simulator/index.js';

export const EXCHANGES = ['binance', 'bybit', 'okx'] as const;
export const PASS = 'bench rig passphrase';
const PROVIDER_TOKEN = 'bench-provider-token-0123456789';
const SUBSCRIBER_TOKEN = 'bench-subscriber-token-0123456789';
const KID = 'bench1';

export interface Rig {
  home: string;
  servicePid: number;
  sim: Simulator;
  relay: Relay;
  keys: ProviderKeys;
  connections: Partial<Record<ExchangeId, Connection>>;
  call(method: string, params?: unknown): Promise<unknown>;
  /** One live connection per exchange, routed from "<exchange>-trend", and the subscription. */
  addConnections(): Promise<void>;
  /** A fresh market-buy signal for `exchange`, signed, with the client order id it will get. */
  signal(exchange: ExchangeId): { frame: SignalFrame; id: string; clientOrderId: string };
  /** Whether the relay has the service's ack for this signal id. */
  acked(id: string): boolean;
}

let counter = 0;
const sha256 = (b: Uint8Array): Uint8Array => createHash('sha256').update(b).digest();

/** A key the simulator knows, with room for thousands of orders. */
export function simKey(sim: Simulator, exchange: ExchangeId, tag: string): SimKeyConfig {
  return {
    exchange,
    apiKey: `${exchange.toUpperCase()}${tag.toUpperCase()}KEY0001`,
    secret: `${exchange}-${tag}-secret-0001`,
    ...(exchange === 'okx' ? { passphrase: 'BenchPass-001!' } : {}),
    environment: 'live',
    permissions: { read: true, spot: true },
    ipList: [sim.clientIp],
    createdAt: Date.now(),
    balances: { USDT: '100000000', BTC: '100', ETH: '1000', SOL: '10000' },
  };
}

export async function startRig(scope: Scope, prefix = 'scb-'): Promise<Rig> {
  const home = scope.tempDir(prefix);
  const sim = await startSimulator({});
  scope.defer('close the simulator', () => sim.close());
  const keys = generateProviderKeys();
  const relay = await startRelay({
    providers: [
      { token: PROVIDER_TOKEN, kid: KID, publicKey: keys.publicKey, privateKey: keys.privateKey },
    ],
    subscribers: [{ token: SUBSCRIBER_TOKEN, providerKid: KID }],
    replayMs: 600_000,
    maxBuffer: 5000,
  });
  scope.defer('close the relay', () => relay.close());
  const passFile = join(home, 'passphrase');
  writeFileSync(passFile, PASS, { mode: 0o600 });
  const env = hostEnv(home, {
    SENTINEL_ENDPOINT_BINANCE: sim.endpoint('binance'),
    SENTINEL_ENDPOINT_BYBIT: sim.endpoint('bybit'),
    SENTINEL_ENDPOINT_OKX: sim.endpoint('okx'),
    SENTINEL_PUBLIC_IP_URL: `${sim.url}/ip`,
    SENTINEL_PASSPHRASE_FILE: passFile,
    SENTINEL_CCXT_RATE_LIMIT: 'off',
  });
  const servicePid = await startService(scope, home, env);
  const call = (method: string, params: unknown = {}) => callHome(home, method, params);
  await call('vault.create', { passphrase: PASS });

  const connections: Partial<Record<ExchangeId, Connection>> = {};
  const rig: Rig = {
    home,
    servicePid,
    sim,
    relay,
    keys,
    connections,
    call,
    async addConnections() {
      for (const exchange of EXCHANGES) {
        const key = simKey(sim, exchange, 'svc');
        sim.addKey(key);
        const added = (await call('connections.add', {
          exchange,
          label: `bench ${exchange}`,
          credentials: {
            apiKey: key.apiKey,
            secret: key.secret,
            ...(key.passphrase ? { passphrase: key.passphrase } : {}),
          },
        })) as { connection: Connection };
        connections[exchange] = added.connection;
        await call('connections.setMode', { id: added.connection.id, mode: 'live' });
      }
      await call('signals.subscribe', {
        url: relay.wsUrl,
        token: SUBSCRIBER_TOKEN,
        providerKey: keys.publicKey,
        routes: EXCHANGES.map((ex) => ({
          strategy: `${ex}-trend`,
          connectionId: connections[ex]!.id,
          maxOrderQuote: '1000000',
        })),
      });
      await until(() => relay.connections().length > 0, 20_000, 'the feed to connect', 10);
    },
    signal(exchange) {
      const connection = connections[exchange];
      if (!connection) throw new Error(`no ${exchange} connection yet`);
      counter++;
      const id = `bench_${Date.now().toString(36)}_${counter}`;
      const frame = signSignal(
        {
          v: 1,
          id,
          strategy: `${exchange}-trend`,
          issuedAt: Date.now(),
          ttlMs: 600_000,
          symbol: 'BTC/USDT',
          side: 'buy',
          type: 'market',
          size: { quote: '50' },
        },
        keys.privateKey,
        KID,
      );
      const clientOrderId = deriveClientOrderId(`${keys.publicKey}/${id}`, connection.id, sha256);
      return { frame, id, clientOrderId };
    },
    acked: (id) => relay.acks(SUBSCRIBER_TOKEN).some((a) => a.id === id),
  };
  return rig;
}
