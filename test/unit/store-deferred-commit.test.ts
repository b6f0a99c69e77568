/**
 * The signal path's commits without an fsync of their own (store/deferred-commit.ts) on a real
 * state database: the write lands, the database is back to synchronous=FULL afterwards (also when
 * the write throws), and inside a caller's transaction the write simply joins it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deferredCommit, durable } from '../../src/native-host/service/store/deferred-commit.js';
import { StateDb } from '../../src/native-host/service/store/state-db.js';
import { TradingStore } from '../../src/native-host/service/store/trading-store.js';

const FULL = 2;
let dir: string;
let state: StateDb;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sc-deferred-'));
  state = new StateDb(join(dir, 'state.db'));
});
afterEach(() => {
  state.close();
  rmSync(dir, { recursive: true, force: true });
});

const level = () => state.handle.pragma('synchronous', { simple: true });
const signal = (signalId: string) => ({
  providerKey: 'pk',
  signalId,
  subscriptionId: 'sub',
  strategy: 's',
  issuedAt: 1,
  body: '{}',
});

describe('deferredCommit', () => {
  it('writes, then leaves the database at synchronous=FULL', () => {
    expect(level()).toBe(FULL);
    const store = new TradingStore(state.handle);
    expect(store.recordSignal(signal('a'))).toBe(true);
    expect(store.recordSignal(signal('a'))).toBe(false); // the dedup record holds
    expect(level()).toBe(FULL);
    expect(store.signalStatus('pk', 'a')).toEqual({ status: 'pending', reason: null });
  });

  it('restores synchronous=FULL when the write throws', () => {
    expect(() =>
      deferredCommit(state.handle, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(level()).toBe(FULL);
  });

  it('inside a transaction: joins it (the transaction commits durably)', () => {
    const store = new TradingStore(state.handle);
    state.handle.transaction(() => {
      store.recordSignal(signal('b'));
      store.recordSignal(signal('c'));
    })();
    expect(level()).toBe(FULL);
    expect(store.signalStatus('pk', 'c')?.status).toBe('pending');
  });

  it('the order journal: intent and `placed` deferred, the attempt count durable; all kept', async () => {
    const store = new TradingStore(state.handle);
    store.recordSignal(signal('d'));
    const intent = {
      clientOrderId: 'cid1',
      providerKey: 'pk',
      signalId: 'd',
      connectionId: 'conn',
      mode: 'live' as const,
      symbol: 'BTC/USDT',
      side: 'buy' as const,
      type: 'market' as const,
      amount: '0.001',
      price: null,
      quote: '50',
      expiresAt: 2,
    };
    expect(store.journalIntent(intent)).toBe(true);
    expect(store.journalIntent(intent)).toBe(false);
    await store.recordAttempt('cid1');
    expect(store.order('cid1')?.attempts).toBe(1);
    const placed = store.updateOrder('cid1', { state: 'placed', exchangeOrderId: 'x1' });
    expect(placed).toMatchObject({ state: 'placed', exchangeOrderId: 'x1', attempts: 1 });
    expect(level()).toBe(FULL);
    expect(durable(state.handle, () => 7)).toBe(7);
  });
});
