/** Binance spot order endpoints: new order (+ test), query, cancel, open and all orders. */
import { randomBytes } from 'node:crypto';
import { AFTER_PLACE_5XX_CODE, placeOrder, rejectOrder, type OrderDraft } from './context.js';
import { divToStep, parseDec, type Dec } from '../../src/lib/decimal.js';
import { failedBinanceFilter } from './binance-filters.js';
import { reply, unanswered } from './dialect.js';
import { accountOf, granted } from './keys.js';
import { findMarket, type MarketRules } from './markets.js';
import { binanceParams } from './signing.js';
import {
  binanceError,
  f8,
  illegal,
  KEY_REJECTED,
  mandatory,
  type BinanceCall,
  type BinanceHandler,
  type Need,
} from './binance-common.js';
import type { SimOrder, SimRequest, SimResponse, TimeInForce } from './types.js';

const PLACE_PATHS = ['/api/v3/order', '/api/v3/order/test'];
const NUMBER_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';
const CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;
/**
 * "Status unknown" answers: [HTTP status, message]. Binance spot error codes
 * (https://developers.binance.com/docs/binance-spot-api-docs/errors): -1000 UNKNOWN, -1001
 * DISCONNECTED, -1006 UNEXPECTED_RESP, -1007 TIMEOUT. "HTTP 5XX return codes are used for
 * internal errors; the issue is on Binance's side. It is important to NOT treat this as a
 * failure operation; the execution status is UNKNOWN and could have been a success."
 * (https://developers.binance.com/docs/binance-spot-api-docs/rest-api/general-api-information#http-return-codes)
 */
export const UNKNOWN: Record<string, [number, string]> = {
  '-1000': [500, 'An unknown error occurred while processing the request.'],
  '-1001': [500, 'Internal error; unable to process your request. Please try again.'],
  '-1006': [
    503,
    'An unexpected response was received from the message bus. Execution status unknown.',
  ],
  '-1007': [
    503,
    'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
  ],
};
const STATUS: Record<SimOrder['status'], string> = {
  new: 'NEW',
  filled: 'FILLED',
  canceled: 'CANCELED',
  expired: 'EXPIRED',
  rejected: 'REJECTED',
};

export function randomClientId(length = 22): string {
  return randomBytes(32)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, length);
}

export function binanceOrderDraft(req: SimRequest, now: number): OrderDraft | undefined {
  if (req.method !== 'POST' || !PLACE_PATHS.includes(req.path)) return undefined;
  const p = binanceParams(req);
  const apiKey = req.headers['x-mbx-apikey'];
  return {
    exchange: 'binance',
    at: now,
    path: req.path,
    apiKey: typeof apiKey === 'string' ? apiKey : undefined,
    clientOrderId: p.get('newClientOrderId') ?? undefined,
    symbol: p.get('symbol') ?? undefined,
    side: p.get('side') ?? undefined,
    type: p.get('type') ?? undefined,
    amount: p.get('quantity') ?? p.get('quoteOrderQty') ?? undefined,
    price: p.get('price') ?? undefined,
    test: req.path.endsWith('/test'),
  };
}

function orderType(o: SimOrder): string {
  return o.timeInForce === 'POST_ONLY' ? 'LIMIT_MAKER' : o.type.toUpperCase();
}

function core(o: SimOrder, m: MarketRules): Record<string, unknown> {
  return {
    symbol: m.id,
    orderId: Number(o.id),
    orderListId: -1,
    clientOrderId: o.clientOrderId,
  };
}

function amounts(o: SimOrder): Record<string, unknown> {
  return {
    price: f8(o.price ?? 0n),
    origQty: f8(o.qty),
    executedQty: f8(o.filledQty),
    origQuoteOrderQty: f8(o.quoteQty ?? 0n),
    cummulativeQuoteQty: f8(o.filledQuote),
    status: STATUS[o.status],
    timeInForce: o.timeInForce === 'POST_ONLY' || o.type === 'market' ? 'GTC' : o.timeInForce,
    type: orderType(o),
    side: o.side.toUpperCase(),
  };
}

