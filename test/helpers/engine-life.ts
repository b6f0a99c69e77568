/**
 * A service "life" for unit tests of the trading engine: a TradingEngine over a given journal and
 * a FakePerpExchange, with a minimal service context (one connection `c1`, the vault unlocked,
 * logs dropped). A crash test runs one life until the fake exchange "kills" it, then starts the
 * next over the same journal.
 */
import { vi } from 'vitest';
import type { Connection } from '../../src/protocol/methods.js';
import type { Route } from '../../src/protocol/trading.js';
import type { Signal } from '../../src/signals/signal.js';
import type { ServiceContext } from '../../src/native-host/service/handlers/context.js';
import type { StateDb } from '../../src/native-host/service/store/state-db.js';
import { TradingStore } from '../../src/native-host/service/store/trading-store.js';
import type { ClientPool } from '../../src/native-host/service/trading/client-pool.js';
import { TradingEngine } from '../../src/native-host/service/trading/engine.js';
import type { SendTiming } from '../../src/native-host/service/trading/place-order.js';
import type { FakePerpExchange } from './fake-perp-exchange.js';

export const SHORT_TIMING: SendTiming = {
  windowMs: 1_000,
  visibilityGraceMs: 0,
  unreachableAfterMs: 5_000,
};

/** A swap route on the connection `c1`, strategy `s`, leverage up to 5. */
export const SWAP_ROUTE: Route = {
  strategy: 's',
  connectionId: 'c1',
  maxOrderQuote: '1000',
  markets: ['swap'],
  maxLeverage: 5,
};

/** A market buy of 1 BTC perpetual at 3× with a stop-loss at 90 and a take-profit at 120. */
export const swapSignal = (id: string): Signal => ({
  v: 2,
  id,
  strategy: 's',
  issuedAt: Date.now(),
  ttlMs: 600_000,
  symbol: 'BTC/USDT:USDT',
  side: 'buy',
  type: 'market',
  size: { base: '1' },
  leverage: '3',
  stopLoss: { triggerPrice: '90' },
  takeProfit: { triggerPrice: '120' },
});

export interface EngineLife {
  engine: TradingEngine;
  /** The context's trading state: a test may pause it. */
  trading: { paused: boolean; reason?: string };
  /** The ccxt-like client the engine gets from its pool (a test may wrap its calls). */
  client: Record<string, unknown>;
}

export function engineLife(
  db: StateDb,
  fake: FakePerpExchange,
  opts: {
    exchange?: 'binance' | 'bybit';
    paused?: boolean;
    /** The connection row the engine reads; null as if it was removed. */
    connection?: Connection | null;
  } = {},
): EngineLife {
  const conn =
    opts.connection === undefined
      ? ({ id: 'c1', exchange: opts.exchange ?? 'binance', mode: 'live' } as Connection)
      : opts.connection;
  const trading = { paused: opts.paused ?? false };
  const ctx = {
    db: { getConnection: () => conn },
    vault: { state: () => 'unlocked', read: () => ({ connections: { c1: {} } }) },
    log: { debug() {}, info() {}, warn() {}, error() {} },
    notify() {},
    trading,
  } as unknown as ServiceContext;
  const client = fake.client() as unknown as Record<string, unknown>;
  const pool = { get: async () => client } as unknown as ClientPool;
  return {
    engine: new TradingEngine(ctx, new TradingStore(db.handle), pool, SHORT_TIMING),
    trading,
    client,
  };
}

/** Runs `work` until it settles or the fake exchange "kills" the service, with time running fast. */
export async function untilDoneOrDead(
  work: Promise<unknown>,
  fake: FakePerpExchange,
): Promise<void> {
  let over = false;
  void work.then(
    () => (over = true),
    () => (over = true),
  );
  void fake.crashed.then(() => (over = true));
  while (!over) await vi.advanceTimersByTimeAsync(100);
}
