/**
 * Vault ↔ state consistency through the real service: the state DB deleted, emptied, truncated
 * or overwritten with garbage; a secret whose row is gone (with and without the vault's record
 * of it); a row whose secret is gone. Each is reported (host.hello's `integrity`, the log, the
 * `repair` CLI), rebuilt from the vault or paused, removable, trading paused with the reason —
 * and the same key can be added again.
 */
import {
  existsSync,
  readFileSync,
  readdirSync,
  rmSync,
  truncateSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { cleanupHome, hostEnv, requireBuiltHost, runCli, tempHome } from '../helpers/host.js';
import { callHome } from '../../dev/harness/host.js';
import { Vault } from '../../src/native-host/service/vault/vault.js';
import type { Connection, HelloResult, RepairResult } from '../../src/protocol/methods.js';
import { startSimulator, type Simulator } from '../../tools/simulator/index.js';

const PASS = 'vault-Pass-integrity-1';
const BINANCE = {
  apiKey: 'BNBKEYaaaa1111bbbb2222cccc3333',
  secret: 'BNBSECRET-9d8c7b6a5f4e3d2c1b0a',
};
const OKX = {
  apiKey: 'OKXKEY-0123-4567-89ab',
  secret: 'OKXSECRET-ffeeddccbbaa99887766',
  passphrase: 'OkxPhrase-42x',
};

let home: string;
let sim: Simulator;
beforeAll(requireBuiltHost);
beforeEach(async () => {
  home = tempHome();
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

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv =>
  hostEnv(home, {
    SENTINEL_ENDPOINT_BINANCE: sim.endpoint('binance'),
    SENTINEL_PUBLIC_IP_URL: `${sim.url}/ip`,
    ...extra,
  });
const cli = (args: string[], stdin?: string) => runCli(args, env(), stdin);
const call = <T>(method: string, params: unknown = {}) =>
  callHome(home, method, params) as Promise<T>;
const hello = () => call<HelloResult>('host.hello', { client: 'test' });
const list = () => call<Connection[]>('connections.list');
const reasonOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { reason?: string }) => e.reason ?? String(e),
  );
const log = () => readFileSync(join(home, 'logs', 'service.log'), 'utf8');
const dbPath = () => join(home, 'state.db');

async function start(withPassFile: boolean): Promise<void> {
  const extra: NodeJS.ProcessEnv = {};
  if (withPassFile) {
    const file = join(home, 'pass.txt');
    writeFileSync(file, `${PASS}\n`, { mode: 0o600 });
    extra.SENTINEL_PASSPHRASE_FILE = file;
  }
  const r = await runCli(['service', 'start'], env(extra));
  expect(r.code, r.stderr).toBe(0);
}
const stop = async () => expect((await cli(['service', 'stop'])).code).toBe(0);

/** A vault with two connections (Binance live, OKX demo with an endpoint), then stopped. */
async function setUp(): Promise<{ binance: Connection; okx: Connection }> {
  await start(false);
  expect((await hello()).integrity).toBeUndefined(); // first run: no vault, nothing lost
  await call('vault.create', { passphrase: PASS });
  const { connection: binance } = await call<{ connection: Connection }>('connections.add', {
    exchange: 'binance',
    label: 'Binance bot',
    credentials: BINANCE,
  });
  const { connection: okx } = await call<{ connection: Connection }>('connections.add', {
    exchange: 'okx',
    label: 'OKX bot',
    environment: 'demo',
    endpoint: sim.endpoint('okx'),
    credentials: OKX,
    needs: { futures: true },
  });
  expect((await hello()).integrity).toBeUndefined();
  await stop();
  return { binance, okx };
}

/** The vault file as the test changes it behind the service's back (it is stopped). */
async function editVault(change: (c: { connections: Record<string, unknown> }) => void) {
  const vault = new Vault(home, { insecureTestKdf: true });
  await vault.unlock(PASS);
  await vault.update((draft) =>
    change(draft as unknown as { connections: Record<string, unknown> }),
  );
  vault.lock();
}

function deleteRows(ids: string[]): void {
  const db = new Database(dbPath());
  for (const id of ids) db.prepare('DELETE FROM connections WHERE id = ?').run(id);
  db.close();
}

/** After the unlock: both connections back from the vault, as they were, dry-run; trading paused. */
async function expectRebuilt(before: { binance: Connection; okx: Connection }) {
  const now = await list();
  expect(now.map((c) => c.id).sort()).toEqual([before.binance.id, before.okx.id].sort());
  const okx = now.find((c) => c.id === before.okx.id)!;
  expect(okx).toMatchObject({
    exchange: 'okx',
    label: 'OKX bot',
    environment: 'demo',
    endpoint: sim.endpoint('okx'),
    mode: 'dry-run',
    apiKeyHint: before.okx.apiKeyHint,
    needs: { futures: true },
  });
  expect(now.find((c) => c.id === before.binance.id)).toMatchObject({
    exchange: 'binance',
    label: 'Binance bot',
    environment: 'live',
    mode: 'dry-run',
  });
  const h = await hello();
  expect(h.trading.paused).toBe(true);
  const rebuilt = h.integrity!.problems.filter((p) => p.rebuilt);
  expect(rebuilt.map((p) => p.connectionId).sort()).toEqual(
    [before.binance.id, before.okx.id].sort(),
  );
  expect(h.integrity!.advice).toMatch(/Check open orders .* then resume trading/);
  expect(h.trading.reason).toMatch(/the record of signals already executed/);
  expect(h.trading.reason).toMatch(/resume trading/);
  expect(log()).toContain(
    `rebuilt connection ${before.okx.id} "OKX bot" (okx, demo) from the vault`,
  );
}

/** Remove a rebuilt connection (its secret really goes), add its key again; resume clears it all. */
async function expectRecoverable(before: { binance: Connection; okx: Connection }) {
  // The same key again: KEY_DUPLICATE names the rebuilt connection, which exists.
  const dup = await call('connections.add', {
    exchange: 'binance',
    label: 'x',
    credentials: BINANCE,
  }).catch((e: { reason: string; message: string }) => e);
  expect(dup).toMatchObject({ reason: 'KEY_DUPLICATE' });
  expect((dup as { message: string }).message).toContain('"Binance bot"');
  expect(await reasonOf(call('connections.remove', { id: before.binance.id }))).toBe('ok');
  expect((await list()).map((c) => c.id)).not.toContain(before.binance.id);
  expect(await reasonOf(call('connections.remove', { id: before.binance.id }))).toBe('NOT_FOUND');
  const again = await call<{ connection: Connection }>('connections.add', {
    exchange: 'binance',
    label: 'Binance again',
    credentials: BINANCE,
  });
  expect(again.connection.id).not.toBe(before.binance.id);
  // Resuming after checking the exchanges ends the notice.
  await call('trading.resume');
  const h = await hello();
  expect(h.trading.paused).toBe(false);
  expect(h.integrity).toBeUndefined();
}

const DAMAGE: [string, 'missing' | 'empty' | 'damaged', () => Buffer | null, boolean][] = [
  ['deleted', 'missing', () => (rmSync(dbPath()), null), false],
  ['emptied (0 bytes)', 'empty', () => (writeFileSync(dbPath(), ''), Buffer.alloc(0)), true],
  [
    'truncated',
    'damaged',
    () => {
      truncateSync(dbPath(), Math.floor(statSync(dbPath()).size / 2));
      return readFileSync(dbPath());
    },
    false,
  ],
  [
    'overwritten with garbage',
    'damaged',
    () => {
      const junk = randomBytes(8192);
      writeFileSync(dbPath(), junk);
      return junk;
    },
    true,
  ],
];

it.each(DAMAGE)(
  'state.db %s: reported, kept aside, rebuilt from the vault, recoverable',
  async (_name, cause, damage, passFile) => {
    const before = await setUp();
    const bytes = damage();
    await start(passFile);

    if (!passFile) {
      // Locked: already reported, and trading already paused, before any secret is read.
      const locked = await hello();
      expect(locked.vault).toBe('locked');
      expect(locked.trading.paused).toBe(true);
      expect(locked.integrity!.problems.map((p) => p.kind)).toEqual([`state-db-${cause}`]);
      expect(locked.integrity!.advice).toMatch(/^Unlock the vault/);
      expect(await list()).toEqual([]);
    }
    const h0 = await hello();
    const lost = h0.integrity!.problems.find((p) => p.kind === `state-db-${cause}`)!;
    expect(lost).toBeDefined();
    expect(log()).toMatch(
      new RegExp(`state database: .*state\\.db (is missing|was empty|is damaged)`),
    );
    if (bytes) {
      // Never deleted: the old file is kept aside under a timestamped name, byte for byte.
      expect(lost.keptAt).toMatch(/state\.db\.(damaged|empty)-\d{4}-/);
      expect(readFileSync(lost.keptAt!)).toEqual(bytes);
      expect(readdirSync(home).some((f) => lost.keptAt!.endsWith(f))).toBe(true);
    } else expect(lost.keptAt).toBeUndefined();

    if (!passFile) {
      // Headless: `repair` unlocks (passphrase on stdin), prints what it found and did.
      const r = await cli(['repair'], `${PASS}\n`);
      expect(r.code, r.stderr + r.stdout).toBe(0);
      expect(r.stdout).toContain(`[state-db-${cause}]`);
      expect(r.stdout).toContain(`rebuilt connection ${before.okx.id} "OKX bot"`);
      expect(r.stdout).toMatch(/next: .*resume trading/);
      expect(r.stdout + r.stderr).not.toContain(PASS);
    }
    await expectRebuilt(before);
    await expectRecoverable(before);
    // A restart finds everything consistent.
    await stop();
    await start(true);
    expect((await hello()).integrity).toBeUndefined();
    const ok = await cli(['repair', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as RepairResult).consistent).toBe(true);
  },
);

it('a secret without its row is rebuilt; one without any record is recognised when added again', async () => {
  const before = await setUp();
  deleteRows([before.binance.id, before.okx.id]);
  // The Binance entry as a vault written before connections were recorded in it.
  await editVault((c) => delete (c.connections[before.binance.id] as { meta?: unknown }).meta);
  await start(false);
  expect((await hello()).integrity).toBeUndefined(); // the DB itself is fine: nothing to say yet
  await call('vault.unlock', { passphrase: PASS });

  const h = await hello();
  expect(h.trading.paused).toBe(true);
  expect(h.trading.reason).toMatch(/the record of signals already executed/);
  const problems = h.integrity!.problems;
  expect(problems.find((p) => p.connectionId === before.okx.id)).toMatchObject({
    kind: 'secret-without-connection',
    rebuilt: true,
  });
  expect(problems.find((p) => p.connectionId === before.binance.id)).toMatchObject({
    kind: 'secret-without-connection',
    rebuilt: false,
  });
  expect((await list()).map((c) => c.id)).toEqual([before.okx.id]);
  expect(log()).toContain(
    `the vault holds a key (BNBK…3333) as ${before.binance.id} with no connection`,
  );
  const r = await cli(['repair']);
  expect(r.code).toBe(1); // it could not rebuild that one
  expect(r.stdout).toContain('[secret-without-connection]');

  // The same key again is the same connection: no KEY_DUPLICATE naming a connection that is gone.
  const again = await call<{ connection: Connection }>('connections.add', {
    exchange: 'binance',
    label: 'Binance bot',
    credentials: BINANCE,
  });
  expect(again.connection.id).toBe(before.binance.id);
  const fixed = await cli(['repair', '--json']);
  expect(fixed.code, fixed.stdout).toBe(0);
  expect((JSON.parse(fixed.stdout) as RepairResult).problems.some((p) => !p.rebuilt)).toBe(false);

  // The rebuilt OKX connection can be removed: its secret is erased, the key can come back.
  expect(await reasonOf(call('connections.remove', { id: before.okx.id }))).toBe('ok');
  await call('connections.add', {
    exchange: 'okx',
    label: 'OKX back',
    environment: 'demo',
    endpoint: sim.endpoint('okx'),
    credentials: OKX,
  });
  await call('trading.resume');
  expect((await hello()).integrity).toBeUndefined();
});

it('a key kept only in the vault can be erased by its id', async () => {
  const before = await setUp();
  deleteRows([before.binance.id]);
  await editVault((c) => delete (c.connections[before.binance.id] as { meta?: unknown }).meta);
  await start(true);
  expect(await reasonOf(call('connections.remove', { id: before.binance.id }))).toBe('ok');
  expect(await reasonOf(call('connections.remove', { id: before.binance.id }))).toBe('NOT_FOUND');
  const r = await cli(['repair', '--json']);
  expect(r.code, r.stdout).toBe(0);
  expect((JSON.parse(r.stdout) as RepairResult).consistent).toBe(true);
  const added = await call<{ connection: Connection }>('connections.add', {
    exchange: 'binance',
    label: 'new',
    credentials: BINANCE,
  });
  expect(added.connection.id).not.toBe(before.binance.id);
});

it('a row without its secret is paused, reported and removable; the key can be added again', async () => {
  const before = await setUp();
  await editVault((c) => delete c.connections[before.okx.id]);
  await start(true); // unlocked from the passphrase file: checked at start

  const row = (await list()).find((c) => c.id === before.okx.id)!;
  expect(row.pausedReason).toMatch(/the vault holds no secret for this connection/);
  const h = await hello();
  expect(h.integrity!.problems).toEqual([
    expect.objectContaining({ kind: 'connection-without-secret', connectionId: before.okx.id }),
  ]);
  expect(h.integrity!.advice).toMatch(/Remove each connection without a secret/);
  expect(log()).toContain(`paused connection ${before.okx.id}: the vault holds no secret for it`);
  // Re-audits cannot change its pause (nothing to audit with).
  expect(await reasonOf(call('connections.audit', { id: before.okx.id }))).toBe('NOT_FOUND');
  expect((await list()).find((c) => c.id === before.okx.id)!.pausedReason).toMatch(/no secret/);
  const r = await cli(['repair']);
  expect(r.code).toBe(0); // paused, so it cannot trade: nothing left that could not be handled
  expect(r.stdout).toContain('[connection-without-secret]');

  expect(await reasonOf(call('connections.remove', { id: before.okx.id }))).toBe('ok');
  expect((await hello()).integrity).toBeUndefined();
  const back = await call<{ connection: Connection }>('connections.add', {
    exchange: 'okx',
    label: 'OKX bot',
    environment: 'demo',
    endpoint: sim.endpoint('okx'),
    credentials: OKX,
  });
  expect(back.connection.pausedReason).toBeUndefined();
  expect(existsSync(dbPath())).toBe(true);
});
