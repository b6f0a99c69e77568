/**
 * Market data off the signal path: one PriceCache per connection, refreshed in the background by
 * polling ccxt `fetchTicker` for the symbols its signals asked for recently (price-cache.ts has the
 * rules and the rate-limit budgets).
 *
 * Polling, not WebSocket `watchTicker`: ccxt's WebSocket classes (ccxt.pro) would need a stream
 * endpoint per exchange that the exchange simulator does not serve, so nothing could test it here.
 * One `fetchTicker` per symbol, not `fetchTickers`: Binance weighs a multi-symbol 24 h ticker 40
 * (ccxt's `noSymbol` cost in js/src/binance.js), and Bybit and OKX send every spot ticker of the
 * exchange (hundreds) for it.
 *
 * The background reads go through a ccxt client of their own, with no key (public endpoints) and
 * the connection's markets: ccxt's throttle is one leaky bucket per client
 * (js/src/base/functions/throttle.js), so a poll on the trading client would make the next order
 * wait for the poll's cost.
 */
import type { Exchange } from 'ccxt';
import type { Connection } from '../../../protocol/methods.js';
import { createExchangeClient } from '../exchange/client.js';
import { PriceCache, tickerPrice, type PriceAnswer, type PriceConfig } from './price-cache.js';

interface Source {
  /** The trading client this cache follows: a new one (a new key) starts a new cache. */
  trading: Exchange;
  cache: PriceCache;
  poller: Promise<Exchange>;
}

export class MarketData {
  private readonly sources = new Map<string, Source>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: PriceConfig,
    private readonly now: () => number = Date.now,
    private readonly timeoutMs = 10_000,
  ) {}

  /**
   * The price a signal for `symbol` on connection `c` uses now (PriceCache.price); `fetchNow` reads
   * it on the signal path when the cache has no fresh one.
   */
  price(
    c: Connection,
    trading: Exchange,
    symbol: string,
    fetchNow: (symbol: string) => Promise<ReturnType<typeof tickerPrice>>,
  ): Promise<PriceAnswer> {
    if (this.config.maxAgeMs === 0)
      // no cache: no background client either
      return fetchNow(symbol).then((price) => ({ price, source: 'fetched', ageMs: 0 }));
    return this.source(c, trading).cache.price(symbol, fetchNow);
  }

  /** Stops the background reads and forgets every price (at lock: the clients are dropped). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.sources.clear();
  }

  private source(c: Connection, trading: Exchange): Source {
    const known = this.sources.get(c.id);
    if (known && known.trading === trading) return known;
    const poller = createExchangeClient({
      exchange: c.exchange,
      environment: c.environment,
      ...(c.endpoint ? { endpoint: c.endpoint } : {}),
      credentials: { apiKey: '', secret: '' },
      timeoutMs: this.timeoutMs,
      enableRateLimit: true,
    }).then((client) => {
      client.setMarketsFromExchange(trading);
      return client;
    });
    poller.catch(() => undefined); // a failed start only leaves signals on the fallback
    const cache = new PriceCache(this.config, this.now, async (symbol) =>
      tickerPrice(await (await poller).fetchTicker(symbol)),
    );
    const source = { trading, cache, poller };
    this.sources.set(c.id, source);
    this.timer ??= setInterval(() => this.refreshAll(), this.config.pollMs).unref();
    return source;
  }

  private refreshAll(): void {
    for (const { cache } of this.sources.values()) void cache.refresh();
  }
}
