/**
 * Binance USDⓈ-M futures orders: plain orders on /fapi/v1/order and conditional (algo) orders on
 * /fapi/v1/algoOrder, as ccxt 4.5.84 sends them (binance.js createOrder / createOrderRequest:
 * stopLossPrice / takeProfitPrice / triggerPrice make `algoType=CONDITIONAL`, `clientAlgoId`,
 * `triggerPrice`; fetchOrder / cancelOrder / fetchOpenOrders with `{trigger: true}` use
 * GET/DELETE /fapi/v1/algoOrder and GET /fapi/v1/openAlgoOrders).
 *
 * Docs: "New Order" https://developers.binance.com/docs/derivatives/usds-margined-futures/trade/rest-api/New-Order,
 * "New Algo Order" https://developers.binance.com/docs/derivatives/usds-margined-futures/trade/rest-api/New-Algo-Order,
 * error codes https://developers.binance.com/docs/derivatives/usds-margined-futures/error-code.
 * Since 2025-12-09 conditional types on /fapi/v1/order answer -4120 (change log,
 * https://developers.binance.com/docs/derivatives/change-log; FACTS.md).
 */
import { fmt, isMultiple, mul, parseDec, type Dec } from '../../src/lib/decimal.js';
import { AFTER_PLACE_5XX_CODE, placeWithFaults, rejectOrder, type OrderDraft } from './context.js';
import { reply, unanswered } from './dialect.js';
import { accountOf } from './keys.js';
import { findPerp, type PerpRules } from './perp-markets.js';
import { legReached, protectiveLeg } from './perp-triggers.js';
import type { PerpOrder, PerpPlaceInput } from './perp-types.js';
import { binanceParams } from './signing.js';
import {
  binanceError,
  illegal,
  mandatory,
  type BinanceCall,
  type BinanceHandler,
  type Need,
} from './binance-common.js';
import { futuresOnly, PERCENT_PRICE } from './binance-futures.js';
import { randomClientId, UNKNOWN } from './binance-orders.js';
import { algoJson, orderJson } from './binance-futures-json.js';
import type { SimRequest, SimResponse, TimeInForce } from './types.js';

const PLACE_PATHS = ['/fapi/v1/order', '/fapi/v1/algoOrder'];
const CONDITIONAL = [
  'STOP',
  'STOP_MARKET',
  'TAKE_PROFIT',
  'TAKE_PROFIT_MARKET',
  'TRAILING_STOP_MARKET',
];
export function binanceFuturesDraft(req: SimRequest, now: number): OrderDraft | undefined {
  if (req.method !== 'POST' || !PLACE_PATHS.includes(req.path)) return undefined;
  const p = binanceParams(req);
  const apiKey = req.headers['x-mbx-apikey'];
  return {
    exchange: 'binance',
    at: now,
    path: req.path,
    apiKey: typeof apiKey === 'string' ? apiKey : undefined,
    clientOrderId: p.get('newClientOrderId') ?? p.get('clientAlgoId') ?? undefined,
    symbol: p.get('symbol') ?? undefined,
    side: p.get('side') ?? undefined,
    type: p.get('type') ?? undefined,
    amount: p.get('quantity') ?? undefined,
    price: p.get('price') ?? p.get('triggerPrice') ?? undefined,
  };
}

const isResponse = (v: unknown): v is SimResponse =>
  typeof v === 'object' && v !== null && 'status' in v;

function decParam(p: URLSearchParams, name: string): Dec | SimResponse | undefined {
  const raw = p.get(name);
  if (raw === null) return undefined;
  const v = parseDec(raw);
  return v === undefined || v <= 0n ? illegal(name, '^([0-9]{1,20})(\\.[0-9]{1,20})?$') : v;
}

