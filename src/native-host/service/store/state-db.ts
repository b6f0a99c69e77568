/**
 * The state database (SQLite via better-sqlite3): connections' metadata now; audits, signals and
 * orders as their issues land. Never a secret: those live in the vault only.
 */
import { closeWalSync } from './wal-sync.js';
import Database from 'better-sqlite3';
import type { Connection, ConnectionMode } from '../../../protocol/methods.js';
import type { Audit, Environment, ExchangeId, Needs } from '../../../exchanges/types.js';
import { statement } from './statements.js';

/** Schema steps, applied in order; PRAGMA user_version records how many have run. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE connections (
     id TEXT PRIMARY KEY,
     exchange TEXT NOT NULL,
     label TEXT NOT NULL,
     environment TEXT NOT NULL,
     endpoint TEXT,
     mode TEXT NOT NULL DEFAULT 'dry-run',
     api_key_hint TEXT NOT NULL,
     created_at TEXT NOT NULL,
     key_created_at TEXT,
     last_audit TEXT,
     needs TEXT NOT NULL DEFAULT '{}'
   ) STRICT`,
  // Why the service paused a connection (an audit turned "block", a reported leak); NULL = active.
  `ALTER TABLE connections ADD COLUMN paused_reason TEXT`,
  // Small service-wide settings that must survive a restart (e.g. trading paused).
  `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT`,
  // Signal feeds, every signal received (the dedup record), and the order journal.
  `CREATE TABLE subscriptions (
     id TEXT PRIMARY KEY,
     url TEXT NOT NULL,
     token TEXT NOT NULL,
     provider_key TEXT NOT NULL,
     routes TEXT NOT NULL,
     created_at TEXT NOT NULL
   ) STRICT;
   CREATE TABLE signals (
     provider_key TEXT NOT NULL,
     signal_id TEXT NOT NULL,
     subscription_id TEXT NOT NULL,
     strategy TEXT NOT NULL,
     issued_at INTEGER NOT NULL,
     received_at TEXT NOT NULL,
     status TEXT NOT NULL,
     reason TEXT,
     body TEXT NOT NULL,
     PRIMARY KEY (provider_key, signal_id)
   ) STRICT;
   CREATE TABLE orders (
     client_order_id TEXT PRIMARY KEY,
     provider_key TEXT NOT NULL,
     signal_id TEXT NOT NULL,
     connection_id TEXT NOT NULL,
     mode TEXT NOT NULL,
     state TEXT NOT NULL,
     symbol TEXT NOT NULL,
     side TEXT NOT NULL,
     type TEXT NOT NULL,
     amount TEXT NOT NULL,
     price TEXT,
     quote TEXT NOT NULL,
     exchange_order_id TEXT,
     attempts INTEGER NOT NULL DEFAULT 0,
     error TEXT,
     expires_at INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     UNIQUE (provider_key, signal_id, connection_id)
   ) STRICT;
   CREATE INDEX orders_by_connection ON orders (connection_id, created_at)`,
  // Perpetual swaps: a signal becomes an entry and its protective legs (stop-loss, take-profit),
  // one row each, so the one-order-per-(signal, connection) key gains the role. SQLite cannot
  // change a table's keys in place: the table is rebuilt and every old row kept (a spot entry).
  `CREATE TABLE orders_v2 (
     client_order_id TEXT PRIMARY KEY,
     provider_key TEXT NOT NULL,
     signal_id TEXT NOT NULL,
     connection_id TEXT NOT NULL,
     mode TEXT NOT NULL,
     state TEXT NOT NULL,
     symbol TEXT NOT NULL,
     side TEXT NOT NULL,
     type TEXT NOT NULL,
     amount TEXT NOT NULL,
     price TEXT,
     quote TEXT NOT NULL,
     exchange_order_id TEXT,
     attempts INTEGER NOT NULL DEFAULT 0,
     error TEXT,
     expires_at INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     market TEXT NOT NULL DEFAULT 'spot',
     role TEXT NOT NULL DEFAULT 'entry',
     parent_id TEXT,
     trigger_price TEXT,
     reduce_only INTEGER NOT NULL DEFAULT 0,
     leverage INTEGER,
     margin_mode TEXT,
     closed TEXT,
     UNIQUE (provider_key, signal_id, connection_id, role)
   ) STRICT;
   INSERT INTO orders_v2 (client_order_id, provider_key, signal_id, connection_id, mode, state, symbol,
       side, type, amount, price, quote, exchange_order_id, attempts, error, expires_at, created_at, updated_at)
     SELECT client_order_id, provider_key, signal_id, connection_id, mode, state, symbol, side, type,
       amount, price, quote, exchange_order_id, attempts, error, expires_at, created_at, updated_at
     FROM orders ORDER BY rowid;
   DROP TABLE orders;
   ALTER TABLE orders_v2 RENAME TO orders;
   CREATE INDEX orders_by_connection ON orders (connection_id, created_at);
   CREATE INDEX orders_by_parent ON orders (parent_id)`,
  // A swap order's size in base units (contracts × contract size: OKX counts 0.01-BTC contracts).
  `ALTER TABLE orders ADD COLUMN size TEXT`,
];

interface ConnectionRow {
  id: string;
  exchange: string;
  label: string;
  environment: string;
  endpoint: string | null;
  mode: string;
  api_key_hint: string;
  created_at: string;
  key_created_at: string | null;
  last_audit: string | null;
  needs: string;
  paused_reason: string | null;
}

export class StateDb {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  private migrate(): void {
    const done = this.db.pragma('user_version', { simple: true }) as number;
    if (done > MIGRATIONS.length) {
      throw new Error(
        `the state database is from a newer Sentinel Companion (schema ${done}); update this one`,
      );
    }
    for (let i = done; i < MIGRATIONS.length; i++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[i]!);
        this.db.pragma(`user_version = ${i + 1}`);
      })();
    }
  }

  listConnections(): Connection[] {
    const rows = this.db
      .prepare('SELECT * FROM connections ORDER BY created_at, id')
      .all() as ConnectionRow[];
    return rows.map(toConnection);
  }

  getConnection(id: string): Connection | null {
    const row = statement(this.db, 'SELECT * FROM connections WHERE id = ?').get(id) as
      ConnectionRow | undefined;
    return row ? toConnection(row) : null;
  }

  insertConnection(c: Connection): void {
    this.db
      .prepare(
        `INSERT INTO connections (id, exchange, label, environment, endpoint, mode, api_key_hint, created_at, key_created_at, last_audit, needs)
         VALUES (@id, @exchange, @label, @environment, @endpoint, @mode, @apiKeyHint, @createdAt, @keyCreatedAt, @lastAudit, @needs)`,
      )
      .run({
        id: c.id,
        exchange: c.exchange,
        label: c.label,
        environment: c.environment,
        endpoint: c.endpoint ?? null,
        mode: c.mode,
        apiKeyHint: c.apiKeyHint,
        createdAt: c.createdAt,
        keyCreatedAt: c.keyCreatedAt ?? null,
        lastAudit: c.lastAudit ? JSON.stringify(c.lastAudit) : null,
        needs: JSON.stringify(c.needs ?? {}),
      });
  }

  /** Record an audit; `key` also replaces the key's hint and creation date (rotation). */
  recordAudit(id: string, audit: Audit, key?: { apiKeyHint: string; keyCreatedAt?: string }): void {
    const set = key
      ? 'last_audit = @audit, api_key_hint = @hint, key_created_at = @created'
      : 'last_audit = @audit, key_created_at = COALESCE(@created, key_created_at)';
    this.db.prepare(`UPDATE connections SET ${set} WHERE id = @id`).run({
      id,
      audit: JSON.stringify(audit),
      hint: key?.apiKeyHint ?? null,
      created: key?.keyCreatedAt ?? audit.keyCreatedAt ?? null,
    });
  }

  setMode(id: string, mode: ConnectionMode): void {
    this.db.prepare('UPDATE connections SET mode = ? WHERE id = ?').run(mode, id);
  }

  getSetting(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row ? row.value : null;
  }

  setSetting(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  setPaused(id: string, reason: string | null): void {
    this.db.prepare('UPDATE connections SET paused_reason = ? WHERE id = ?').run(reason, id);
  }

  deleteConnection(id: string): boolean {
    return this.db.prepare('DELETE FROM connections WHERE id = ?').run(id).changes > 0;
  }

  /** The open database, for the stores that share it (trading-store.ts). */
  get handle(): Database.Database {
    return this.db;
  }

  close(): void {
    closeWalSync(this.db);
    this.db.close();
  }
}

function toConnection(r: ConnectionRow): Connection {
  return {
    id: r.id,
    exchange: r.exchange as ExchangeId,
    label: r.label,
    environment: r.environment as Environment,
    ...(r.endpoint ? { endpoint: r.endpoint } : {}),
    mode: r.mode as ConnectionMode,
    apiKeyHint: r.api_key_hint,
    createdAt: r.created_at,
    ...(r.key_created_at ? { keyCreatedAt: r.key_created_at } : {}),
    ...(r.last_audit ? { lastAudit: JSON.parse(r.last_audit) as Audit } : {}),
    needs: JSON.parse(r.needs) as Needs,
    ...(r.paused_reason ? { pausedReason: r.paused_reason } : {}),
  };
}
