/**
 * The embedded backend: one process, state in SQLite (a file, durable across restarts, or memory).
 * A restart keeps the signals still fresh and every subscriber's acks, so a host reconnecting
 * after the restart is replayed exactly what it had not acknowledged.
 */
import Database from 'better-sqlite3';
import { expiresAt, type Signal } from '../../src/signals/signal.js';
import type { AckStatus, SignalFrame } from '../../src/signals/types.js';
import type { RecordedAck } from './relay-api.js';
import type {
  FeedSession,
  FeedSink,
  ProviderStore,
  PublishOutcome,
  RelayBackend,
  SessionTarget,
  StoredProvider,
  StoredSubscriber,
  SubscriberStore,
} from './relay-backend.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS signals (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, kid TEXT NOT NULL, id TEXT NOT NULL,
  issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, received_at INTEGER NOT NULL,
  frame TEXT NOT NULL, UNIQUE (kid, id));
CREATE INDEX IF NOT EXISTS signals_by_age ON signals (kid, seq);
CREATE INDEX IF NOT EXISTS signals_by_expiry ON signals (kid, expires_at);
CREATE INDEX IF NOT EXISTS signals_by_arrival ON signals (kid, received_at);
CREATE TABLE IF NOT EXISTS signal_counts (kid TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS signals_counted_in AFTER INSERT ON signals BEGIN
  INSERT INTO signal_counts (kid, n) VALUES (new.kid, 1) ON CONFLICT (kid) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS signals_counted_out AFTER DELETE ON signals BEGIN
  UPDATE signal_counts SET n = n - 1 WHERE kid = old.kid;
END;
CREATE TABLE IF NOT EXISTS acks (
  n INTEGER PRIMARY KEY AUTOINCREMENT, sub TEXT NOT NULL, name TEXT NOT NULL, kid TEXT NOT NULL,
  id TEXT NOT NULL, status TEXT NOT NULL, reason TEXT, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS acks_by_sub ON acks (sub, kid, id);
CREATE TABLE IF NOT EXISTS providers (
  token_hash TEXT PRIMARY KEY, kid TEXT NOT NULL UNIQUE, public_key TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS subscribers (
  token_hash TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, provider_kid TEXT NOT NULL,
  created_at INTEGER NOT NULL);
`;

/** Acks kept per subscriber (the oldest go first), and for how long at most (as on NATS). */
const MAX_ACKS_PER_SUBSCRIBER = 10_000;
const ACK_RECORD_MS = 7 * 86_400_000;

export interface EmbeddedOptions {
  /** SQLite file; undefined keeps everything in memory (gone at exit). */
  dataFile?: string;
  replayMs: number;
  maxBuffer: number;
  now: () => number;
}

interface AckRow {
  name: string;
  kid: string;
  id: string;
  status: string;
  reason: string | null;
  at: number;
}

const toAck = (r: AckRow): RecordedAck => ({
  subscriber: r.name,
  providerKid: r.kid,
  at: r.at,
  id: r.id,
  status: r.status as AckStatus,
  ...(r.reason !== null ? { reason: r.reason } : {}),
});

/** Open the subscriber and provider tables of a data file (the CLI's commands). */
export function openEmbeddedStore(dataFile: string): {
  store: SubscriberStore;
  providers: ProviderStore;
  close(): void;
} {
  const db = openDb(dataFile);
  return { store: subscriberStore(db), providers: providerStore(db), close: () => db.close() };
}

function providerStore(db: Database.Database): ProviderStore {
  type Row = { token_hash: string; kid: string; public_key: string; created_at: number };
  const fromRow = (r: Row | undefined): StoredProvider | null =>
    r
      ? { tokenHash: r.token_hash, kid: r.kid, publicKey: r.public_key, createdAt: r.created_at }
      : null;
  const byToken = db.prepare<[string], Row>('SELECT * FROM providers WHERE token_hash = ?');
  const byKid = db.prepare<[string], Row>('SELECT * FROM providers WHERE kid = ?');
  return {
    byToken: (hash) => Promise.resolve(fromRow(byToken.get(hash))),
    byKid: (kid) => Promise.resolve(fromRow(byKid.get(kid))),
    add: (p) =>
      Promise.resolve(
        db
          .prepare(
            'INSERT OR IGNORE INTO providers (token_hash, kid, public_key, created_at) VALUES (?, ?, ?, ?)',
          )
          .run(p.tokenHash, p.kid, p.publicKey, p.createdAt).changes === 1,
      ),
    remove: (kid) =>
      Promise.resolve(db.prepare('DELETE FROM providers WHERE kid = ?').run(kid).changes > 0),
    list: () =>
      Promise.resolve(
        db
          .prepare<[], Row>('SELECT * FROM providers ORDER BY created_at, kid')
          .all()
          .map((r) => fromRow(r) as StoredProvider),
      ),
  };
}

function openDb(dataFile: string | undefined): Database.Database {
  const db = new Database(dataFile ?? ':memory:');
  if (dataFile !== undefined) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return db;
}

function subscriberStore(db: Database.Database): SubscriberStore {
  type Row = { token_hash: string; name: string; provider_kid: string; created_at: number };
  const fromRow = (r: Row): StoredSubscriber => ({
    tokenHash: r.token_hash,
    name: r.name,
    providerKid: r.provider_kid,
    createdAt: r.created_at,
  });
  const find = db.prepare<[string], Row>('SELECT * FROM subscribers WHERE token_hash = ?');
  return {
    find: (hash) => Promise.resolve(((r) => (r ? fromRow(r) : null))(find.get(hash))),
    add: (s) =>
      Promise.resolve(
        db
          .prepare(
            'INSERT OR IGNORE INTO subscribers (token_hash, name, provider_kid, created_at) VALUES (?, ?, ?, ?)',
          )
          .run(s.tokenHash, s.name, s.providerKid, s.createdAt).changes === 1,
      ),
    remove: (name) =>
      Promise.resolve(db.prepare('DELETE FROM subscribers WHERE name = ?').run(name).changes > 0),
    list: () =>
      Promise.resolve(
        db
          .prepare<[], Row>('SELECT * FROM subscribers ORDER BY created_at, name')
          .all()
          .map(fromRow),
      ),
  };
}

export function openEmbeddedBackend(o: EmbeddedOptions): RelayBackend {
  const db = openDb(o.dataFile);
  const sessions = new Map<string, Set<{ target: SessionTarget; sink: FeedSink }>>();
  const keeps = o.maxBuffer > 0 && o.replayMs > 0;

  const q = {
    // Each prune touches only the rows it removes (the indexes above), never the whole buffer:
    // a publish costs the same with 10 signals kept as with 5,000.
    pruneExpired: db.prepare('DELETE FROM signals WHERE kid = ? AND expires_at <= ?'),
    pruneStale: db.prepare('DELETE FROM signals WHERE kid = ? AND received_at <= ?'),
    count: db.prepare<[string], { n: number }>('SELECT n FROM signal_counts WHERE kid = ?'),
    pruneOldest: db.prepare(
      'DELETE FROM signals WHERE seq IN (SELECT seq FROM signals WHERE kid = ? ORDER BY seq LIMIT ?)',
    ),
    insert: db.prepare(
      'INSERT OR IGNORE INTO signals (kid, id, issued_at, expires_at, received_at, frame) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    unacked: db.prepare<[string, number, number, string], { frame: string }>(
      `SELECT frame FROM signals s WHERE kid = ? AND expires_at > ? AND received_at > ?
         AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.sub = ? AND a.kid = s.kid AND a.id = s.id)
       ORDER BY issued_at, seq`,
    ),
    buffered: db.prepare<[string, number, number], { frame: string }>(
      'SELECT frame FROM signals WHERE kid = ? AND expires_at > ? AND received_at > ? ORDER BY issued_at, seq',
    ),
    ack: db.prepare(
      'INSERT INTO acks (sub, name, kid, id, status, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    trimAcks: db.prepare(
      `DELETE FROM acks WHERE sub = ? AND n <= (SELECT n FROM acks WHERE sub = ? ORDER BY n DESC LIMIT 1 OFFSET ${MAX_ACKS_PER_SUBSCRIBER})`,
    ),
    oldAcks: db.prepare('DELETE FROM acks WHERE at < ?'),
    allAcks: db.prepare<[], AckRow>('SELECT * FROM acks ORDER BY at, n'),
    subAcks: db.prepare<[string], AckRow>('SELECT * FROM acks WHERE sub = ? ORDER BY n'),
  };
  // The triggers keep signal_counts exact in every write (this process's or another's); recount
  // once here so a file written before the counts existed (or edited by hand) starts right.
  db.transaction(() => {
    db.exec('DELETE FROM signal_counts');
    db.exec('INSERT INTO signal_counts (kid, n) SELECT kid, COUNT(*) FROM signals GROUP BY kid');
  })();
  const prune = (kid: string): void => {
    const t = o.now();
    q.pruneExpired.run(kid, t);
    q.pruneStale.run(kid, t - o.replayMs);
    const over = (q.count.get(kid)?.n ?? 0) - o.maxBuffer;
    if (over > 0) q.pruneOldest.run(kid, over);
  };
  // One transaction per publish: one commit instead of one per statement, and the buffer is
  // never seen (or left, on a crash) between the insert and its prune.
  const keep = db.transaction((kid: string, signal: Signal, text: string): boolean => {
    prune(kid);
    const t = o.now();
    const ins = q.insert.run(kid, signal.id, signal.issuedAt, expiresAt(signal), t, text);
    if (ins.changes === 0) return false;
    prune(kid);
    return true;
  });
  let acksSinceTrim = 0;

  return {
    kind: 'embedded',
    subscribers: subscriberStore(db),
    providers: providerStore(db),
    publish(
      kid: string,
      frame: SignalFrame,
      text: string,
      signal: Signal,
    ): Promise<PublishOutcome> {
      if (keeps && !keep(kid, signal, text))
        return Promise.resolve({ duplicate: true, delivered: 0 });
      let delivered = 0;
      for (const s of sessions.get(kid) ?? []) if (s.sink.send(text)) delivered++;
      return Promise.resolve({ duplicate: false, delivered });
    },
    open(target: SessionTarget, sink: FeedSink): Promise<FeedSession> {
      // Synchronous from here to the return: nothing published in between is missed or doubled.
      const entry = { target, sink };
      let set = sessions.get(target.providerKid);
      if (!set) sessions.set(target.providerKid, (set = new Set()));
      set.add(entry);
      prune(target.providerKid);
      const t = o.now();
      const rows = q.unacked.all(target.providerKid, t, t - o.replayMs, target.key);
      for (const r of rows) sink.send(r.frame);
      return Promise.resolve({
        replayed: rows.length,
        ack(a: RecordedAck) {
          q.ack.run(
            target.key,
            a.subscriber,
            a.providerKid,
            a.id,
            a.status,
            a.reason ?? null,
            a.at,
          );
          if (++acksSinceTrim >= 500) {
            acksSinceTrim = 0;
            q.trimAcks.run(target.key, target.key);
            q.oldAcks.run(o.now() - ACK_RECORD_MS);
          }
        },
        close() {
          set.delete(entry);
        },
      });
    },
    acks(key?: string): RecordedAck[] {
      return (key === undefined ? q.allAcks.all() : q.subAcks.all(key)).map(toAck);
    },
    buffered(kid: string): SignalFrame[] {
      prune(kid);
      const t = o.now();
      return q.buffered.all(kid, t, t - o.replayMs).map((r) => JSON.parse(r.frame) as SignalFrame);
    },
    ready: () => Promise.resolve(db.open),
    close() {
      sessions.clear();
      if (db.open) db.close();
      return Promise.resolve();
    },
  };
}
