/**
 * Perpetual swaps end to end: signed v2 signals through the relay and the real host service,
 * real ccxt, at the simulator's perpetual dialects. Long and short at leverage 3 with stop-loss
 * and take-profit; the price moves, one leg fires and the reconciliation cancels its sibling;
 * closing 50% and 100% with positionPct; and the refusals that must send nothing to the
 * exchange. On the simulator's three perpetual dialects: Binance USDⓈ-M (separate legs), Bybit
 * linear and OKX swaps (attached legs).
 */
import type { Exchange } from 'ccxt';
import { simKey } from '../../dev/harness/trading.js';
import type { OrderRow } from '../../src/protocol/trading.js';
import { ADAPTERS } from '../../src/native-host/service/exchange/adapters/index.js';
import { requireBuiltHost } from '../helpers/host.js';
import { perpCcxtFor } from '../helpers/simulator.js';
import { marketSignal, startRig, until, type Rig } from '../helpers/trading-rig.js';

const SYMBOL = 'BTC/USDT:USDT';
const EXCHANGES = ['binance', 'bybit', 'okx'] as const;

let rig: Rig;
beforeAll(async () => {
  requireBuiltHost();
  rig = await startRig({
    futures: true,
    serviceEnv: { SENTINEL_SETTLE_INTERVAL_MS: '1000' },
    routes: (c) =>
      EXCHANGES.flatMap((ex) => [
        {
          strategy: `${ex}-perp`,
          connectionId: c[ex].id,
          maxOrderQuote: '2000',
          markets: ['swap' as const],
          maxLeverage: 3,
          maxPositionQuote: '3000',
        },
        { strategy: `${ex}-spot`, connectionId: c[ex].id, maxOrderQuote: '2000' },
      ]),
  });
  for (const ex of EXCHANGES)
    await rig.call('connections.setMode', { id: rig.connections[ex].id, mode: 'live' });
}, 120_000);
afterAll(async () => rig?.close());

type History = { id: string; status: string; reason: string | null }[];
async function outcome(id: string): Promise<{ status: string; reason: string | null }> {
  return until(
    async () =>
      ((await rig.call('signals.history', { limit: 1000 })) as History).find(
        (s) => s.id === id && s.status !== 'pending',
      ),
    30_000,
    `signal ${id}`,
  );
}

