/**
 * One connection's market prices, kept fresh off the signal path. A signal asks `price(symbol)`:
 * a price whose request was sent at most `maxAgeMs` ago is used as it is; anything older, or a
 * symbol never fetched, costs one request on the signal path (the fallback), exactly as when
 * there was no cache. In the background `refresh()` (every `pollMs`, market-data.ts) re-reads the
 * symbols signals asked for in the last `watchMs`, at most `maxSymbols` of them (the most recently
 * asked), so the next signal for them finds a fresh price. No clock or network of its own: both
 * are given, and the unit tests drive them (test/unit/trading-price-cache.test.ts).
 */
import { parseDec, type Dec } from '../../../lib/decimal.js';

export interface PriceConfig {
  /** The oldest price a signal may use, counted from when its request was sent, ms. */
  maxAgeMs: number;
  /** How often the background refresh runs, ms. */
  pollMs: number;
  /** A symbol no signal asked for this long is no longer refreshed, ms. */
  watchMs: number;
  /** The most symbols refreshed per connection (the most recently asked are kept). */
  maxSymbols: number;
}

/**
 * Rate-limit budgets these defaults were chosen against (one request per watched symbol and
 * poll, on a client of its own, so ccxt's throttle still paces it):
 * - Binance GET /api/v3/ticker/24hr with one symbol: weight 2 of 6,000 per minute and IP —
 *   https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints
 *   and .../rest-api/limits: 4 symbols at 1/s = 480 of 6,000 (8 %).
 * - Bybit GET /v5/market/tickers: 600 requests per 5 s and IP —
 *   https://bybit-exchange.github.io/docs/v5/rate-limit: 4 symbols at 1/s = 20 of 600.
 * - OKX GET /api/v5/market/ticker: 20 requests per 2 s and IP —
 *   https://www.okx.com/docs-v5/en/#order-book-trading-market-data-get-ticker: 4 symbols at
 *   1/s = 8 of 20 (the tightest; hence at most 4 symbols per connection).
 */
export const DEFAULT_PRICE_CONFIG: PriceConfig = {
  maxAgeMs: 2_000,
  pollMs: 1_000,
  watchMs: 10 * 60_000,
  maxSymbols: 4,
};

/**
 * Reads SENTINEL_PRICE_MAX_AGE_MS (0–60000; 0 turns the cache off: every signal fetches its price)
 * and SENTINEL_PRICE_POLL_MS (250–60000). A poll slower than the age bound would leave every
 * other signal on the fallback: the poll is then held to the bound.
 */
export function priceConfigFrom(env: NodeJS.ProcessEnv): PriceConfig {
  const read = (name: string, min: number, fallback: number): number => {
    const v = Number(env[name]);
    return env[name] !== undefined && Number.isInteger(v) && v >= min && v <= 60_000 ? v : fallback;
  };
  const maxAgeMs = read('SENTINEL_PRICE_MAX_AGE_MS', 0, DEFAULT_PRICE_CONFIG.maxAgeMs);
  const pollMs = read('SENTINEL_PRICE_POLL_MS', 250, DEFAULT_PRICE_CONFIG.pollMs);
  return {
    ...DEFAULT_PRICE_CONFIG,
    maxAgeMs,
    pollMs: maxAgeMs > 0 ? Math.min(pollMs, Math.max(250, maxAgeMs)) : pollMs,
  };
}

/** A price as read, and when the request that read it was sent. */
export interface PricePoint {
  /** undefined: the exchange gave no usable price (the plan then refuses with `no-price`). */
  price: Dec | undefined;
  sentAt: number;
}

/** The cached price when it is fresh enough to use now; undefined means "fetch one". */
export function freshPrice(
  point: PricePoint | undefined,
  now: number,
  maxAgeMs: number,
): PricePoint | undefined {
  if (!point || point.price === undefined) return undefined;
  const age = now - point.sentAt;
  // A point "from the future" means the clock stepped back: its age is unknown, so it is not used.
  return age >= 0 && age <= maxAgeMs ? point : undefined;
}

/** A ticker's last trade price (ccxt `last`, else `close`), exactly as the signal path reads it. */
export function tickerPrice(ticker: {
  last?: number | undefined;
  close?: number | undefined;
}): Dec | undefined {
  return parseDec(String(ticker.last ?? ticker.close ?? ''));
}

export type ReadPrice = (symbol: string) => Promise<Dec | undefined>;

export interface PriceAnswer {
  price: Dec | undefined;
  /** `cache`: read by the background refresh; `fetched`: read now, on the signal path. */
  source: 'cache' | 'fetched';
  ageMs: number;
}

export class PriceCache {
  private readonly points = new Map<string, PricePoint>();
  /** Symbol → when a signal last asked for it. */
  private readonly asked = new Map<string, number>();
  private refreshing = false;

  constructor(
    private readonly config: PriceConfig,
    private readonly now: () => number,
    /** The background read (a client of its own). */
    private readonly poll: ReadPrice,
  ) {}

  /**
   * The price a signal for `symbol` uses now: the cached one when fresh, else `fetchNow` (the
   * signal path's own request, retried through transient trouble by the caller).
   */
  async price(symbol: string, fetchNow: ReadPrice): Promise<PriceAnswer> {
    const now = this.now();
    if (this.config.maxAgeMs === 0) {
      const price = await fetchNow(symbol);
      return { price, source: 'fetched', ageMs: this.now() - now };
    }
    this.watch(symbol, now);
    const cached = freshPrice(this.points.get(symbol), now, this.config.maxAgeMs);
    if (cached) return { price: cached.price, source: 'cache', ageMs: now - cached.sentAt };
    const sentAt = this.now();
    const price = await fetchNow(symbol);
    this.keep(symbol, { price, sentAt });
    return { price, source: 'fetched', ageMs: this.now() - sentAt };
  }

  /** The symbols the background refresh reads, most recently asked first. */
  watched(): string[] {
    return [...this.asked.keys()].reverse(); // the Map's order is the order of asking (watch)
  }

  /**
   * One background round: each watched symbol read once, one after another. A failed read keeps
   * the old price, which then ages past the bound (signals fall back to their own request).
   * Rounds do not overlap: a round still running when the next is due skips it.
   */
  async refresh(): Promise<void> {
    if (this.refreshing || this.config.maxAgeMs === 0) return;
    this.refreshing = true;
    try {
      const now = this.now();
      for (const [symbol, at] of this.asked)
        if (now - at > this.config.watchMs) {
          this.asked.delete(symbol);
          this.points.delete(symbol);
        }
      for (const symbol of this.watched()) {
        const sentAt = this.now();
        try {
          this.keep(symbol, { price: await this.poll(symbol), sentAt });
        } catch {
          // Nothing to do: the old point ages out; the signal path fetches its own.
        }
      }
    } finally {
      this.refreshing = false;
    }
  }

  private watch(symbol: string, now: number): void {
    this.asked.delete(symbol); // re-inserted last: the Map's order is the order of asking
    this.asked.set(symbol, now);
    while (this.asked.size > this.config.maxSymbols) {
      const oldest = this.asked.keys().next().value as string;
      this.asked.delete(oldest);
      this.points.delete(oldest);
    }
  }

  /** A read that was sent before the one already kept (a slow answer) never replaces it. */
  private keep(symbol: string, point: PricePoint): void {
    if (!this.asked.has(symbol)) return;
    const old = this.points.get(symbol);
    if (!old || point.sentAt >= old.sentAt) this.points.set(symbol, point);
  }
}
