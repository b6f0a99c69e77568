/**
 * A hostile provider on perpetuals, end to end: generated v2 signals that stay inside the schema
 * (test/helpers/hostile-signals.ts hostileSwapSignal, seeded: random sides, types, sizes,
 * leverage up to 125, margin modes, triggers on either side of the market, reduce-only closes by
 * positionPct) through the real relay and service to the simulator's three perpetual dialects,
 * one at a time. After every signal the exchange itself is read: the position is never worth
 * more than the route's maxPositionQuote, an open position's leverage never exceeds maxLeverage,
 * and no client order id ever reached the exchange twice.
 */
import type { Exchange } from 'ccxt';
import { simKey } from '../../dev/harness/trading.js';
import { parseSignal } from '../../src/signals/signal.js';
import { requireBuiltHost } from '../helpers/host.js';
import { hostileSwapSignal, prng } from '../helpers/hostile-signals.js';
import { perpCcxtFor } from '../helpers/simulator.js';
import { marketSignal, startRig, until, type Rig } from '../helpers/trading-rig.js';

const SEED = Number(process.env.SC_HOSTILE_SEED ?? 4_242);
const COUNT = 300;
const SYMBOL = 'BTC/USDT:USDT';
const PRICE = 60000;
const EXCHANGES = ['binance', 'bybit', 'okx'] as const;
const CAPS = { maxOrderQuote: '20000', maxPositionQuote: '30000', maxLeverage: 4 };

let rig: Rig;
beforeAll(async () => {
  requireBuiltHost();
  rig = await startRig({
    futures: true,
    routes: (c) =>
      EXCHANGES.map((ex) => ({
        strategy: `h-${ex}`,
        connectionId: c[ex].id,
        markets: ['swap' as const],
        priceBandPct: 10,
        ...CAPS,
      })),
  });
  for (const ex of EXCHANGES) {
    rig.sim.setPrice(ex, SYMBOL, PRICE);
    await rig.call('connections.setMode', { id: rig.connections[ex].id, mode: 'live' });
  }
}, 120_000);
afterAll(async () => rig?.close());

type History = { id: string; status: string; reason: string | null }[];

describe.each(EXCHANGES)('%s', (exchange) => {
  it(`${COUNT} hostile swap signals: position, leverage and exactly-once hold at the exchange`, async () => {
    const key = simKey(rig.sim, exchange);
    const reader: Exchange = perpCcxtFor(rig.sim, {
      ...key,
      permissions: { ...key.permissions, futures: true },
    });
    await reader.loadMarkets();
    const rand = prng(SEED + exchange.length);
    let executed = 0;
    for (let i = 0; i < COUNT; i++) {
      const body = marketSignal(`h-${exchange}`, {
        v: 2,
        symbol: SYMBOL,
        ...hostileSwapSignal(rand, PRICE),
      });
      if (!parseSignal(body).ok) continue; // the feed refuses it before the engine sees it
      await rig.publish(body);
      const h = await until(
        async () =>
          ((await rig.call('signals.history', { limit: 5 })) as History).find(
            (s) => s.id === body.id && s.status !== 'pending',
          ),
        30_000,
        `signal ${i}`,
      );
      const context = `seed ${SEED} ${exchange} #${i} ${JSON.stringify(body)} → ${h.status} ${h.reason ?? ''}`;
      if (h.status === 'executed') executed++;
      const [p] = await reader.fetchPositions([SYMBOL]);
      const size = (p?.contracts ?? 0) * (p?.contractSize ?? 1);
      expect(size * PRICE, context).toBeLessThanOrEqual(Number(CAPS.maxPositionQuote) + 1e-6);
      // An open position runs at the symbol's leverage (in its margin mode, on OKX): the host
      // sets it before every opening order, and the exchange's default (10–20×) is above the cap.
      if (size > 0) {
        const lev = await reader.fetchLeverage(SYMBOL, { marginMode: p?.marginMode ?? 'isolated' });
        for (const l of [lev.longLeverage, lev.shortLeverage])
          if (l !== undefined) expect(l, context).toBeLessThanOrEqual(CAPS.maxLeverage);
      }
    }
    const ids = rig.sim
      .orders(exchange)
      .filter((o) => o.outcome === 'placed')
      .map((o) => o.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(executed).toBeGreaterThanOrEqual(5); // the property was exercised
  }, 120_000);
});
