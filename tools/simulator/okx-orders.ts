/** OKX v5 trading endpoints (spot, cash; SWAP requests go to okx-swap*.ts): order, batch-orders, order details, cancel, lists. */
import {
  AFTER_PLACE_5XX_CODE,
  placeOrder,
  rejectOrder,
  type OrderDraft,
  type Placement,
} from './context.js';
import { isMultiple, parseDec, type Dec } from '../../src/lib/decimal.js';
import { jsonBody, str, unanswered } from './dialect.js';
import { accountOf } from './keys.js';
import { findMarket, type MarketRules } from './markets.js';
import {
  canTrade,
  NO_PERMISSION,
  OKX_UNKNOWN as UNKNOWN,
  okxOk,
  okxReply,
  type OkxCall,
  type OkxHandler,
} from './okx-common.js';
import { okxOrderJson } from './okx-order-json.js';
import { isSwapInst } from './okx-swap.js';
import { swapPlaceOne } from './okx-swap-orders.js';
import { swapCancelOrder, swapGetOrder, swapListing } from './okx-swap-algo.js';
import type { SimKeyConfig, SimOrder, SimRequest, SimResponse, TimeInForce } from './types.js';

const CL_ORD_ID = /^[A-Za-z0-9]{1,32}$/;
const TIF: Record<string, TimeInForce> = {
  limit: 'GTC',
  post_only: 'POST_ONLY',
  fok: 'FOK',
  ioc: 'IOC',
  market: 'IOC',
};

/**
 * The optional request header expTime (ms since epoch) of place order and batch orders: "the
 * request will not be processed if the current system time of the server is after the
 * expTime" (OKX docs-v5, "Transaction timeouts",
 * https://www.okx.com/docs-v5/en/#overview-transaction-timeouts). Error table
 * (https://www.okx.com/docs-v5/en/#error-code-rest-api): 50036 "The expTime can't be earlier
 * than the current system time. Please adjust the expTime and try again." and 50037 "Order
 * expired.", both HTTP 200 and per order (sCode) under code "1". The simulator answers 50036
 * when expTime had already passed when the request arrived, and 50037 when it passed while the
 * request waited to be processed (processDelay fault). Nothing is placed either way.
 */
function expired(req: SimRequest, now: number): [string, string] | 'bad' | undefined {
  const raw = req.headers['exptime'];
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text === undefined || text === '') return undefined;
  if (!/^\d{1,16}$/.test(text)) return 'bad';
  const expTime = Number(text);
  if ((req.arrivedAt ?? now) > expTime)
    return [
      '50036',
      "The expTime can't be earlier than the current system time. Please adjust the expTime and try again.",
    ];
  return now > expTime ? ['50037', 'Order expired.'] : undefined;
}

function entries(req: SimRequest): Record<string, unknown>[] {
  const body = jsonBody(req);
  const list = Array.isArray(body) ? body : [body];
  return list.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
}

export function okxOrderDraft(req: SimRequest, now: number): OrderDraft | undefined {
  if (
    req.method !== 'POST' ||
    !['/api/v5/trade/order', '/api/v5/trade/batch-orders'].includes(req.path)
  )
    return undefined;
  const b = entries(req)[0] ?? {};
  const apiKey = req.headers['ok-access-key'];
  return {
    exchange: 'okx',
    at: now,
    path: req.path,
    apiKey: typeof apiKey === 'string' ? apiKey : undefined,
    clientOrderId: str(b['clOrdId']),
    symbol: str(b['instId']),
    side: str(b['side']),
    type: str(b['ordType']),
    amount: str(b['sz']),
    price: str(b['px']),
  };
}

type Verdict =
  | { placed: Placement<{ id: string; clientOrderId: string }>; clOrdId: string }
  | { sCode: string; sMsg: string; clOrdId: string; top?: SimResponse };

