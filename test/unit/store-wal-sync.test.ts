/**
 * WalSync (store/wal-sync.ts) on a real state database: the fsync it makes is of the WAL file;
 * callers waiting when an fsync starts resolve with it, callers arriving while it runs wait for
 * the next one (their write may have come after the syscall began); a failed fsync rejects its
 * batch and the next batch still syncs; a WAL file made anew is opened anew.
 */
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { fsync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateDb } from '../../src/native-host/service/store/state-db.js';
import { WalSync } from '../../src/native-host/service/store/wal-sync.js';
import { deferredCommit } from '../../src/native-host/service/store/deferred-commit.js';

let dir: string;
let state: StateDb;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sc-walsync-'));
  state = new StateDb(join(dir, 'state.db'));
});
afterEach(() => {
  state.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An fsync the test releases by hand, recording which file each call named. */
function manualFsync() {
  const calls: { path: string; release: (err?: Error) => void }[] = [];
  const fn = (fd: number) =>
    new Promise<void>((resolve, reject) => {
      calls.push({
        path: readlinkSync(`/proc/self/fd/${fd}`),
        release: (err) => (err ? reject(err) : resolve()),
      });
    });
  return { fn, calls };
}

const write = (n: number) =>
  deferredCommit(state.handle, () =>
    state.handle
      .prepare("INSERT INTO settings (key, value) VALUES (?, 'x') ON CONFLICT DO NOTHING")
      .run(`k${n}`),
  );
const tick = () => new Promise((r) => setImmediate(r));

describe('WalSync', () => {
  it('fsyncs the WAL file, for real', async () => {
    const paths: string[] = [];
    const sync = new WalSync(state.handle, (fd) => {
      paths.push(readlinkSync(`/proc/self/fd/${fd}`));
      return new Promise((res, rej) => fsync(fd, (e) => (e ? rej(e) : res())));
    });
    write(1);
    await sync.durable();
    write(2);
    await sync.durable();
    expect(paths).toEqual([join(dir, 'state.db-wal'), join(dir, 'state.db-wal')]);
    expect(sync.stats).toEqual({ syncs: 2, callers: 2 });
    sync.close();
  });

  it('callers arriving during an fsync share the next one, not the running one', async () => {
    const { fn, calls } = manualFsync();
    const sync = new WalSync(state.handle, fn);
    const done: string[] = [];
    write(1);
    void sync.durable().then(() => done.push('a'));
    expect(calls).toHaveLength(1); // started at once: no waiting for a batch to form
    write(2);
    void sync.durable().then(() => done.push('b'));
    write(3);
    void sync.durable().then(() => done.push('c'));
    await tick();
    expect(calls).toHaveLength(1);
    expect(done).toEqual([]);
    calls[0]!.release();
    await tick();
    expect(done).toEqual(['a']); // b and c wrote after the first fsync began
    expect(calls).toHaveLength(2);
    calls[1]!.release();
    await tick();
    expect(done).toEqual(['a', 'b', 'c']);
    expect(sync.stats).toEqual({ syncs: 2, callers: 3 });
    sync.close();
  });

  it('a failed fsync rejects its batch; the next batch syncs again', async () => {
    const { fn, calls } = manualFsync();
    const sync = new WalSync(state.handle, fn);
    write(1);
    const a = sync.durable();
    write(2);
    const b = sync.durable();
    calls[0]!.release(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    await expect(a).rejects.toThrow('EIO');
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.release();
    await expect(b).resolves.toBeUndefined();
    sync.close();
  });

  it('a WAL file made anew is opened anew', async () => {
    const { fn, calls } = manualFsync();
    const sync = new WalSync(state.handle, fn);
    write(1);
    const first = sync.durable();
    calls[0]!.release();
    await first;
    // Leaving WAL mode deletes the file; entering it again creates another one.
    state.handle.pragma('journal_mode = DELETE');
    state.handle.pragma('journal_mode = WAL');
    write(2);
    const second = sync.durable();
    await tick();
    calls[1]!.release();
    await second;
    expect(calls.map((c) => c.path)).toEqual([
      join(dir, 'state.db-wal'),
      join(dir, 'state.db-wal'),
    ]);
    sync.close();
  });

  it('refuses to wait inside an open transaction (its write is not committed yet)', async () => {
    const sync = new WalSync(state.handle, () => Promise.resolve());
    let waited: Promise<void> | undefined;
    state.handle.transaction(() => {
      write(1);
      waited = sync.durable();
    })();
    await expect(waited).rejects.toThrow('inside an open transaction');
    sync.close();
  });

  it('refuses a database file not in WAL mode; an in-memory one has nothing to wait for', async () => {
    const plain = new Database(join(dir, 'plain.db'));
    expect(() => new WalSync(plain)).toThrow('WAL mode');
    plain.close();
    const memory = new Database(':memory:');
    await expect(
      new WalSync(memory, () => Promise.reject(new Error('no'))).durable(),
    ).resolves.toBeUndefined();
    memory.close();
  });
});
