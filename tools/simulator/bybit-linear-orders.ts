/**
 * Bybit v5 linear perpetual orders (category=linear): /v5/order/create with attached TP/SL
 * (`takeProfit` / `stopLoss`) or as a conditional order (`triggerPrice`, `triggerDirection`),
 * cancel, and the realtime / history look-ups, as ccxt 4.5.84 sends them (bybit.js
 * createOrderRequest: stopLossPrice / takeProfitPrice become triggerPrice with triggerDirection
 * 1 rising / 2 falling; stopLoss / takeProfit params become the attached TP/SL; fetchOrder and
 * fetchOpenOrders with `{trigger: true}` add orderFilter=StopOrder).
 *
 * Docs: "Place Order" https://bybit-exchange.github.io/docs/v5/order/create-order, "Get Open &
 * Closed Orders" https://bybit-exchange.github.io/docs/v5/order/open-order, error codes
 * https://bybit-exchange.github.io/docs/v5/error (110017 reduce-only, 110072 duplicate
 * orderLinkId, 110092 / 110093 trigger direction, 110094 minimum order value, 110007 balance).
 * ccxt bybit.js parseOrderStatus: Untriggered / Triggered → open, Deactivated → canceled.
 */
import { fmt, isMultiple, mul, parseDec, type Dec } from '../../src/lib/decimal.js';
import { placeWithFaults, rejectOrder, type OrderDraft } from './context.js';
import { gateway502, str, unanswered } from './dialect.js';
import { accountOf } from './keys.js';
import { findPerp, type PerpRules } from './perp-markets.js';
import { protectiveLeg } from './perp-triggers.js';
import type { PerpOrder, PerpPlaceInput, TriggerLeg } from './perp-types.js';
import { bybitReply, ok, PERMISSION_DENIED, type BybitHandler } from './bybit-common.js';
import { canTradeLinear } from './bybit-linear.js';
import type { SimResponse, TimeInForce } from './types.js';

const LINK_ID = /^[A-Za-z0-9_-]{1,36}$/;
const UNKNOWN_MESSAGES: Record<string, string> = {
  '10000': 'Server Timeout',
  '10016': 'Server error.',
};

function status(o: PerpOrder): string {
  if (o.status === 'new') return o.legs ? 'Untriggered' : 'New';
  if (o.status === 'filled') return 'Filled';
  if (o.status === 'canceled') return o.cancelReason ? 'Deactivated' : 'Cancelled';
  return o.status === 'rejected' ? 'Rejected' : 'Cancelled';
}

export function linearOrderJson(o: PerpOrder, m: PerpRules): Record<string, unknown> {
  const leaves = o.status === 'new' && o.qty !== undefined ? o.qty - o.filledQty : 0n;
  const leg = o.legs?.[0];
  const cancelType =
    o.status !== 'canceled' ? 'UNKNOWN' : o.cancelReason ? 'CancelByTpSlTsClear' : 'CancelByUser';
  return {
    orderId: o.id,
    orderLinkId: o.clientOrderId,
    blockTradeId: '',
    symbol: m.id,
    price: o.price === undefined ? '0' : fmt(o.price),
    qty: fmt(o.qty ?? 0n),
    side: o.side === 'buy' ? 'Buy' : 'Sell',
    isLeverage: '',
    positionIdx: 0,
    orderStatus: status(o),
    cancelType,
    rejectReason: 'EC_NoError',
    avgPrice: o.filledQty > 0n ? fmt(o.avgPrice) : '',
    leavesQty: fmt(leaves),
    leavesValue: fmt(mul(leaves, o.price ?? 0n)),
    cumExecQty: fmt(o.filledQty),
    cumExecValue: fmt(mul(o.filledQty, o.avgPrice)),
    cumExecFee: fmt(o.fee),
    timeInForce: o.timeInForce === 'POST_ONLY' ? 'PostOnly' : o.timeInForce,
    orderType: o.type === 'market' ? 'Market' : 'Limit',
    stopOrderType: o.legs ? (o.tag ?? 'Stop') : '',
    orderIv: '',
    triggerPrice: leg ? fmt(leg.price) : '0',
    takeProfit: o.attach?.tp !== undefined ? fmt(o.attach.tp) : '0',
    stopLoss: o.attach?.sl !== undefined ? fmt(o.attach.sl) : '0',
    tpTriggerBy: o.attach?.tp !== undefined ? 'LastPrice' : '',
    slTriggerBy: o.attach?.sl !== undefined ? 'LastPrice' : '',
    triggerDirection: leg ? (leg.when === 'above' ? 1 : 2) : 0,
    triggerBy: leg ? 'LastPrice' : '',
    lastPriceOnCreated: '',
    reduceOnly: o.reduceOnly,
    closeOnTrigger: o.cancelOnFlat === true,
    placeType: '',
    smpType: 'None',
    smpGroup: 0,
    smpOrderId: '',
    tpslMode: o.attach || o.cancelOnFlat ? 'Full' : '',
    tpLimitPrice: '',
    slLimitPrice: '',
    createdTime: String(o.createdAt),
    updatedTime: String(o.updatedAt),
  };
}

