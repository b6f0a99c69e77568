/**
 * Binance spot symbol filters: what GET /api/v3/exchangeInfo lists for a market, and the checks
 * POST /api/v3/order and /api/v3/order/test apply (order/test validates like a real order:
 * FACTS.md "The real exchanges do things a simulator forgets").
 *
 * Source: Binance spot API docs, "Filters",
 * https://developers.binance.com/docs/binance-spot-api-docs/filters — field names and the
 * pass conditions below are quoted from there. A failing filter answers HTTP 400
 * {"code":-1013,"msg":"Filter failure: <FILTER_TYPE>"}.
 *
 * Simplification: Binance compares PERCENT_PRICE_BY_SIDE (and NOTIONAL for market orders) with
 * the volume-weighted average price of the last `avgPriceMins` minutes. The simulator has no trade
 * history, so its "average price" is its current last price (the one sim.setPrice sets); the
 * GET /api/v3/avgPrice route answers the same number.
 */
import { isMultiple, mul, parseDec, type Dec } from '../../src/lib/decimal.js';
import { f8 } from './binance-common.js';
import type { MarketRules, PercentPriceBySide } from './markets.js';

/** PRICE_FILTER's maxPrice, as exchangeInfo lists it. */
const MAX_PRICE = 1_000_000n * 10n ** 12n;

/** The symbol's filters, as GET /api/v3/exchangeInfo lists them (Binance's names, string values). */
export function binanceFilters(m: MarketRules): unknown[] {
  const byside = m.percentPriceBySide;
  return [
    {
      filterType: 'PRICE_FILTER',
      minPrice: f8(m.tickSize),
      maxPrice: f8(MAX_PRICE),
      tickSize: f8(m.tickSize),
    },
    {
      filterType: 'LOT_SIZE',
      minQty: f8(m.minQty),
      maxQty: f8(m.maxQty),
      stepSize: f8(m.stepSize),
    },
    { filterType: 'ICEBERG_PARTS', limit: 10 },
    {
      filterType: 'MARKET_LOT_SIZE',
      minQty: '0.00000000',
      maxQty: f8(m.maxQty),
      stepSize: '0.00000000',
    },
    ...(byside ? [{ filterType: 'PERCENT_PRICE_BY_SIDE', ...byside }] : []),
    {
      filterType: 'NOTIONAL',
      minNotional: f8(m.minNotional ?? 0n),
      applyMinToMarket: true,
      maxNotional: f8(m.maxNotional ?? 0n),
      applyMaxToMarket: false,
      avgPriceMins: 5,
    },
    { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
    { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
  ];
}

/** The average price over the filter's window: here the last price (see the module comment). */
export function binanceAveragePrice(last: Dec): Dec {
  return last;
}

/** What an order asks for, once its parameters are parsed. */
export interface FilteredOrder {
  side: 'BUY' | 'SELL';
  /** undefined for MARKET orders. */
  price?: Dec;
  qty: Dec;
  /** A market order sized in quote currency (quoteOrderQty). */
  quoteQty?: Dec;
  /** The simulator's last price of the market. */
  last: Dec;
}

function multiplier(text: string): Dec {
  const v = parseDec(text);
  if (v === undefined) throw new Error(`bad PERCENT_PRICE_BY_SIDE multiplier ${text}`);
  return v;
}

/**
 * PERCENT_PRICE_BY_SIDE. Docs: "Buy orders will succeed on this filter if: Order price <=
 * weightedAveragePrice * bidMultiplierUp; Order price >= weightedAveragePrice * bidMultiplierDown.
 * Sell orders will succeed on this filter if: Order Price <= weightedAveragePrice *
 * askMultiplierUp; Order Price >= weightedAveragePrice * askMultiplierDown."
 * It bounds an order's price, so MARKET orders (no price) are not subject to it.
 */
function percentPriceBySideHolds(
  f: PercentPriceBySide,
  side: 'BUY' | 'SELL',
  price: Dec,
  avg: Dec,
) {
  const [up, down] =
    side === 'BUY'
      ? [f.bidMultiplierUp, f.bidMultiplierDown]
      : [f.askMultiplierUp, f.askMultiplierDown];
  return price <= mul(avg, multiplier(up)) && price >= mul(avg, multiplier(down));
}

/**
 * The first filter the order fails, by its filterType, or undefined when it passes every one.
 * Binance checks the key's trading permission before any filter (FACTS.md: -2015 comes first);
 * the caller does that before calling this.
 */
export function failedBinanceFilter(m: MarketRules, o: FilteredOrder): string | undefined {
  // PRICE_FILTER: "price >= minPrice; price <= maxPrice; price % tickSize == 0".
  if (
    o.price !== undefined &&
    (o.price < m.tickSize || o.price > MAX_PRICE || !isMultiple(o.price, m.tickSize))
  )
    return 'PRICE_FILTER';
  const avg = binanceAveragePrice(o.last);
  if (
    o.price !== undefined &&
    m.percentPriceBySide &&
    !percentPriceBySideHolds(m.percentPriceBySide, o.side, o.price, avg)
  )
    return 'PERCENT_PRICE_BY_SIDE';
  // LOT_SIZE: "quantity >= minQty; quantity <= maxQty; quantity % stepSize == 0".
  if (o.qty < m.minQty || o.qty > m.maxQty || !isMultiple(o.qty, m.stepSize)) return 'LOT_SIZE';
  // NOTIONAL: "price * quantity" of a limit order; a market order is valued at the average price
  // (applyMinToMarket true, applyMaxToMarket false, as listed).
  const notional = o.price !== undefined ? mul(o.price, o.qty) : (o.quoteQty ?? mul(avg, o.qty));
  if (
    notional < (m.minNotional ?? 0n) ||
    (o.price !== undefined && notional > (m.maxNotional ?? notional))
  )
    return 'NOTIONAL';
  return undefined;
}
