/**
 * The vault and connection store through the real service: CLI with secrets on stdin, a raw
 * socket client that records every reply and notification, a restart that unlocks from a
 * passphrase file — then a scan proving no secret reached the disk outside the vault, the logs,
 * the wire, or any process's arguments.
 */
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
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
import { startSimulator, type Simulator } from '../../tools/simulator/index.js';

const VAULT_PASS = 'vault-Pass-7f3a9c1e';
const BINANCE = {
  apiKey: 'BNBKEYaaaa1111bbbb2222cccc3333',
  secret: 'BNBSECRET-9d8c7b6a5f4e3d2c1b0a',
};
const OKX = {
  apiKey: 'OKXKEY-0123-4567-89ab',
  secret: 'OKXSECRET-ffeeddccbbaa99887766',
  passphrase: 'OkxPhrase-42x',
};
const SECRETS = [VAULT_PASS, BINANCE.secret, OKX.secret, OKX.passphrase];

let home: string;
const transcript: string[] = []; // everything any client received

beforeAll(requireBuiltHost);
let sim: Simulator;
beforeEach(async () => {
  home = tempHome();
  // The exchanges, as the audit sees them: both keys are safe (read + spot, whitelisted here).
  sim = await startSimulator({});
  const safe = {
    permissions: { read: true, spot: true },
    ipList: [sim.clientIp],
    createdAt: Date.now(),
  };
  sim.addKey({ exchange: 'binance', environment: 'live', ...BINANCE, ...safe });
  sim.addKey({ exchange: 'okx', environment: 'demo', ...OKX, ...safe });
});
afterEach(async () => {
  await cleanupHome(home);
  await sim.close();
});

function simEnv(): NodeJS.ProcessEnv {
  return {
    SENTINEL_ENDPOINT_BINANCE: sim.endpoint('binance'),
    SENTINEL_ENDPOINT_OKX: sim.endpoint('okx'),
    SENTINEL_PUBLIC_IP_URL: `${sim.url}/ip`,
  };
}

class RawClient {
  private id = 0;
  readonly reader: FrameReader;
  private constructor(readonly socket: Socket) {
    this.reader = new FrameReader(socket);
  }
  static async open(): Promise<RawClient> {
    return new RawClient(await connectSocket(join(home, 'run', 'host.sock')));
  }
  /** Send a request; return its response, recording notifications that arrive before it. */
  async call(method: string, params: unknown = {}): Promise<Record<string, unknown>> {
    const id = ++this.id;
    this.socket.write(encodeFrame({ jsonrpc: '2.0', id, method, params }));
    for (;;) {
      const m = await this.reader.message(30_000);
      transcript.push(JSON.stringify(m));
      if (m.id === id) return m;
    }
  }
}

async function cli(args: string[], stdin?: string) {
  const r = await runCli(
    args,
    hostEnv(home, simEnv()),
    stdin === undefined ? undefined : Buffer.from(stdin),
  );
  transcript.push(r.stdout, r.stderr);
  return r;
}

const reason = (m: Record<string, unknown>) =>
  (m.error as { data?: { reason?: string } } | undefined)?.data?.reason;

