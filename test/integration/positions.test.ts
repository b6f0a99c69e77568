/**
 * Perpetuals through the real service, real ccxt and the simulator: the routes decide whether a
 * connection needs futures (its audit then blocks a key without them), and positions.list asks
 * only the connections a route trades swaps on, reporting a failing exchange per connection.
 *
 * Swap routes are written into the state DB directly: signals.subscribe refuses "swap" until the
 * swap order path is enabled (trading/risk.ts parseRoutes).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { cleanupHome, hostEnv, requireBuiltHost, runCli, tempHome } from '../helpers/host.js';
import { startSimulator, type SimKeyConfig, type Simulator } from '../../tools/simulator/index.js';
import { perpCcxtFor } from '../helpers/simulator.js';
import { callServiceRaw } from '../../src/native-host/ipc/client.js';
import { hostPaths } from '../../src/native-host/paths.js';
import { RpcError } from '../../src/protocol/jsonrpc.js';
import type { Audit, ExchangeId, Permission } from '../../src/exchanges/types.js';
import type { AddConnectionResult, Connection } from '../../src/protocol/methods.js';
import type { PositionsListResult } from '../../src/protocol/positions.js';
import type { Route } from '../../src/protocol/trading.js';

let sim: Simulator;
let home: string;
let env: NodeJS.ProcessEnv;
const PASSPHRASE = 'positions test passphrase';

beforeAll(async () => {
  requireBuiltHost();
  sim = await startSimulator({});
  home = tempHome();
  env = hostEnv(home, {
    SENTINEL_PUBLIC_IP_URL: 'http://127.0.0.1:9/', // unknown IP: the audits prove it by answering
    SENTINEL_ENDPOINT_BINANCE: sim.endpoint('binance'),
    SENTINEL_ENDPOINT_BYBIT: sim.endpoint('bybit'),
    SENTINEL_ENDPOINT_OKX: sim.endpoint('okx'),
  });
  expect((await runCli(['service', 'start'], env)).code).toBe(0);
  await call('vault.create', { passphrase: PASSPHRASE });
}, 60_000);

afterAll(async () => {
  await cleanupHome(home);
  await sim.close();
});

const call = (method: string, params: unknown = {}) =>
  callServiceRaw(hostPaths({ SENTINEL_HOME: home }), method, params, { timeoutMs: 30_000 });

let serial = 0;
async function connect(
  exchange: ExchangeId,
  permissions: Partial<Record<Permission, boolean>>,
): Promise<{ connection: Connection; key: SimKeyConfig }> {
  serial++;
  const key: SimKeyConfig = {
    exchange,
    apiKey: `${exchange.toUpperCase()}POSx7Qm2pLw${String(serial).padStart(4, '0')}`,
    secret: `sec-${exchange}-${serial}-Zx81kQpL0aMw`,
    ...(exchange === 'okx' ? { passphrase: `OkxPass-${serial}!` } : {}),
    environment: 'live',
    permissions: { read: true, ...permissions },
    ipList: [sim.clientIp],
    createdAt: Date.now() - 10 * 86_400_000,
    balances: { USDT: '10000' },
  };
  sim.addKey(key);
  const { connection } = (await call('connections.add', {
    exchange,
    label: `pos ${serial}`,
    credentials: {
      apiKey: key.apiKey,
      secret: key.secret,
      ...(key.passphrase ? { passphrase: key.passphrase } : {}),
    },
  })) as AddConnectionResult;
  return { connection, key };
}

/** A subscription row as signals.subscribe writes it, with routes it would not accept yet. */
function writeSubscription(id: string, routes: Route[]): void {
  const db = new Database(join(home, 'state.db'));
  try {
    db.prepare(
      "INSERT INTO subscriptions (id, url, token, provider_key, routes, created_at) VALUES (?, 'ws://127.0.0.1:9/', '', ?, ?, ?)",
    ).run(id, 'A'.repeat(43), JSON.stringify(routes), new Date().toISOString());
  } finally {
    db.close();
  }
}

const route = (connectionId: string, markets: ('spot' | 'swap')[]): Route => ({
  strategy: 'perp',
  connectionId,
  maxOrderQuote: '100',
  markets,
});

async function refused(p: Promise<unknown>): Promise<RpcError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RpcError) return err;
    throw err;
  }
  throw new Error('expected the service to refuse');
}

const futures = (a: Audit) => a.checks.find((c) => c.id === 'futures');

