/** Bybit v5 order endpoints (spot, UTA): create, cancel, realtime (open + recent), history. */
import { placeOrder, rejectOrder, type OrderDraft } from './context.js';
import { divToStep, fmt, isMultiple, mul, parseDec, type Dec } from '../../src/lib/decimal.js';
import { gateway502, jsonBody, str, unanswered } from './dialect.js';
import { accountOf } from './keys.js';
import { findMarket, type MarketRules } from './markets.js';
import {
  bybitReply,
  canTrade,
  ok,
  PERMISSION_DENIED,
  type BybitCall,
  type BybitHandler,
} from './bybit-common.js';
import { linearCancel, linearCreate, linearListing } from './bybit-linear-orders.js';
import type { SimOrder, SimRequest, SimResponse, TimeInForce } from './types.js';

const LINK_ID = /^[A-Za-z0-9_-]{1,36}$/;
/** Bybit keeps only this many closed orders reachable through /v5/order/realtime. */
export const REALTIME_CLOSED_LIMIT = 500;
const UNKNOWN_MESSAGES: Record<string, string> = {
  '10000': 'Server Timeout',
  '10016': 'Server error.',
  '170007': 'Timeout waiting for response from backend server.',
  '170146': 'Order creation timeout',
};
const STATUS: Record<SimOrder['status'], string> = {
  new: 'New',
  filled: 'Filled',
  canceled: 'Cancelled',
  expired: 'Cancelled',
  rejected: 'Rejected',
};

export function bybitOrderDraft(req: SimRequest, now: number): OrderDraft | undefined {
  if (req.method !== 'POST' || req.path !== '/v5/order/create') return undefined;
  const b = (jsonBody(req) ?? {}) as Record<string, unknown>;
  const apiKey = req.headers['x-bapi-api-key'];
  return {
    exchange: 'bybit',
    at: now,
    path: req.path,
    apiKey: typeof apiKey === 'string' ? apiKey : undefined,
    clientOrderId: str(b['orderLinkId']),
    symbol: str(b['symbol']),
    side: str(b['side']),
    type: str(b['orderType']),
    amount: str(b['qty']),
    price: str(b['price']),
  };
}

export function bybitOrderJson(o: SimOrder, m: MarketRules): Record<string, unknown> {
  const leaves = o.status === 'new' ? o.qty - o.filledQty : 0n;
  const quoteUnit = o.type === 'market' && o.quoteQty !== undefined;
  return {
    orderId: o.id,
    orderLinkId: o.clientOrderId,
    blockTradeId: '',
    symbol: m.id,
    price: o.price === undefined ? '0' : fmt(o.price),
    qty: fmt(quoteUnit ? (o.quoteQty as Dec) : o.qty),
    side: o.side === 'buy' ? 'Buy' : 'Sell',
    isLeverage: '0',
    positionIdx: 0,
    orderStatus: STATUS[o.status],
    cancelType: o.status === 'canceled' ? 'CancelByUser' : 'UNKNOWN',
    rejectReason: 'EC_NoError',
    avgPrice: o.filledQty > 0n ? fmt(divToStep(o.filledQuote, o.filledQty, 0n)) : '',
    leavesQty: fmt(leaves),
    leavesValue: fmt(mul(leaves, o.price ?? 0n)),
    cumExecQty: fmt(o.filledQty),
    cumExecValue: fmt(o.filledQuote),
    cumExecFee: fmt(o.fee),
    timeInForce: o.timeInForce === 'POST_ONLY' ? 'PostOnly' : o.timeInForce,
    orderType: o.type === 'market' ? 'Market' : 'Limit',
    stopOrderType: '',
    orderIv: '',
    marketUnit: o.type === 'market' ? (quoteUnit ? 'quoteCoin' : 'baseCoin') : '',
    triggerPrice: '0',
    takeProfit: '0',
    stopLoss: '0',
    tpslMode: '',
    ocoTriggerBy: '',
    tpLimitPrice: '',
    slLimitPrice: '',
    tpTriggerBy: '',
    slTriggerBy: '',
    triggerDirection: 0,
    triggerBy: '',
    lastPriceOnCreated: '',
    reduceOnly: false,
    closeOnTrigger: false,
    placeType: '',
    smpType: 'None',
    smpGroup: 0,
    smpOrderId: '',
    createdTime: String(o.createdAt),
    updatedTime: String(o.updatedAt),
  };
}