/** GET /api/v3/order and the order lists. */
export function orderJson(o: SimOrder, m: MarketRules): Record<string, unknown> {
  return {
    ...core(o, m),
    ...amounts(o),
    stopPrice: '0.00000000',
    icebergQty: '0.00000000',
    time: o.createdAt,
    updateTime: o.updatedAt,
    isWorking: true,
    workingTime: o.createdAt,
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

function placedJson(o: SimOrder, m: MarketRules, respType: string): Record<string, unknown> {
  const ack = { ...core(o, m), transactTime: o.createdAt };
  if (respType === 'ACK') return ack;
  const result = {
    ...ack,
    ...amounts(o),
    workingTime: o.createdAt,
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
  if (respType === 'RESULT') return result;
  const fills =
    o.filledQty > 0n
      ? [
          {
            price: f8(divToStep(o.filledQuote, o.filledQty, 0n)),
            qty: f8(o.filledQty),
            commission: f8(o.fee),
            commissionAsset: o.feeAsset,
            tradeId: Number(o.id) * 10,
          },
        ]
      : [];
  return { ...result, fills };
}

function decParam(p: URLSearchParams, name: string): Dec | SimResponse | undefined {
  const raw = p.get(name);
  if (raw === null) return undefined;
  const v = parseDec(raw);
  return v === undefined || v <= 0n ? illegal(name, NUMBER_RANGE) : v;
}

const isResponse = (v: unknown): v is SimResponse =>
  typeof v === 'object' && v !== null && 'status' in v;

function createOrder(test: boolean): BinanceHandler {
  return ({ req, ctx, params: p, key }) => {
    const draft = { ...(binanceOrderDraft(req, ctx.now()) as OrderDraft), apiKey: key.apiKey };
    const refuse = (res: SimResponse): SimResponse => {
      const body = res.body as { msg: string };
      rejectOrder(ctx, { ...draft, test }, res.code ?? '', body.msg);
      return { ...res, orderRecorded: true };
    };
    if (!granted(key, 'spot')) return refuse(binanceError(401, -2015, KEY_REJECTED));
    for (const name of ['symbol', 'side', 'type']) if (!p.get(name)) return refuse(mandatory(name));
    const m = findMarket('binance', p.get('symbol'));
    if (!m || m.id !== p.get('symbol')) return refuse(binanceError(400, -1121, 'Invalid symbol.'));
    const side = p.get('side') as string;
    if (side !== 'BUY' && side !== 'SELL') return refuse(illegal('side', 'BUY, SELL'));
    const type = p.get('type') as string;
    if (!['MARKET', 'LIMIT', 'LIMIT_MAKER'].includes(type))
      return refuse(binanceError(400, -1116, 'Invalid orderType.'));
    let tif: TimeInForce = type === 'LIMIT_MAKER' ? 'POST_ONLY' : 'GTC';
    if (type === 'LIMIT') {
      const given = p.get('timeInForce');
      if (!given) return refuse(mandatory('timeInForce'));
      if (!['GTC', 'IOC', 'FOK'].includes(given))
        return refuse(binanceError(400, -1115, 'Invalid timeInForce.'));
      tif = given as TimeInForce;
    }
    const price = decParam(p, 'price');
    const quantity = decParam(p, 'quantity');
    const quoteQty = decParam(p, 'quoteOrderQty');
    for (const v of [price, quantity, quoteQty]) if (isResponse(v)) return refuse(v);
    if (type !== 'MARKET' && price === undefined) return refuse(mandatory('price'));
    if (type !== 'MARKET' && quantity === undefined) return refuse(mandatory('quantity'));
    if (type === 'MARKET' && quantity === undefined && quoteQty === undefined)
      return refuse(
        binanceError(
          400,
          -1102,
          "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!",
        ),
      );
    const clientId = p.get('newClientOrderId') ?? randomClientId();
    if (!CLIENT_ID.test(clientId))
      return refuse(illegal('newClientOrderId', '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'));
    const px = type === 'MARKET' ? undefined : (price as Dec);
    const last = ctx.book.prices.get('binance', m.symbol);
    const qty =
      (quantity as Dec | undefined) ?? ctx.book.qtyForQuote('binance', m, quoteQty as Dec);
    // The same filters on order/test as on a real order; the permission check above came first.
    const failed = failedBinanceFilter(m, {
      side,
      ...(px !== undefined ? { price: px } : {}),
      qty,
      ...(quoteQty !== undefined ? { quoteQty: quoteQty as Dec } : {}),
      last,
    });
    if (failed) return refuse(binanceError(400, -1013, `Filter failure: ${failed}`));
    if (test) {
      ctx.recorder.order({ ...draft, test, outcome: 'validated', code: '0' });
      const rates = {
        maker: '0.00100000',
        taker: '0.00100000',
        buyer: '0.00000000',
        seller: '0.00000000',
      };
      return reply(
        200,
        p.get('computeCommissionRates') === 'true' ? { standardCommissionForOrder: rates } : {},
        '0',
        {
          orderRecorded: true,
        },
      );
    }
    const account = accountOf(key);
    // newClientOrderId is "A unique id among open orders" (New order (TRADE),
    // https://developers.binance.com/docs/binance-spot-api-docs/rest-api/trading-endpoints#new-order-trade):
    // once the first order is closed the same id is accepted again. The exchange sees orders
    // still hidden from look-ups (visibilityDelayMs) here.
    if (ctx.book.byClientId('binance', account, clientId, true))
      return refuse(binanceError(400, -2010, 'Duplicate order sent.'));
    const sideLower = side === 'BUY' ? 'buy' : 'sell';
    if (tif === 'POST_ONLY' && ctx.book.marketable('binance', m.symbol, sideLower, px as Dec))
      return refuse(binanceError(400, -2010, 'Order would immediately match and take.'));
    const input = {
      exchange: 'binance' as const,
      account,
      apiKey: key.apiKey,
      market: m,
      side: sideLower as 'buy' | 'sell',
      type: type === 'MARKET' ? ('market' as const) : ('limit' as const),
      timeInForce: tif,
      price: px,
      qty: quantity as Dec | undefined,
      quoteQty: quantity === undefined ? (quoteQty as Dec) : undefined,
      clientOrderId: clientId,
      now: ctx.now(),
    };
    if (!ctx.book.affordable(input))
      return refuse(
        binanceError(400, -2010, 'Account has insufficient balance for requested action.'),
      );
    const placed = placeOrder(ctx, input, { ...draft, clientOrderId: clientId });
    if (placed.kind === 'hold' || placed.kind === 'drop') return unanswered(placed);
    if (placed.kind === '5xx' || placed.kind === 'unknown') {
      // status5xxAfterPlace: HTTP 500 -1000; unknownOutcome: -1007 (503) or the code asked for.
      const code = placed.kind === '5xx' ? AFTER_PLACE_5XX_CODE.binance : (placed.code ?? '-1007');
      const [status, msg] = UNKNOWN[code] ?? (UNKNOWN['-1007'] as [number, string]);
      return {
        ...binanceError(status, Number(code), msg),
        orderRecorded: true,
        fault: placed.kind === '5xx' ? 'status5xxAfterPlace' : 'unknownOutcome',
      };
    }
    const respType = p.get('newOrderRespType') ?? 'FULL';
    return reply(200, placedJson(placed.order, m, respType), '0', { orderRecorded: true });
  };
}

/**
 * The order of this account an orderId or client id names: for a query any order look-ups show
 * now (visibilityDelayMs hides new ones), for a cancel the open orders the exchange knows.
 */
function lookup(
  { ctx, params: p, key }: BinanceCall,
  m: MarketRules,
  mode: 'query' | 'cancel',
): SimOrder | undefined {
  const account = accountOf(key);
  const orderId = p.get('orderId');
  const clientId = p.get('origClientOrderId');
  const openOnly = mode === 'cancel';
  const visibleNow = mode === 'query' ? ctx.now() : undefined;
  const found = orderId
    ? visibleNow === undefined
      ? ctx.book.get('binance', orderId)
      : ctx.book.lookup('binance', orderId, visibleNow)
    : ctx.book.byClientId('binance', account, clientId ?? '', openOnly, visibleNow);
  if (!found || found.account !== account || found.symbol !== m.symbol) return undefined;
  return openOnly && found.status !== 'new' ? undefined : found;
}

function withOrder(
  mode: 'query' | 'cancel',
  action: (call: BinanceCall, o: SimOrder, m: MarketRules) => SimResponse,
): BinanceHandler {
  return (call) => {
    const p = call.params;
    if (!p.get('symbol')) return mandatory('symbol');
    const m = findMarket('binance', p.get('symbol'));
    if (!m || m.id !== p.get('symbol')) return binanceError(400, -1121, 'Invalid symbol.');
    if (!p.get('orderId') && !p.get('origClientOrderId'))
      return binanceError(
        400,
        -1102,
        "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!",
      );
    const o = lookup(call, m, mode);
    if (!o)
      return mode === 'cancel'
        ? binanceError(400, -2011, 'Unknown order sent.')
        : binanceError(400, -2013, 'Order does not exist.');
    return action(call, o, m);
  };
}

const queryOrder = withOrder('query', (_call, o, m) => reply(200, orderJson(o, m)));

const cancelOrder: BinanceHandler = (call) => {
  if (!granted(call.key, 'spot')) return binanceError(401, -2015, KEY_REJECTED);
  return withOrder('cancel', ({ ctx, params }, o, m) => {
    ctx.book.cancel(o, ctx.now());
    return reply(200, {
      symbol: m.id,
      origClientOrderId: o.clientOrderId,
      orderId: Number(o.id),
      orderListId: -1,
      clientOrderId: params.get('newClientOrderId') ?? randomClientId(),
      transactTime: ctx.now(),
      ...amounts(o),
      selfTradePreventionMode: 'EXPIRE_MAKER',
    });
  })(call);
};

function listOrders(openOnly: boolean): BinanceHandler {
  return ({ ctx, params: p, key }) => {
    const symbol = p.get('symbol');
    const m = symbol ? findMarket('binance', symbol) : undefined;
    if (symbol && (!m || m.id !== symbol)) return binanceError(400, -1121, 'Invalid symbol.');
    if (!openOnly && !m) return mandatory('symbol');
    // Look-ups: orders still hidden by visibilityDelayMs are not listed yet.
    const list = ctx.book.lookupList('binance', accountOf(key), ctx.now());
    return reply(
      200,
      list
        .filter((o) => (!openOnly || o.status === 'new') && (!m || o.symbol === m.symbol))
        .map((o) => orderJson(o, findMarket('binance', o.symbol) as MarketRules)),
    );
  };
}

export const BINANCE_ORDER_ROUTES: Record<string, [Need, BinanceHandler]> = {
  'POST /api/v3/order': ['key', createOrder(false)],
  'POST /api/v3/order/test': ['key', createOrder(true)],
  'GET /api/v3/order': ['read', queryOrder],
  'DELETE /api/v3/order': ['key', cancelOrder],
  'GET /api/v3/openOrders': ['read', listOrders(true)],
  'GET /api/v3/allOrders': ['read', listOrders(false)],
};
