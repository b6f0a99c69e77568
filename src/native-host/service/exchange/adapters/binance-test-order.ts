/**
 * The order the key audit sends to Binance's POST /api/v3/order/test (validated, never placed),
 * priced from the market so that it passes every symbol filter: a test order that fails a filter
 * for reasons of its own (a fixed price of 10,000 at BTC 97,000 fails PERCENT_PRICE_BY_SIDE: FACTS.md)
 * must not be mistaken for a refusal of the key. Pure.
 *
 * Filters as Binance documents them (https://developers.binance.com/docs/binance-spot-api-docs/filters):
 * PRICE_FILTER "price >= minPrice, price <= maxPrice, price % tickSize == 0" (0 disables a rule);
 * PERCENT_PRICE_BY_SIDE a buy within [avg × bidMultiplierDown, avg × bidMultiplierUp] (older
 * symbols: PERCENT_PRICE with multiplierDown / multiplierUp); LOT_SIZE "quantity >= minQty,
 * quantity <= maxQty, quantity % stepSize == 0"; NOTIONAL (older: MIN_NOTIONAL) price × quantity
 * >= minNotional, and <= maxNotional when that is set.
 */
import { fmt, mul, parseDec, type Dec } from '../../../../lib/decimal.js';

/** BTCUSDT: the market every Binance spot account can trade. */
export const TEST_ORDER_SYMBOL = { id: 'BTCUSDT', unified: 'BTC/USDT' } as const;

/** Where the buy is priced, as a share of the average price: below the market, inside the band. */
const PRICE_SHARE = parseDec('0.8') as Dec;
/** Binance prints 8 decimals: a rule set to 0 ("disabled") still needs some unit to round to. */
const FINEST = parseDec('0.00000001') as Dec;
/** 1 in Dec units (10^12): what mul divides by. */
const UNIT = parseDec('1') as Dec;

export interface TestOrderParams {
  symbol: string;
  side: 'BUY';
  type: 'LIMIT';
  timeInForce: 'GTC';
  price: string;
  quantity: string;
}

export type TestOrderPlan = { ok: true; params: TestOrderParams } | { ok: false; problem: string };

type Filter = Record<string, unknown>;

function filterOf(filters: unknown, type: string): Filter | undefined {
  if (!Array.isArray(filters)) return undefined;
  return filters.find(
    (f): f is Filter => typeof f === 'object' && f !== null && (f as Filter).filterType === type,
  );
}

/** A filter's decimal field; 0 when absent or unreadable (Binance's "disabled"). */
function field(f: Filter | undefined, name: string): Dec {
  const raw = f?.[name];
  const v = typeof raw === 'string' || typeof raw === 'number' ? parseDec(raw) : undefined;
  return v !== undefined && v > 0n ? v : 0n;
}

const floorTo = (v: Dec, step: Dec): Dec => (v / step) * step;
const ceilTo = (v: Dec, step: Dec): Dec => {
  const down = floorTo(v, step);
  return down === v ? v : down + step;
};
/** a × b rounded up to the last unit (a lower bound is never understated); a, b ≥ 0. */
const mulUp = (a: Dec, b: Dec): Dec => (a * b + UNIT - 1n) / UNIT;
/** a / b rounded up to the last unit; a ≥ 0, b > 0. */
const divUp = (a: Dec, b: Dec): Dec => (a * UNIT + b - 1n) / b;

/** The buy price band the filters allow around the average price, if they set one. */
function buyBand(filters: unknown, avg: Dec): { low: Dec; high: Dec } {
  const byside = filterOf(filters, 'PERCENT_PRICE_BY_SIDE');
  const plain = filterOf(filters, 'PERCENT_PRICE');
  const down = byside ? field(byside, 'bidMultiplierDown') : field(plain, 'multiplierDown');
  const up = byside ? field(byside, 'bidMultiplierUp') : field(plain, 'multiplierUp');
  return { low: mulUp(avg, down), high: up > 0n ? mul(avg, up) : 0n };
}

/**
 * A limit buy of `symbol` at about 0.8 × the average price (rounded down to the tick, kept inside
 * the percent-price band and PRICE_FILTER), for the smallest quantity (rounded up to the step) that
 * meets LOT_SIZE's minQty and NOTIONAL's minNotional. `filters` is the symbol's exchangeInfo
 * filter list (ccxt: market.info.filters); `averagePrice` GET /api/v3/avgPrice's price.
 */
export function planBinanceTestOrder(
  symbol: string,
  filters: unknown,
  averagePrice: unknown,
): TestOrderPlan {
  const avg =
    typeof averagePrice === 'string' || typeof averagePrice === 'number'
      ? parseDec(averagePrice)
      : undefined;
  if (avg === undefined || avg <= 0n)
    return { ok: false, problem: `Binance gave no usable average price for ${symbol}` };
  const priceFilter = filterOf(filters, 'PRICE_FILTER');
  const tick = field(priceFilter, 'tickSize') || FINEST;
  const minPrice = field(priceFilter, 'minPrice');
  const maxPrice = field(priceFilter, 'maxPrice');
  const band = buyBand(filters, avg);
  let price = floorTo(mul(avg, PRICE_SHARE), tick);
  if (price < band.low) price = ceilTo(band.low, tick);
  if (band.high > 0n && price > band.high) price = floorTo(band.high, tick);
  if (price < minPrice) price = ceilTo(minPrice, tick);
  const outside =
    price <= 0n ||
    price < band.low ||
    (band.high > 0n && price > band.high) ||
    (maxPrice > 0n && price > maxPrice);
  if (outside)
    return {
      ok: false,
      problem: `no ${symbol} price fits Binance's price filters around the average price ${fmt(avg)}`,
    };

  const lot = filterOf(filters, 'LOT_SIZE');
  const step = field(lot, 'stepSize') || FINEST;
  const notional = filterOf(filters, 'NOTIONAL') ?? filterOf(filters, 'MIN_NOTIONAL');
  const minNotional = field(notional, 'minNotional');
  const maxNotional = field(notional, 'maxNotional');
  let quantity = ceilTo(divUp(minNotional, price), step);
  const minQty = ceilTo(field(lot, 'minQty'), step);
  if (quantity < minQty) quantity = minQty;
  if (quantity <= 0n) quantity = step;
  const maxQty = field(lot, 'maxQty');
  if (
    (maxQty > 0n && quantity > maxQty) ||
    (maxNotional > 0n && mul(price, quantity) > maxNotional)
  )
    return { ok: false, problem: `no ${symbol} quantity fits Binance's size filters` };
  return {
    ok: true,
    params: {
      symbol,
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: fmt(price),
      quantity: fmt(quantity),
    },
  };
}

/**
 * The filter named in a Binance "Filter failure: NAME" answer (code -1013). ccxt words these
 * errors differently per filter — for PERCENT_PRICE_BY_SIDE only "binance Filter failure: …",
 * without the body — so the text is searched as well as the code. Only the filter's name is
 * taken from ccxt's text (which can hold a signed URL).
 */
export function binanceFilterFailure(
  err: unknown,
  exchangeCode: string | undefined,
): string | null {
  const text = err instanceof Error ? err.message : '';
  const named = /Filter failure: ([A-Z_]{1,40})/.exec(text)?.[1];
  if (named) return named;
  return exchangeCode === '-1013' ? 'an order filter' : null;
}
