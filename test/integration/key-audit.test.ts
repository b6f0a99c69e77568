/**
 * The ground-truth key audit through the real service, real ccxt and the simulator, for each
 * exchange: safe keys pass, withdraw-enabled keys are refused and not stored, weaker setups warn,
 * rejected keys get the exchange's reason in plain words.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cleanupHome, hostEnv, requireBuiltHost, runCli, tempHome } from '../helpers/host.js';
import { startSimulator, type SimKeyConfig, type Simulator } from '../../tools/simulator/index.js';
import { callServiceRaw } from '../../src/native-host/ipc/client.js';
import { hostPaths } from '../../src/native-host/paths.js';
import { RpcError } from '../../src/protocol/jsonrpc.js';
import type { Audit, ExchangeId } from '../../src/exchanges/types.js';
import type { AddConnectionResult, Connection } from '../../src/protocol/methods.js';

let sim: Simulator;
let home: string;
let ipServer: Server;
let publicIp = '';

beforeAll(async () => {
  requireBuiltHost();
  sim = await startSimulator({});
  publicIp = sim.clientIp;
  // This machine's public IP as the host finds it; the tests move it to play "IP not listed".
  ipServer = createServer((_req, res) => res.end(publicIp));
  await new Promise<void>((r) => ipServer.listen(0, '127.0.0.1', r));
  home = tempHome();
  const env = hostEnv(home, {
    SENTINEL_PUBLIC_IP_URL: `http://127.0.0.1:${(ipServer.address() as AddressInfo).port}/`,
    SENTINEL_ENDPOINT_BINANCE: sim.endpoint('binance'),
    SENTINEL_ENDPOINT_BYBIT: sim.endpoint('bybit'),
    SENTINEL_ENDPOINT_OKX: sim.endpoint('okx'),
  });
  expect((await runCli(['service', 'start'], env)).code).toBe(0);
  await call('vault.create', { passphrase: 'audit test passphrase' });
}, 60_000);

afterAll(async () => {
  await cleanupHome(home);
  await sim.close();
  await new Promise<void>((r) => ipServer.close(() => r()));
});

const call = (method: string, params: unknown = {}) =>
  callServiceRaw(hostPaths({ SENTINEL_HOME: home }), method, params, { timeoutMs: 30_000 });

let serial = 0;
function simKey(exchange: ExchangeId, extra: Partial<SimKeyConfig> = {}): SimKeyConfig {
  serial++;
  const key: SimKeyConfig = {
    exchange,
    apiKey: `${exchange.toUpperCase()}KEYx7Qm2pLw${String(serial).padStart(4, '0')}`,
    secret: `sec-${exchange}-${serial}-Zx81kQpL0aMw`,
    ...(exchange === 'okx' ? { passphrase: `OkxPass-${serial}!` } : {}),
    environment: 'live',
    permissions: { read: true, spot: true },
    ipList: [sim.clientIp],
    createdAt: Date.now() - 10 * 86_400_000,
    ...extra,
  };
  sim.addKey(key);
  return key;
}

function add(
  key: SimKeyConfig,
  overrides: { secret?: string; passphrase?: string; needs?: object } = {},
) {
  return call('connections.add', {
    exchange: key.exchange,
    label: `test ${key.apiKey.slice(-6)}`,
    credentials: {
      apiKey: key.apiKey,
      secret: overrides.secret ?? key.secret,
      ...(key.exchange === 'okx' ? { passphrase: overrides.passphrase ?? key.passphrase } : {}),
    },
    ...(overrides.needs ? { needs: overrides.needs } : {}),
  }) as Promise<AddConnectionResult>;
}

async function refused(p: Promise<unknown>): Promise<RpcError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RpcError) return err;
    throw err;
  }
  throw new Error('expected the service to refuse');
}

const listIds = async () =>
  ((await call('connections.list')) as Connection[]).map((c) => c.apiKeyHint);
const check = (audit: Audit, id: string) => audit.checks.find((c) => c.id === id);

describe.each(['binance', 'bybit', 'okx'] as const)('%s', (exchange) => {
  it('a safe key (read + trade, IP whitelist with this machine) passes and is stored', async () => {
    const key = simKey(exchange);
    const { connection, audit } = await add(key);
    expect(audit.verdict, JSON.stringify(audit.checks)).toBe('ok');
    expect(audit.permissions).toMatchObject({ read: true, spot: true, withdraw: false });
    expect(audit.thisMachineAllowed).toBe(true);
    expect(connection.lastAudit?.verdict).toBe('ok');
    expect(connection.mode).toBe('dry-run');
    expect(await listIds()).toContain(connection.apiKeyHint);
    // Re-audit reads the stored secret from the vault and asks again.
    expect(((await call('connections.audit', { id: connection.id })) as Audit).verdict).toBe('ok');
  });

  it('withdrawals enabled: refused with KEY_UNSAFE naming the fix, nothing stored', async () => {
    const before = await listIds();
    const err = await refused(
      add(simKey(exchange, { permissions: { read: true, spot: true, withdraw: true } })),
    );
    expect(err.reason).toBe('KEY_UNSAFE');
    expect(err.message).toMatch(/withdraw/i);
    const audit = err.details.audit as Audit;
    expect(audit.verdict).toBe('block');
    expect(check(audit, 'withdraw')?.level).toBe('block');
    expect(await listIds()).toEqual(before);
  });

  it('no IP restriction: stored with a loud warning', async () => {
    const { audit } = await add(simKey(exchange, { ipList: [] }));
    expect(audit.verdict).toBe('warn');
    expect(check(audit, 'ip-restriction')?.level).toBe('warn');
    expect(check(audit, 'ip-restriction')?.message).toMatch(/anyone who obtains your API key/i);
  });

  it('futures enabled but not needed: warning; needed: no warning', async () => {
    const unneeded = await add(
      simKey(exchange, { permissions: { read: true, spot: true, futures: true } }),
    );
    const needed = await add(
      simKey(exchange, { permissions: { read: true, spot: true, futures: true } }),
      { needs: { futures: true } },
    );
    if (exchange === 'okx') {
      // OKX's "Trade" covers every product: the answer cannot tell futures apart, so no warning either way.
      expect(check(needed.audit, 'futures')?.level ?? 'ok').toBe('ok');
    } else {
      expect(check(unneeded.audit, 'futures')?.level).toBe('warn');
      expect(check(needed.audit, 'futures')?.level ?? 'ok').toBe('ok');
    }
  });

  it('a wrong secret is KEY_REJECTED in plain words, nothing stored', async () => {
    const before = await listIds();
    const err = await refused(add(simKey(exchange), { secret: 'wrong-secret-1234567890' }));
    expect(err.reason).toBe('KEY_REJECTED');
    expect(err.message).not.toContain('wrong-secret');
    expect(err.message.length).toBeGreaterThan(40);
    expect(await listIds()).toEqual(before);
  });

  it('an IP whitelist without the address requests come from is KEY_REJECTED saying so', async () => {
    const err = await refused(add(simKey(exchange, { ipList: ['198.51.100.200'] })));
    expect(err.reason).toBe('KEY_REJECTED');
    expect(err.message).toMatch(/IP/);
  });
});

it('OKX: a wrong passphrase is KEY_REJECTED and says "passphrase"', async () => {
  const err = await refused(add(simKey('okx'), { passphrase: 'NotThePass-1' }));
  expect(err.reason).toBe('KEY_REJECTED');
  expect(err.message).toMatch(/passphrase/i);
});

it('an IP list that does not hold this machine’s public IP: warning', async () => {
  publicIp = '198.51.100.77'; // the host believes it is elsewhere than the exchange sees
  try {
    expect(((await call('network.publicIp', { fresh: true })) as { ip: string }).ip).toBe(
      '198.51.100.77',
    );
    const { audit } = await add(simKey('bybit'));
    expect(check(audit, 'this-machine-ip')?.level).toBe('warn');
  } finally {
    publicIp = sim.clientIp;
    await call('network.publicIp', { fresh: true });
  }
});

it('rotation: a new key that passes replaces the old one; a withdraw-enabled one is refused', async () => {
  const oldKey = simKey('binance');
  const { connection } = await add(oldKey);
  const bad = simKey('binance', { permissions: { read: true, spot: true, withdraw: true } });
  const err = await refused(
    call('connections.rotate', {
      id: connection.id,
      credentials: { apiKey: bad.apiKey, secret: bad.secret },
    }),
  );
  expect(err.reason).toBe('KEY_UNSAFE');
  const newKey = simKey('binance');
  const rotated = (await call('connections.rotate', {
    id: connection.id,
    credentials: { apiKey: newKey.apiKey, secret: newKey.secret },
  })) as {
    connection: Connection;
    reminder: string;
    apiPageUrl: string;
  };
  expect(rotated.connection.apiKeyHint).not.toBe(connection.apiKeyHint);
  expect(rotated.reminder).toContain(connection.apiKeyHint);
  expect(rotated.apiPageUrl).toMatch(/^https:\/\/www\.binance\.com\//);
  // The old key is no longer used: removing it at the exchange does not break the connection.
  sim.removeKey('binance', oldKey.apiKey);
  expect(((await call('connections.audit', { id: connection.id })) as Audit).verdict).toBe('ok');
});

it('an audit that turns "block" pauses the connection', async () => {
  const key = simKey('bybit');
  const { connection } = await add(key);
  sim.removeKey('bybit', key.apiKey);
  sim.addKey({ ...key, permissions: { read: true, spot: true, withdraw: true } }); // someone enabled withdrawals
  const audit = (await call('connections.audit', { id: connection.id })) as Audit;
  expect(audit.verdict).toBe('block');
  const after = ((await call('connections.list')) as Connection[]).find(
    (c) => c.id === connection.id,
  );
  expect(after?.pausedReason).toMatch(/audit/);
});

it('unlocking the vault audits every connection again: a key changed on the exchange gets paused', async () => {
  const key = simKey('okx');
  const { connection } = await add(key);
  sim.removeKey('okx', key.apiKey);
  sim.addKey({ ...key, permissions: { read: true, spot: true, withdraw: true } });
  await call('vault.lock');
  await call('vault.unlock', { passphrase: 'audit test passphrase' });
  let paused: string | undefined;
  for (let i = 0; i < 100 && !paused; i++) {
    paused = ((await call('connections.list')) as Connection[]).find(
      (c) => c.id === connection.id,
    )?.pausedReason;
    if (!paused) await new Promise((r) => setTimeout(r, 100));
  }
  expect(paused).toMatch(/audit/);
});

describe('Binance: the trade check is priced from the market (PERCENT_PRICE_BY_SIDE)', () => {
  afterEach(() => sim.setPrice('binance', 'BTC/USDT', '65000'));

  it.each(['97000', '20000'])('at BTC %s a safe key is audited ok and stored', async (price) => {
    sim.setPrice('binance', 'BTC/USDT', price);
    const { connection, audit } = await add(simKey('binance'));
    expect(audit.verdict, JSON.stringify(audit.checks)).toBe('ok');
    expect(check(audit, 'trade-check')?.message).toMatch(/accepted a test order/);
    expect(await listIds()).toContain(connection.apiKeyHint);
    // The test order went out as a limit buy at 80% of the price, and passed every filter.
    const test = sim
      .orders('binance')
      .filter((o) => o.test)
      .at(-1);
    expect(test).toMatchObject({ outcome: 'validated', side: 'BUY', type: 'LIMIT' });
    expect(Number(test?.price)).toBe(Number(price) * 0.8);
  });

  it('at BTC 97000 a withdraw-enabled key is still refused: KEY_UNSAFE, nothing stored', async () => {
    sim.setPrice('binance', 'BTC/USDT', '97000');
    const before = await listIds();
    const err = await refused(
      add(simKey('binance', { permissions: { read: true, spot: true, withdraw: true } })),
    );
    expect(err.reason).toBe('KEY_UNSAFE');
    expect(check(err.details.audit as Audit, 'withdraw')?.level).toBe('block');
    expect(await listIds()).toEqual(before);
  });

  it('a read-only key is still refused by the trade check (-2015 comes before any filter)', async () => {
    sim.setPrice('binance', 'BTC/USDT', '97000');
    const err = await refused(add(simKey('binance', { permissions: { read: true } })));
    expect(err.reason).toBe('KEY_UNSAFE');
    const audit = err.details.audit as Audit;
    expect(check(audit, 'trade-check')?.level).toBe('block');
  });
});