/** Validates and places one order of a place/batch request. */
function placeOne(call: OkxCall, b: Record<string, unknown>, draft: OrderDraft): Verdict {
  const { ctx, key } = call;
  const clOrdId = str(b['clOrdId']) ?? '';
  const top = (code: number, msg: string): Verdict => ({
    sCode: String(code),
    sMsg: msg,
    clOrdId,
    top: okxReply(400, code, msg),
  });
  const fail = (code: string, msg: string): Verdict => ({ sCode: code, sMsg: msg, clOrdId });
  for (const name of ['instId', 'tdMode', 'side', 'ordType', 'sz'])
    if (!str(b[name])) return top(50014, `Parameter ${name} can not be empty.`);
  if (isSwapInst(b['instId'])) return swapPlaceOne(call, b, draft);
  const m = findMarket('okx', str(b['instId']));
  if (!m || m.id !== b['instId'])
    return fail('51001', "Instrument ID, Instrument ID code or Spread ID doesn't exist.");
  const side = b['side'];
  const type = str(b['ordType']) ?? '';
  if (side !== 'buy' && side !== 'sell') return top(51000, 'Parameter side error');
  if (!(type in TIF)) return top(51000, 'Parameter ordType error');
  if (clOrdId && !CL_ORD_ID.test(clOrdId)) return top(51000, 'Parameter clOrdId error');
  if (b['tdMode'] !== 'cash')
    return fail('51010', "You can't complete this request under your current account mode.");
  const sz = parseDec(str(b['sz']));
  if (sz === undefined || sz <= 0n) return top(51000, 'Parameter sz error');
  let px: Dec | undefined;
  if (type !== 'market') {
    px = parseDec(str(b['px']));
    if (px === undefined || px <= 0n || !isMultiple(px, m.tickSize))
      return top(51000, 'Parameter px error');
  }
  const tgtCcy =
    str(b['tgtCcy']) ?? (type === 'market' && side === 'buy' ? 'quote_ccy' : 'base_ccy');
  const byQuote = type === 'market' && tgtCcy === 'quote_ccy';
  if (byQuote && !isMultiple(sz, m.quoteStep)) return top(51000, 'Parameter sz error');
  const qty = byQuote ? ctx.book.qtyForQuote('okx', m, sz) : sz;
  if (!byQuote && !isMultiple(qty, m.stepSize))
    return fail('51121', 'Order quantity must be a multiple of the lot size.');
  if (qty < m.minQty)
    return fail('51020', 'Your order should meet or exceed the minimum order amount.');
  const account = accountOf(key);
  // A clOrdId is refused only while an order with it is open: OKX reuses it afterwards ("If the
  // clOrdId is associated with multiple orders, only the latest one will be returned", Get order
  // details, https://www.okx.com/docs-v5/en/#order-book-trading-trade-get-order-details).
  // 51016 "Client order ID already exists." (https://www.okx.com/docs-v5/en/#error-code-rest-api).
  // Orders still hidden from look-ups (visibilityDelayMs) count: the exchange knows them.
  if (clOrdId && ctx.book.byClientId('okx', account, clOrdId, true))
    return fail('51016', 'Client order ID already exists.');
  const input = {
    exchange: 'okx' as const,
    account,
    apiKey: key.apiKey,
    market: m,
    side: side as 'buy' | 'sell',
    type: type === 'market' ? ('market' as const) : ('limit' as const),
    timeInForce: TIF[type] as TimeInForce,
    price: px,
    qty: byQuote ? undefined : qty,
    quoteQty: byQuote ? sz : undefined,
    clientOrderId: clOrdId,
    now: ctx.now(),
  };
  if (!ctx.book.affordable(input))
    return fail(
      '51008',
      `Order failed. Insufficient ${side === 'buy' ? m.quote : m.base} balance in account`,
    );
  return { placed: placeOrder(ctx, input, { ...draft, clientOrderId: clOrdId }), clOrdId };
}

