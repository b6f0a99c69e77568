/**
 * Pause-all and a crash, on the real service: the user pauses trading while an order is at the
 * exchange with no answer yet, and the service is SIGKILLed. After the restart (still paused) the
 * order is looked up, never sent: taken by the exchange ⇒ placed and its signal `executed` (the
 * pause does not rewrite what happened); not taken ⇒ not sent again, the order failed and its
 * signal rejected. Short timings (1 s window, no grace) keep it cheap; the rule is the same.
 */
import type { OrderRow, SignalRecord } from '../../src/protocol/trading.js';
import type { FaultSpec } from '../../tools/simulator/index.js';
import { requireBuiltHost } from '../helpers/host.js';
import { marketSignal, startRig, until, type Rig } from '../helpers/trading-rig.js';

let rig: Rig;
beforeAll(async () => {
  requireBuiltHost();
  rig = await startRig({
    serviceEnv: {
      // Long enough that the order is still waiting for its answer when the service dies.
      SENTINEL_CCXT_TIMEOUT_MS: '30000',
      SENTINEL_ORDER_WINDOW_MS: '1000',
      SENTINEL_ORDER_VISIBILITY_GRACE_MS: '0',
    },
  });
  await rig.call('connections.setMode', { id: rig.connections.binance.id, mode: 'live' });
}, 120_000);
afterAll(async () => rig?.close());

const history = async (id: string) =>
  ((await rig.call('signals.history', { limit: 1000 })) as SignalRecord[]).find((s) => s.id === id);
const ordersOf = async (id: string) =>
  ((await rig.call('orders.list', { limit: 1000 })) as OrderRow[]).filter((o) => o.signalId === id);

/** A signal whose order reaches the exchange under `fault` (no answer); then pause, SIGKILL, restart. */
async function pauseAndCrashMidOrder(fault: FaultSpec): Promise<string> {
  await rig.call('trading.resume');
  rig.sim.setFault('binance', fault);
  const requests = rig.sim.orders('binance').length;
  const s = marketSignal('binance-trend', { size: { quote: '25' }, ttlMs: 600_000 });
  await rig.publish(s);
  await until(() => rig.sim.orders('binance').length > requests, 15_000, 'the order request');
  const paused = (await rig.call('trading.pause', { reason: 'test: paused mid-order' })) as {
    saved: boolean;
  };
  expect(paused.saved).toBe(true);
  const pid = ((await rig.call('host.hello')) as { service: { pid: number } }).service.pid;
  process.kill(pid, 'SIGKILL');
  rig.sim.clearFaults('binance');
  await rig.startService();
  const id = s.id as string;
  await until(
    async () => (await history(id))?.status !== 'pending',
    30_000,
    'the signal to be settled after the restart',
  );
  expect(((await rig.call('host.hello')) as { trading: { paused: boolean } }).trading.paused).toBe(
    true,
  );
  return id;
}

it('taken by the exchange before the crash: found after the restart, executed though paused', async () => {
  const id = await pauseAndCrashMidOrder({ timeoutPlaced: 1 });
  expect(await history(id)).toMatchObject({ status: 'executed', reason: null });
  const [order] = await ordersOf(id);
  expect(order).toMatchObject({ state: 'placed' });
  const atExchange = rig.sim
    .orders('binance')
    .filter((o) => o.clientOrderId === order!.clientOrderId && o.outcome === 'placed');
  expect(atExchange).toHaveLength(1);
}, 90_000);

it('not taken before the crash: proven absent after the restart, and not sent again while paused', async () => {
  const id = await pauseAndCrashMidOrder({ timeoutNotPlaced: 1 });
  const [order] = await ordersOf(id);
  await until(async () => (await ordersOf(id))[0]?.state === 'failed', 30_000, 'the order to fail');
  expect(await history(id)).toMatchObject({ status: 'rejected', reason: 'not-placed' });
  expect((await ordersOf(id))[0]?.error).toMatch(/trading is paused .*not sent again/);
  expect(
    rig.sim
      .orders('binance')
      .filter((o) => o.clientOrderId === order!.clientOrderId && o.outcome === 'placed'),
  ).toHaveLength(0);
}, 90_000);
