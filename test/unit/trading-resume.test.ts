/**
 * A pause holds back every order that has not left yet — also one a crash left journaled, and one
 * whose signal passed its checks just before the pause — while orders that did reach the exchange
 * are still found, settled and reported as they are: a signal whose order was placed is
 * `executed` after a restart whatever changed meanwhile (a pause, its routes, its connection).
 * On the fake perpetual exchange (Binance-style separate legs), with time running fast.
 */
import { afterEach, expect, it, vi } from 'vitest';
import type { Connection } from '../../src/protocol/methods.js';
import type { Route } from '../../src/protocol/trading.js';
import type { Signal } from '../../src/signals/signal.js';
import type { ServiceContext } from '../../src/native-host/service/handlers/context.js';
import { StateDb } from '../../src/native-host/service/store/state-db.js';
import {
  TradingStore,
  type SubscriptionRow,
} from '../../src/native-host/service/store/trading-store.js';
import type { ClientPool } from '../../src/native-host/service/trading/client-pool.js';
import { TradingEngine } from '../../src/native-host/service/trading/engine.js';
import { FakePerpExchange } from '../helpers/fake-perp-exchange.js';

afterEach(() => {
  vi.useRealTimers();
});

const ROUTE: Route = {
  strategy: 's',
  connectionId: 'c1',
  maxOrderQuote: '1000',
  markets: ['swap'],
  maxLeverage: 5,
};
const sub = (routes: Route[] = [ROUTE]) =>
  ({ id: 'sub1', providerKey: 'P', routes }) as unknown as SubscriptionRow;
const TIMING = { windowMs: 1_000, visibilityGraceMs: 0, unreachableAfterMs: 5_000 };

const signal = (): Signal => ({
  v: 2,
  id: 'r1',
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

interface Life {
  engine: TradingEngine;
  trading: { paused: boolean; reason?: string };
}

/** A service life over the journal and the exchange; `connection: null` as if it was removed. */
function life(
  db: StateDb,
  fake: FakePerpExchange,
  opts: { paused?: boolean; connection?: Connection | null; pauseOnLeverage?: boolean } = {},
): Life {
  const conn =
    opts.connection === undefined
      ? ({ id: 'c1', exchange: 'binance', mode: 'live' } as Connection)
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
  if (opts.pauseOnLeverage) {
    // The user pauses while the signal is being prepared: after its checks, before its send.
    const setLeverage = client.fapiPrivatePostLeverage as (p: unknown) => Promise<unknown>;
    client.fapiPrivatePostLeverage = async (p: unknown) => {
      trading.paused = true;
      return setLeverage(p);
    };
  }
  const pool = { get: async () => client } as unknown as ClientPool;
  return { engine: new TradingEngine(ctx, new TradingStore(db.handle), pool, TIMING), trading };
}

/** Runs `work` until it settles or the fake exchange "kills" the service, with time running fast. */
async function untilDoneOrDead(work: Promise<unknown>, fake: FakePerpExchange): Promise<void> {
  let over = false;
  void work.then(
    () => (over = true),
    () => (over = true),
  );
  void fake.crashed.then(() => (over = true));
  while (!over) await vi.advanceTimersByTimeAsync(100);
}

function setup(): { db: StateDb; fake: FakePerpExchange; store: TradingStore } {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const db = new StateDb(':memory:');
  return { db, fake: new FakePerpExchange('separate'), store: new TradingStore(db.handle) };
}

const creates = (fake: FakePerpExchange) => fake.writes.filter((w) => w.startsWith('create'));
const states = (store: TradingStore) =>
  store
    .listOrders()
    .map((o) => `${o.role}:${o.state}`)
    .sort();

it('the entry was taken and the service died before it heard; restarted paused: found, legs placed, executed', async () => {
  const { db, fake, store } = setup();
  fake.crashAfter(1, true);
  await untilDoneOrDead(life(db, fake).engine.handle(sub(), signal(), 'fresh'), fake);
  fake.disarm();
  await untilDoneOrDead(life(db, fake, { paused: true }).engine.reconcile([sub()]), fake);

  expect(store.signalStatus('P', 'r1')).toEqual({ status: 'executed', reason: null });
  expect(fake.position).toBe(1);
  // The protective legs of the open position were placed though trading is paused.
  expect(states(store)).toEqual(['entry:placed', 'stop-loss:placed', 'take-profit:placed']);
  const sent = creates(fake);
  expect(new Set(sent).size).toBe(sent.length);
  db.close();
});

it('the entry was sent but not taken; restarted paused: looked up until proven absent, never sent again', async () => {
  const { db, fake, store } = setup();
  fake.crashAfter(1, false);
  await untilDoneOrDead(life(db, fake).engine.handle(sub(), signal(), 'fresh'), fake);
  fake.disarm();
  await untilDoneOrDead(life(db, fake, { paused: true }).engine.reconcile([sub()]), fake);

  // The send before the crash was not taken (the fake records taken creates only), and none since.
  expect(creates(fake)).toHaveLength(0);
  expect(fake.position).toBe(0);
  expect(states(store)).toEqual(['entry:failed', 'stop-loss:failed', 'take-profit:failed']);
  const entry = store.listOrders().find((o) => o.role === 'entry')!;
  expect(entry.error).toMatch(/trading is paused .*not sent again/);
  expect(store.signalStatus('P', 'r1')).toMatchObject({ status: 'rejected', reason: 'not-placed' });
  db.close();
});

it('paused while the signal was being prepared: its order is held back, nothing is sent', async () => {
  const { db, fake, store } = setup();
  const outcome = life(db, fake, { pauseOnLeverage: true }).engine.handle(sub(), signal(), 'fresh');
  await untilDoneOrDead(outcome, fake);

  expect(await outcome).toMatchObject({ status: 'rejected', reason: 'paused' });
  expect(creates(fake)).toHaveLength(0);
  expect(states(store)).toEqual(['entry:failed', 'stop-loss:failed', 'take-profit:failed']);
  expect(store.listOrders().find((o) => o.role === 'entry')!.error).toBe(
    'trading is paused (pause-all); nothing was sent',
  );
  db.close();
});

it('placed before the crash, and its route removed meanwhile: still executed, nothing else sent', async () => {
  const { db, fake, store } = setup();
  fake.crashAfter(1, true);
  await untilDoneOrDead(life(db, fake).engine.handle(sub(), signal(), 'fresh'), fake);
  fake.disarm();
  await untilDoneOrDead(life(db, fake).engine.reconcile([sub([])]), fake);

  expect(store.signalStatus('P', 'r1')).toEqual({ status: 'executed', reason: null });
  expect(fake.position).toBe(1);
  db.close();
});

it('sent before the crash, and its connection removed meanwhile: unconfirmed, with what to do', async () => {
  const { db, fake, store } = setup();
  fake.crashAfter(1, true);
  await untilDoneOrDead(life(db, fake).engine.handle(sub(), signal(), 'fresh'), fake);
  fake.disarm();
  const before = fake.writes.length;
  await untilDoneOrDead(life(db, fake, { connection: null }).engine.reconcile([sub()]), fake);

  expect(fake.writes.length).toBe(before);
  expect(store.signalStatus('P', 'r1')).toMatchObject({
    status: 'rejected',
    reason: 'unconfirmed',
  });
  db.close();
});
