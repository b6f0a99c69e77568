/** Where the service's ccxt loader finds an exchange's class, and what it refuses. */
import {
  ccxtClassUrl,
  exchangeClass,
} from '../../src/native-host/service/exchange/ccxt-classes.js';
import type { ExchangeId } from '../../src/exchanges/types.js';

describe('ccxtClassUrl', () => {
  it.each(['binance', 'bybit', 'okx'] as const)(
    "points %s at its file beside ccxt's entry",
    (id) => {
      const entry = import.meta.resolve('ccxt');
      expect(entry).toMatch(/\/ccxt\/js\/ccxt\.js$/);
      expect(ccxtClassUrl(id)).toBe(entry.replace(/ccxt\.js$/, `src/${id}.js`));
    },
  );

  it.each(['binanceusdm', 'kraken', '../base/Exchange', 'toString', '__proto__'])(
    'refuses %s (not an exchange the host trades on)',
    (id) => {
      expect(() => ccxtClassUrl(id as ExchangeId)).toThrow(/has no exchange/);
    },
  );
});

describe('exchangeClass', () => {
  it('loads the class once and shares it', async () => {
    const [a, b] = await Promise.all([exchangeClass('okx'), exchangeClass('okx')]);
    expect(a).toBe(b);
    expect(new a({}).id).toBe('okx');
  });

  it('refuses an unknown id without caching the failure', async () => {
    await expect(exchangeClass('nope' as ExchangeId)).rejects.toThrow(/has no exchange "nope"/);
    await expect(exchangeClass('nope' as ExchangeId)).rejects.toThrow(/has no exchange "nope"/);
  });
});
