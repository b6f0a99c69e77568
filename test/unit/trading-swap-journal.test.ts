/**
 * The order journal for perpetuals: the migration that gives the orders table its swap columns
 * keeps every old row (read back as a spot entry), an entry and its legs are journaled together
 * under one signal, and the protective legs derived from a plan (legIntents) as a table.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StateDb } from '../../src/native-host/service/store/state-db.js';
import {
  TradingStore,
  type OrderIntent,
} from '../../src/native-host/service/store/trading-store.js';
import {
  LEG_EXPIRES_AT,
  legIntents,
} from '../../src/native-host/service/trading/protective-legs.js';
import { parseDec } from '../../src/lib/decimal.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The orders table as schema 4 had it (state-db.ts MIGRATIONS[3]). */
const V4_ORDERS = `CREATE TABLE orders (
  client_order_id TEXT PRIMARY KEY, provider_key TEXT NOT NULL, signal_id TEXT NOT NULL,
  connection_id TEXT NOT NULL, mode TEXT NOT NULL, state TEXT NOT NULL, symbol TEXT NOT NULL,
  side TEXT NOT NULL, type TEXT NOT NULL, amount TEXT NOT NULL, price TEXT, quote TEXT NOT NULL,
  exchange_order_id TEXT, attempts INTEGER NOT NULL DEFAULT 0, error TEXT,
  expires_at INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  UNIQUE (provider_key, signal_id, connection_id)) STRICT`;

const entry: OrderIntent = {
  clientOrderId: 'scEntry',
  providerKey: 'P',
  signalId: 's1',
  connectionId: 'c1',
  mode: 'live',
  symbol: 'BTC/USDT:USDT',
  side: 'buy',
  type: 'market',
  amount: '0.5',
  price: null,
  quote: '50',
  expiresAt: 1,
  market: 'swap',
  role: 'entry',
  parentId: null,
  triggerPrice: null,
  reduceOnly: false,
  leverage: 3,
  marginMode: 'isolated',
};

describe('orders migration', () => {
  it('keeps old rows as spot entries and lets a signal have an entry and its legs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-journal-'));
    dirs.push(dir);
    const file = join(dir, 'state.db');
    const old = new Database(file);
    old.exec(V4_ORDERS);
    old
      .prepare(
        `INSERT INTO orders (client_order_id, provider_key, signal_id, connection_id, mode, state, symbol, side, type, amount, price, quote, attempts, expires_at, created_at, updated_at)
         VALUES ('scOld', 'P', 'old', 'c1', 'live', 'placed', 'BTC/USDT', 'buy', 'market', '0.1', NULL, '10', 1, 5, 't', 't')`,
      )
      .run();
    old.pragma('user_version = 4');
    old.close();

    const db = new StateDb(file);
    const store = new TradingStore(db.handle);
    expect(store.order('scOld')).toMatchObject({
      state: 'placed',
      amount: '0.1',
      attempts: 1,
      market: 'spot',
      role: 'entry',
      parentId: null,
      reduceOnly: false,
      closed: null,
    });
    const legs = legIntents(
      entry,
      { contracts: 5n * 10n ** 11n, stopLoss: 90n * 10n ** 12n },
      10n ** 12n,
      (t) => `scLeg${t}`,
    );
    expect(store.journalWithLegs(entry, legs)).toBe(true);
    expect(store.journalWithLegs(entry, legs)).toBe(false);
    expect(store.legsOf('scEntry').map((l) => [l.role, l.parentId, l.triggerPrice])).toEqual([
      ['stop-loss', 'scEntry', '90'],
    ]);
    expect(store.openLegs().map((l) => l.clientOrderId)).toEqual(['scLegsl']);
    db.close();
  });
});

describe('legIntents', () => {
  const d = (s: string) => parseDec(s)!;
  it.each([
    [
      'long, both legs',
      'buy',
      { stopLoss: '90', takeProfit: '120' },
      [
        ['stop-loss', 'sell', '90', '45'],
        ['take-profit', 'sell', '120', '60'],
      ],
    ],
    ['short, stop only', 'sell', { stopLoss: '110' }, [['stop-loss', 'buy', '110', '55']]],
    ['no legs', 'buy', {}, []],
  ] as const)('%s', (_n, side, t, expected) => {
    const plan = {
      contracts: d('0.5'),
      ...('stopLoss' in t ? { stopLoss: d(t.stopLoss) } : {}),
      ...('takeProfit' in t ? { takeProfit: d(t.takeProfit) } : {}),
    };
    const legs = legIntents({ ...entry, side }, plan, d('1'), (tag) => `id-${tag}`);
    expect(legs.map((l) => [l.role, l.side, l.triggerPrice, l.quote])).toEqual(expected);
    for (const l of legs) {
      expect(l).toMatchObject({
        type: 'market',
        amount: '0.5',
        price: null,
        reduceOnly: true,
        leverage: null,
        parentId: 'scEntry',
        expiresAt: LEG_EXPIRES_AT,
        marginMode: 'isolated',
      });
      expect(l.clientOrderId).toBe(`id-${l.role === 'stop-loss' ? 'sl' : 'tp'}`);
    }
  });
});