/** Filters (Exchange Information, "Filters" of USDⓈ-M futures) on a plain order. */
function failedFilter(
  m: PerpRules,
  side: string,
  qty: Dec,
  price: Dec | undefined,
  mark: Dec,
  reduceOnly: boolean,
): SimResponse | undefined {
  if (!isMultiple(qty, m.stepSize) || qty < m.minQty)
    return binanceError(400, -1111, 'Precision is over the maximum defined for this asset.');
  if (price !== undefined) {
    if (!isMultiple(price, m.tickSize))
      return binanceError(400, -4014, 'Price not increased by tick size.');
    // PERCENT_PRICE: BUY price <= markPrice × multiplierUp, SELL price >= markPrice × multiplierDown.
    const up = mul(mark, parseDec(PERCENT_PRICE.multiplierUp) as Dec);
    const down = mul(mark, parseDec(PERCENT_PRICE.multiplierDown) as Dec);
    if (side === 'BUY' && price > up)
      return binanceError(400, -4016, `Limit price can't be higher than ${fmt(up)}.`);
    if (side === 'SELL' && price < down)
      return binanceError(400, -4024, `Limit price can't be lower than ${fmt(down)}.`);
  }
  // MIN_NOTIONAL does not apply to reduce-only orders (the -4164 message says so).
  const notional = mul(qty, price ?? mark);
  if (!reduceOnly && m.minNotional !== undefined && notional < m.minNotional)
    return binanceError(
      400,
      -4164,
      `Order's notional must be no smaller than ${fmt(m.minNotional)} (unless you choose reduce only).`,
    );
  return undefined;
}

function placeAnswer(
  call: BinanceCall,
  input: PerpPlaceInput,
  draft: OrderDraft,
  render: (o: PerpOrder) => unknown,
): SimResponse {
  const { ctx } = call;
  const placed = placeWithFaults(
    ctx,
    'binance',
    { ...draft, clientOrderId: input.clientOrderId },
    (hiddenMs) =>
      ctx.perp.place(
        hiddenMs !== undefined ? { ...input, visibleAt: input.now + hiddenMs } : input,
      ),
  );
  if (placed.kind === 'hold' || placed.kind === 'drop') return unanswered(placed);
  if (placed.kind === '5xx' || placed.kind === 'unknown') {
    const code = placed.kind === '5xx' ? AFTER_PLACE_5XX_CODE.binance : (placed.code ?? '-1007');
    const [status, msg] = UNKNOWN[code] ?? (UNKNOWN['-1007'] as [number, string]);
    return {
      ...binanceError(status, Number(code), msg),
      orderRecorded: true,
      fault: placed.kind === '5xx' ? 'status5xxAfterPlace' : 'unknownOutcome',
    };
  }
  return reply(200, render(placed.order), '0', { orderRecorded: true });
}

