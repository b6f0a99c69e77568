/**
 * The spot markets the simulator lists (BTC/USDT, ETH/USDT, SOL/USDT) with each exchange's own
 * trading rules, and the settable last price per exchange and symbol.
 */
import { dec, type Dec } from '../../src/lib/decimal.js';
import type { ExchangeId } from './types.js';

export interface MarketRules {
  /** Unified symbol, "BTC/USDT". */
  symbol: string;
  base: string;
  quote: string;
  /** Exchange id of the market: BTCUSDT (Binance, Bybit) or BTC-USDT (OKX). */
  id: string;
  tickSize: Dec;
  stepSize: Dec;
  minQty: Dec;
  maxQty: Dec;
  /** Minimum order value in quote currency; OKX has none. */
  minNotional?: Dec | undefined;
  maxNotional?: Dec | undefined;
  /** Bybit: decimals allowed for a market buy expressed in quote currency. */
  quoteStep: Dec;
  /** Binance's PERCENT_PRICE_BY_SIDE filter (binance-filters.ts); other exchanges have none. */
  percentPriceBySide?: PercentPriceBySide;
  /** Exchange-native strings, kept as the exchanges print them. */
  raw: Record<string, string>;
}

/**
 * Binance's PERCENT_PRICE_BY_SIDE, in the exchange's own field names and string values
 * (https://developers.binance.com/docs/binance-spot-api-docs/filters#percent_price_by_side).
 */
export interface PercentPriceBySide {
  bidMultiplierUp: string;
  bidMultiplierDown: string;
  askMultiplierUp: string;
  askMultiplierDown: string;
  /** Minutes the average price is taken over (the simulator uses its last price: binance-filters.ts). */
  avgPriceMins: number;
}

/**
 * BTCUSDT and ETHUSDT carry the values FACTS.md found on the live exchange (0.2× to 5× on both
 * sides, 5 minutes); SOLUSDT carries the example of Binance's filter documentation (asymmetric:
 * buys 0.2×–1.2×, sells 0.8×–5×, 1 minute), so both shapes are exercised.
 */
const BINANCE_PERCENT_PRICE: Record<string, PercentPriceBySide> = {
  'BTC/USDT': {
    bidMultiplierUp: '5',
    bidMultiplierDown: '0.2',
    askMultiplierUp: '5',
    askMultiplierDown: '0.2',
    avgPriceMins: 5,
  },
  'ETH/USDT': {
    bidMultiplierUp: '5',
    bidMultiplierDown: '0.2',
    askMultiplierUp: '5',
    askMultiplierDown: '0.2',
    avgPriceMins: 5,
  },
  'SOL/USDT': {
    bidMultiplierUp: '1.2',
    bidMultiplierDown: '0.2',
    askMultiplierUp: '5',
    askMultiplierDown: '0.8',
    avgPriceMins: 1,
  },
};

type Row = [symbol: string, tick: string, step: string, minQty: string, maxQty: string];

const BINANCE: Row[] = [
  ['BTC/USDT', '0.01', '0.00001', '0.00001', '9000'],
  ['ETH/USDT', '0.01', '0.0001', '0.0001', '9000'],
  ['SOL/USDT', '0.01', '0.001', '0.001', '9000000'],
];
const BYBIT: Row[] = [
  ['BTC/USDT', '0.01', '0.000001', '0.000048', '71.73956243'],
  ['ETH/USDT', '0.01', '0.00001', '0.00062', '1229.2336343'],
  ['SOL/USDT', '0.01', '0.001', '0.001', '27000'],
];
const OKX: Row[] = [
  ['BTC-USDT', '0.1', '0.00000001', '0.00001', '9999999999'],
  ['ETH-USDT', '0.01', '0.000001', '0.0001', '9999999999'],
  ['SOL-USDT', '0.01', '0.000001', '0.001', '9999999999'],
];

function build(exchange: ExchangeId, rows: Row[]): MarketRules[] {
  return rows.map(([sym, tick, step, minQty, maxQty]) => {
    const [base, quote] = sym.split(/[/-]/) as [string, string];
    const notional = exchange === 'binance' ? '5' : exchange === 'bybit' ? '1' : undefined;
    return {
      symbol: `${base}/${quote}`,
      base,
      quote,
      id: exchange === 'okx' ? `${base}-${quote}` : `${base}${quote}`,
      tickSize: dec(tick),
      stepSize: dec(step),
      minQty: dec(minQty),
      maxQty: dec(maxQty),
      minNotional: notional === undefined ? undefined : dec(notional),
      maxNotional:
        exchange === 'binance' ? dec('9000000') : exchange === 'bybit' ? dec('2000000') : undefined,
      quoteStep: dec('0.00000001'),
      ...(exchange === 'binance' && BINANCE_PERCENT_PRICE[sym]
        ? { percentPriceBySide: BINANCE_PERCENT_PRICE[sym] }
        : {}),
      raw: { tick, step, minQty, maxQty, minNotional: notional ?? '' },
    };
  });
}

const MARKETS: Record<ExchangeId, MarketRules[]> = {
  binance: build('binance', BINANCE),
  bybit: build('bybit', BYBIT),
  okx: build('okx', OKX),
};

export function marketsOf(exchange: ExchangeId): MarketRules[] {
  return MARKETS[exchange];
}

/** Finds a market by exchange id ("BTCUSDT", "BTC-USDT") or unified symbol ("BTC/USDT"). */
export function findMarket(
  exchange: ExchangeId,
  idOrSymbol: string | null | undefined,
): MarketRules | undefined {
  if (!idOrSymbol) return undefined;
  return MARKETS[exchange].find((m) => m.id === idOrSymbol || m.symbol === idOrSymbol);
}

export const ASSETS = ['USDT', 'BTC', 'ETH', 'SOL'] as const;

export const DEFAULT_PRICES: Record<string, string> = {
  'BTC/USDT': '65000',
  'ETH/USDT': '3500',
  'SOL/USDT': '150',
};

/** Last traded price per exchange and unified symbol. */
export class PriceBook {
  private prices = new Map<string, Dec>();

  constructor() {
    this.reset();
  }

  reset(): void {
    this.prices.clear();
    for (const exchange of Object.keys(MARKETS) as ExchangeId[])
      for (const [symbol, price] of Object.entries(DEFAULT_PRICES))
        this.prices.set(`${exchange} ${symbol}`, dec(price));
  }

  get(exchange: ExchangeId, symbol: string): Dec {
    return this.prices.get(`${exchange} ${symbol}`) ?? 0n;
  }

  set(exchange: ExchangeId, symbol: string, price: Dec): void {
    this.prices.set(`${exchange} ${symbol}`, price);
  }
}