const decOf = (v: unknown): Dec | undefined => {
  const d = parseDec(str(v));
  return d !== undefined && d > 0n ? d : undefined;
};

export const linearCreate: BybitHandler = ({ req, ctx, key, params: b }) => {
  const draft: OrderDraft = {
    exchange: 'bybit',
    at: ctx.now(),
    path: req.path,
    apiKey: key.apiKey,
    clientOrderId: str(b['orderLinkId']),
    symbol: str(b['symbol']),
    side: str(b['side']),
    type: str(b['orderType']),
    amount: str(b['qty']),
    price: str(b['price']),
  };
  const refuse = (code: number, msg: string): SimResponse => {
    rejectOrder(ctx, draft, code, msg);
    return { ...bybitReply(ctx, code, msg), orderRecorded: true };
  };
  if (!canTradeLinear(key)) return refuse(10005, PERMISSION_DENIED);
  const m = findPerp('bybit', str(b['symbol']));
  if (!m || m.id !== b['symbol']) return refuse(10001, 'params error: Symbol Is Invalid');
  const side = b['side'];
  const type = b['orderType'];
  if (side !== 'Buy' && side !== 'Sell') return refuse(10001, 'params error: side invalid');
  if (type !== 'Market' && type !== 'Limit')
    return refuse(10001, 'params error: orderType invalid');
  const qty = decOf(b['qty']);
  if (qty === undefined || !isMultiple(qty, m.stepSize))
    return refuse(10001, 'params error: qty invalid');
  if (qty < m.minQty) return refuse(10001, 'The number of contracts exceeds minimum limit allowed');
  if (qty > m.maxQty) return refuse(10001, 'The number of contracts exceeds maximum limit allowed');
  let price: Dec | undefined;
  if (type === 'Limit') {
    price = decOf(b['price']);
    if (price === undefined || !isMultiple(price, m.tickSize))
      return refuse(10001, 'params error: price invalid');
  }
  const linkId = str(b['orderLinkId']);
  if (linkId !== undefined && !LINK_ID.test(linkId))
    return refuse(10001, 'params error: orderLinkId invalid');
  const account = accountOf(key);
  // orderLinkId is "always unique" (Place Order): any earlier order of the account blocks it.
  if (linkId && ctx.perp.byClientId('bybit', account, linkId))
    return refuse(110072, 'OrderLinkedID is duplicate');
  const sideLower = side === 'Buy' ? ('buy' as const) : ('sell' as const);
  const reduceOnly = b['reduceOnly'] === true || b['reduceOnly'] === 'true';
  const last = ctx.perp.price('bybit', m);
  const trigger = decOf(b['triggerPrice']);
  let legs: TriggerLeg[] | undefined;
  if (trigger !== undefined) {
    const dir = Number(b['triggerDirection']);
    if (dir !== 1 && dir !== 2) return refuse(10001, 'params error: triggerDirection invalid');
    if (type !== 'Market')
      return refuse(10001, 'params error: the simulator models Market conditional orders only');
    if (dir === 1 && trigger <= last)
      return refuse(
        110092,
        `expect Rising, but trigger_price[${fmt(trigger)}] <= current[${fmt(last)}]`,
      );
    if (dir === 2 && trigger >= last)
      return refuse(
        110093,
        `expect Falling, but trigger_price[${fmt(trigger)}] >= current[${fmt(last)}]`,
      );
    legs = [{ label: 'trigger', price: trigger, when: dir === 1 ? 'above' : 'below' }];
  } else if (reduceOnly && !ctx.perp.canReduce('bybit', account, m.symbol, sideLower))
    return refuse(110017, 'Reduce-only rule not satisfied');
  const tp = decOf(b['takeProfit']);
  const sl = decOf(b['stopLoss']);
  const base = price ?? last;
  const posSide = side === 'Buy' ? 'Buy' : 'Sell';
  // Attached TP/SL are checked against the entry: a long's take-profit above it, its stop below.
  for (const [label, value] of [
    ['tp', tp],
    ['sl', sl],
  ] as const) {
    if (value === undefined) continue;
    const leg = protectiveLeg(label, sideLower === 'buy' ? 'sell' : 'buy', value);
    const wrong = leg.when === 'above' ? value <= base : value >= base;
    const name = label === 'tp' ? 'TakeProfit' : 'StopLoss';
    if (wrong)
      return refuse(
        10001,
        `params error: ${name}:${fmt(value)} set for ${posSide} position should be ${leg.when === 'above' ? 'higher' : 'lower'} than base_price:${fmt(base)}??LastPrice`,
      );
  }
  if (!reduceOnly && m.minNotional !== undefined && mul(qty, base) < m.minNotional)
    return refuse(110094, `Order does not meet minimum order value ${fmt(m.minNotional)}USDT`);
  const tifRaw = str(b['timeInForce']) ?? (type === 'Market' ? 'IOC' : 'GTC');
  const tif = tifRaw === 'PostOnly' ? 'POST_ONLY' : tifRaw;
  if (!['GTC', 'IOC', 'FOK', 'POST_ONLY'].includes(tif))
    return refuse(10001, 'params error: timeInForce invalid');
  const input: PerpPlaceInput = {
    exchange: 'bybit',
    account,
    apiKey: key.apiKey,
    market: m,
    side: sideLower,
    type: type === 'Market' ? 'market' : 'limit',
    timeInForce: (type === 'Market' ? 'IOC' : tif) as TimeInForce,
    price,
    qty,
    reduceOnly,
    clientOrderId: linkId ?? '',
    now: ctx.now(),
    ...(legs ? { legs, tag: 'Stop' } : {}),
    ...(tp !== undefined || sl !== undefined
      ? { attach: { tp, sl, scope: 'position' as const } }
      : {}),
  };
  if (!ctx.perp.affordable(input)) return refuse(110007, 'ab not enough for new order');
  const placed = placeWithFaults(ctx, 'bybit', draft, (hiddenMs) =>
    ctx.perp.place(hiddenMs !== undefined ? { ...input, visibleAt: input.now + hiddenMs } : input),
  );
  if (placed.kind === 'hold' || placed.kind === 'drop') return unanswered(placed);
  if (placed.kind === '5xx') return { ...gateway502('status5xxAfterPlace'), orderRecorded: true };
  if (placed.kind === 'unknown') {
    const code = placed.code ?? '10000';
    return {
      ...bybitReply(ctx, Number(code), UNKNOWN_MESSAGES[code] ?? 'Server Timeout'),
      orderRecorded: true,
      fault: 'unknownOutcome',
    };
  }
  return {
    ...ok(ctx, { orderId: placed.order.id, orderLinkId: placed.order.clientOrderId }),
    orderRecorded: true,
  };
};

