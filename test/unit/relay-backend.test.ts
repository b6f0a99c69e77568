/**
 * The embedded relay backend on its own (SQLite): replay resumes after each subscriber's acks, a
 * restart of the file keeps fresh signals and unacked deliveries, duplicates and expired signals
 * are handled, and the subscriber store; the serve config's `nats` and `dataFile` settings.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  openEmbeddedBackend,
  openEmbeddedStore,
} from '../../tools/signal-relay/backend-embedded.js';
import type { RelayBackend, SessionTarget } from '../../tools/signal-relay/relay-backend.js';
import { loadServeConfig } from '../../tools/signal-relay/main.js';
import type { SignalFrame } from '../../src/signals/types.js';
import type { Signal } from '../../src/signals/signal.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sc-relay-unit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

let clock = 1_000_000;
const now = () => clock;
const open = (dataFile?: string) =>
  openEmbeddedBackend({ replayMs: 60_000, maxBuffer: 100, now, ...(dataFile ? { dataFile } : {}) });

function frame(id: string, issuedAt = clock, ttlMs = 30_000): [SignalFrame, string, Signal] {
  const signal = {
    v: 1,
    id,
    strategy: 's',
    issuedAt,
    ttlMs,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    size: { quote: '5' },
  } as Signal;
  const f = { type: 'signal', kid: 'k1', sig: 'x'.repeat(86), signal } as SignalFrame;
  return [f, JSON.stringify(f), signal];
}
const alice: SessionTarget = { key: 'a'.repeat(64), name: 'alice', providerKid: 'k1' };
const bob: SessionTarget = { key: 'b'.repeat(64), name: 'bob', providerKid: 'k1' };

async function connect(b: RelayBackend, t: SessionTarget) {
  const got: string[] = [];
  const session = await b.open(t, {
    send: (text) => got.push((JSON.parse(text) as SignalFrame).signal.id) > 0,
    end: () => undefined,
  });
  const ack = (id: string) =>
    session.ack({
      subscriber: t.name,
      providerKid: t.providerKid,
      at: clock,
      id,
      status: 'executed',
    });
  return { got, session, ack };
}

it('replays to each subscriber what it has not acknowledged, in issue order, then live', async () => {
  const b = open();
  await b.publish('k1', ...frame('s2', clock - 10));
  await b.publish('k1', ...frame('s1', clock - 20));
  const a = await connect(b, alice);
  expect(a.got).toEqual(['s1', 's2']);
  a.ack('s1');
  a.session.close();
  expect((await b.publish('k1', ...frame('s3'))).delivered).toBe(0);
  const again = await connect(b, alice);
  expect(again.got).toEqual(['s2', 's3']);
  const other = await connect(b, bob);
  expect(other.got).toEqual(['s1', 's2', 's3']);
  expect(await b.publish('k1', ...frame('s4'))).toEqual({ duplicate: false, delivered: 2 });
  expect(again.got.at(-1)).toBe('s4');
  expect(await b.publish('k1', ...frame('s4'))).toMatchObject({ duplicate: true });
  expect(b.acks(alice.key)).toMatchObject([{ subscriber: 'alice', id: 's1' }]);
  await b.close();
});

it('a restart of the file keeps fresh signals and unacked deliveries; expired ones are dropped', async () => {
  const file = join(dir, 'relay.db');
  let b = open(file);
  await b.publish('k1', ...frame('keep'));
  await b.publish('k1', ...frame('short', clock, 1_000));
  await b.publish('k1', ...frame('acked'));
  const a = await connect(b, alice);
  a.ack('acked');
  await b.close();
  clock += 2_000;
  b = open(file);
  expect((await connect(b, alice)).got).toEqual(['keep']);
  expect(b.buffered('k1').map((f) => f.signal.id)).toEqual(['keep', 'acked']);
  clock += 60_000;
  expect((await connect(b, bob)).got).toEqual([]);
  await b.close();
});

it('keeps the newest maxBuffer signals per provider, across restarts and files older than the counts', async () => {
  const file = join(dir, 'relay.db');
  const small = (maxBuffer: number) =>
    openEmbeddedBackend({ replayMs: 60_000, maxBuffer, now, dataFile: file });
  const ids = (b: RelayBackend, kid = 'k1') => b.buffered(kid).map((f) => f.signal.id);
  let b = small(3);
  for (const id of ['a', 'b', 'c', 'd', 'e']) await b.publish('k1', ...frame(id));
  await b.publish('k2', ...frame('other'));
  expect(ids(b)).toEqual(['c', 'd', 'e']);
  expect(ids(b, 'k2')).toEqual(['other']);
  // A dropped id is gone for good: publishing it again is a new signal, not a duplicate.
  expect(await b.publish('k1', ...frame('a'))).toMatchObject({ duplicate: false });
  expect(ids(b)).toEqual(['d', 'e', 'a']);
  await b.close();

  // A file from before the per-provider counts (no table, no triggers): recounted on open.
  const raw = new Database(file);
  raw.exec(
    'DROP TRIGGER signals_counted_in; DROP TRIGGER signals_counted_out; DROP TABLE signal_counts',
  );
  raw.close();
  b = small(2);
  expect(ids(b)).toEqual(['e', 'a']); // read prunes too, by the recounted 3
  await b.publish('k1', ...frame('f'));
  expect(ids(b)).toEqual(['a', 'f']);
  expect(ids(b, 'k2')).toEqual(['other']);
  await b.close();
});

it('keeps subscribers and providers added at run time, by token hash, with unique names and kids', async () => {
  const file = join(dir, 'relay.db');
  const b = open(file);
  const cli = openEmbeddedStore(file);
  const s = { name: 'carol', providerKid: 'k1', tokenHash: 'c'.repeat(64), createdAt: 1 };
  expect(await cli.store.add(s)).toBe(true);
  expect(await cli.store.add({ ...s, tokenHash: 'd'.repeat(64) })).toBe(false);
  expect(await b.subscribers.find('c'.repeat(64))).toEqual(s);
  expect(await cli.store.remove('carol')).toBe(true);
  expect(await b.subscribers.find('c'.repeat(64))).toBeNull();
  const p = { kid: 'k2', publicKey: 'pk', tokenHash: 'e'.repeat(64), createdAt: 2 };
  expect(await cli.providers.add(p)).toBe(true);
  expect(await cli.providers.add({ ...p, tokenHash: 'f'.repeat(64) })).toBe(false);
  expect(await b.providers.byToken('e'.repeat(64))).toEqual(p);
  expect(await b.providers.byKid('k2')).toEqual(p);
  expect(await b.providers.list()).toEqual([p]);
  expect(await cli.providers.remove('k2')).toBe(true);
  expect(await b.providers.byKid('k2')).toBeNull();
  cli.close();
  await b.close();
});

it('serve config: nats and dataFile', () => {
  const write = (config: object) => {
    const p = join(dir, 'relay.json');
    writeFileSync(p, JSON.stringify(config), { mode: 0o600 });
    return p;
  };
  const base = {
    providers: [{ token: 'provider-token-0123456789', kid: 'k1', publicKey: 'x' }],
    subscribers: [],
  };
  expect(loadServeConfig(write(base)).dataFile).toBe(join(dir, 'relay.db'));
  expect(loadServeConfig(write({ ...base, dataFile: 'state/x.db' })).dataFile).toBe(
    join(dir, 'state/x.db'),
  );
  const nats = loadServeConfig(
    write({ ...base, nats: { servers: 'nats://127.0.0.1:4222', stream: 'S1' } }),
  );
  expect(nats.nats).toEqual({ servers: 'nats://127.0.0.1:4222', stream: 'S1' });
  expect(nats.dataFile).toBeUndefined();
  expect(() =>
    loadServeConfig(write({ ...base, nats: { servers: 'nats://h:1', other: 1 } })),
  ).toThrow(/unknown setting/);
  expect(() =>
    loadServeConfig(write({ ...base, nats: { servers: 'nats://h:1' }, dataFile: 'x' })),
  ).toThrow(/not both/);
});