it('create, add, refuse, lock, restart, unlock from a file, remove — and no secret leaks', async () => {
  expect((await cli(['service', 'start'])).code).toBe(0);
  const client = await RawClient.open();
  expect(((await client.call('host.hello')).result as { vault: string }).vault).toBe('absent');

  // Adding before a vault exists says what to do.
  const early = await client.call('connections.add', {
    exchange: 'binance',
    label: 'x',
    credentials: BINANCE,
  });
  expect(reason(early)).toBe('VAULT_ABSENT');

  // CLI: the passphrase comes from stdin, never from arguments.
  const created = await cli(['vault', 'create'], `${VAULT_PASS}\n`);
  expect(created.code, created.stderr).toBe(0);
  expect(((await client.call('host.hello')).result as { vault: string }).vault).toBe('unlocked');

  const added = await cli(
    [
      'connections',
      'add',
      '--exchange',
      'binance',
      '--label',
      'Sentinel Companion – trade only',
      '--json',
    ],
    `${BINANCE.apiKey}\n${BINANCE.secret}\n`,
  );
  expect(added.code, added.stderr).toBe(0);
  const binance = JSON.parse(added.stdout) as {
    connection: { id: string; apiKeyHint: string; mode: string };
    audit: { verdict: string };
  };
  expect(binance.connection.apiKeyHint).toBe('BNBK…3333');
  expect(binance.connection.mode).toBe('dry-run');
  expect(binance.audit.verdict).toBe('ok');

  const okx = await client.call('connections.add', {
    exchange: 'okx',
    label: 'OKX bot',
    environment: 'demo',
    credentials: OKX,
    needs: { futures: true },
  });
  expect(okx.result).toMatchObject({
    connection: { exchange: 'okx', environment: 'demo', needs: { futures: true } },
  });

  // One key per bot.
  const dup = await client.call('connections.add', {
    exchange: 'binance',
    label: 'again',
    credentials: BINANCE,
  });
  expect(reason(dup)).toBe('KEY_DUPLICATE');
  expect((dup.error as { message: string }).message).toContain('Sentinel Companion – trade only');

  // Bad input: clear errors that never echo the value.
  const badSecret = await client.call('connections.add', {
    exchange: 'binance',
    label: 'bad',
    credentials: { apiKey: 'GOODKEY123456', secret: `${BINANCE.secret} with spaces` },
  });
  expect(reason(badSecret)).toBe('INVALID_PARAMS');
  expect((badSecret.error as { message: string }).message).toMatch(/secret must be/);
  const noPhrase = await client.call('connections.add', {
    exchange: 'okx',
    label: 'o',
    credentials: { apiKey: 'OKXKEY-other-1', secret: OKX.secret },
  });
  expect((noPhrase.error as { message: string }).message).toMatch(/passphrase you chose/);
  const remote = await client.call('connections.add', {
    exchange: 'bybit',
    label: 'b',
    endpoint: 'http://example.com',
    credentials: { apiKey: 'BYBITKEY1234', secret: 'BYBITSECRET1234' },
  });
  expect((remote.error as { message: string }).message).toMatch(
    /http:\/\/ is accepted only for loopback/,
  );

  // Locked: metadata still lists; adding is refused.
  expect((await cli(['vault', 'lock'])).code).toBe(0);
  const list = (await client.call('connections.list')).result as { id: string }[];
  expect(list).toHaveLength(2);
  const locked = await client.call('connections.add', {
    exchange: 'bybit',
    label: 'b',
    credentials: { apiKey: 'BYBITKEY1234', secret: 'BYBITSECRET1234' },
  });
  expect(reason(locked)).toBe('VAULT_LOCKED');
  const wrong = await cli(['vault', 'unlock'], 'not-the-passphrase\n');
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toContain('BAD_PASSPHRASE');

  // Restart with a passphrase file (systemd credentials style): unlocked at start.
  client.socket.destroy();
  expect((await cli(['service', 'stop'])).code).toBe(0);
  const passFile = join(home, 'pass.txt');
  writeFileSync(passFile, `${VAULT_PASS}\n`, { mode: 0o600 });
  const started = await runCli(
    ['service', 'start'],
    hostEnv(home, { ...simEnv(), SENTINEL_PASSPHRASE_FILE: passFile }),
  );
  expect(started.code, started.stderr).toBe(0);
  const c2 = await RawClient.open();
  expect(((await c2.call('host.hello')).result as { vault: string }).vault).toBe('unlocked');
  expect(((await c2.call('connections.list')).result as unknown[]).length).toBe(2);

  // Remove: gone from the list and from the vault.
  const removed = await cli(['connections', 'remove', binance.connection.id]);
  expect(removed.code, removed.stderr).toBe(0);
  expect(
    ((await c2.call('connections.list')).result as { id: string }[]).map((c) => c.id),
  ).not.toContain(binance.connection.id);
  expect(reason(await c2.call('connections.remove', { id: binance.connection.id }))).toBe(
    'NOT_FOUND',
  );
  // The same key can be added again once removed.
  const readd = await c2.call('connections.add', {
    exchange: 'binance',
    label: 'back',
    credentials: BINANCE,
  });
  expect(readd.result).toBeDefined();

  // Every process's arguments, while everything runs.
  const argv = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        return '';
      }
    })
    .join('\n');
  c2.socket.destroy();
  await cli(['service', 'stop']);

  // The scan.
  const places: Record<string, string> = {
    'process arguments': argv,
    'replies, notifications and CLI output': transcript.join('\n'),
  };
  for (const f of ['state.db', 'state.db-wal', 'config.json']) {
    if (existsSync(join(home, f))) places[f] = readFileSync(join(home, f)).toString('latin1');
  }
  for (const f of readdirSync(join(home, 'logs')))
    places[`logs/${f}`] = readFileSync(join(home, 'logs', f), 'utf8');
  expect(Object.keys(places)).toContain('state.db');
  expect(places['logs/service.log']).toContain('connection');
  for (const [where, text] of Object.entries(places)) {
    for (const secret of SECRETS)
      expect(text.includes(secret), `${where} contains a secret`).toBe(false);
  }
  // And the vault file itself holds them only encrypted.
  const vault = readFileSync(join(home, 'vault.bin')).toString('latin1');
  for (const secret of SECRETS) expect(vault.includes(secret)).toBe(false);
});
