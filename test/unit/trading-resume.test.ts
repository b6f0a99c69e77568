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
import { StateDb } from '../../src/native-host/service/store/state-db.js';
import {
  TradingStore,
  type SubscriptionRow,
} from '../../src/native-host/service/store/trading-store.js';
import { FakePerpExchange } from '../helpers/fake-perp-exchange.js';
import {
  SWAP_ROUTE,
  engineLife,
  swapSignal,
  untilDoneOrDead,
  type EngineLife,
} from '../helpers/engine-life.js';

afterEach(() => {
  vi.useRealTimers();
});

const sub = (routes: Route[] = [SWAP_ROUTE]) =>
  ({ id: 'sub1', providerKey: 'P', routes }) as unknown as SubscriptionRow;

const signal = () => swapSignal('r1');

/** A service life over the journal and the exchange. */
function life(
  db: StateDb,
  fake: FakePerpExchange,
  opts: {
    paused?: boolean;
    connection?: Connection | null;
    /** What the user does while the signal is being prepared (after its checks, before its send). */
    whilePreparing?: (l: EngineLife) => void;
  } = {},
): EngineLife {
  const l = engineLife(db, fake, opts);
  const { whilePreparing } = opts;
  if (whilePreparing) {
    const setLeverage = l.client.fapiPrivatePostLeverage as (p: unknown) => Promise<unknown>;
    l.client.fapiPrivatePostLeverage = async (p: unknown) => {
      whilePreparing(l);
      return setLeverage(p);
    };
  }
  return l;
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
  const outcome = life(db, fake, {
    whilePreparing: (l) => (l.trading.paused = true),
  }).engine.handle(sub(), signal(), 'fresh');
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

it('switched to dry-run while the signal was being prepared: its live order is held back', async () => {
  const { db, fake, store } = setup();
  const connection = { id: 'c1', exchange: 'binance', mode: 'live' } as Connection;
  const outcome = life(db, fake, {
    connection,
    whilePreparing: () => (connection.mode = 'dry-run'),
  }).engine.handle(sub(), signal(), 'fresh');
  await untilDoneOrDead(outcome, fake);

  expect(await outcome).toMatchObject({ status: 'rejected', reason: 'not-placed' });
  expect(creates(fake)).toHaveLength(0);
  expect(store.listOrders().find((o) => o.role === 'entry')!.error).toBe(
    'the connection was switched to dry-run since the signal came; nothing was sent',
  );
  db.close();
});
