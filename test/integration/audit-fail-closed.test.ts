/**
 * Fail closed on withdrawals, through the real service, ccxt and the simulator: a key whose
 * withdraw permission the audit could not read (the key-info call rate-limited, or the exchange
 * answering 5xx) is stored with a warning but never goes live, and a live connection whose
 * re-audit cannot read the permissions is paused — until an audit proves them again.
 */
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FrameReader,
  cleanupHome,
  connectSocket,
  hostEnv,
  requireBuiltHost,
  runCli,
  tempHome,
} from '../helpers/host.js';
import { encodeFrame } from '../../src/protocol/frame.js';
import { startSimulator, type SimKeyConfig, type Simulator } from '../../tools/simulator/index.js';
import { callServiceRaw } from '../../src/native-host/ipc/client.js';
import { hostPaths } from '../../src/native-host/paths.js';
import { RpcError } from '../../src/protocol/jsonrpc.js';
import type { Audit } from '../../src/exchanges/types.js';
import type { AddConnectionResult, Connection } from '../../src/protocol/methods.js';

let sim: Simulator;
let home: string;
let env: NodeJS.ProcessEnv;
let ipServer: Server;

beforeAll(async () => {
  requireBuiltHost();
  sim = await startSimulator({});
  ipServer = createServer((_req, res) => res.end(sim.clientIp));
  await new Promise<void>((r) => ipServer.listen(0, '127.0.0.1', r));
  home = tempHome();
  env = hostEnv(home, {
    SENTINEL_PUBLIC_IP_URL: `http://127.0.0.1:${(ipServer.address() as AddressInfo).port}/`,
    SENTINEL_ENDPOINT_BINANCE: sim.endpoint('binance'),
  });
  expect((await runCli(['service', 'start'], env)).code).toBe(0);
  await call('vault.create', { passphrase: 'fail closed passphrase' });
}, 60_000);

afterAll(async () => {
  await cleanupHome(home);
  await sim.close();
  await new Promise<void>((r) => ipServer.close(() => r()));
});

afterEach(() => sim.clearFaults());

const call = (method: string, params: unknown = {}) =>
  callServiceRaw(hostPaths({ SENTINEL_HOME: home }), method, params, { timeoutMs: 30_000 });

let serial = 0;
function safeKey(): SimKeyConfig {
  serial++;
  const key: SimKeyConfig = {
    exchange: 'binance',
    apiKey: `BINANCEKEYfc7Qm2pLw${String(serial).padStart(4, '0')}`,
    secret: `sec-binance-fc-${serial}-Zx81kQpL0aMw`,
    environment: 'live',
    permissions: { read: true, spot: true },
    ipList: [sim.clientIp],
    createdAt: Date.now() - 10 * 86_400_000,
  };
  sim.addKey(key);
  return key;
}

const add = (key: SimKeyConfig) =>
  call('connections.add', {
    exchange: 'binance',
    label: `fail closed ${serial}`,
    credentials: { apiKey: key.apiKey, secret: key.secret },
  }) as Promise<AddConnectionResult>;

async function refused(p: Promise<unknown>): Promise<RpcError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RpcError) return err;
    throw err;
  }
  throw new Error('expected the service to refuse');
}

const connection = async (id: string) =>
  ((await call('connections.list')) as Connection[]).find((c) => c.id === id);

/** One IPC connection that records the notifications arriving before each answer. */
class Listener {
  private id = 0;
  readonly notifications: { method: string; params: unknown }[] = [];
  private constructor(
    private readonly socket: Socket,
    private readonly reader: FrameReader,
  ) {}
  static async open(): Promise<Listener> {
    const socket = await connectSocket(join(home, 'run', 'host.sock'));
    return new Listener(socket, new FrameReader(socket));
  }
  async call(method: string, params: unknown = {}): Promise<Record<string, unknown>> {
    const id = ++this.id;
    this.socket.write(encodeFrame({ jsonrpc: '2.0', id, method, params }));
    for (;;) {
      const m = await this.reader.message(30_000);
      if (m.id === id) return m;
      if (typeof m.method === 'string')
        this.notifications.push({ method: m.method, params: m.params });
    }
  }
  close(): void {
    this.socket.destroy();
  }
}