/** POST /fapi/v1/order (plain) and /fapi/v1/algoOrder (conditional). */
function createOrder(algo: boolean): BinanceHandler {
  return (call) => {
    const { req, ctx, params: p, key } = call;
    const draft = { ...(binanceFuturesDraft(req, ctx.now()) as OrderDraft), apiKey: key.apiKey };
    const refuse = (res: SimResponse): SimResponse => {
      rejectOrder(ctx, draft, res.code ?? '', (res.body as { msg: string }).msg);
      return { ...res, orderRecorded: true };
    };
    for (const name of ['symbol', 'side', 'type']) if (!p.get(name)) return refuse(mandatory(name));
    if (algo && p.get('algoType') !== 'CONDITIONAL') return refuse(mandatory('algoType'));
    const m = findPerp('binance', p.get('symbol'));
    if (!m || m.id !== p.get('symbol')) return refuse(binanceError(400, -1121, 'Invalid symbol.'));
    const side = p.get('side') as string;
    if (side !== 'BUY' && side !== 'SELL') return refuse(illegal('side', 'BUY, SELL'));
    const positionSide = p.get('positionSide') ?? 'BOTH';
    if (positionSide !== 'BOTH')
      return refuse(
        binanceError(400, -4061, "Order's position side does not match user's setting."),
      );
    const type = p.get('type') as string;
    if (!algo && CONDITIONAL.includes(type))
      return refuse(
        binanceError(
          400,
          -4120,
          'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.',
        ),
      );
    // The simulator models market-type conditionals only (what protective legs use).
    const allowed = algo ? ['STOP_MARKET', 'TAKE_PROFIT_MARKET'] : ['MARKET', 'LIMIT'];
    if (!allowed.includes(type)) return refuse(binanceError(400, -1116, 'Invalid orderType.'));
    const price = decParam(p, 'price');
    const quantity = decParam(p, 'quantity');
    const trigger = decParam(p, 'triggerPrice');
    for (const v of [price, quantity, trigger]) if (isResponse(v)) return refuse(v);
    const closePosition = algo && p.get('closePosition') === 'true';
    if (quantity === undefined && !closePosition) return refuse(mandatory('quantity'));
    if (type === 'LIMIT' && price === undefined) return refuse(mandatory('price'));
    if (algo && trigger === undefined) return refuse(mandatory('triggerPrice'));
    let tif: TimeInForce = 'GTC';
    if (type === 'LIMIT') {
      const given = p.get('timeInForce');
      if (!given) return refuse(mandatory('timeInForce'));
      if (!['GTC', 'IOC', 'FOK', 'GTX'].includes(given))
        return refuse(binanceError(400, -1115, 'Invalid timeInForce.'));
      tif = given === 'GTX' ? 'POST_ONLY' : (given as TimeInForce);
    }
    const reduceOnly = p.get('reduceOnly') === 'true' || closePosition;
    const idParam = algo ? 'clientAlgoId' : 'newClientOrderId';
    const clientId = p.get(idParam) ?? randomClientId();
    if (!/^[.A-Z:/a-z0-9_-]{1,36}$/.test(clientId))
      return refuse(illegal(idParam, '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'));
    const account = accountOf(key);
    const mark = ctx.perp.price('binance', m);
    const px = type === 'LIMIT' ? (price as Dec) : undefined;
    if (quantity !== undefined) {
      const failed = failedFilter(m, side, quantity as Dec, px, mark, reduceOnly);
      if (failed) return refuse(failed);
    }
    const sideLower = side === 'BUY' ? ('buy' as const) : ('sell' as const);
    // "ReduceOnly Order is rejected." when there is nothing on the other side to reduce.
    if (reduceOnly && !algo && !ctx.perp.canReduce('binance', account, m.symbol, sideLower))
      return refuse(binanceError(400, -2022, 'ReduceOnly Order is rejected.'));
    // A client id is unique among open orders (spot and futures alike); -4116 DUPLICATED_CLIENT_ORDER_ID.
    const open = ctx.perp.byClientId('binance', account, clientId, true);
    if (open && Boolean(open.legs) === algo)
      return refuse(binanceError(400, -4116, 'ClientOrderId is duplicated.'));
    const legs = algo
      ? [protectiveLeg(type === 'STOP_MARKET' ? 'sl' : 'tp', sideLower, trigger as Dec)]
      : undefined;
    if (legs && legs.some((l) => legReached(l, mark)))
      return refuse(binanceError(400, -2021, 'Order would immediately trigger.'));
    if (tif === 'POST_ONLY' && px !== undefined && (sideLower === 'buy' ? px >= mark : px <= mark))
      return refuse(
        binanceError(
          400,
          -5022,
          'Due to the order could not be executed as maker, the Post Only order will be rejected.',
        ),
      );
    const input: PerpPlaceInput = {
      exchange: 'binance',
      account,
      apiKey: key.apiKey,
      market: m,
      side: sideLower,
      type: type === 'LIMIT' ? 'limit' : 'market',
      timeInForce: tif,
      price: px,
      qty: quantity as Dec | undefined,
      reduceOnly,
      clientOrderId: clientId,
      now: ctx.now(),
      ...(legs ? { legs, tag: type } : {}),
    };
    if (!ctx.perp.affordable(input))
      return refuse(binanceError(400, -2019, 'Margin is insufficient.'));
    return placeAnswer(call, input, draft, (o) => (algo ? algoJson(o, m) : orderJson(o, m)));
  };
}

