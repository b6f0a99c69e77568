/**
 * OKX swap look-ups and algo endpoints: swap orders as "Get order details" shows them, algo
 * orders as "GET / Algo order details" (https://www.okx.com/docs-v5/en/#order-book-trading-algo-trading-get-algo-order-details):
 * state live → effective (fired: `ordId` / `ordIdList` name the market order it became,
 * `actualSide` tp or sl) or canceled; orders-algo-pending and -history take a comma-separated
 * `ordType` ("conditional,oco"; FACTS.md: ccxt's fetchOpenOrders({trigger: true}) asks for
 * ordType=trigger only, which misses TP/SL); cancel-algos takes [{algoId, instId}].
 */
import { fmt, mul } from '../../src/lib/decimal.js';
import { AFTER_PLACE_5XX_CODE, rejectOrder, type OrderDraft } from './context.js';
import { jsonBody, str, unanswered } from './dialect.js';
import { accountOf } from './keys.js';
import { findPerp, type PerpRules } from './perp-markets.js';
import type { PerpOrder } from './perp-types.js';
import {
  canTrade,
  NO_PERMISSION,
  OKX_UNKNOWN,
  okxOk,
  okxReply,
  type OkxCall,
  type OkxHandler,
} from './okx-common.js';
import { algoPlaceOne, type SwapVerdict } from './okx-swap-orders.js';
import type { SimRequest, SimResponse } from './types.js';

const rules = (o: PerpOrder) => findPerp('okx', o.symbol) as PerpRules;
const legPx = (o: PerpOrder, label: string) => {
  const leg = o.legs?.find((l) => l.label === label);
  return leg ? fmt(leg.price) : '';
};

export function swapOrderJson(o: PerpOrder, call: OkxCall): Record<string, unknown> {
  const m = rules(o);
  const state = o.status === 'new' ? 'live' : o.status === 'filled' ? 'filled' : 'canceled';
  const avg = o.filledQty > 0n ? fmt(o.avgPrice) : '';
  const account = accountOf(call.key);
  const attached = o.attachedIds?.map((id) => call.ctx.perp.get('okx', id)).find(Boolean);
  return {
    accFillSz: fmt(o.filledQty),
    algoClOrdId: '',
    algoId: '',
    attachAlgoClOrdId: o.attach?.clientId ?? '',
    attachAlgoOrds: o.attach
      ? [
          {
            attachAlgoId: attached?.id ?? '',
            attachAlgoClOrdId: o.attach.clientId ?? '',
            tpTriggerPx: o.attach.tp === undefined ? '' : fmt(o.attach.tp),
            tpOrdPx: o.attach.tp === undefined ? '' : '-1',
            slTriggerPx: o.attach.sl === undefined ? '' : fmt(o.attach.sl),
            slOrdPx: o.attach.sl === undefined ? '' : '-1',
          },
        ]
      : [],
    avgPx: avg,
    cTime: String(o.createdAt),
    cancelSource: '',
    category: 'normal',
    clOrdId: o.clientOrderId,
    fee: o.fee > 0n ? `-${fmt(o.fee)}` : '0',
    feeCcy: 'USDT',
    fillPx: avg,
    fillSz: fmt(o.filledQty),
    fillTime: o.filledQty > 0n ? String(o.updatedAt) : '',
    instId: m.id,
    instType: 'SWAP',
    lever: String(call.ctx.perp.leverage('okx', account, o.symbol)),
    linkedAlgoOrd: { algoId: o.parentId && o.tag === 'fired' ? o.parentId : '' },
    ordId: o.id,
    ordType: o.tag === 'fired' ? 'market' : (o.tag ?? (o.type === 'market' ? 'market' : 'limit')),
    pnl: '0',
    posSide: 'net',
    px: o.price === undefined ? '' : fmt(o.price),
    reduceOnly: String(o.reduceOnly),
    side: o.side,
    source: o.tag === 'fired' ? '6' : '', // 6: the order came from a triggered algo order
    state,
    stpMode: 'cancel_maker',
    sz: fmt(o.qty ?? o.filledQty),
    tag: '',
    tdMode: call.ctx.perp.marginMode('okx', account, o.symbol),
    tgtCcy: '',
    tradeId: o.filledQty > 0n ? o.id : '',
    uTime: String(o.updatedAt),
  };
}

