/**
 * The service dies (the process stops mid-call: the fake exchange never answers) at every order
 * create of a swap signal — the entry, its stop-loss, its take-profit; each with the exchange
 * having taken the order or not — then again at every create of the restart's reconciliation, and
 * starts a third time. Exhaustive over those crash points, for separate legs (Binance-like) and
 * attached ones (Bybit-like): in the end the entry filled once, every leg exists exactly once,
 * and no client order id was ever sent twice.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StateDb } from '../../src/native-host/service/store/state-db.js';
import {
  TradingStore,
  type SubscriptionRow,
} from '../../src/native-host/service/store/trading-store.js';
import { FakePerpExchange } from '../helpers/fake-perp-exchange.js';
import { SWAP_ROUTE, engineLife, swapSignal, untilDoneOrDead } from '../helpers/engine-life.js';

afterEach(() => {
  vi.useRealTimers();
});

const SUB = { id: 'sub1', providerKey: 'P', routes: [SWAP_ROUTE] } as unknown as SubscriptionRow;

/** A service life: a new engine over the same journal and exchange. */
const life = (db: StateDb, fake: FakePerpExchange, exchange: 'binance' | 'bybit') =>
  engineLife(db, fake, { exchange }).engine;

/** Every create up to `creates`, the exchange having taken the order or not. */
const points = (creates: number): (readonly [number, boolean])[] =>
  Array.from({ length: creates }, (_, i) => [
    [i + 1, true] as const,
    [i + 1, false] as const,
  ]).flat();

describe.each([
  ['binance', 3],
  ['bybit', 1],
] as const)('%s: crashes around the entry and its legs', (exchange, creates) => {
  const cases = points(creates).flatMap(([at1, applied1]) =>
    [[0, false] as const, ...points(creates)].map(([at2, applied2]) => ({
      at1,
      applied1,
      at2,
      applied2,
    })),
  );
  it.each(cases)(
    'crash at create $at1 (taken: $applied1), then at $at2 (taken: $applied2)',
    async ({ at1, applied1, at2, applied2 }) => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const fake = new FakePerpExchange(exchange === 'binance' ? 'separate' : 'attached');
      const db = new StateDb(':memory:');
      const signal = swapSignal('crash1');
      fake.crashAfter(at1, applied1);
      await untilDoneOrDead(life(db, fake, exchange).handle(SUB, signal, 'fresh'), fake);
      if (at2 > 0) fake.crashAfter(at2, applied2);
      else fake.disarm();
      await untilDoneOrDead(life(db, fake, exchange).reconcile([SUB]), fake);
      fake.disarm();
      await untilDoneOrDead(life(db, fake, exchange).reconcile([SUB]), fake);
      const third = life(db, fake, exchange);
      await untilDoneOrDead(third.reconcile([SUB]), fake); // and again: nothing more is sent

      expect(fake.position).toBe(1);
      const creates = fake.writes.filter((w) => w.startsWith('create')).map((w) => w.slice(7));
      expect(new Set(creates).size, creates.join(',')).toBe(creates.length);
      const triggers = fake.workingTriggers();
      expect(triggers.map((t) => t.trigger!.kind).sort()).toEqual(['sl', 'tp']);
      const store = new TradingStore(db.handle);
      expect(
        store
          .listOrders()
          .map((o) => `${o.role}:${o.state}`)
          .sort(),
      ).toEqual(['entry:placed', 'stop-loss:placed', 'take-profit:placed']);
      db.close();
    },
  );
});
