/**
 * Hostile perpetual signals (test/helpers/hostile-signals.ts, seeded) through the swap order path
 * against the in-memory perpetual exchange, with the price moving and legs firing between
 * signals: no opening order ever leaves the position above the route's maxPositionQuote or sent
 * above maxOrderQuote, the leverage set on the exchange never exceeds maxLeverage, a reduce-only
 * order never opens or flips a position, and no client order id is ever sent twice.
 */
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../src/protocol/methods.js';
import type { Route } from '../../src/protocol/trading.js';
import { parseSignal } from '../../src/signals/signal.js';
import type { ServiceContext } from '../../src/native-host/service/handlers/context.js';
import { StateDb } from '../../src/native-host/service/store/state-db.js';
import {
  TradingStore,
  type SubscriptionRow,
} from '../../src/native-host/service/store/trading-store.js';
import type { ClientPool } from '../../src/native-host/service/trading/client-pool.js';
import { SwapExecutor } from '../../src/native-host/service/trading/swap-executor.js';
import { FakePerpExchange } from '../helpers/fake-perp-exchange.js';
import { hostileSwapSignal, prng } from '../helpers/hostile-signals.js';

const ROUTE: Route = {
  strategy: 's',
  connectionId: 'c1',
  maxOrderQuote: '500',
  maxPositionQuote: '1200',
  markets: ['swap'],
  maxLeverage: 5,
  priceBandPct: 10,
};

describe.each(['binance', 'bybit'] as const)('hostile swap signals (%s)', (exchange) => {
  it.each([1, 2, 3])('seed %i: caps, leverage and exactly-once hold', async (seed) => {
    const rand = prng(seed * 7919);
    const fake = new FakePerpExchange(exchange === 'binance' ? 'separate' : 'attached');
    const db = new StateDb(':memory:');
    const store = new TradingStore(db.handle);
    const conn = { id: 'c1', exchange, mode: 'live' } as Connection;
    const ctx = {
      db: { getConnection: () => conn },
      vault: { state: () => 'unlocked', read: () => ({ connections: { c1: {} } }) },
      log: { debug() {}, info() {}, warn() {}, error() {} },
      notify() {},
      trading: { paused: false },
    } as unknown as ServiceContext;
    const client = fake.client();
    const pool = { get: async () => client } as unknown as ClientPool;
    const swaps = new SwapExecutor(ctx, store, pool, {
      windowMs: 1_000,
      visibilityGraceMs: 0,
      unreachableAfterMs: 1_000,
    });
    const sub = { id: 'sub1', providerKey: 'P', routes: [ROUTE] } as unknown as SubscriptionRow;
    let executed = 0;
    for (let i = 0; i < 400; i++) {
      if (rand() < 0.2) fake.movePrice(Math.round(fake.price * (0.85 + rand() * 0.3) * 10) / 10);
      const raw = {
        v: 2,
        id: `h${i}`,
        strategy: 's',
        issuedAt: Date.now(),
        symbol: 'BTC/USDT:USDT',
        ...hostileSwapSignal(rand, fake.price),
      };
      const parsed = parseSignal(raw);
      if (!parsed.ok) continue;
      const signal = parsed.signal;
      store.recordSignal({
        providerKey: 'P',
        signalId: signal.id,
        subscriptionId: 'sub1',
        strategy: 's',
        issuedAt: signal.issuedAt,
        body: JSON.stringify(signal),
      });
      const before = fake.position;
      const created = fake.orders.length;
      const outcome = await swaps.execute(sub, signal, ROUTE, conn);
      await swaps.legs.reconcile(conn);
      const context = `seed ${seed}, signal ${i}: ${JSON.stringify(raw)}`;
      expect(fake.leverage, context).toBeLessThanOrEqual(ROUTE.maxLeverage!);
      const entries = fake.orders
        .slice(created)
        .filter((o) => !o.trigger && !o.clientOrderId.includes('-'));
      if (outcome.status !== 'executed') {
        expect(entries, context).toEqual([]);
        continue;
      }
      executed++;
      const entry = entries[0]!;
      if (signal.reduceOnly) {
        // Never opens, never flips: the position only shrinks toward zero.
        expect(Math.sign(fake.position) * Math.sign(before), context).not.toBe(-1);
        expect(Math.abs(fake.position), context).toBeLessThanOrEqual(Math.abs(before));
      } else {
        expect(entry.amount * fake.price, context).toBeLessThanOrEqual(
          Number(ROUTE.maxOrderQuote) + 1e-9,
        );
        if (signal.type === 'market')
          expect(Math.abs(fake.position) * fake.price, context).toBeLessThanOrEqual(
            Number(ROUTE.maxPositionQuote) + 1e-9,
          );
      }
    }
    const ids = fake.writes.filter((w) => w.startsWith('create')).map((w) => w.slice(7));
    expect(new Set(ids).size).toBe(ids.length);
    expect(executed).toBeGreaterThanOrEqual(10); // the property was exercised, not vacuous
    db.close();
  });
});