export function algoJson(o: PerpOrder, call: OkxCall): Record<string, unknown> {
  const m = rules(o);
  const state =
    o.status === 'new'
      ? 'live'
      : o.fired
        ? o.status === 'filled'
          ? 'effective'
          : 'order_failed'
        : 'canceled';
  return {
    instType: 'SWAP',
    instId: m.id,
    ccy: '',
    ordId: o.fired?.orderId ?? '',
    ordIdList: o.fired ? [o.fired.orderId] : [],
    algoId: o.id,
    clOrdId: '',
    algoClOrdId: o.clientOrderId,
    sz: o.qty === undefined ? '' : fmt(o.qty),
    closeFraction: o.qty === undefined && !o.fired ? '1' : '',
    ordType: o.tag ?? 'conditional',
    side: o.side,
    posSide: 'net',
    tdMode: call.ctx.perp.marginMode('okx', accountOf(call.key), o.symbol),
    tgtCcy: '',
    state,
    lever: '',
    tpTriggerPx: legPx(o, 'tp'),
    tpTriggerPxType: legPx(o, 'tp') ? 'last' : '',
    tpOrdPx: legPx(o, 'tp') ? '-1' : '',
    slTriggerPx: legPx(o, 'sl'),
    slTriggerPxType: legPx(o, 'sl') ? 'last' : '',
    slOrdPx: legPx(o, 'sl') ? '-1' : '',
    triggerPx: legPx(o, 'trigger'),
    triggerPxType: legPx(o, 'trigger') ? 'last' : '',
    ordPx: legPx(o, 'trigger') ? '-1' : '',
    actualSz: o.fired ? fmt(o.filledQty) : '',
    actualPx: o.fired ? fmt(o.avgPrice) : '',
    actualSide: o.fired?.label === 'trigger' ? '' : (o.fired?.label ?? ''),
    triggerTime: o.fired ? String(o.fired.at) : '',
    notionalUsd: fmt(mul(mul(o.qty ?? 0n, m.contractSize), call.ctx.perp.price('okx', m))),
    reduceOnly: String(o.reduceOnly),
    tag: '',
    failCode: '',
    cTime: String(o.createdAt),
    uTime: String(o.updatedAt),
    linkedOrd: { ordId: o.parentId && o.tag !== 'fired' ? o.parentId : '' },
  };
}

function orderAlgoDraft(req: SimRequest, now: number, b: Record<string, unknown>): OrderDraft {
  const apiKey = req.headers['ok-access-key'];
  return {
    exchange: 'okx',
    at: now,
    path: req.path,
    apiKey: typeof apiKey === 'string' ? apiKey : undefined,
    clientOrderId: str(b['algoClOrdId']),
    symbol: str(b['instId']),
    side: str(b['side']),
    type: str(b['ordType']),
    amount: str(b['sz']),
    price: str(b['tpTriggerPx']) ?? str(b['slTriggerPx']) ?? str(b['triggerPx']),
  };
}

/** For the server's order records of order-algo requests (processDelay, refusals). */
export function okxAlgoDraft(req: SimRequest, now: number): OrderDraft | undefined {
  if (req.method !== 'POST' || req.path !== '/api/v5/trade/order-algo') return undefined;
  const b = jsonBody(req);
  return orderAlgoDraft(req, now, (b && typeof b === 'object' ? b : {}) as Record<string, unknown>);
}

/** Renders a placement verdict the way OKX answers a single order: per-order sCode in `data`. */
export function verdictAnswer(
  call: OkxCall,
  v: SwapVerdict,
  draft: OrderDraft,
  ids: (o: PerpOrder) => Record<string, string>,
): SimResponse {
  const ts = String(call.ctx.now());
  if ('sCode' in v) {
    rejectOrder(call.ctx, draft, v.sCode, v.sMsg);
    if (v.top) return { ...v.top, orderRecorded: true };
    return {
      ...okxReply(200, '1', 'All operations failed', [
        {
          ...ids({ id: '', clientOrderId: v.clOrdId } as PerpOrder),
          tag: '',
          ts,
          sCode: v.sCode,
          sMsg: v.sMsg,
        },
      ]),
      orderRecorded: true,
    };
  }
  const placed = v.placed;
  if (placed.kind === 'hold' || placed.kind === 'drop') return unanswered(placed);
  if (placed.kind === '5xx' || placed.kind === 'unknown') {
    const code = placed.kind === '5xx' ? AFTER_PLACE_5XX_CODE.okx : (placed.code ?? '50004');
    const [status, msg] = OKX_UNKNOWN[code] ?? (OKX_UNKNOWN['50004'] as [number, string]);
    return {
      ...okxReply(status, code, msg),
      orderRecorded: true,
      fault: placed.kind === '5xx' ? 'status5xxAfterPlace' : 'unknownOutcome',
    };
  }
  return {
    ...okxOk([{ ...ids(placed.order), tag: '', ts, sCode: '0', sMsg: 'Order placed' }]),
    orderRecorded: true,
  };
}

const placeAlgo: OkxHandler = (call) => {
  const b = (jsonBody(call.req) ?? {}) as Record<string, unknown>;
  const draft = { ...orderAlgoDraft(call.req, call.ctx.now(), b), apiKey: call.key.apiKey };
  if (!canTrade(call.key)) {
    const res = NO_PERMISSION();
    rejectOrder(call.ctx, draft, res.code ?? '', (res.body as { msg: string }).msg);
    return { ...res, orderRecorded: true };
  }
  const v = algoPlaceOne(call, b, draft);
  return verdictAnswer(call, v, draft, (o) => ({
    algoId: o.id,
    clOrdId: '',
    algoClOrdId: o.clientOrderId,
  }));
};

