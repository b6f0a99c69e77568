/**
 * Connection reads of the state database (store/state-db.ts): the signal path reads its
 * connection for every order, and every write path must be seen by the very next read (a pause
 * or a blocking audit stops the next order), also after a rollback. Rows are read fresh each
 * time: a cache saved ≈ 8 µs of a signal's ≈ 2 ms and would have to be invalidated by every
 * writer, on the path that enforces pauses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Audit } from '../../src/exchanges/types.js';
import type { Connection } from '../../src/protocol/methods.js';
import { StateDb } from '../../src/native-host/service/store/state-db.js';

let dir: string;
let state: StateDb;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sc-conn-'));
  state = new StateDb(join(dir, 'state.db'));
  state.insertConnection(connection('c1'));
});
afterEach(() => {
  state.close();
  rmSync(dir, { recursive: true, force: true });
});

function connection(id: string, label = 'main'): Connection {
  return {
    id,
    exchange: 'binance',
    label,
    environment: 'live',
    mode: 'dry-run',
    apiKeyHint: 'AbCd…wXyZ',
    createdAt: '2026-01-15T00:00:00.000Z',
    needs: {},
  };
}

const audit = (verdict: Audit['verdict']): Audit => ({
  at: '2026-02-01T00:00:00.000Z',
  verdict,
  permissions: {} as Audit['permissions'],
  ipRestricted: true,
  checks: [],
});

describe('StateDb.getConnection after each write', () => {
  const cases: {
    name: string;
    write: (db: StateDb) => void;
    seen: (c: Connection | null) => unknown;
    expected: unknown;
  }[] = [
    {
      name: 'setPaused (a reason)',
      write: (db) => db.setPaused('c1', 'audit verdict block'),
      seen: (c) => c?.pausedReason,
      expected: 'audit verdict block',
    },
    {
      name: 'setPaused (lifted)',
      write: (db) => {
        db.setPaused('c1', 'leak');
        db.getConnection('c1');
        db.setPaused('c1', null);
      },
      seen: (c) => c?.pausedReason,
      expected: undefined,
    },
    {
      name: 'recordAudit (block)',
      write: (db) => db.recordAudit('c1', audit('block')),
      seen: (c) => c?.lastAudit?.verdict,
      expected: 'block',
    },
    {
      name: 'recordAudit with a new key',
      write: (db) =>
        db.recordAudit('c1', audit('ok'), { apiKeyHint: 'NeWk…3y00', keyCreatedAt: '2026-03-01' }),
      seen: (c) => [c?.apiKeyHint, c?.keyCreatedAt],
      expected: ['NeWk…3y00', '2026-03-01'],
    },
    {
      name: 'setMode',
      write: (db) => db.setMode('c1', 'live'),
      seen: (c) => c?.mode,
      expected: 'live',
    },
    {
      name: 'deleteConnection',
      write: (db) => db.deleteConnection('c1'),
      seen: (c) => c,
      expected: null,
    },
    {
      name: 'deleteConnection, then insertConnection again',
      write: (db) => {
        db.deleteConnection('c1');
        db.getConnection('c1');
        db.insertConnection(connection('c1', 'again'));
      },
      seen: (c) => c?.label,
      expected: 'again',
    },
  ];
  for (const { name, write, seen, expected } of cases)
    it(name, () => {
      expect(state.getConnection('c1')?.label).toBe('main'); // read before the write
      write(state);
      expect(seen(state.getConnection('c1'))).toEqual(expected);
    });
});

describe('StateDb.getConnection', () => {
  it('a mode change is seen by the next read; an earlier read keeps what it read', () => {
    const a = state.getConnection('c1')!;
    state.setMode('c1', 'live');
    const b = state.getConnection('c1')!;
    expect([a.mode, b.mode]).toEqual(['dry-run', 'live']);
  });

  it('a write rolled back is not seen after the rollback', () => {
    state.getConnection('c1');
    const rolledBack = state.handle.transaction(() => {
      state.setPaused('c1', 'inside');
      expect(state.getConnection('c1')?.pausedReason).toBe('inside');
      throw new Error('roll back');
    });
    expect(() => rolledBack()).toThrow('roll back');
    expect(state.getConnection('c1')?.pausedReason).toBeUndefined();
  });

  it('sees a write to another connection only there', () => {
    state.insertConnection(connection('c2', 'other'));
    const first = state.getConnection('c1');
    state.setPaused('c2', 'leak');
    expect(state.getConnection('c1')).toEqual(first);
    expect(state.getConnection('c2')?.pausedReason).toBe('leak');
    expect(state.getConnection('nope')).toBeNull();
  });
});
