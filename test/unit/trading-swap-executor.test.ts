/**
 * The swap order path against an in-memory perpetual exchange (test/helpers/fake-perp-exchange.ts)
 * and a real journal (SQLite in memory): an entry and its legs journaled together and each sent
 * once; refusals send nothing; a crash between the entry and its stop-loss, a lost answer, a TP
 * that fires (its SL cancelled), closing a share of the position, dry-run and attached legs.
 */
import { afterEach, describe, expect, it } from 'vitest';
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
import { SwapExecutor } from '../../src/native-host/service/trading/swap-executor.js';
import { FakePerpExchange } from '../helpers/fake-perp-exchange.js';

const dbs: StateDb[] = [];
afterEach(() => {
  for (const d of dbs.splice(0)) d.close();
});

function rig(exchange: 'binance' | 'bybit' = 'binance', mode: 'live' | 'dry-run' = 'live') {
  const fake = new FakePerpExchange(exchange === 'binance' ? 'separate' : 'attached');
  const stateDb = new StateDb(':memory:');
  dbs.push(stateDb);
  const store = new TradingStore(stateDb.handle);
  const conn = { id: 'c1', exchange, mode } as Connection;
  const warnings: string[] = [];
  const notes: { method: string; params: unknown }[] = [];
  const ctx = {
    db: { getConnection: () => conn },
    vault: {
      state: () => 'unlocked',
      read: () => ({ connections: { c1: { apiKey: 'k', secret: 's' } } }),
    },
    log: {
      debug() {},
      info() {},
      warn: (m: string) => warnings.push(m),
      error: (m: string) => warnings.push(m),
    },
    notify: (method: string, params: unknown) => notes.push({ method, params }),
    trading: { paused: false },
  } as unknown as ServiceContext;
  const client = fake.client();
  const pool = { get: async () => client } as unknown as ClientPool;
  const timing = { windowMs: 1_000, visibilityGraceMs: 0, unreachableAfterMs: 1_000 };
  const swaps = new SwapExecutor(ctx, store, pool, timing);
  const sub = { id: 'sub1', providerKey: 'P', routes: [] } as unknown as SubscriptionRow;
  const route: Route = {
    strategy: 's',
    connectionId: 'c1',
    maxOrderQuote: '1000',
    markets: ['swap'],
    maxLeverage: 5,
    maxPositionQuote: '2000',
  };
  let n = 0;
  const run = (fields: Partial<Signal>, r: Route = route) => {
    const signal: Signal = {
      v: 2,
      id: fields.id ?? `sig${++n}`,
      strategy: 's',
      issuedAt: Date.now(),
      symbol: 'BTC/USDT:USDT',
      side: 'buy',
      type: 'market',
      size: { base: '1' },
      ...fields,
    };
    store.recordSignal({
      providerKey: 'P',
      signalId: signal.id,
      subscriptionId: 'sub1',
      strategy: 's',
      issuedAt: signal.issuedAt,
      body: JSON.stringify(signal),
    });
    return swaps.execute(sub, signal, r, conn);
  };
  return { fake, store, swaps, conn, client, run, warnings, notes, route, db: stateDb.handle };
}

const LONG = {
  leverage: '3',
  stopLoss: { triggerPrice: '90' },
  takeProfit: { triggerPrice: '120' },
} satisfies Partial<Signal>;