export const linearCancel: BybitHandler = ({ ctx, key, params: b }) => {
  if (!canTradeLinear(key)) return bybitReply(ctx, 10005, PERMISSION_DENIED);
  const m = findPerp('bybit', str(b['symbol']));
  if (!m || m.id !== b['symbol']) return bybitReply(ctx, 10001, 'params error: Symbol Is Invalid');
  const orderId = str(b['orderId']);
  const linkId = str(b['orderLinkId']);
  if (!orderId && !linkId)
    return bybitReply(ctx, 10001, 'params error: orderId or orderLinkId is required');
  const account = accountOf(key);
  const o = orderId
    ? ctx.perp.get('bybit', orderId)
    : ctx.perp.byClientId('bybit', account, linkId ?? '', true);
  if (!o || o.account !== account || o.symbol !== m.symbol || !ctx.perp.cancel(o, ctx.now()))
    return bybitReply(ctx, 110001, 'Order does not exist');
  return ok(ctx, { orderId: o.id, orderLinkId: o.clientOrderId });
};

/**
 * /v5/order/realtime (open orders plus recent closed ones) and /v5/order/history for linear.
 * orderFilter StopOrder: conditional and TP/SL orders; Order: plain ones; none: both. A fired
 * conditional order keeps its id and shows the fill itself (the market order it became is not
 * listed separately).
 */
export function linearListing(source: 'realtime' | 'history'): BybitHandler {
  return ({ ctx, key, params: q }) => {
    const all = ctx.perp
      .lookupList('bybit', accountOf(key), ctx.now())
      .filter((o) => o.tag !== 'fired')
      .reverse();
    const { orderId, orderLinkId, symbol, openOnly, orderFilter } = q as Record<
      string,
      string | undefined
    >;
    let list = all;
    if (orderFilter === 'StopOrder') list = list.filter((o) => o.legs);
    else if (orderFilter === 'Order') list = list.filter((o) => !o.legs);
    if (orderId) list = list.filter((o) => o.id === orderId);
    else if (orderLinkId) list = list.filter((o) => o.clientOrderId === orderLinkId);
    else {
      if (source === 'realtime')
        list = list.filter((o) => (openOnly === '1' ? o.status !== 'new' : o.status === 'new'));
      if (symbol) list = list.filter((o) => findPerp('bybit', o.symbol)?.id === symbol);
    }
    const limit = Math.min(Math.max(Number(q['limit'] ?? 20) || 20, 1), 50);
    const rendered = list
      .slice(0, limit)
      .map((o) => linearOrderJson(o, findPerp('bybit', o.symbol) as PerpRules));
    return ok(ctx, { category: 'linear', list: rendered, nextPageCursor: '' });
  };
}
