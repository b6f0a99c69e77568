/**
 * host.hello's state-DB parts are read again whenever the state DB changed (on this connection or
 * another), or the key did, and only then (handlers/host-db-reads.ts); host.hello on a real state
 * DB answers what the DB holds right after each change.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateDbReads } from '../../src/native-host/service/handlers/host-db-reads.js';
import { hostHandlers } from '../../src/native-host/service/handlers/host.js';
import type { ServiceContext } from '../../src/native-host/service/handlers/context.js';
import { saveIncident, clearIncident } from '../../src/native-host/service/integrity/incident.js';
import { StateDb } from '../../src/native-host/service/store/state-db.js';

let dir: string;
let state: StateDb;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sc-hello-reads-'));
  state = new StateDb(join(dir, 'state.db'));
});
afterEach(() => {
  state.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A StateDbReads of the setting "x", and how many times it read the DB. */
function counted() {
  let reads = 0;
  const cached = new StateDbReads(state, (key: string) => {
    reads++;
    return `${key}:${state.getSetting('x') ?? '-'}`;
  });
  return { cached, reads: () => reads };
}

describe('StateDbReads', () => {
  it('reads once while nothing changes', () => {
    const { cached, reads } = counted();
    for (let i = 0; i < 5; i++) expect(cached.get('k')).toBe('k:-');
    expect(reads()).toBe(1);
  });

  it.each([
    ['a setting written', (db: StateDb) => db.setSetting('x', '1'), 'k:1'],
    ['the same value written again', (db: StateDb) => db.setSetting('x', '0'), 'k:0'],
    [
      'a row of another table inserted',
      (db: StateDb) =>
        db.handle.prepare("INSERT INTO settings (key, value) VALUES ('other', 'v')").run(),
      'k:0',
    ],
    [
      'a write rolled back',
      (db: StateDb) => {
        const write = db.handle.transaction(() => {
          db.setSetting('x', '2');
          throw new Error('rolled back');
        });
        expect(write).toThrow('rolled back');
      },
      'k:0',
    ],
  ] as const)('reads again after %s', (_what, change, expected) => {
    state.setSetting('x', '0');
    const { cached, reads } = counted();
    expect(cached.get('k')).toBe('k:0');
    change(state);
    expect(cached.get('k')).toBe(expected);
    expect(reads()).toBe(2);
    expect(cached.get('k')).toBe(expected);
    expect(reads()).toBe(2);
  });

  it('reads again after another connection committed to the file', () => {
    const { cached, reads } = counted();
    expect(cached.get('k')).toBe('k:-');
    const other = new Database(join(dir, 'state.db'));
    try {
      other.prepare("INSERT INTO settings (key, value) VALUES ('x', 'theirs')").run();
    } finally {
      other.close();
    }
    expect(cached.get('k')).toBe('k:theirs');
    expect(reads()).toBe(2);
  });

  it('reads again when the key changes', () => {
    const { cached, reads } = counted();
    expect(cached.get('a')).toBe('a:-');
    expect(cached.get('b')).toBe('b:-');
    expect(cached.get('a')).toBe('a:-');
    expect(reads()).toBe(3);
  });

  it('reads every time when the DB has no change counters to read', () => {
    let reads = 0;
    const noHandle = { getSetting: () => null } as unknown as StateDb;
    const cached = new StateDbReads(noHandle, () => ++reads);
    expect([cached.get(0), cached.get(0), cached.get(0)]).toEqual([1, 2, 3]);
  });
});

describe('host.hello on a real state DB', () => {
  /** host.hello over the real state DB, with the vault in the state `vault()` says at each call. */
  function hello(vault: () => 'absent' | 'locked' | 'unlocked' = () => 'locked') {
    const ctx = {
      startedAt: '2026-12-01T12:00:00.000Z',
      vault: { state: vault, insecureTestKdf: false },
      db: state,
      trading: { paused: false },
      log: { debug: () => undefined, warn: () => undefined },
    } as unknown as ServiceContext;
    return hostHandlers(ctx)['host.hello'];
  }

  it('answers each change of the DB at the next call', async () => {
    const call = hello();
    expect((await call({}, {})).extensions).toEqual([]);
    // The hello it records itself shows in the same answer and the ones after.
    const recorded = await call({ client: 'extension' }, { origin: 'chrome-extension://a/' });
    expect(recorded.extensions).toMatchObject([{ origin: 'chrome-extension://a/' }]);
    expect((await call({}, {})).integrity).toBeUndefined();
    saveIncident(state, { cause: 'missing', since: '2026-12-01T12:00:00.000Z', rebuilt: [] });
    expect((await call({}, {})).integrity?.problems).toMatchObject([{ kind: 'state-db-missing' }]);
    clearIncident(state);
    const after = await call({}, {});
    expect(after.integrity).toBeUndefined();
    expect(after.extensions).toMatchObject([{ origin: 'chrome-extension://a/' }]);
  });

  it('answers the integrity advice of the vault state it has now', async () => {
    saveIncident(state, { cause: 'missing', since: '2026-12-01T12:00:00.000Z', rebuilt: [] });
    let vault: 'locked' | 'unlocked' = 'locked';
    const call = hello(() => vault);
    expect((await call({}, {})).integrity?.advice).toContain('Unlock the vault');
    vault = 'unlocked';
    expect((await call({}, {})).integrity?.advice).not.toContain('Unlock the vault');
  });
});
