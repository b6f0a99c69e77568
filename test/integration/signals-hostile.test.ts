/**
 * A hostile provider, end to end: 2,100 generated signals that stay inside the schema (random
 * sides, types, size kinds and sizes, limit prices from 0.0001× to 10× the market with 0–18
 * decimals, reduceOnly) go through the real relay and the real service to the simulator, on three
 * live connections whose routes cap them differently, at BTC 97,000 and SOL 1.5. What reaches the
 * exchange is then checked: no order is worth more than its route's maxOrderQuote (valued at
 * amount × max(limit price, market price)), no UTC day exceeds maxDailyQuote, no limit order lies
 * outside the band, no client id is used twice, and exactly the executed signals have an order.
 * The seed is fixed; every failure message carries it.
 */
import { createHash } from 'node:crypto';
import { dec, fmt, mulCeil, parseDec, type Dec } from '../../src/lib/decimal.js';
import { deriveClientOrderId } from '../../src/exchanges/order-id.js';
import type { ExchangeId } from '../../src/exchanges/types.js';
import type { Route } from '../../src/native-host/service/trading/risk.js';
import { requireBuiltHost } from '../helpers/host.js';
import { hostileSignal, prng } from '../helpers/hostile-signals.js';
import { marketSignal, startRig, until, type Rig } from '../helpers/trading-rig.js';

const SEED = Number(process.env.SC_HOSTILE_SEED ?? 977_000);
const COUNT = 2_100;
const BATCH = 700;
const PRICES: Record<string, string> = { 'BTC/USDT': '97000', 'SOL/USDT': '1.5' };
const EXCHANGES = ['binance', 'bybit', 'okx'] as const;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

let rig: Rig;
let routes: Record<ExchangeId, Route>;
beforeAll(async () => {
  requireBuiltHost();
  rig = await startRig({
    routes: (c) => {
      routes = {
        // The default band (5%) and a plain per-order cap.
        binance: { strategy: 'h-binance', connectionId: c.binance.id, maxOrderQuote: '100' },
        // A daily cap the stream runs into, and a wider band.
        bybit: {
          strategy: 'h-bybit',
          connectionId: c.bybit.id,
          maxOrderQuote: '500',
          maxDailyQuote: '6000',
          priceBandPct: 10,
        },
        // A narrow band and a size multiplier that pushes sizes over the cap.
        okx: {
          strategy: 'h-okx',
          connectionId: c.okx.id,
          maxOrderQuote: '50',
          priceBandPct: 2,
          sizeMultiplier: '3',
        },
      };
      return Object.values(routes);
    },
  });
  for (const ex of EXCHANGES) {
    for (const [symbol, price] of Object.entries(PRICES)) rig.sim.setPrice(ex, symbol, price);
    await rig.call('connections.setMode', { id: rig.connections[ex].id, mode: 'live' });
  }
}, 120_000);
afterAll(async () => rig?.close());

it(`${COUNT} hostile signals (seed ${SEED}): no order beyond its route's limits`, async () => {
  const rand = prng(SEED);
  const sent: { id: string; exchange: ExchangeId; text: string }[] = [];
  type H = { id: string; status: string; reason: string | null }[];
  const history = new Map<string, H[number]>();
  // In batches: signals.history answers at most the 1,000 most recent signals.
  for (let batch = 0; batch < COUNT / BATCH; batch++) {
    const ids: string[] = [];
    for (let n = 0; n < BATCH; n++) {
      const exchange = EXCHANGES[n % 3] as ExchangeId;
      const symbol = rand() < 0.7 ? 'BTC/USDT' : 'SOL/USDT';
      const hostile = hostileSignal(rand, Number(PRICES[symbol]));
      const s = marketSignal(routes[exchange].strategy, { symbol, ...hostile });
      sent.push({ id: s.id as string, exchange, text: JSON.stringify(s) });
      ids.push(s.id as string);
      await rig.publish(s);
    }
    await until(
      async () => {
        const h = (await rig.call('signals.history', { limit: 1000 })) as H;
        for (const x of h) if (x.status !== 'pending') history.set(x.id, x);
        return ids.every((id) => history.has(id));
      },
      120_000,
      `batch ${batch} of the hostile signals to settle`,
    );
  }

  for (const exchange of EXCHANGES) {
    const route = routes[exchange];
    const cap = dec(route.maxOrderQuote);
    const band = parseDec(route.priceBandPct ?? 5) as Dec;
    const book = rig.sim.book(exchange);
    const byClientId = new Map(book.map((o) => [o.clientOrderId, o]));
    expect(byClientId.size, `seed ${SEED}: ${exchange} client ids used twice`).toBe(book.length);
    const perDay = new Map<string, Dec>();
    for (const o of book) {
      const market = dec(PRICES[o.symbol] as string);
      const price = o.price !== undefined ? dec(o.price) : undefined;
      const worth = mulCeil(dec(o.qty), price !== undefined && price > market ? price : market);
      const what = `seed ${SEED}: ${exchange} order ${o.clientOrderId} ${o.side} ${o.type} ${o.qty} @ ${o.price ?? 'market'} worth ${fmt(worth)}`;
      expect(worth <= cap, `${what} > cap ${route.maxOrderQuote}`).toBe(true);
      if (price !== undefined) {
        const diff = price > market ? price - market : market - price;
        expect(diff * 100n * 10n ** 12n <= market * band, `${what}: outside the band`).toBe(true);
      }
      const day = new Date(o.createdAt).toISOString().slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0n) + worth);
    }
    if (route.maxDailyQuote)
      for (const [day, total] of perDay)
        expect(total <= dec(route.maxDailyQuote), `seed ${SEED}: ${exchange} ${day}`).toBe(true);

    // Exactly the executed signals have an order, each exactly one.
    for (const s of sent.filter((x) => x.exchange === exchange)) {
      const cid = deriveClientOrderId(
        `${rig.keys.publicKey}/${s.id}`,
        rig.connections[exchange].id,
        sha256,
      );
      const status = history.get(s.id)?.status;
      expect(
        byClientId.has(cid),
        `seed ${SEED}: ${s.text} ended ${status} (${history.get(s.id)?.reason})`,
      ).toBe(status === 'executed');
    }
  }
  // The stream reaches both sides of the rules on every exchange.
  const statuses = [...history.values()].map((h) => h.status);
  expect(statuses.filter((s) => s === 'executed').length).toBeGreaterThan(100);
  const reasons = new Set([...history.values()].map((h) => h.reason));
  for (const r of ['over-max-order', 'over-daily-limit', 'price-band', 'reduce-only', 'bad-price'])
    expect(reasons, `seed ${SEED}: no signal was refused for ${r}`).toContain(r);
}, 400_000);
