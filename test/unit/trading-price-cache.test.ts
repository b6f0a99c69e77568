/**
 * The price cache of the signal path (src/native-host/service/trading/price-cache.ts): which price
 * a signal uses (cached while fresh, else fetched on the signal path), what the background
 * refresh reads, and the configuration from the environment — with a fake clock.
 */
import {
  DEFAULT_PRICE_CONFIG,
  PriceCache,
  freshPrice,
  priceConfigFrom,
  tickerPrice,
  type PriceConfig,
} from '../../src/native-host/service/trading/price-cache.js';
import { parseDec, type Dec } from '../../src/lib/decimal.js';

const dec = (s: string): Dec => parseDec(s)!;
const CONFIG: PriceConfig = { maxAgeMs: 2_000, pollMs: 1_000, watchMs: 60_000, maxSymbols: 2 };

describe('freshPrice', () => {
  it.each([
    ['no point', undefined, 1_000, undefined],
    ['no usable price', { price: undefined, sentAt: 1_000 }, 1_000, undefined],
    ['just read', { price: dec('100'), sentAt: 1_000 }, 1_000, '100'],
    ['exactly at the bound', { price: dec('100'), sentAt: 1_000 }, 3_000, '100'],
    ['1 ms past the bound', { price: dec('100'), sentAt: 1_000 }, 3_001, undefined],
    [
      'sent "in the future" (clock stepped back)',
      { price: dec('100'), sentAt: 5_000 },
      4_000,
      undefined,
    ],
  ])('%s', (_name, point, now, expected) => {
    const got = freshPrice(point, now, 2_000);
    expect(got?.price).toBe(expected === undefined ? undefined : dec(expected));
  });
});

describe('tickerPrice', () => {
  it.each([
    [{ last: 100.5, close: 99 }, '100.5'],
    [{ close: 99 }, '99'],
    [{}, undefined],
  ])('%j → %s', (ticker, expected) => {
    expect(tickerPrice(ticker)).toBe(expected === undefined ? undefined : dec(expected));
  });
});

/** A cache on a fake clock; the poll and the signal path's fetch answer from `market`. */
function rig(config: PriceConfig = CONFIG) {
  let now = 10_000;
  const market = new Map<string, string>([
    ['BTC/USDT', '100'],
    ['ETH/USDT', '10'],
    ['SOL/USDT', '1'],
  ]);
  const polled: string[] = [];
  const fetched: string[] = [];
  let pollFails = false;
  const cache = new PriceCache(
    config,
    () => now,
    (symbol) => {
      polled.push(symbol);
      if (pollFails) return Promise.reject(new Error('timeout'));
      return Promise.resolve(parseDec(market.get(symbol)));
    },
  );
  const fetchNow = (symbol: string) => {
    fetched.push(symbol);
    return Promise.resolve(parseDec(market.get(symbol)));
  };
  return {
    cache,
    market,
    polled,
    fetched,
    fetchNow,
    advance: (ms: number) => (now += ms),
    failPolls: (v: boolean) => (pollFails = v),
  };
}

