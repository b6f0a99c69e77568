/**
 * Reconciliation after a reconnect: Binance keeps a stop-loss working after its take-profit
 * fired (separate algo orders: FACTS.md), and the host cancels it when it reads the legs back
 * against the position. With the minute's pass set far away (10 min), that read-back must come
 * from the feed's reconnect: the relay drops the service's connection, the feed comes back, and
 * the orphaned stop-loss is cancelled within seconds.
 */
import type { Exchange } from 'ccxt';
import { simKey } from '../../dev/harness/trading.js';
import type { OrderRow } from '../../src/protocol/trading.js';
import { requireBuiltHost } from '../helpers/host.js';
import { perpCcxtFor } from '../helpers/simulator.js';
import { marketSignal, startRig, until, type Rig } from '../helpers/trading-rig.js';

const SYMBOL = 'BTC/USDT:USDT';

let rig: Rig;
let reader: Exchange;
beforeAll(async () => {
  requireBuiltHost();
  rig = await startRig({
    futures: true,
    serviceEnv: { SENTINEL_SETTLE_INTERVAL_MS: '600000' },
    routes: (c) => [
      {
        strategy: 'perp',
        connectionId: c.binance.id,
        maxOrderQuote: '2000',
        markets: ['swap' as const],
        maxLeverage: 3,
      },
    ],
  });
  await rig.call('connections.setMode', { id: rig.connections.binance.id, mode: 'live' });
  const key = simKey(rig.sim, 'binance');
  reader = perpCcxtFor(rig.sim, { ...key, permissions: { ...key.permissions, futures: true } });
  await reader.loadMarkets();
}, 120_000);
afterAll(async () => rig?.close());

const openTriggers = () => reader.fetchOpenOrders(SYMBOL, undefined, undefined, { trigger: true });

it('a reconnect reads the legs back: the stop-loss left by a fired take-profit is cancelled', async () => {
  rig.sim.setPrice('binance', SYMBOL, 60000);
  const s = marketSignal('perp', {
    v: 2,
    symbol: SYMBOL,
    side: 'buy',
    size: { base: '0.01' },
    leverage: '2',
    stopLoss: { triggerPrice: '57000' },
    takeProfit: { triggerPrice: '63000' },
  });
  await rig.publish(s);
  await until(async () => (await openTriggers()).length === 2, 20_000, 'both legs working');

  rig.sim.setPrice('binance', SYMBOL, 63500); // the take-profit fires; Binance leaves the stop
  await until(
    async () => (await reader.fetchPositions([SYMBOL])).every((p) => !p.contracts),
    15_000,
    'the take-profit to close the position',
  );
  await new Promise((r) => setTimeout(r, 1500));
  expect((await openTriggers()).map((o) => o.triggerPrice)).toEqual([57000]);

  expect(rig.relay.dropConnections()).toBe(1);
  await until(() => rig.relay.connections().length === 1, 20_000, 'the feed to reconnect');
  await until(async () => (await openTriggers()).length === 0, 15_000, 'the stop-loss cancelled');
  const legs = ((await rig.call('orders.list', { limit: 100 })) as OrderRow[]).filter(
    (o) => o.signalId === s.id && o.role === 'stop-loss',
  );
  expect(legs[0]?.closed).toBe('cancelled: its position is closed');
}, 90_000);