describe.each(EXCHANGES)('%s', (exchange) => {
  let reader: Exchange;
  beforeAll(async () => {
    // The same account as the service's connection, read directly.
    const key = simKey(rig.sim, exchange);
    reader = perpCcxtFor(rig.sim, { ...key, permissions: { ...key.permissions, futures: true } });
    await reader.loadMarkets();
  });
  beforeEach(() => rig.sim.setPrice(exchange, SYMBOL, 60000));

  const send = async (extra: object) => {
    const s = marketSignal(`${exchange}-perp`, {
      v: 2,
      symbol: SYMBOL,
      size: { base: '0.01' },
      ...extra,
    });
    await rig.publish(s);
    return { id: s.id as string, ...(await outcome(s.id as string)) };
  };
  /** Signed size in BTC (contracts × contract size: OKX's contract is 0.01 BTC): > 0 long. */
  const position = async (): Promise<number> => {
    const p = (await reader.fetchPositions([SYMBOL]))[0];
    const size = Math.round((p?.contracts ?? 0) * (p?.contractSize ?? 1) * 1e8) / 1e8;
    return p ? (p.side === 'short' ? -1 : 1) * size : 0;
  };
  /**
   * The working protective orders. OKX's attached TP/SL are one OCO algo order, which ccxt's
   * trigger look-up finds only with ordType "conditional,oco" (FACTS.md).
   */
  const triggers = () =>
    reader.fetchOpenOrders(SYMBOL, undefined, undefined, {
      trigger: true,
      ...(exchange === 'okx' ? { ordType: 'conditional,oco' } : {}),
    });
  const rows = async (signalId: string) =>
    ((await rig.call('orders.list', { limit: 1000 })) as OrderRow[]).filter(
      (o) => o.signalId === signalId,
    );
  const flat = async () => {
    const p = await position();
    if (p !== 0)
      expect(
        (
          await send({
            side: p > 0 ? 'sell' : 'buy',
            reduceOnly: true,
            size: { positionPct: '100' },
          })
        ).status,
      ).toBe('executed');
    await until(async () => (await triggers()).length === 0, 15_000, 'no protective orders left');
  };

  it.each([
    ['long', 'buy', '57000', '63000', 63500, 'take-profit'],
    ['short', 'sell', '63000', '57000', 63500, 'stop-loss'],
  ] as const)(
    '%s at 3x with SL/TP; the price moves, one leg fires and the other is cancelled',
    async (_name, side, sl, tp, moveTo, fired) => {
      const s = await send({
        side,
        leverage: '3',
        stopLoss: { triggerPrice: sl },
        takeProfit: { triggerPrice: tp },
      });
      expect(s.status, s.reason ?? '').toBe('executed');
      expect(await position()).toBe(side === 'buy' ? 0.01 : -0.01);
      const legs = await triggers();
      const prices = legs.flatMap((o) =>
        [o.triggerPrice, o.stopLossPrice, o.takeProfitPrice].filter((p) => p !== undefined),
      );
      expect(new Set(prices)).toEqual(new Set([Number(sl), Number(tp)]));
      if (ADAPTERS[exchange].protectiveStyle === 'separate')
        expect(legs.map((o) => o.reduceOnly)).toEqual([true, true]);
      const journal = await rows(s.id);
      expect(journal.map((o) => `${o.role}:${o.state}`).sort()).toEqual([
        'entry:placed',
        'stop-loss:placed',
        'take-profit:placed',
      ]);
      // Sent in contracts (OKX: 0.01 BTC each), shown in base units.
      expect(journal.find((o) => o.role === 'entry')).toMatchObject({
        leverage: 3,
        amount: exchange === 'okx' ? '1' : '0.01',
        size: '0.01',
      });

      rig.sim.setPrice(exchange, SYMBOL, moveTo);
      await until(async () => (await position()) === 0, 15_000, `the ${fired} to fire`);
      await until(async () => (await triggers()).length === 0, 15_000, 'the sibling cancelled');
      await until(
        async () => (await rows(s.id)).filter((o) => o.role !== 'entry' && o.closed).length === 2,
        15_000,
        'both legs closed in the journal',
      );
      const closed = (await rows(s.id)).filter((o) => o.role !== 'entry');
      expect(closed.find((o) => o.role !== fired)?.closed).toBe(
        ADAPTERS[exchange].protectiveStyle === 'separate'
          ? 'cancelled: its position is closed'
          : 'its position is closed; the exchange removes attached legs with it',
      );
      // Each client id went to the exchange once.
      const ids = rig.sim
        .orders(exchange)
        .filter((o) => o.outcome === 'placed')
        .map((o) => o.clientOrderId);
      expect(new Set(ids).size).toBe(ids.length);
    },
    60_000,
  );

  it('closes 50% then 100% with positionPct (reduce-only)', async () => {
    await flat();
    expect((await send({ size: { base: '0.02' } })).status).toBe('executed');
    expect(await position()).toBe(0.02);
    expect(
      (await send({ side: 'sell', reduceOnly: true, size: { positionPct: '50' } })).status,
    ).toBe('executed');
    expect(await position()).toBe(0.01);
    expect(
      (await send({ side: 'sell', reduceOnly: true, size: { positionPct: '100' } })).status,
    ).toBe('executed');
    expect(await position()).toBe(0);
  }, 60_000);

  it.each([
    ['leverage over the cap', { leverage: '5' }, 'over-leverage'],
    ['an order over the cap', { size: { base: '0.04' } }, 'over-max-order'],
    ['a swap on a spot-only route', { strategy: `${exchange}-spot` }, 'market-not-allowed'],
    [
      'reduce-only without a position',
      { side: 'sell', reduceOnly: true, size: { positionPct: '50' } },
      'no-position',
    ],
  ] as const)('%s: refused, zero orders sent', async (_name, extra, reason) => {
    await flat();
    const before = rig.sim.orders(exchange).length;
    const s = await send(extra);
    expect(s).toMatchObject({ status: 'rejected', reason });
    expect(rig.sim.orders(exchange).length).toBe(before);
  });

  it('a position over maxPositionQuote: refused, zero orders sent', async () => {
    await flat();
    expect((await send({ size: { base: '0.03' } })).status).toBe('executed'); // 1,800
    const before = rig.sim.orders(exchange).length;
    expect(await send({ size: { base: '0.03' } })).toMatchObject({
      status: 'rejected',
      reason: 'over-max-position',
    });
    expect(rig.sim.orders(exchange).length).toBe(before);
    expect(await position()).toBe(0.03);
    await flat();
  }, 60_000);
});
