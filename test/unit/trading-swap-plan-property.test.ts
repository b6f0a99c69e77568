/**
 * Properties of the swap money rules for every hostile signal inside the v2 schema: 5,000 generated
 * ones per market (linear and OKX-style contracts), against random open positions, routes and
 * leverage (fixed seed, printed on failure). No plan has leverage over its route's cap, no opening
 * order or position after it is worth more than its caps, no reduce-only order grows or flips the
 * position, and every stop-loss / take-profit sits on the protective side of entry and market.
 */
import { dec, mul, mulCeil, type Dec } from '../../src/lib/decimal.js';
import type { Route } from '../../src/native-host/service/trading/risk.js';
import {
  planSwapOrder,
  type OpenPosition,
  type SwapMarketRules,
} from '../../src/native-host/service/trading/swap-plan.js';
import { parseSignal } from '../../src/signals/signal.js';
import { decimalText, hostileSignal, prng } from '../helpers/hostile-signals.js';

const SEED = 20261202;
const ROUTES: Route[] = [
  { strategy: 's', connectionId: 'c', maxOrderQuote: '100', markets: ['swap'] },
  {
    strategy: 's',
    connectionId: 'c',
    maxOrderQuote: '1000',
    markets: ['swap'],
    maxLeverage: 3,
    maxPositionQuote: '2500',
  },
  {
    strategy: 's',
    connectionId: 'c',
    maxOrderQuote: '50000',
    markets: ['spot', 'swap'],
    maxLeverage: 20,
    maxPositionQuote: '60000',
    priceBandPct: 30,
  },
];
const MARKETS: [string, SwapMarketRules][] = [
  [
    'linear (contracts in BTC)',
    {
      contractSize: dec('1'),
      amountStep: dec('0.001'),
      priceTick: dec('0.1'),
      minAmount: dec('0.001'),
      minCost: dec('5'),
    },
  ],
  [
    'OKX (0.01 BTC contracts)',
    {
      contractSize: dec('0.01'),
      amountStep: dec('0.01'),
      priceTick: dec('0.1'),
      minAmount: dec('0.01'),
    },
  ],
];
const abs = (x: Dec) => (x < 0n ? -x : x);

describe.each(MARKETS)('%s', (_name, rules) => {
  it('5,000 hostile swap signals: no plan breaks a cap, the leverage or the position', () => {
    const rand = prng(SEED);
    const market = dec('100000');
    let planned = 0;
    let reduced = 0;
    for (let n = 0; n < 5_000; n++) {
      const h = hostileSignal(rand, 100000);
      const signal: Record<string, unknown> = { ...h };
      const extras = rand();
      // Mostly leverage inside the caps, sometimes anything up to 125.
      const l = rand();
      signal['leverage'] = String(
        l < 0.5 ? 1 : l < 0.9 ? 2 + Math.floor(rand() * 2) : 1 + Math.floor(rand() * 125),
      );
      // Triggers mostly on the protective side of a long (buy) or short, anywhere otherwise.
      const trigger = (below: boolean) => {
        const near = below ? 0.8 + rand() * 0.19 : 1.01 + rand() * 0.2;
        const factor = rand() < 0.7 ? near : 0.5 + rand();
        return { triggerPrice: decimalText(100000 * factor, Math.floor(rand() * 4)) };
      };
      // Some with a stop-loss, some with a take-profit, some both, some neither (reduce-only
      // orders mostly without: a trigger on one is refused, which the tables show).
      const legs = h.reduceOnly === true && rand() < 0.9 ? 1 : extras;
      if (legs < 0.4) signal['stopLoss'] = trigger(h.side === 'buy');
      if (legs > 0.2 && legs < 0.6) signal['takeProfit'] = trigger(h.side !== 'buy');
      if (h.reduceOnly === true && rand() < 0.5)
        signal['size'] = { positionPct: decimalText(1 + rand() * 99, 2) };
      const parsed = parseSignal({
        v: 2,
        id: `p${n}`,
        strategy: 's',
        issuedAt: 1,
        symbol: 'BTC/USDT:USDT',
        ...signal,
      });
      if (!parsed.ok) continue; // the generator may step outside the schema (say positionPct beside a limit without price); those never reach a plan
      const route = ROUTES[n % ROUTES.length]!;
      // Positions from 0.0001 to 0.5 BTC, in the market's contracts.
      const btc = Math.exp(Math.log(0.0001) + rand() * Math.log(5000));
      const contracts = (dec(decimalText(btc, 6)) * 10n ** 12n) / rules.contractSize;
      const position: OpenPosition | null =
        rand() < 0.3 || contracts === 0n
          ? null
          : { side: rand() < 0.5 ? 'long' : 'short', contracts };
      const context = `seed ${SEED}, #${n}: ${JSON.stringify(parsed.signal)} on ${JSON.stringify(route)} with ${position ? `${position.side} ${position.contracts}` : 'no position'}`;
      const r = planSwapOrder({
        signal: parsed.signal,
        route,
        rules,
        marketPrice: market,
        position,
        freeMargin: dec('2000'),
        todayWorths: [],
        lastMinuteCount: 0,
      });
      if ('reason' in r) continue;
      planned++;
      expect(r.leverage, context).toBeLessThanOrEqual(route.maxLeverage ?? 1);
      expect(r.contracts % rules.amountStep, context).toBe(0n);
      const worthPrice = r.price !== undefined && r.price > market ? r.price : market;
      expect(r.worth, context).toBe(mulCeil(mul(r.contracts, rules.contractSize), worthPrice));
      const held = position ? (position.side === 'long' ? 1n : -1n) * position.contracts : 0n;
      const after = held + (parsed.signal.side === 'buy' ? r.contracts : -r.contracts);
      if (r.reduceOnly) {
        reduced++;
        // Never grows, never flips.
        expect(abs(after) < abs(held), context).toBe(true);
        expect(after === 0n || after > 0n === held > 0n, context).toBe(true);
        expect(r.stopLoss ?? r.takeProfit, context).toBeUndefined();
      } else {
        expect(r.worth <= dec(route.maxOrderQuote), context).toBe(true);
        expect(
          r.positionWorthAfter <= dec(route.maxPositionQuote ?? route.maxOrderQuote),
          context,
        ).toBe(true);
      }
      expect(r.positionWorthAfter, context).toBe(
        mulCeil(mul(abs(after), rules.contractSize), worthPrice),
      );
      const entry = r.price ?? market;
      const lo = entry < market ? entry : market;
      const hi = entry > market ? entry : market;
      const long = parsed.signal.side === 'buy';
      if (r.stopLoss !== undefined)
        expect(long ? r.stopLoss < lo : r.stopLoss > hi, context).toBe(true);
      if (r.takeProfit !== undefined)
        expect(long ? r.takeProfit > hi : r.takeProfit < lo, context).toBe(true);
    }
    // The generator reaches plans of both kinds, not only refusals.
    expect(planned).toBeGreaterThan(200);
    expect(reduced).toBeGreaterThan(20);
  });
});