describe('separate legs (Binance-like)', () => {
  it('long at 3x with SL/TP: leverage and margin set, entry then both legs, each once', async () => {
    const r = rig();
    await expect(r.run(LONG)).resolves.toEqual({ status: 'executed' });
    expect(r.fake.writes.map((w) => w.split(' ')[0])).toEqual([
      'marginType',
      'leverage',
      'create',
      'create',
      'create',
    ]);
    expect(r.fake.leverage).toBe(3);
    expect(r.fake.position).toBe(1);
    const rows = r.store.listOrders();
    expect(rows.map((o) => [o.role, o.state, o.side, o.triggerPrice, o.reduceOnly])).toEqual(
      expect.arrayContaining([
        ['entry', 'placed', 'buy', null, false],
        ['stop-loss', 'placed', 'sell', '90', true],
        ['take-profit', 'placed', 'sell', '120', true],
      ]),
    );
    const sl = r.fake.orders.find((o) => o.trigger?.kind === 'sl')!;
    expect(sl.params).toMatchObject({ reduceOnly: true, stopLossPrice: 90 });
    // The same signal again: nothing more is sent.
    const entry = rows.find((o) => o.role === 'entry')!;
    await r.run({ ...LONG, id: entry.signalId });
    expect(r.fake.writes).toHaveLength(5);
  });

  it('a short: legs are buys, the stop above', async () => {
    const r = rig();
    await r.run({ side: 'sell', leverage: '2', stopLoss: { triggerPrice: '110' } });
    expect(r.fake.position).toBe(-1);
    expect(r.fake.workingTriggers()).toMatchObject([
      { side: 'buy', trigger: { kind: 'sl', price: 110 } },
    ]);
  });

  it('TP fires → the reconciliation cancels the SL; nothing sent twice', async () => {
    const r = rig();
    await r.run(LONG);
    r.fake.movePrice(125); // take-profit fires; Binance leaves the stop-loss working
    expect(r.fake.position).toBe(0);
    expect(r.fake.workingTriggers()).toHaveLength(1);
    await r.swaps.legs.reconcile(r.conn);
    expect(r.fake.workingTriggers()).toHaveLength(0);
    const legs = r.store.listOrders().filter((o) => o.role !== 'entry');
    expect(legs.map((l) => [l.role, l.closed])).toEqual(
      expect.arrayContaining([
        ['stop-loss', 'cancelled: its position is closed'],
        ['take-profit', 'it fired or ended on the exchange'],
      ]),
    );
    const writes = r.fake.writes.length;
    await r.swaps.legs.reconcile(r.conn);
    expect(r.fake.writes).toHaveLength(writes);
  });

  it('SL fires → the TP is cancelled', async () => {
    const r = rig();
    await r.run(LONG);
    r.fake.movePrice(85);
    await r.swaps.legs.reconcile(r.conn);
    expect(r.fake.workingTriggers()).toHaveLength(0);
    expect(r.fake.writes.filter((w) => w.startsWith('cancel'))).toHaveLength(1);
  });

  it('a crash between the entry and its stop-loss: the next reconciliation sends it, once', async () => {
    const r = rig();
    await r.run({ ...LONG, id: 'crash' });
    const [entry] = r.store.listOrders().filter((o) => o.role === 'entry');
    // Stand for a crash right after the entry: its legs journaled, never sent.
    for (const o of r.fake.orders.filter((x) => x.trigger))
      r.fake.orders.splice(r.fake.orders.indexOf(o), 1);
    r.db
      .prepare(
        "UPDATE orders SET state = 'intent', attempts = 0, exchange_order_id = NULL WHERE parent_id = ?",
      )
      .run(entry!.clientOrderId);
    await r.swaps.legs.reconcile(r.conn);
    await r.swaps.legs.reconcile(r.conn);
    expect(r.fake.workingTriggers()).toHaveLength(2);
    for (const leg of r.store.legsOf(entry!.clientOrderId)) {
      expect(leg.state).toBe('placed');
      expect(r.fake.sent(leg.clientOrderId)).toHaveLength(1);
    }
  });

  it('answers lost after the exchange took it: found by its client id, not resent', async () => {
    const r = rig();
    // The entry's answer is lost, and so is the stop-loss's: both found by look-up.
    r.fake.faults.push('drop', 'drop');
    await expect(r.run(LONG)).resolves.toEqual({ status: 'executed' });
    for (const o of r.store.listOrders()) expect(r.fake.sent(o.clientOrderId)).toHaveLength(1);
    expect(r.fake.position).toBe(1);
  });

  it("a close without marginMode goes in the position's own margin mode", async () => {
    const r = rig();
    await r.run({ marginMode: 'cross' });
    await r.run({ side: 'sell', reduceOnly: true, size: { positionPct: '100' } });
    const close = r.store.listOrders().find((o) => o.reduceOnly)!;
    expect(close.marginMode).toBe('cross');
    expect(r.fake.position).toBe(0);
  });

  it('close 50% then 100% with positionPct (reduce-only sent)', async () => {
    const r = rig();
    await r.run({ size: { base: '2' } });
    await r.run({ side: 'sell', reduceOnly: true, size: { positionPct: '50' } });
    expect(r.fake.position).toBe(1);
    await r.run({ side: 'sell', reduceOnly: true, size: { positionPct: '100' } });
    expect(r.fake.position).toBe(0);
    const closes = r.fake.orders.filter((o) => o.params['reduceOnly'] === true);
    expect(closes.map((o) => o.amount)).toEqual([1, 1]);
  });

  it.each([
    [
      'reduce-only without a position',
      { side: 'sell', reduceOnly: true, size: { positionPct: '50' } },
      'no-position',
    ],
    ['leverage over the cap', { leverage: '10' }, 'over-leverage'],
    ['an order over the cap', { size: { base: '25' } }, 'over-max-order'],
    ['a stop-loss above a long', { stopLoss: { triggerPrice: '101' } }, 'bad-trigger'],
  ] as const)('%s → refused, zero orders sent', async (_n, fields, reason) => {
    const r = rig();
    await expect(r.run(fields as Partial<Signal>)).resolves.toMatchObject({
      status: 'rejected',
      reason,
    });
    expect(r.fake.writes).toEqual([]);
    expect(r.store.listOrders()).toEqual([]);
  });

  it('position cap: adding to a position beyond maxPositionQuote is refused', async () => {
    const r = rig();
    await expect(r.run({ size: { base: '9' } })).resolves.toEqual({ status: 'executed' });
    await expect(r.run({ size: { base: '9' } })).resolves.toEqual({ status: 'executed' });
    const writes = r.fake.writes.length;
    await expect(r.run({ size: { base: '9' } })).resolves.toMatchObject({
      status: 'rejected',
      reason: 'over-max-position',
    });
    expect(r.fake.position).toBe(18);
    expect(r.fake.writes).toHaveLength(writes);
  });

  it('a swap on a spot-only route is refused before anything is read or sent', async () => {
    const r = rig();
    const { markets: _m, ...spotOnly } = r.route;
    await expect(r.run(LONG, spotOnly)).resolves.toMatchObject({ reason: 'market-not-allowed' });
    expect(r.fake.writes).toEqual([]);
  });

  it('dry-run: entry and legs simulated, no exchange writes', async () => {
    const r = rig('binance', 'dry-run');
    await expect(r.run(LONG)).resolves.toEqual({ status: 'dry-run' });
    expect(r.fake.writes).toEqual([]);
    expect(r.store.listOrders().map((o) => o.state)).toEqual([
      'simulated',
      'simulated',
      'simulated',
    ]);
  });

  it('margin mode cannot be set → the entry fails and its legs are never sent', async () => {
    const r = rig();
    (r.client as unknown as Record<string, unknown>)['fapiPrivatePostMarginType'] = async () => {
      throw new Error(
        'binance {"code":-4048,"msg":"Margin type cannot be changed if there exists position."}',
      );
    };
    await expect(r.run(LONG)).resolves.toMatchObject({ status: 'rejected' });
    expect(r.fake.orders).toEqual([]);
    expect(r.store.listOrders().map((o) => o.state)).toEqual(['failed', 'failed', 'failed']);
  });
});

describe('attached legs (Bybit-like)', () => {
  it('one request carries the entry and both legs; one firing removes the other', async () => {
    const r = rig('bybit');
    await expect(r.run(LONG)).resolves.toEqual({ status: 'executed' });
    expect(r.fake.writes.filter((w) => w.startsWith('create'))).toHaveLength(1);
    const entry = r.fake.orders[0]!;
    expect(entry.params).toMatchObject({
      stopLoss: { triggerPrice: 90 },
      takeProfit: { triggerPrice: 120 },
    });
    expect(r.store.listOrders().map((o) => o.state)).toEqual(['placed', 'placed', 'placed']);
    r.fake.movePrice(125);
    expect(r.fake.workingTriggers()).toHaveLength(0);
    await r.swaps.legs.reconcile(r.conn);
    expect(
      r.store
        .listOrders()
        .filter((o) => o.role !== 'entry')
        .every((l) => l.closed),
    ).toBe(true);
    expect(r.fake.writes.filter((w) => w.startsWith('create'))).toHaveLength(1);
  });
});