function trade(batch: boolean): OkxHandler {
  return (call) => {
    const { req, ctx, key } = call;
    const list = entries(req);
    const base = { ...(okxOrderDraft(req, ctx.now()) as OrderDraft), apiKey: key.apiKey };
    const draftOf = (b: Record<string, unknown>): OrderDraft => ({
      ...base,
      clientOrderId: str(b['clOrdId']),
      symbol: str(b['instId']),
      side: str(b['side']),
      type: str(b['ordType']),
      amount: str(b['sz']),
      price: str(b['px']),
    });
    const refuseAll = (res: SimResponse): SimResponse => {
      const msg = (res.body as { msg: string }).msg;
      for (const b of list.length ? list : [{}]) rejectOrder(ctx, draftOf(b), res.code ?? '', msg);
      return { ...res, orderRecorded: true };
    };
    if (list.length === 0 || (!batch && Array.isArray(jsonBody(req))))
      return refuseAll(okxReply(400, 50000, 'Body for POST request cannot be empty.'));
    if (list.length > 20)
      return refuseAll(okxReply(200, 51111, 'Maximum 20 orders can be placed in bulk.'));
    if (!canTrade(key)) return refuseAll(NO_PERMISSION());
    const ts = String(ctx.now());
    const late = expired(req, ctx.now());
    if (late === 'bad') return refuseAll(okxReply(400, 51000, 'Parameter expTime error'));
    if (late) {
      const [sCode, sMsg] = late;
      for (const b of list) rejectOrder(ctx, draftOf(b), sCode, sMsg);
      const data = list.map((b) => ({
        clOrdId: str(b['clOrdId']) ?? '',
        ordId: '',
        tag: str(b['tag']) ?? '',
        ts,
        sCode,
        sMsg,
      }));
      return { ...okxReply(200, '1', 'All operations failed', data), orderRecorded: true };
    }
    const data: unknown[] = [];
    let okCount = 0;
    for (const b of list) {
      const v = placeOne(call, b, draftOf(b));
      if ('sCode' in v) {
        rejectOrder(ctx, draftOf(b), v.sCode, v.sMsg);
        if (v.top && !batch) return { ...v.top, orderRecorded: true };
        data.push({
          clOrdId: v.clOrdId,
          ordId: '',
          tag: str(b['tag']) ?? '',
          ts,
          sCode: v.sCode,
          sMsg: v.sMsg,
        });
        continue;
      }
      if (v.placed.kind === 'hold' || v.placed.kind === 'drop') return unanswered(v.placed);
      if (v.placed.kind === '5xx' || v.placed.kind === 'unknown') {
        const code =
          v.placed.kind === '5xx' ? AFTER_PLACE_5XX_CODE.okx : (v.placed.code ?? '50004');
        const [status, msg] = UNKNOWN[code] ?? (UNKNOWN['50004'] as [number, string]);
        const fault = v.placed.kind === '5xx' ? 'status5xxAfterPlace' : 'unknownOutcome';
        return { ...okxReply(status, code, msg), orderRecorded: true, fault };
      }
      okCount++;
      data.push({
        clOrdId: v.clOrdId,
        ordId: v.placed.order.id,
        tag: str(b['tag']) ?? '',
        ts,
        sCode: '0',
        sMsg: 'Order placed',
      });
    }
    const code = okCount === list.length ? '0' : okCount === 0 ? '1' : '2';
    const msg =
      code === '0'
        ? ''
        : code === '1'
          ? 'All operations failed'
          : 'Bulk operation partially succeeded';
    const res = okxReply(200, code, msg, data);
    return {
      ...res,
      body: { ...(res.body as object), inTime: `${ts}000`, outTime: `${ts}000` },
      orderRecorded: true,
    };
  };
}

/**
 * The order of this account an ordId or clOrdId names: for a query any order look-ups show now
 * (visibilityDelayMs hides new ones), for a cancel the open orders the exchange knows.
 */