function createOrder(call: BybitCall): SimResponse {
  if (call.params['category'] === 'linear') return linearCreate(call);
  const { req, ctx, key, params: b } = call;
  const draft = { ...(bybitOrderDraft(req, ctx.now()) as OrderDraft), apiKey: key.apiKey };
  const refuse = (code: number, msg: string): SimResponse => {
    rejectOrder(ctx, draft, code, msg);
    return { ...bybitReply(ctx, code, msg), orderRecorded: true };
  };
  if (b['category'] !== 'spot')
    return refuse(10001, 'params error: the simulator lists spot and linear instruments only');
  if (!canTrade(key)) return refuse(10005, PERMISSION_DENIED);
  const m = findMarket('bybit', str(b['symbol']));
  if (!m || m.id !== b['symbol']) return refuse(170121, 'Invalid symbol.');
  const side = b['side'];
  const type = b['orderType'];
  if (side !== 'Buy' && side !== 'Sell') return refuse(10001, 'params error: side invalid');
  if (type !== 'Market' && type !== 'Limit')
    return refuse(10001, 'params error: orderType invalid');
  const qty = parseDec(str(b['qty']));
  if (qty === undefined || qty <= 0n) return refuse(10001, 'params error: qty invalid');
  const linkId = str(b['orderLinkId']);
  if (linkId !== undefined && !LINK_ID.test(linkId))
    return refuse(10001, 'params error: orderLinkId invalid');
  const account = accountOf(key);
  // Bybit refuses any orderLinkId this account ever used, whatever that order's status: "Futures,
  // Perps & Spot: orderLinkId rules: optional param, always unique" (Place Order,
  // https://bybit-exchange.github.io/docs/v5/order/create-order); spot answers 170141
  // "Duplicate clientOrderId" (https://bybit-exchange.github.io/docs/v5/error, spot trade; ccxt
  // bybit maps 170141 to InvalidOrder). Orders still hidden from look-ups count too.
  if (linkId && ctx.book.byClientId('bybit', account, linkId))
    return refuse(170141, 'Duplicate clientOrderId');
  let price: Dec | undefined;
  if (type === 'Limit') {
    price = parseDec(str(b['price']));
    if (price === undefined || price <= 0n) return refuse(10001, 'params error: price invalid');
    if (!isMultiple(price, m.tickSize)) return refuse(170134, 'Order price decimal too long.');
  }
  const unit =
    str(b['marketUnit']) ?? (type === 'Market' && side === 'Buy' ? 'quoteCoin' : 'baseCoin');
  if (unit !== 'baseCoin' && unit !== 'quoteCoin')
    return refuse(10001, 'params error: marketUnit invalid');
  const byQuote = type === 'Market' && unit === 'quoteCoin';
  if (byQuote && !isMultiple(qty, m.quoteStep))
    return refuse(170148, 'Market order amount decimal too long');
  if (!byQuote && !isMultiple(qty, m.stepSize))
    return refuse(170137, 'Order volume decimal too long');
  const last = ctx.book.prices.get('bybit', m.symbol);
  const baseQty = byQuote ? ctx.book.qtyForQuote('bybit', m, qty) : qty;
  if (baseQty < m.minQty) return refuse(170136, 'Order quantity lower than the minimum.');
  if (baseQty > m.maxQty) return refuse(170135, 'Order quantity exceeded upper limit.');
  const value = byQuote ? qty : mul(baseQty, price ?? last);
  if (value < (m.minNotional ?? 0n)) return refuse(170140, 'Order value exceeded lower limit');
  const tifRaw = str(b['timeInForce']) ?? (type === 'Market' ? 'IOC' : 'GTC');
  const tif = tifRaw === 'PostOnly' ? 'POST_ONLY' : tifRaw;
  if (!['GTC', 'IOC', 'FOK', 'POST_ONLY'].includes(tif))
    return refuse(10001, 'params error: timeInForce invalid');
  const input = {
    exchange: 'bybit' as const,
    account,
    apiKey: key.apiKey,
    market: m,
    side: side === 'Buy' ? ('buy' as const) : ('sell' as const),
    type: type === 'Market' ? ('market' as const) : ('limit' as const),
    timeInForce: (type === 'Market' ? 'IOC' : tif) as TimeInForce,
    price,
    qty: byQuote ? undefined : qty,
    quoteQty: byQuote ? qty : undefined,
    clientOrderId: linkId ?? '',
    now: ctx.now(),
  };
  if (!ctx.book.affordable(input)) return refuse(170131, 'Balance insufficient');
  const placed = placeOrder(ctx, input, draft);
  if (placed.kind === 'hold' || placed.kind === 'drop') return unanswered(placed);
  // status5xxAfterPlace: Bybit answers every API error with HTTP 200 and a retCode, so a 5xx
  // comes from the gateway in front of it, as a non-JSON page; the order was placed.
  if (placed.kind === '5xx') return { ...gateway502('status5xxAfterPlace'), orderRecorded: true };
  if (placed.kind === 'unknown') {
    const code = placed.code ?? '10000';
    const msg = UNKNOWN_MESSAGES[code] ?? 'Server Timeout';
    return { ...bybitReply(ctx, Number(code), msg), orderRecorded: true, fault: 'unknownOutcome' };
  }
  return {
    ...ok(ctx, { orderId: placed.order.id, orderLinkId: placed.order.clientOrderId }),
    orderRecorded: true,
  };
}