/** The account's order an id or client id names (plain or algo); `open` for cancels. */
function find(call: BinanceCall, algo: boolean, open: boolean): PerpOrder | undefined {
  const { ctx, params: p, key } = call;
  const account = accountOf(key);
  const id = p.get(algo ? 'algoId' : 'orderId');
  const clientId = p.get(algo ? 'clientAlgoId' : 'origClientOrderId');
  const visibleNow = open ? undefined : ctx.now();
  const o = id
    ? visibleNow === undefined
      ? ctx.perp.get('binance', id)
      : ctx.perp.lookup('binance', id, visibleNow)
    : clientId
      ? ctx.perp
          .list('binance', account)
          .filter(
            (x) =>
              x.clientOrderId === clientId &&
              Boolean(x.legs) === algo &&
              (!open || x.status === 'new') &&
              (visibleNow === undefined || x.visibleAt === undefined || visibleNow >= x.visibleAt),
          )
          .pop()
      : undefined;
  if (!o || o.account !== account || Boolean(o.legs) !== algo) return undefined;
  const symbol = p.get('symbol');
  if (symbol && findPerp('binance', symbol)?.symbol !== o.symbol) return undefined;
  return open && o.status !== 'new' ? undefined : o;
}

function lookupHandler(algo: boolean, mode: 'query' | 'cancel'): BinanceHandler {
  return (call) => {
    const p = call.params;
    if (!algo && !p.get('symbol')) return mandatory('symbol');
    const [idName, clientName] = algo
      ? ['algoId', 'clientAlgoId']
      : ['orderId', 'origClientOrderId'];
    if (!p.get(idName) && !p.get(clientName))
      return binanceError(
        400,
        -1102,
        `Param '${clientName}' or '${idName}' must be sent, but both were empty/null!`,
      );
    const o = find(call, algo, mode === 'cancel');
    if (!o)
      return mode === 'cancel'
        ? binanceError(400, -2011, 'Unknown order sent.')
        : binanceError(400, -2013, 'Order does not exist.');
    const m = findPerp('binance', o.symbol) as PerpRules;
    if (mode === 'query') return reply(200, algo ? algoJson(o, m) : orderJson(o, m));
    call.ctx.perp.cancel(o, call.ctx.now());
    // "Cancel Algo Order" answers {algoId, clientAlgoId, code: "200", msg: "success"}.
    return reply(
      200,
      algo
        ? { algoId: Number(o.id), clientAlgoId: o.clientOrderId, code: '200', msg: 'success' }
        : orderJson(o, m),
    );
  };
}

function listHandler(algo: boolean, openOnly: boolean): BinanceHandler {
  return ({ ctx, params: p, key }) => {
    const symbol = p.get('symbol');
    const m = symbol ? findPerp('binance', symbol) : undefined;
    if (symbol && (!m || m.id !== symbol)) return binanceError(400, -1121, 'Invalid symbol.');
    if (!openOnly && !m && !algo) return mandatory('symbol');
    const rows = ctx.perp
      .lookupList('binance', accountOf(key), ctx.now())
      .filter(
        (o) =>
          Boolean(o.legs) === algo &&
          (!openOnly || o.status === 'new') &&
          (!m || o.symbol === m.symbol),
      )
      .map((o) => {
        const rules = findPerp('binance', o.symbol) as PerpRules;
        return algo ? algoJson(o, rules) : orderJson(o, rules);
      });
    return reply(200, rows);
  };
}

export const BINANCE_FUTURES_ORDERS: Record<string, [Need, BinanceHandler]> = {
  'POST /fapi/v1/order': ['key', futuresOnly(createOrder(false))],
  'GET /fapi/v1/order': ['read', futuresOnly(lookupHandler(false, 'query'))],
  'DELETE /fapi/v1/order': ['key', futuresOnly(lookupHandler(false, 'cancel'))],
  'GET /fapi/v1/openOrders': ['read', futuresOnly(listHandler(false, true))],
  'GET /fapi/v1/allOrders': ['read', futuresOnly(listHandler(false, false))],
  'POST /fapi/v1/algoOrder': ['key', futuresOnly(createOrder(true))],
  'GET /fapi/v1/algoOrder': ['read', futuresOnly(lookupHandler(true, 'query'))],
  'DELETE /fapi/v1/algoOrder': ['key', futuresOnly(lookupHandler(true, 'cancel'))],
  'GET /fapi/v1/openAlgoOrders': ['read', futuresOnly(listHandler(true, true))],
  'GET /fapi/v1/allAlgoOrders': ['read', futuresOnly(listHandler(true, false))],
};