function find(
  key: SimKeyConfig,
  call: OkxCall,
  p: Record<string, unknown>,
  mode: 'query' | 'cancel',
): SimOrder | undefined {
  const account = accountOf(key);
  const m = findMarket('okx', str(p['instId']));
  const ordId = str(p['ordId']);
  const openOnly = mode === 'cancel';
  const book = call.ctx.book;
  const now = call.ctx.now();
  const o = ordId
    ? openOnly
      ? book.get('okx', ordId)
      : book.lookup('okx', ordId, now)
    : book.byClientId(
        'okx',
        account,
        str(p['clOrdId']) ?? '',
        openOnly,
        openOnly ? undefined : now,
      );
  if (!o || !m || o.account !== account || o.symbol !== m.symbol) return undefined;
  return openOnly && o.status !== 'new' ? undefined : o;
}

const getOrder: OkxHandler = (call) => {
  const p = Object.fromEntries(call.req.query);
  if (!p['instId']) return okxReply(400, 50014, 'Parameter instId can not be empty.');
  if (!p['ordId'] && !p['clOrdId'])
    return okxReply(200, 51003, 'Either client order ID or order ID is required.');
  if (isSwapInst(p['instId'])) return swapGetOrder(call);
  const o = find(call.key, call, p, 'query');
  return o
    ? okxOk([okxOrderJson(o, findMarket('okx', o.symbol) as MarketRules)])
    : okxReply(200, 51603, 'Order does not exist.');
};

const cancelOrder: OkxHandler = (call) => {
  const b = entries(call.req)[0] ?? {};
  if (!canTrade(call.key)) return NO_PERMISSION();
  if (!str(b['instId'])) return okxReply(400, 50014, 'Parameter instId can not be empty.');
  if (!str(b['ordId']) && !str(b['clOrdId']))
    return okxReply(200, 51003, 'Either client order ID or order ID is required.');
  if (isSwapInst(b['instId'])) return swapCancelOrder(call, b);
  const o = find(call.key, call, b, 'cancel');
  const ts = String(call.ctx.now());
  if (!o || !call.ctx.book.cancel(o, call.ctx.now()))
    return okxReply(200, '1', 'All operations failed', [
      {
        clOrdId: str(b['clOrdId']) ?? '',
        ordId: str(b['ordId']) ?? '',
        ts,
        sCode: '51400',
        sMsg: 'Order cancellation failed as the order has been filled, canceled or does not exist.',
      },
    ]);
  return okxOk([{ clOrdId: o.clientOrderId, ordId: o.id, ts, sCode: '0', sMsg: '' }]);
};

function listing(open: boolean): OkxHandler {
  const swaps = swapListing(open);
  return (call) => {
    const { req, ctx, key } = call;
    const instType = req.query.get('instType');
    if (!open && !instType) return okxReply(400, 50014, 'Parameter instType can not be empty.');
    const instId = req.query.get('instId');
    if (instType === 'SWAP' || isSwapInst(instId)) return swaps(call);
    // Look-ups: orders still hidden by visibilityDelayMs are not listed yet.
    const list = ctx.book
      .lookupList('okx', accountOf(key), ctx.now())
      .filter((o) => (open ? o.status === 'new' : o.status !== 'new'))
      .filter(
        (o) =>
          (!instType || instType === 'SPOT') &&
          (!instId || findMarket('okx', o.symbol)?.id === instId),
      )
      .reverse()
      .slice(0, Math.min(Number(req.query.get('limit') ?? 100) || 100, 100));
    return okxOk(list.map((o) => okxOrderJson(o, findMarket('okx', o.symbol) as MarketRules)));
  };
}

/** [needs read permission, handler] */
export const OKX_ORDER_ROUTES: Record<string, [boolean, OkxHandler]> = {
  'POST /api/v5/trade/order': [false, trade(false)],
  'POST /api/v5/trade/batch-orders': [false, trade(true)],
  'GET /api/v5/trade/order': [true, getOrder],
  'POST /api/v5/trade/cancel-order': [false, cancelOrder],
  'GET /api/v5/trade/orders-pending': [true, listing(true)],
  'GET /api/v5/trade/orders-history': [true, listing(false)],
};