it('key-info rate-limited: stored with a warning, withdraw unknown; going live is KEY_UNSAFE saying what to do', async () => {
  // Rate-limited for the audit's first two requests: the key-info call and its one retry (a
  // single 429 is retried and no longer leaves the permissions unknown).
  sim.setFault('binance', { rateLimit: 2 });
  const { connection: c, audit } = await add(safeKey());
  expect(audit.verdict).toBe('warn');
  expect(audit.permissions.withdraw).toBeNull();
  expect(audit.checks.find((x) => x.id === 'could-not-verify')?.level).toBe('warn');
  expect(c.mode).toBe('dry-run');

  const err = await refused(call('connections.setMode', { id: c.id, mode: 'live' }));
  expect(err.reason).toBe('KEY_UNSAFE');
  expect(err.message).toMatch(/withdrawals/);
  expect(err.message).toContain(`connections audit ${c.id}`);
  expect(err.message).toMatch(/Re-audit/);
  expect(err.message).toMatch(/API Management page/);
  expect((await connection(c.id))?.mode).toBe('dry-run');

  // Once the exchange answers, a re-audit proves withdrawals off and the connection may go live.
  expect(((await call('connections.audit', { id: c.id })) as Audit).permissions.withdraw).toBe(
    false,
  );
  expect(((await call('connections.setMode', { id: c.id, mode: 'live' })) as Connection).mode).toBe(
    'live',
  );
});

it('a live connection whose re-audit cannot read the permissions is paused, announced, and resumes once proven', async () => {
  const { connection: c } = await add(safeKey());
  await call('connections.setMode', { id: c.id, mode: 'live' });

  const listener = await Listener.open();
  try {
    sim.setFault('binance', { rateLimit: 2 }); // the key-info call and its retry
    const answer = await listener.call('connections.audit', { id: c.id });
    const audit = answer.result as Audit;
    expect(audit.verdict).toBe('warn');
    expect(audit.permissions.withdraw).toBeNull();
    const paused = await connection(c.id);
    expect(paused?.mode).toBe('live');
    expect(paused?.pausedReason).toMatch(/^withdrawals not proven off:/);
    expect(paused?.pausedReason).toContain(`connections audit ${c.id}`);
    const announced = listener.notifications.find((n) => n.method === 'connection.audited');
    expect((announced?.params as { connection: Connection }).connection.pausedReason).toBe(
      paused?.pausedReason,
    );
  } finally {
    listener.close();
  }

  // The CLI's re-audit, once the exchange answers: proven off again, the pause lifts.
  const cli = await runCli(['connections', 'audit', c.id], env);
  expect(cli.code).toBe(0);
  expect(cli.stdout).toContain(`audit of ${c.id}: ok`);
  expect(cli.stdout).not.toContain('paused:');
  expect((await connection(c.id))?.pausedReason).toBeUndefined();
});

it('the exchange answering 5xx: adding fails as unreachable (nothing stored); a live connection’s re-audit pauses it', async () => {
  const before = ((await call('connections.list')) as Connection[]).length;
  sim.setFault('binance', { status5xx: 2 }); // every request tried twice
  expect((await refused(add(safeKey()))).reason).toBe('EXCHANGE_UNREACHABLE');
  expect(((await call('connections.list')) as Connection[]).length).toBe(before);

  const { connection: c } = await add(safeKey());
  await call('connections.setMode', { id: c.id, mode: 'live' });
  sim.setFault('binance', { status5xx: 2 });
  expect((await refused(call('connections.audit', { id: c.id }))).reason).toBe(
    'EXCHANGE_UNREACHABLE',
  );
  const paused = await connection(c.id);
  expect(paused?.pausedReason).toMatch(/^withdrawals not proven off:.*could not reach/);
  expect(paused?.lastAudit?.permissions.withdraw).toBe(false); // the last good audit is kept
  await call('connections.audit', { id: c.id });
  expect((await connection(c.id))?.pausedReason).toBeUndefined();
});

it('a dry-run connection whose re-audit cannot read the permissions is not paused (it sends nothing)', async () => {
  const { connection: c } = await add(safeKey());
  sim.setFault('binance', { rateLimit: 2 });
  expect(((await call('connections.audit', { id: c.id })) as Audit).verdict).toBe('warn');
  expect((await connection(c.id))?.pausedReason).toBeUndefined();
  await expect(call('connections.setMode', { id: c.id, mode: 'live' })).rejects.toMatchObject({
    reason: 'KEY_UNSAFE',
  });
});

it('one rate-limit answer is retried: the audit still proves withdrawals off', async () => {
  sim.setFault('binance', { rateLimit: 1 });
  const { audit } = await add(safeKey());
  expect(audit.permissions.withdraw).toBe(false);
  expect(audit.checks.find((x) => x.id === 'could-not-verify')).toBeUndefined();
});
