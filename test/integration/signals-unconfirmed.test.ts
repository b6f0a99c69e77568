/**
 * An order whose outcome the exchange cannot confirm (look-ups keep failing past the deadline):
 * kept as `unknown`, counted in the route's caps, never resent blindly, and settled by the next
 * look-up once the exchange answers again — found (placed, the signal executed after all) or proven
 * absent (sent again while the signal is fresh). Exactly one order at the exchange either way.
 * Short timings (1 s window, no grace, 2 s of failed look-ups) keep it cheap; the rule is the same.
 */
import type { OrderRow, SignalRecord } from '../../src/protocol/trading.js';
import type { FaultSpec } from '../../tools/simulator/index.js';
import { requireBuiltHost } from '../helpers/host.js';
import { PASS, marketSignal, startRig, until, type Rig } from '../helpers/trading-rig.js';

let rig: Rig;
beforeAll(async () => {
  requireBuiltHost();
  rig = await startRig({
    routes: (c) => [
      {
        strategy: 'binance-trend',
        connectionId: c.binance.id,
        maxOrderQuote: '1000',
        maxDailyQuote: '100',
      },
    ],
    serviceEnv: {
      SENTINEL_CCXT_TIMEOUT_MS: '1000',
      SENTINEL_ORDER_WINDOW_MS: '1000',
      SENTINEL_ORDER_VISIBILITY_GRACE_MS: '0',
      SENTINEL_ORDER_UNREACHABLE_MS: '2000',
    },
  });
  await rig.call('connections.setMode', { id: rig.connections.binance.id, mode: 'live' });
}, 120_000);
afterAll(async () => rig?.close());

const orders = async () => (await rig.call('orders.list', { limit: 1000 })) as OrderRow[];
const signal = async (id: string) =>
  ((await rig.call('signals.history', { limit: 1000 })) as SignalRecord[]).find((s) => s.id === id);

/** Publishes a signal under `fault`; once the order request reached the exchange, every request fails. */
async function unconfirmed(fault: FaultSpec): Promise<string> {
  rig.sim.setFault('binance', fault);
  const before = rig.sim.orders('binance').length;
  const s = marketSignal('binance-trend', { size: { quote: '30' }, ttlMs: 600_000 });
  await rig.publish(s);
  await until(() => rig.sim.orders('binance').length > before, 10_000, 'the order request');
  rig.sim.setFault('binance', { status5xx: 1_000_000 });
  const id = s.id as string;
  await until(
    async () => (await orders()).find((o) => o.signalId === id && o.state === 'unknown'),
    20_000,
    'the order to be unknown',
  );
  expect(await signal(id)).toMatchObject({ status: 'rejected', reason: 'unconfirmed' });
  return id;
}

async function relock(): Promise<void> {
  await rig.call('vault.lock', {});
  await rig.call('vault.unlock', { passphrase: PASS });
}

it('placed, then the exchange went silent: unknown and counted, then found at the next unlock', async () => {
  // Placed and its answer lost; hidden from look-ups for 3 s, then every request fails.
  const id = await unconfirmed({ lostAnswer: 1, visibilityDelayMs: 3_000 });
  const placedAtExchange = rig.sim
    .orders('binance')
    .filter((o) => o.outcome !== 'dropped' && o.code === '').length;
  rig.sim.clearFaults('binance');

  // Counted in the day's cap (30 + 80 > 100), though nothing confirmed it.
  const over = marketSignal('binance-trend', { size: { quote: '80' } });
  await rig.publish(over);
  await until(
    async () => (await signal(over.id as string))?.status === 'rejected',
    20_000,
    'the second signal',
  );
  expect(await signal(over.id as string)).toMatchObject({ reason: 'over-daily-limit' });

  await new Promise((r) => setTimeout(r, 3_000)); // visible by now
  await relock();
  await until(
    async () => (await orders()).find((o) => o.signalId === id)?.state === 'placed',
    30_000,
    'the order to settle',
  );
  expect(await signal(id)).toMatchObject({ status: 'executed' });
  // Found, not sent again: the exchange holds the one order it accepted.
  const book = rig.sim.book('binance');
  const order = (await orders()).find((o) => o.signalId === id)!;
  expect(book.filter((b) => b.clientOrderId === order.clientOrderId)).toHaveLength(1);
  expect(placedAtExchange).toBeGreaterThan(0);
}, 90_000);

it('never placed, then the exchange went silent: unknown, then proven absent and sent once', async () => {
  const id = await unconfirmed({ timeoutNotPlaced: 1 });
  const order = (await orders()).find((o) => o.signalId === id)!;
  expect(
    rig.sim.book('binance').filter((b) => b.clientOrderId === order.clientOrderId),
  ).toHaveLength(0);
  rig.sim.clearFaults('binance');
  await relock();
  await until(
    async () => (await orders()).find((o) => o.signalId === id)?.state === 'placed',
    30_000,
    'the order to settle',
  );
  expect(await signal(id)).toMatchObject({ status: 'executed' });
  expect(
    rig.sim.book('binance').filter((b) => b.clientOrderId === order.clientOrderId),
  ).toHaveLength(1);
}, 90_000);