/** The account's algo order an algoId or algoClOrdId names (any state). */
function findAlgo(call: OkxCall, p: Record<string, unknown>): PerpOrder | undefined {
  const account = accountOf(call.key);
  const now = call.ctx.now();
  const id = str(p['algoId']);
  const cl = str(p['algoClOrdId']);
  return call.ctx.perp
    .lookupList('okx', account, now)
    .filter((o) => o.legs && (id ? o.id === id : Boolean(cl) && o.clientOrderId === cl))
    .pop();
}

const getAlgo: OkxHandler = (call) => {
  const p = Object.fromEntries(call.req.query);
  if (!p['algoId'] && !p['algoClOrdId'])
    return okxReply(400, 50014, 'Parameter algoId can not be empty.');
  const o = findAlgo(call, p);
  return o ? okxOk([algoJson(o, call)]) : okxReply(200, 51603, 'Order does not exist.');
};

function algoList(pending: boolean): OkxHandler {
  return (call) => {
    const q = call.req.query;
    const types = q.get('ordType')?.split(',');
    if (!types) return okxReply(400, 50014, 'Parameter ordType can not be empty.');
    const instId = q.get('instId');
    const state = q.get('state');
    const rows = call.ctx.perp
      .lookupList('okx', accountOf(call.key), call.ctx.now())
      .filter(
        (o) =>
          o.legs &&
          types.includes(o.tag ?? '') &&
          (pending ? o.status === 'new' : o.status !== 'new'),
      )
      .filter((o) => !instId || rules(o).id === instId)
      .map((o) => algoJson(o, call))
      .filter((j) => !state || j['state'] === state)
      .reverse();
    return okxOk(rows);
  };
}

const cancelAlgos: OkxHandler = (call) => {
  if (!canTrade(call.key)) return NO_PERMISSION();
  const body = jsonBody(call.req);
  const list = (Array.isArray(body) ? body : [body]).filter(
    (x): x is Record<string, unknown> => Boolean(x) && typeof x === 'object',
  );
  if (list.length === 0) return okxReply(400, 50000, 'Body for POST request cannot be empty.');
  let failed = 0;
  const data = list.map((p) => {
    const o = findAlgo(call, p);
    const ok =
      o !== undefined && rules(o).id === p['instId'] && call.ctx.perp.cancel(o, call.ctx.now());
    if (!ok) failed++;
    return ok
      ? { algoId: o.id, algoClOrdId: o.clientOrderId, sCode: '0', sMsg: '' }
      : {
          algoId: str(p['algoId']) ?? '',
          algoClOrdId: '',
          sCode: '51000',
          sMsg: 'Parameter algoId error',
        };
  });
  return failed === 0
    ? okxOk(data)
    : okxReply(200, failed === list.length ? '1' : '2', 'Operation failed', data);
};

/** [needs read permission, handler] */
export const OKX_ALGO_ROUTES: Record<string, [boolean, OkxHandler]> = {
  'POST /api/v5/trade/order-algo': [false, placeAlgo],
  'GET /api/v5/trade/order-algo': [true, getAlgo],
  'GET /api/v5/trade/orders-algo-pending': [true, algoList(true)],
  'GET /api/v5/trade/orders-algo-history': [true, algoList(false)],
  'POST /api/v5/trade/cancel-algos': [false, cancelAlgos],
};

// ---- plain swap orders: look-ups and cancel (okx-orders.ts hands SWAP requests here) ---------

function findSwap(call: OkxCall, p: Record<string, unknown>, open: boolean): PerpOrder | undefined {
  const account = accountOf(call.key);
  const now = call.ctx.now();
  const id = str(p['ordId']);
  const o = id
    ? open
      ? call.ctx.perp.get('okx', id)
      : call.ctx.perp.lookup('okx', id, now)
    : call.ctx.perp.byClientId(
        'okx',
        account,
        str(p['clOrdId']) ?? '',
        open,
        open ? undefined : now,
      );
  if (!o || o.legs || o.account !== account || rules(o).id !== p['instId']) return undefined;
  return open && o.status !== 'new' ? undefined : o;
}

export const swapGetOrder: OkxHandler = (call) => {
  const o = findSwap(call, Object.fromEntries(call.req.query), false);
  return o ? okxOk([swapOrderJson(o, call)]) : okxReply(200, 51603, 'Order does not exist.');
};

export function swapCancelOrder(call: OkxCall, b: Record<string, unknown>): SimResponse {
  const o = findSwap(call, b, true);
  const ts = String(call.ctx.now());
  if (!o || !call.ctx.perp.cancel(o, call.ctx.now()))
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
}

export function swapListing(open: boolean): OkxHandler {
  return (call) => {
    const instId = call.req.query.get('instId');
    const rows = call.ctx.perp
      .lookupList('okx', accountOf(call.key), call.ctx.now())
      .filter((o) => !o.legs && (open ? o.status === 'new' : o.status !== 'new'))
      .filter((o) => !instId || rules(o).id === instId)
      .reverse()
      .slice(0, 100)
      .map((o) => swapOrderJson(o, call));
    return okxOk(rows);
  };
}

export type { OkxCall };
