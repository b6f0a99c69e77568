/**
 * Relay tokens live in the vault, never in the state DB: a subscription made with a known token
 * (CLI, token on stdin) leaves it in none of state.db, its WAL, config.json, the logs, any reply,
 * notification or CLI output; the feed reads it from the vault; unsubscribing erases it. An older
 * DB that still holds a token in `subscriptions.token` (and a deleted row's token in its free
 * pages) is migrated at the first unlock: the token moves into the vault, the column is emptied,
 * the file is rewritten and the WAL truncated, and the feed connects with the vault's token.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FrameReader, connectSocket, requireBuiltHost, type CliResult } from '../helpers/host.js';
import { Scope } from '../../dev/harness/scope.js';
import {
  PASS,
  SUBSCRIBER_TOKEN,
  startTradingStack,
  type TradingStack,
} from '../../dev/harness/trading.js';
import { until } from '../../dev/harness/wait.js';
import { encodeFrame } from '../../src/protocol/frame.js';
import { Vault } from '../../src/native-host/service/vault/vault.js';

const CLI_TOKEN = 'cli-relay-TOKEN-7d41e0b2c9';
const GONE_TOKEN = 'deleted-row-TOKEN-5a9f3c18e6';

let scope: Scope;
let rig: TradingStack;
beforeAll(async () => {
  requireBuiltHost();
  scope = new Scope('relay tokens');
  rig = await startTradingStack(scope, { kdf: 'insecure-test', logLevel: 'debug' });
}, 120_000);
afterAll(async () => {
  const problems = await scope?.close();
  expect(problems).toEqual([]);
});

const transcript: string[] = [];
const record = (r: CliResult): CliResult => {
  transcript.push(r.stdout, r.stderr);
  return r;
};

async function vaultContents() {
  const v = new Vault(rig.home, { insecureTestKdf: true });
  await v.unlock(PASS);
  const c = structuredClone(v.read());
  v.lock();
  return c;
}

function scan(secrets: string[]): void {
  const places: Record<string, string> = {
    'replies, notifications, CLI output': transcript.join('\n'),
  };
  for (const f of ['state.db', 'state.db-wal', 'config.json'])
    if (existsSync(join(rig.home, f)))
      places[f] = readFileSync(join(rig.home, f)).toString('latin1');
  for (const f of readdirSync(join(rig.home, 'logs')))
    places[`logs/${f}`] = readFileSync(join(rig.home, 'logs', f), 'utf8');
  expect(Object.keys(places)).toContain('state.db');
  for (const [where, text] of Object.entries(places))
    for (const secret of secrets)
      expect(text.includes(secret), `${where} contains ${secret}`).toBe(false);
  // The vault holds them only encrypted.
  const vault = readFileSync(join(rig.home, 'vault.bin')).toString('latin1');
  for (const secret of secrets) expect(vault.includes(secret)).toBe(false);
}

it('subscribe stores the token in the vault only; unsubscribe erases it; nothing leaks', async () => {
  // Every notification the service sends, from here on.
  const listener = await connectSocket(join(rig.home, 'run', 'host.sock'));
  const reader = new FrameReader(listener);
  listener.write(encodeFrame({ jsonrpc: '2.0', id: 1, method: 'host.hello', params: {} }));
  const notes = (async () => {
    for (;;) {
      const f = await reader.next(60_000).catch(() => null);
      if (!f) return;
      transcript.push(JSON.stringify(f.ok ? f.message : f.error.message));
    }
  })();

  const routes = JSON.stringify([
    { strategy: 'okx-trend', connectionId: rig.connections.okx.id, maxOrderQuote: '100' },
  ]);
  const sub = record(
    await rig.cli(
      [
        'signals',
        'subscribe',
        '--url',
        rig.relay.wsUrl,
        '--provider-key',
        rig.keys.publicKey,
        '--routes',
        routes,
        '--json',
      ],
      `${CLI_TOKEN}\n`,
    ),
  );
  expect(sub.code, sub.stderr).toBe(0);
  const id = (JSON.parse(sub.stdout) as { id: string; tokenHint: string }).id;
  expect((JSON.parse(sub.stdout) as { tokenHint: string }).tokenHint).toBe('cli…');
  expect((await vaultContents()).subscriptions?.[id]?.token).toBe(CLI_TOKEN);
  // The relay does not know this token: the feed says so, without the token.
  await until(
    async () =>
      ((await rig.call('signals.list', {})) as { id: string; feed: { problem?: string } }[]).find(
        (s) => s.id === id && s.feed.problem?.includes('refused the subscription token'),
      ),
    20_000,
    'the relay to refuse the token',
  );
  transcript.push(JSON.stringify(await rig.call('signals.list', {})));
  record(await rig.cli(['signals', 'list', '--json']));

  expect(record(await rig.cli(['signals', 'unsubscribe', id])).code).toBe(0);
  expect((await vaultContents()).subscriptions?.[id]).toBeUndefined();
  listener.end(); // the service closes its side too: the reader ends
  await notes;
  await rig.service.stop();
  scan([CLI_TOKEN, SUBSCRIBER_TOKEN]);
  await rig.service.start();
}, 120_000);

it('an older DB: the token moves into the vault at the first unlock and leaves the file', async () => {
  const [sub] = (await rig.call('signals.list', {})) as { id: string }[];
  const id = sub!.id;
  await rig.service.stop();

  // As an older version left things: the token in the column, none in the vault, and a deleted
  // subscription's token in the file's free space.
  const v = new Vault(rig.home, { insecureTestKdf: true });
  await v.unlock(PASS);
  await v.update((d) => {
    delete d.subscriptions;
  });
  v.lock();
  const db = new Database(join(rig.home, 'state.db'));
  db.pragma('secure_delete = OFF');
  db.prepare('UPDATE subscriptions SET token = ? WHERE id = ?').run(SUBSCRIBER_TOKEN, id);
  db.prepare(
    "INSERT INTO subscriptions (id, url, token, provider_key, routes, created_at) VALUES ('s_gone', 'ws://127.0.0.1:1/', ?, 'k', '[]', '2020-01-01')",
  ).run(GONE_TOKEN);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.prepare("DELETE FROM subscriptions WHERE id = 's_gone'").run();
  db.prepare("DELETE FROM settings WHERE key = 'relay-tokens-purged'").run();
  db.close();
  const file = () =>
    ['state.db', 'state.db-wal']
      .filter((f) => existsSync(join(rig.home, f)))
      .map((f) => readFileSync(join(rig.home, f)).toString('latin1'))
      .join('');
  expect(file()).toContain(SUBSCRIBER_TOKEN);
  expect(file()).toContain(GONE_TOKEN);

  // Restart: unlocked from the passphrase file, so the migration runs before the feeds start.
  const connectionsBefore = rig.relay.connections().length;
  await rig.service.start();
  await until(
    async () =>
      ((await rig.call('signals.list', {})) as { id: string; feed: { state: string } }[]).find(
        (s) => s.id === id && s.feed.state === 'connected',
      ),
    30_000,
    'the feed to connect with the token from the vault',
  );
  expect(rig.relay.connections().length).toBeGreaterThanOrEqual(connectionsBefore);
  const contents = await vaultContents();
  expect(contents.subscriptions?.[id]?.token).toBe(SUBSCRIBER_TOKEN);
  const log = readFileSync(join(rig.home, 'logs', 'service.log'), 'utf8');
  expect(log).toContain('moved 1 relay token(s) from the state DB into the vault');

  // A signal still executes through it.
  const signal = (await import('../../dev/harness/trading.js')).marketSignal('okx-trend');
  await rig.publish(signal);
  await until(() => rig.acked(signal.id as string), 30_000, 'the ack');

  await rig.service.stop();
  const check = new Database(join(rig.home, 'state.db'), { readonly: true });
  expect(check.prepare("SELECT token FROM subscriptions WHERE token != ''").all()).toEqual([]);
  check.close();
  scan([SUBSCRIBER_TOKEN, GONE_TOKEN, CLI_TOKEN]);
  await rig.service.start();
}, 120_000);

it('a subscription removed while the vault is locked is erased at the unlock, not rebuilt', async () => {
  const routes = [
    { strategy: 'okx-trend', connectionId: rig.connections.okx.id, maxOrderQuote: '100' },
  ];
  const { id } = (await rig.call('signals.subscribe', {
    url: rig.relay.wsUrl,
    token: 'removed-while-locked-TOKEN',
    providerKey: rig.keys.publicKey,
    routes,
  })) as { id: string };
  await rig.call('vault.lock');
  await rig.call('signals.unsubscribe', { id });
  await rig.call('vault.unlock', { passphrase: PASS });
  await until(
    async () => (await vaultContents()).subscriptions?.[id] === undefined,
    20_000,
    'the locked-time removal to be applied',
  );
  const ids = ((await rig.call('signals.list', {})) as { id: string }[]).map((s) => s.id);
  expect(ids).not.toContain(id);
}, 60_000);

it('a lost state DB: subscriptions come back from the vault, trading paused', async () => {
  const before = (await rig.call('signals.list', {})) as {
    id: string;
    url: string;
    routes: unknown[];
  }[];
  expect(before.length).toBeGreaterThan(0);
  await rig.service.stop();
  for (const f of ['state.db', 'state.db-wal', 'state.db-shm'])
    if (existsSync(join(rig.home, f))) rmSync(join(rig.home, f));
  await rig.service.start(); // unlocked from the passphrase file
  const after = await until(
    async () => {
      const list = (await rig.call('signals.list', {})) as typeof before;
      return list.length === before.length ? list : null;
    },
    30_000,
    'the subscriptions to be rebuilt',
  );
  for (const s of before)
    expect(after.find((a) => a.id === s.id)).toMatchObject({ url: s.url, routes: s.routes });
  expect(
    ((await rig.call('host.hello', {})) as { trading: { paused: boolean } }).trading.paused,
  ).toBe(true);
  expect(readFileSync(join(rig.home, 'logs', 'service.log'), 'utf8')).toContain(
    `rebuilt subscription ${before[0]!.id}`,
  );
  // Its token came back with it: the feed connects again.
  await until(
    async () =>
      ((await rig.call('signals.list', {})) as { id: string; feed: { state: string } }[]).find(
        (s) => s.id === before[0]!.id && s.feed.state === 'connected',
      ),
    30_000,
    'the rebuilt feed to connect',
  );
}, 120_000);
