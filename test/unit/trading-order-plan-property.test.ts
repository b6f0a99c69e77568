/**
 * Properties of the money rules that must hold for every hostile signal inside the schema, checked
 * on 5,000 generated ones per market price (fixed seed, printed on failure): a plan is never worth
 * more than the route's cap, its worth is its amount at the higher of its price and the market,
 * a limit price lies inside the band and on the tick, the amount on the step, and the day's total
 * stays under the daily cap.
 */
import { ceilToStep, dec, fmt, mulCeil, parseDec, type Dec } from '../../src/lib/decimal.js';
import { planOrder } from '../../src/native-host/service/trading/order-plan.js';
import type { Route } from '../../src/native-host/service/trading/risk.js';
import { parseSignal } from '../../src/signals/signal.js';
import { hostileSignal, prng } from '../helpers/hostile-signals.js';

const SEED = 20261201;
const ROUTES: Route[] = [
  { strategy: 's', connectionId: 'c', maxOrderQuote: '100' },
  { strategy: 's', connectionId: 'c', maxOrderQuote: '1000', maxDailyQuote: '2500' },
  { strategy: 's', connectionId: 'c', maxOrderQuote: '50', priceBandPct: 2, sizeMultiplier: '3' },
  { strategy: 's', connectionId: 'c', maxOrderQuote: '100000', priceBandPct: 40 },
];

describe.each(['97000', '0.35'])('market price %s', (marketText) => {
  const market = dec(marketText);
  const tick = marketText === '97000' ? dec('0.01') : dec('0.0001');
  const step = marketText === '97000' ? dec('0.00001') : dec('0.1');

  it('5,000 hostile signals: no plan breaks a limit', () => {
    const rand = prng(SEED);
    const spent = new Map<Route, Dec>();
    let planned = 0;
    for (let n = 0; n < 5_000; n++) {
      const signal = hostileSignal(rand, Number(marketText));
      const route = ROUTES[n % ROUTES.length] as Route;
      const context = `seed ${SEED}, signal #${n}: ${JSON.stringify(signal)} on ${JSON.stringify(route)}`;
      // Every generated signal is one the schema accepts (the attack stays inside the contract).
      const parsed = parseSignal({
        v: 1,
        id: `p${n}`,
        strategy: 's',
        issuedAt: 1,
        symbol: 'BTC/USDT',
        ...signal,
      });
      expect(parsed.ok, context).toBe(true);
      const today = spent.get(route) ?? 0n;
      const r = planOrder({
        signal,
        route,
        rules: { amountStep: step, priceTick: tick, minCost: dec('1') },
        marketPrice: market,
        freeQuote: dec('1000000'),
        freeBase: dec('100'),
        todayWorths: today > 0n ? [fmt(today)] : [],
        lastMinuteCount: 0,
      });
      if ('reason' in r) continue;
      planned++;
      const worthPrice = r.price !== undefined && r.price > market ? r.price : market;
      expect(r.worth, context).toBe(mulCeil(r.amount, worthPrice));
      expect(r.worth <= dec(route.maxOrderQuote), context).toBe(true);
      expect(r.amount % step, context).toBe(0n);
      expect(signal.reduceOnly, context).not.toBe(true);
      if (signal.type === 'limit') {
        expect(r.price, context).toBeDefined();
        const price = r.price as Dec;
        expect(price % tick, context).toBe(0n);
        const band = parseDec(route.priceBandPct ?? 5) as Dec;
        const diff = price > market ? price - market : market - price;
        expect(diff * 100n * 10n ** 12n <= market * band, context).toBe(true);
        // Never more aggressive than the signal asked.
        const asked = parseDec(signal.price as string) as Dec;
        expect(signal.side === 'buy' ? price <= asked : price >= asked, context).toBe(true);
        expect(price, context).toBe(
          signal.side === 'buy' ? asked - (asked % tick) : ceilToStep(asked, tick),
        );
      } else expect(r.price, context).toBeUndefined();
      const total = today + r.worth;
      if (route.maxDailyQuote) expect(total <= dec(route.maxDailyQuote), context).toBe(true);
      spent.set(route, total);
    }
    // The generator reaches both sides of every rule: plenty pass, plenty are refused.
    expect(planned).toBeGreaterThan(300);
    expect(planned).toBeLessThan(4_500);
  });
});
