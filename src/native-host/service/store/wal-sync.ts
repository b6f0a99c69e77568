/**
 * Group commit off the event loop. `durable()` resolves once every commit made before the call is
 * on disk. The signal path commits with synchronous=NORMAL (deferred-commit.ts): SQLite writes the
 * transaction to the WAL file, where a SIGKILL cannot lose it (it is in the OS's cache), and leaves
 * the fsync out. This module makes that fsync itself, on libuv's thread pool: an fsync of the WAL
 * file — the very syscall synchronous=FULL makes at each commit (strace of a FULL commit: `fsync`
 * of `<db>-wal`) — flushes every frame written to the file before it, whichever descriptor wrote
 * them ("all modified in-core data of the file referred to by fd",
 * https://man7.org/linux/man-pages/man2/fsync.2.html), and the WAL is one file appended in order
 * (https://www.sqlite.org/wal.html).
 *
 * Why: a FULL commit blocks the event loop for the whole fsync (0.5–0.8 ms here), so nothing else
 * the service does — the next signal's checks, another connection's answer — moves meanwhile, and
 * every signal pays its own fsync. Here the loop keeps working while the disk flushes, and callers
 * that arrive while one fsync runs share the next one.
 *
 * The order that makes it correct: a caller calls `durable()` only after its write returned
 * (better-sqlite3 is synchronous); the callers waiting when an fsync starts are its batch, and they
 * resolve when it returns; a caller arriving while an fsync runs is not covered by it (its write
 * may have come after the syscall began) and joins the next batch. If the fsync fails, its batch
 * rejects: nothing that waited on it is sent or acknowledged.
 */
import { closeSync, fsync, openSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { statement } from './statements.js';

export type FsyncFn = (fd: number) => Promise<void>;

const fsyncOnPool: FsyncFn = (fd) =>
  new Promise((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class WalSync {
  private wal: { fd: number; ino: number } | null = null;
  private running = false;
  private waiting: Waiter[] = [];
  /** fsyncs made, and callers they covered (for tests and the benchmark's notes). */
  readonly stats = { syncs: 0, callers: 0 };

  /** An in-memory database has no disk to wait for (tests). */
  private readonly inMemory: boolean;

  constructor(
    private readonly db: Database.Database,
    private readonly fsyncFd: FsyncFn = fsyncOnPool,
  ) {
    this.inMemory = db.memory;
    if (!this.inMemory && db.pragma('journal_mode', { simple: true }) !== 'wal')
      throw new Error('WalSync needs a database in WAL mode (state-db.ts sets it)');
  }

  /** Resolves when every commit made before this call is durable. */
  durable(): Promise<void> {
    if (this.inMemory) return Promise.resolve();
    // Inside a transaction the caller's write is not committed yet: no fsync can cover it.
    if (this.db.inTransaction)
      return Promise.reject(new Error('durable() was called inside an open transaction'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.running) this.flush();
    });
  }

  close(): void {
    if (this.wal) closeSync(this.wal.fd);
    this.wal = null;
  }

  private flush(): void {
    const batch = this.waiting;
    this.waiting = [];
    this.running = true;
    let synced: Promise<void>;
    try {
      synced = this.fsyncFd(this.walFd());
    } catch (err) {
      synced = Promise.reject(err);
    }
    synced
      .then(
        () => {
          this.stats.syncs++;
          this.stats.callers += batch.length;
          for (const w of batch) w.resolve();
        },
        (err: unknown) => {
          for (const w of batch) w.reject(err);
        },
      )
      .finally(() => {
        this.running = false;
        if (this.waiting.length > 0) this.flush();
      });
  }

  /**
   * The WAL file, opened once and again whenever it is a new file (SQLite removes it only when the
   * last connection closes; another process's repair could). A newly opened WAL first gets one FULL
   * commit of SQLite's own, which also syncs the directory entry of a newly created file.
   */
  private walFd(): number {
    const path = `${this.db.name}-wal`;
    const ino = statOrNull(path);
    if (this.wal && this.wal.ino === ino) return this.wal.fd;
    this.close();
    // synchronous=FULL is the database's setting (state-db.ts); the value changes at each commit
    // so the write dirties a page (a no-op write has no WAL frame, hence no fsync).
    statement(
      this.db,
      `INSERT INTO settings (key, value) VALUES ('wal-sync-opened', '1')
       ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`,
    ).run();
    const fd = openSync(path, 'r+'); // never written through; r+ because Windows flushes only writable handles
    this.wal = { fd, ino: statSync(path).ino };
    return fd;
  }
}

function statOrNull(path: string): number | null {
  try {
    return statSync(path).ino;
  } catch {
    return null;
  }
}

const syncs = new WeakMap<Database.Database, WalSync>();

/** The database's one WalSync (every store on it shares the batches). */
export function walSync(db: Database.Database): WalSync {
  let s = syncs.get(db);
  if (!s) syncs.set(db, (s = new WalSync(db)));
  return s;
}

/** Closes the database's WAL descriptor (StateDb.close, before the database closes). */
export function closeWalSync(db: Database.Database): void {
  syncs.get(db)?.close();
  syncs.delete(db);
}
