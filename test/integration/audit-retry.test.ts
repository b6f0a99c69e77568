/**
 * A live connection paused because the exchange did not answer its audit (withdrawals no longer
 * proven off) is audited again soon, backing off, and resumes by itself once the exchange answers
 * — it does not wait for the six-hourly round. Through the real service, ccxt and the simulator,
 * with `reauditRetryMinutes` shortened in the home's config.json (0.02 min: 1.2 s, then 2.4 s…).
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { cleanupHome, hostEnv, requireBuiltHost, runCli, tempHome } from '../helpers/host.js';
import { until } from '../helpers/trading-rig.js';
import { startSimulator, type Simulator } from '../../tools/simulator/index.js';
import { callServiceRaw } from '../../src/native-host/ipc/client.js';
import { hostPaths } from '../../src/native-host/paths.js';
import type { AddConnectionResult, Connection } from '../../src/protocol/methods.js';

let sim: Simulator;
let home: string;
let ipServer: Server;

const call = (method: string, params: unknown = {}) =>
  callServiceRaw(hostPaths({ SENTINEL_HOME: home }), method, params, { timeoutMs: 30_000 });
const connection = async (id: string) =>
  ((await call('connections.list')) as Connection[]).find((c) => c.id === id);

beforeAll(async () => {
  requireBuiltHost();
  sim = await startSimulator({});
  ipServer = createServer((_req, res) => res.end(sim.clientIp));
  await new Promise<void>((r) => ipServer.listen(0, '127.0.0.1', r));
  home = tempHome();
  writeFileSync(join(home, 'config.json'), JSON.stringify({ reauditRetryMinutes: 0.02 }));
  const env = hostEnv(home, {
    SENTINEL_PUBLIC_IP_URL: `http://127.0.0.1:${(ipServer.address() as AddressInfo).port}/`,
    SENTINEL_ENDPOINT_BINANCE: sim.endpoint('binance'),
  });
  expect((await runCli(['service', 'start'], env)).code).toBe(0);
  await call('vault.create', { passphrase: 'audit retry passphrase' });
}, 60_000);

afterAll(async () => {
  await cleanupHome(home);
  await sim.close();
  await new Promise<void>((r) => ipServer.close(() => r()));
});

it('paused while the exchange is down, audited again with backoff, resumed once it answers', async () => {
  const key = {
    exchange: 'binance' as const,
    apiKey: 'BINANCEKEYretry7Qm2pLw0001',
    secret: 'sec-binance-retry-Zx81kQpL0aMw',
    environment: 'live' as const,
    permissions: { read: true, spot: true },
    ipList: [sim.clientIp],
    createdAt: Date.now() - 10 * 86_400_000,
  };
  sim.addKey(key);
  const { connection: c } = (await call('connections.add', {
    exchange: 'binance',
    label: 'audit retry',
    credentials: { apiKey: key.apiKey, secret: key.secret },
  })) as AddConnectionResult;
  await call('connections.setMode', { id: c.id, mode: 'live' });

  // The exchange goes down: the audit the user asks for fails and pauses the live connection.
  sim.setFault('binance', { status5xx: 1_000_000 });
  await expect(call('connections.audit', { id: c.id })).rejects.toMatchObject({
    reason: 'EXCHANGE_UNREACHABLE',
  });
  expect((await connection(c.id))?.pausedReason).toMatch(/^withdrawals not proven off/);

  // Still down: the service keeps trying by itself (each try reaches the exchange), paused meanwhile.
  const requestsBefore = sim.requests('binance').length;
  await until(() => sim.requests('binance').length >= requestsBefore + 2, 20_000, 'two retries');
  expect((await connection(c.id))?.pausedReason).toMatch(/^withdrawals not proven off/);

  // The exchange answers again: the next try proves withdrawals off and the pause lifts.
  sim.clearFaults('binance');
  await until(
    async () => (await connection(c.id))?.pausedReason === undefined,
    20_000,
    'the pause to lift by itself',
  );
  expect((await connection(c.id))?.mode).toBe('live');
}, 90_000);