function cancelOrder(call: BybitCall): SimResponse {
  if (call.params['category'] === 'linear') return linearCancel(call);
  const { ctx, key, params: b } = call;
  if (b['category'] !== 'spot') return bybitReply(ctx, 10001, 'params error: Illegal category');
  if (!canTrade(key)) return bybitReply(ctx, 10005, PERMISSION_DENIED);
  const m = findMarket('bybit', str(b['symbol']));
  if (!m || m.id !== b['symbol']) return bybitReply(ctx, 170121, 'Invalid symbol.');
  const orderId = str(b['orderId']);
  const linkId = str(b['orderLinkId']);
  if (!orderId && !linkId)
    return bybitReply(ctx, 10001, 'params error: orderId or orderLinkId is required');
  const account = accountOf(key);
  const o = orderId
    ? ctx.book.get('bybit', orderId)
    : ctx.book.byClientId('bybit', account, linkId ?? '', true);
  if (!o || o.account !== account || o.symbol !== m.symbol || !ctx.book.cancel(o, ctx.now()))
    return bybitReply(ctx, 170213, 'Order does not exist.');
  return ok(ctx, { orderId: o.id, orderLinkId: o.clientOrderId });
}

function listing(source: 'realtime' | 'history'): BybitHandler {
  const linear = linearListing(source);
  return (call) => {
    const { ctx, key, params: q } = call;
    const category = q['category'];
    if (category === 'linear') return linear(call);
    if (!category || !['spot', 'linear', 'inverse', 'option'].includes(String(category)))
      return bybitReply(ctx, 10001, 'params error: Illegal category');
    // Look-ups: orders still hidden by visibilityDelayMs are not listed yet.
    const all =
      category === 'spot' ? ctx.book.lookupList('bybit', accountOf(key), ctx.now()).reverse() : [];
    const open = all.filter((o) => o.status === 'new');
    const recentClosed = all.filter((o) => o.status !== 'new').slice(0, REALTIME_CLOSED_LIMIT);
    const { orderId, orderLinkId, symbol, baseCoin, openOnly, orderStatus } = q as Record<
      string,
      string | undefined
    >;
    let list: SimOrder[];
    // Priority as documented: orderId > orderLinkId > symbol > baseCoin. Unknown params are ignored.
    if (orderId)
      list = (source === 'realtime' ? [...open, ...recentClosed] : all).filter(
        (o) => o.id === orderId,
      );
    else if (orderLinkId)
      list = (source === 'realtime' ? [...open, ...recentClosed] : all).filter(
        (o) => o.clientOrderId === orderLinkId,
      );
    else {
      list = source === 'history' ? all : openOnly === '1' ? recentClosed : open;
      if (symbol) list = list.filter((o) => findMarket('bybit', o.symbol)?.id === symbol);
      else if (baseCoin)
        list = list.filter((o) => findMarket('bybit', o.symbol)?.base === baseCoin);
    }
    if (orderStatus) list = list.filter((o) => STATUS[o.status] === orderStatus);
    list.sort((a, b) => b.createdAt - a.createdAt);
    const limit = Math.min(Math.max(Number(q['limit'] ?? 20) || 20, 1), 50);
    const rendered = list
      .slice(0, limit)
      .map((o) => bybitOrderJson(o, findMarket('bybit', o.symbol) as MarketRules));
    return ok(ctx, { category, list: rendered, nextPageCursor: '' });
  };
}

/** [needs read permission, handler] */
export const BYBIT_ORDER_ROUTES: Record<string, [boolean, BybitHandler]> = {
  'POST /v5/order/create': [false, createOrder],
  'POST /v5/order/cancel': [false, cancelOrder],
  'GET /v5/order/realtime': [true, listing('realtime')],
  'GET /v5/order/history': [true, listing('history')],
};