describe('PriceCache: the price a signal uses', () => {
  it('first signal for a symbol: fetched on the signal path; then cached while fresh', async () => {
    const r = rig();
    expect(await r.cache.price('BTC/USDT', r.fetchNow)).toEqual({
      price: dec('100'),
      source: 'fetched',
      ageMs: 0,
    });
    r.market.set('BTC/USDT', '101');
    r.advance(1_500);
    expect(await r.cache.price('BTC/USDT', r.fetchNow)).toEqual({
      price: dec('100'),
      source: 'cache',
      ageMs: 1_500,
    });
    expect(r.fetched).toEqual(['BTC/USDT']);
  });

  it('a price older than the bound is never used: the signal fetches one (the fallback)', async () => {
    const r = rig();
    await r.cache.price('BTC/USDT', r.fetchNow);
    r.market.set('BTC/USDT', '105');
    r.advance(2_001);
    expect(await r.cache.price('BTC/USDT', r.fetchNow)).toMatchObject({
      price: dec('105'),
      source: 'fetched',
    });
    expect(r.fetched).toEqual(['BTC/USDT', 'BTC/USDT']);
  });

  it('the background refresh keeps a watched symbol fresh: later signals make no request', async () => {
    const r = rig();
    await r.cache.price('BTC/USDT', r.fetchNow);
    for (const price of ['101', '102', '103']) {
      r.advance(1_000);
      r.market.set('BTC/USDT', price);
      await r.cache.refresh();
      expect(await r.cache.price('BTC/USDT', r.fetchNow)).toMatchObject({
        price: dec(price),
        source: 'cache',
      });
    }
    expect(r.fetched).toEqual(['BTC/USDT']);
    expect(r.polled).toEqual(['BTC/USDT', 'BTC/USDT', 'BTC/USDT']);
  });

  it('failed background reads keep the old price only until it ages out', async () => {
    const r = rig();
    await r.cache.price('BTC/USDT', r.fetchNow);
    r.failPolls(true);
    r.advance(1_000);
    await r.cache.refresh();
    expect((await r.cache.price('BTC/USDT', r.fetchNow)).source).toBe('cache');
    r.advance(1_001);
    await r.cache.refresh();
    expect((await r.cache.price('BTC/USDT', r.fetchNow)).source).toBe('fetched');
  });

  it('an exchange with no usable price: never cached, each signal asks (and gets no-price)', async () => {
    const r = rig();
    r.market.delete('BTC/USDT');
    expect((await r.cache.price('BTC/USDT', r.fetchNow)).price).toBeUndefined();
    expect((await r.cache.price('BTC/USDT', r.fetchNow)).source).toBe('fetched');
  });

  it('a slow read sent before the kept one does not replace it', async () => {
    const r = rig();
    let release: (p: Dec | undefined) => void = () => undefined;
    const slow = r.cache.price('BTC/USDT', () => new Promise((res) => (release = res)));
    r.advance(100);
    r.market.set('BTC/USDT', '200');
    await r.cache.refresh(); // sent 100 ms after the slow one: newer
    release(dec('50'));
    await slow;
    expect((await r.cache.price('BTC/USDT', r.fetchNow)).price).toBe(dec('200'));
  });
});

describe('PriceCache: what the background reads', () => {
  it('at most maxSymbols, the most recently asked; the dropped ones lose their price', async () => {
    const r = rig();
    await r.cache.price('BTC/USDT', r.fetchNow);
    await r.cache.price('ETH/USDT', r.fetchNow);
    await r.cache.price('SOL/USDT', r.fetchNow);
    expect(r.cache.watched()).toEqual(['SOL/USDT', 'ETH/USDT']);
    expect((await r.cache.price('BTC/USDT', r.fetchNow)).source).toBe('fetched');
  });

  it('a symbol no signal asked for within watchMs is no longer read', async () => {
    const r = rig();
    await r.cache.price('BTC/USDT', r.fetchNow);
    r.advance(30_000);
    await r.cache.price('ETH/USDT', r.fetchNow);
    r.advance(30_001);
    await r.cache.refresh();
    expect(r.polled).toEqual(['ETH/USDT']);
    expect(r.cache.watched()).toEqual(['ETH/USDT']);
  });

  it('rounds do not overlap', async () => {
    const r = rig();
    await r.cache.price('BTC/USDT', r.fetchNow);
    await Promise.all([r.cache.refresh(), r.cache.refresh()]);
    expect(r.polled).toEqual(['BTC/USDT']);
  });

  it('maxAgeMs 0 turns the cache off: no background reads', async () => {
    const r = rig({ ...CONFIG, maxAgeMs: 0 });
    await r.cache.price('BTC/USDT', r.fetchNow);
    await r.cache.refresh();
    expect((await r.cache.price('BTC/USDT', r.fetchNow)).source).toBe('fetched');
    expect(r.polled).toEqual([]);
  });
});

describe('priceConfigFrom', () => {
  it.each([
    [{}, 2_000, 1_000],
    [{ SENTINEL_PRICE_MAX_AGE_MS: '5000', SENTINEL_PRICE_POLL_MS: '2000' }, 5_000, 2_000],
    // A poll slower than the bound is held to it, else every other signal would fall back.
    [{ SENTINEL_PRICE_MAX_AGE_MS: '1000', SENTINEL_PRICE_POLL_MS: '5000' }, 1_000, 1_000],
    [{ SENTINEL_PRICE_MAX_AGE_MS: '0' }, 0, 1_000],
    [{ SENTINEL_PRICE_MAX_AGE_MS: '-1', SENTINEL_PRICE_POLL_MS: '10' }, 2_000, 1_000],
    [{ SENTINEL_PRICE_MAX_AGE_MS: 'soon', SENTINEL_PRICE_POLL_MS: '70000' }, 2_000, 1_000],
  ])('%j → max age %i ms, poll %i ms', (env, maxAgeMs, pollMs) => {
    expect(priceConfigFrom(env)).toEqual({ ...DEFAULT_PRICE_CONFIG, maxAgeMs, pollMs });
  });
});
