/**
 * How Binance USDⓈ-M futures show orders: plain orders as "Query Order"
 * (https://developers.binance.com/docs/derivatives/usds-margined-futures/trade/rest-api/Query-Order)
 * and the RESULT answer of "New Order"; conditional orders as "Query Algo Order"
 * (https://developers.binance.com/docs/derivatives/usds-margined-futures/trade/rest-api/Query-Algo-Order;
 * the field set of ccxt binance.js parseOrder's "linear swap conditional order" sample).
 */
import { fmt, mul } from '../../src/lib/decimal.js';
import type { PerpRules } from './perp-markets.js';
import type { PerpOrder } from './perp-types.js';

const STATUS: Record<PerpOrder['status'], string> = {
  new: 'NEW',
  filled: 'FILLED',
  canceled: 'CANCELED',
  expired: 'EXPIRED',
  rejected: 'REJECTED',
};

function orderType(o: PerpOrder): string {
  return o.tag ?? (o.type === 'market' ? 'MARKET' : 'LIMIT');
}

/** A plain order as GET /fapi/v1/order, openOrders, allOrders and the RESULT answer show it. */
export function orderJson(o: PerpOrder, m: PerpRules): Record<string, unknown> {
  const type = o.type === 'market' ? 'MARKET' : 'LIMIT';
  return {
    orderId: Number(o.id),
    symbol: m.id,
    status: STATUS[o.status],
    clientOrderId: o.clientOrderId,
    price: fmt(o.price ?? 0n),
    avgPrice: fmt(o.avgPrice),
    origQty: fmt(o.qty ?? o.filledQty),
    executedQty: fmt(o.filledQty),
    cumQty: fmt(o.filledQty),
    cumQuote: fmt(mul(o.filledQty, o.avgPrice)),
    timeInForce: o.timeInForce === 'POST_ONLY' ? 'GTX' : o.timeInForce,
    type,
    reduceOnly: o.reduceOnly,
    closePosition: false,
    side: o.side.toUpperCase(),
    positionSide: 'BOTH',
    stopPrice: '0',
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: type,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'EXPIRE_MAKER',
    goodTillDate: 0,
    time: o.createdAt,
    updateTime: o.updatedAt,
  };
}

/**
 * An algo order as "Query Algo Order" shows it. algoStatus: NEW until the trigger, then
 * FINISHED with `actualOrderId` (the market order it became) once that order is done.
 */
export function algoJson(o: PerpOrder, m: PerpRules): Record<string, unknown> {
  const status =
    o.status === 'new'
      ? 'NEW'
      : o.status === 'canceled'
        ? 'CANCELED'
        : o.fired
          ? 'FINISHED'
          : 'EXPIRED';
  return {
    algoId: Number(o.id),
    clientAlgoId: o.clientOrderId,
    algoType: 'CONDITIONAL',
    orderType: orderType(o),
    symbol: m.id,
    side: o.side.toUpperCase(),
    positionSide: 'BOTH',
    timeInForce: 'GTC',
    quantity: fmt(o.qty ?? 0n),
    algoStatus: status,
    actualOrderId: o.fired?.orderId ?? '',
    actualPrice: fmt(o.avgPrice),
    triggerPrice: fmt(o.legs?.[0]?.price ?? 0n),
    price: '0',
    icebergQuantity: null,
    selfTradePreventionMode: 'EXPIRE_MAKER',
    workingType: 'CONTRACT_PRICE',
    priceMatch: 'NONE',
    closePosition: o.qty === undefined,
    priceProtect: false,
    reduceOnly: o.reduceOnly,
    createTime: o.createdAt,
    updateTime: o.updatedAt,
    triggerTime: o.fired?.at ?? 0,
    goodTillDate: 0,
  };
}