describe('futures are needed when a route trades swaps', () => {
  it('without a swap route an unneeded futures permission warns; with one it is ok', async () => {
    const { connection } = await connect('binance', { spot: true, futures: true });
    expect(futures(connection.lastAudit!)?.level).toBe('warn');
    writeSubscription('s_needsfutures1', [route(connection.id, ['spot', 'swap'])]);
    const audit = (await call('connections.audit', { id: connection.id })) as Audit;
    expect(futures(audit)?.level).toBe('ok');
    expect(audit.verdict).toBe('ok');
  });

  it('removing the last swap route audits the connection again: futures turn back into a warning', async () => {
    const { connection } = await connect('binance', { spot: true, futures: true });
    writeSubscription('s_swaprouteend', [route(connection.id, ['swap'])]);
    expect(futures((await call('connections.audit', { id: connection.id })) as Audit)?.level).toBe(
      'ok',
    );
    await call('signals.unsubscribe', { id: 's_swaprouteend' });
    // The service audits it again by itself (connection.audited); nobody asks here.
    const deadline = Date.now() + 15_000;
    let level: string | undefined;
    while (Date.now() < deadline) {
      const c = ((await call('connections.list')) as Connection[]).find(
        (x) => x.id === connection.id,
      );
      level = c?.lastAudit ? futures(c.lastAudit)?.level : undefined;
      if (level === 'warn') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(level).toBe('warn');
  });

  it.each(['binance', 'bybit'] as const)(
    '%s: a key without futures on a swap route is a plain block, and the connection pauses',
    async (exchange) => {
      const { connection } = await connect(exchange, { spot: true });
      expect(futures(connection.lastAudit!)).toBeUndefined();
      writeSubscription(`s_nofutures${exchange}`, [route(connection.id, ['swap'])]);
      const audit = (await call('connections.audit', { id: connection.id })) as Audit;
      expect(audit.verdict).toBe('block');
      expect(futures(audit)?.message).toMatch(
        exchange === 'binance' ? /tick "Enable Futures"/ : /"Positions" under Contract/,
      );
      const after = ((await call('connections.list')) as Connection[]).find(
        (c) => c.id === connection.id,
      );
      expect(after?.pausedReason).toBeTruthy();
    },
  );
});

describe('positions.list', () => {
  let swapA: Connection;
  let swapB: Connection;
  let swapC: Connection;
  let spotOnly: Connection;

  beforeAll(async () => {
    const binance = await connect('binance', { spot: true, futures: true });
    swapA = binance.connection;
    // A long the user holds on Binance USDⓈ-M, opened with the same key outside the host.
    const ex = perpCcxtFor(sim, binance.key);
    await ex.loadMarkets();
    await ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01);
    const bybit = await connect('bybit', { spot: true, futures: true });
    swapB = bybit.connection;
    const bx = perpCcxtFor(sim, bybit.key);
    await bx.loadMarkets();
    await bx.setLeverage(3, 'BTC/USDT:USDT');
    await bx.createOrder('BTC/USDT:USDT', 'market', 'sell', 0.01);
    const okx = await connect('okx', { spot: true });
    swapC = okx.connection;
    // OKX counts contracts (ctVal 0.01 BTC): 2 contracts are 0.02 BTC.
    const ox = perpCcxtFor(sim, okx.key);
    await ox.loadMarkets();
    await ox.setLeverage(3, 'BTC/USDT:USDT', { marginMode: 'isolated' });
    await ox.createOrder('BTC/USDT:USDT', 'market', 'buy', 2, undefined, {
      marginMode: 'isolated',
    });
    spotOnly = (await connect('okx', { spot: true })).connection;
    writeSubscription('s_positions01', [
      route(swapA.id, ['swap']),
      route(swapB.id, ['spot', 'swap']),
      route(swapC.id, ['swap']),
      route(spotOnly.id, ['spot']),
    ]);
  }, 60_000);

  it('asks only the connections a route trades swaps on; each answers or says why not', async () => {
    const r = (await call('positions.list')) as PositionsListResult;
    expect(r.asked).toContain(swapA.id);
    expect(r.asked).toContain(swapB.id);
    expect(r.asked).not.toContain(spotOnly.id);
    for (const p of r.problems) {
      expect(r.asked).toContain(p.connectionId);
      // Plain words, never ccxt's text with its signed URL, never a secret.
      expect(p.message).not.toMatch(/https?:\/\/|signature=|sec-/);
    }
    expect(r.positions.every((p) => r.asked.includes(p.connectionId))).toBe(true);
  });

  it('shows the position Binance holds: side, size, entry, mark, P&L', async () => {
    const r = (await call('positions.list', { connectionId: swapA.id })) as PositionsListResult;
    expect(r.problems).toEqual([]);
    expect(r.positions).toHaveLength(1);
    const p = r.positions[0]!;
    expect(p).toMatchObject({
      connectionId: swapA.id,
      symbol: 'BTC/USDT:USDT',
      side: 'long',
      contracts: '0.01',
      size: '0.01',
    });
    const price = Number(sim.price('binance', 'BTC/USDT'));
    expect(Number(p.entryPrice)).toBeCloseTo(price, -1);
    expect(Number(p.markPrice)).toBeGreaterThan(0);
    expect(p.unrealizedPnl).toMatch(/^-?\d+(\.\d+)?$/);
    // Binance USDⓈ-M v3 carries no leverage with the position (FACTS.md): absent, never guessed.
    expect(p.leverage).toBeUndefined();
  });

  it('Bybit and OKX positions: leverage and margin mode as reported; OKX contracts in base units', async () => {
    const r = (await call('positions.list')) as PositionsListResult;
    expect(
      r.problems.filter((p) => p.connectionId === swapB.id || p.connectionId === swapC.id),
    ).toEqual([]);
    expect(r.positions.find((p) => p.connectionId === swapB.id)).toMatchObject({
      symbol: 'BTC/USDT:USDT',
      side: 'short',
      contracts: '0.01',
      size: '0.01',
      leverage: 3,
    });
    expect(r.positions.find((p) => p.connectionId === swapC.id)).toMatchObject({
      symbol: 'BTC/USDT:USDT',
      side: 'long',
      contracts: '2',
      size: '0.02',
      leverage: 3,
      marginMode: 'isolated',
    });
  });

  it('connectionId narrows the list; a spot-only connection is not asked', async () => {
    const one = (await call('positions.list', { connectionId: swapB.id })) as PositionsListResult;
    expect(one.asked).toEqual([swapB.id]);
    const none = (await call('positions.list', {
      connectionId: spotOnly.id,
    })) as PositionsListResult;
    expect(none).toEqual({ positions: [], problems: [], asked: [] });
    const missing = await refused(call('positions.list', { connectionId: 'c_nope' }));
    expect(missing.reason).toBe('NOT_FOUND');
    expect((await refused(call('positions.list', { connectionId: 7 }))).reason).toBe(
      'INVALID_PARAMS',
    );
  });

  it('an exchange that fails is reported for its connection; the others still answer', async () => {
    const failing = (r: PositionsListResult) => r.problems.map((p) => p.connectionId);
    const before = (await call('positions.list')) as PositionsListResult;
    sim.setFault('bybit', { status5xx: 50 });
    // One exchange answer serves every page for 3 s: ask once that has passed.
    await new Promise((r) => setTimeout(r, 3_100));
    try {
      const r = (await call('positions.list')) as PositionsListResult;
      const bybit = r.problems.find((p) => p.connectionId === swapB.id);
      expect(bybit?.reason).toBe('EXCHANGE_UNREACHABLE');
      expect(bybit?.message).toMatch(/unavailable.*try again later/);
      // Binance answers exactly as it did before Bybit failed.
      expect(failing(r).includes(swapA.id)).toBe(failing(before).includes(swapA.id));
      expect(r.positions.filter((p) => p.connectionId === swapA.id)).toEqual(
        before.positions.filter((p) => p.connectionId === swapA.id),
      );
    } finally {
      sim.clearFaults('bybit');
    }
  });

  it('sentinel-host positions prints the same answer; exit 1 when a connection could not answer', async () => {
    const cli = await runCli(['positions', '--connection', swapB.id, '--json'], env);
    const r = JSON.parse(cli.stdout) as PositionsListResult;
    expect(r.asked).toEqual([swapB.id]);
    expect(cli.code).toBe(r.problems.length > 0 ? 1 : 0);
    const text = await runCli(['positions', '--connection', spotOnly.id], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/no connection trades perpetual swaps/);
  });

  it('needs the vault unlocked', async () => {
    await call('vault.lock');
    try {
      expect((await refused(call('positions.list'))).reason).toBe('VAULT_LOCKED');
    } finally {
      await call('vault.unlock', { passphrase: PASSPHRASE });
    }
  });
});
