/**
 * OKX v5 swap orders: plain orders on /api/v5/trade/order (and batch-orders) with tdMode cross or
 * isolated, `reduceOnly` and attached TP/SL (`attachAlgoOrds`, which become one algo order —
 * an OCO when both prices are given — once the entry fills); algo orders on
 * /api/v5/trade/order-algo (ordType conditional, oco, trigger; client id `algoClOrdId`) with
 * their look-ups and cancel-algos. As ccxt 4.5.84 sends them (okx.js createOrderRequest:
 * stopLossPrice / takeProfitPrice → ordType conditional (oco with both) on order-algo;
 * triggerPrice → trigger; stopLoss / takeProfit params → attachAlgoOrds; `tdMode` from
 * params.marginMode, else cross).
 *
 * ccxt puts `clientOrderId` into `clOrdId` even for order-algo, which takes `algoClOrdId`
 * ("Place algo order", https://www.okx.com/docs-v5/en/#order-book-trading-algo-trading-post-place-algo-order):
 * the simulator ignores a clOrdId there, as an unknown field, so such an order has no client id.
 *
 * Errors (https://www.okx.com/docs-v5/en/#error-code-rest-api): 51169 no position to reduce,
 * 51170 reduce-only in the position's direction, 51277–51280 TP/SL on the wrong side of the last
 * price, 51008 insufficient margin, 51016 duplicate clOrdId, 51121 lot size.
 */
import { isMultiple, parseDec, type Dec } from '../../src/lib/decimal.js';
import { placeWithFaults, type OrderDraft, type Placement } from './context.js';
import { str } from './dialect.js';
import { accountOf } from './keys.js';
import { findPerp, type PerpRules } from './perp-markets.js';
import { legReached, protectiveLeg } from './perp-triggers.js';
import type { PerpOrder, PerpPlaceInput, TriggerLeg } from './perp-types.js';
import { okxReply, type OkxCall } from './okx-common.js';
import { leverageKey } from './okx-swap.js';
import type { OrderSide, SimResponse, TimeInForce } from './types.js';

const TIF: Record<string, TimeInForce> = {
  limit: 'GTC',
  post_only: 'POST_ONLY',
  fok: 'FOK',
  ioc: 'IOC',
  market: 'IOC',
  optimal_limit_ioc: 'IOC',
};

export type SwapVerdict =
  | { placed: Placement<PerpOrder>; clOrdId: string }
  | { sCode: string; sMsg: string; clOrdId: string; top?: SimResponse };

const truthy = (v: unknown) => v === true || v === 'true';
const pxOf = (v: unknown): Dec | undefined => {
  const d = parseDec(str(v));
  return d !== undefined && d > 0n ? d : undefined;
};

/** A TP or SL trigger on the wrong side of the last price, as OKX words it (51277–51280). */
export function wrongSide(
  label: 'tp' | 'sl',
  closing: OrderSide,
  price: Dec,
  last: Dec,
): [string, string] | undefined {
  const leg = protectiveLeg(label, closing, price);
  if (!legReached(leg, last)) return undefined;
  const name = label === 'tp' ? 'TP' : 'SL';
  if (leg.when === 'above')
    return [
      label === 'tp' ? '51279' : '51278',
      `${name} trigger price can not be lower than the last price`,
    ];
  return [
    label === 'tp' ? '51277' : '51280',
    `${name} trigger price can not be higher than the last price`,
  ];
}

function margin(call: OkxCall, m: PerpRules, mode: 'cross' | 'isolated'): void {
  const account = accountOf(call.key);
  const perp = call.ctx.perp;
  perp.setMarginMode('okx', account, m.symbol, mode);
  perp.setLeverage(
    'okx',
    account,
    m.symbol,
    perp.leverage('okx', account, leverageKey(m.symbol, mode)),
  );
}

/** Places one swap order of a /trade/order or /trade/batch-orders request. */
export function swapPlaceOne(
  call: OkxCall,
  b: Record<string, unknown>,
  draft: OrderDraft,
): SwapVerdict {
  const { ctx, key } = call;
  const clOrdId = str(b['clOrdId']) ?? '';
  const top = (code: number, msg: string): SwapVerdict => ({
    sCode: String(code),
    sMsg: msg,
    clOrdId,
    top: okxReply(400, code, msg),
  });
  const fail = (code: string, msg: string): SwapVerdict => ({ sCode: code, sMsg: msg, clOrdId });
  const m = findPerp('okx', str(b['instId']));
  if (!m || m.id !== b['instId'])
    return fail('51001', "Instrument ID, Instrument ID code or Spread ID doesn't exist.");
  const side = b['side'];
  const type = str(b['ordType']) ?? '';
  if (side !== 'buy' && side !== 'sell') return top(51000, 'Parameter side error');
  if (!(type in TIF)) return top(51000, 'Parameter ordType error');
  if (clOrdId && !/^[A-Za-z0-9]{1,32}$/.test(clOrdId)) return top(51000, 'Parameter clOrdId error');
  const mode = b['tdMode'];
  if (mode !== 'cross' && mode !== 'isolated') return top(51000, 'Parameter tdMode error');
  const sz = pxOf(b['sz']);
  if (sz === undefined) return top(51000, 'Parameter sz error');
  if (!isMultiple(sz, m.stepSize))
    return fail('51121', 'Order quantity must be a multiple of the lot size.');
  if (sz < m.minQty)
    return fail('51020', 'Your order should meet or exceed the minimum order amount.');
  const market = type === 'market' || type === 'optimal_limit_ioc';
  let px: Dec | undefined;
  if (!market) {
    px = pxOf(b['px']);
    if (px === undefined || !isMultiple(px, m.tickSize)) return top(51000, 'Parameter px error');
  }
  const account = accountOf(key);
  if (clOrdId && ctx.perp.byClientId('okx', account, clOrdId, true))
    return fail('51016', 'Client order ID already exists.');
  const reduceOnly = truthy(b['reduceOnly']);
  if (reduceOnly) {
    const size = ctx.perp.position('okx', account, m.symbol).size;
    if (size === 0n)
      return fail(
        '51169',
        "Order failed because you don't have any positions in this direction for this contract to reduce or close.",
      );
    if (size > 0n === (side === 'buy'))
      return fail(
        '51170',
        "Order failed. A reduce-only order can't be the same direction as your existing position.",
      );
  }
  const last = ctx.perp.price('okx', m);
  const attached = Array.isArray(b['attachAlgoOrds'])
    ? (b['attachAlgoOrds'][0] as Record<string, unknown> | undefined)
    : undefined;
  const tp = pxOf(attached?.['tpTriggerPx']);
  const sl = pxOf(attached?.['slTriggerPx']);
  const closing: OrderSide = side === 'buy' ? 'sell' : 'buy';
  for (const [label, value] of [
    ['tp', tp],
    ['sl', sl],
  ] as const) {
    const wrong = value === undefined ? undefined : wrongSide(label, closing, value, px ?? last);
    if (wrong) return fail(...wrong);
  }
  for (const name of ['tpOrdPx', 'slOrdPx'])
    if (attached?.[name] !== undefined && str(attached[name]) !== '-1')
      return top(51000, `Parameter ${name} error: the simulator models market (-1) TP/SL only`);
  const input: PerpPlaceInput = {
    exchange: 'okx',
    account,
    apiKey: key.apiKey,
    market: m,
    side,
    type: market ? 'market' : 'limit',
    timeInForce: TIF[type] as TimeInForce,
    price: px,
    qty: sz,
    reduceOnly,
    clientOrderId: clOrdId,
    now: ctx.now(),
    tag: type,
    ...(tp !== undefined || sl !== undefined
      ? {
          attach: {
            tp,
            sl,
            scope: 'order' as const,
            clientId: str(attached?.['attachAlgoClOrdId']),
          },
        }
      : {}),
  };
  if (!reduceOnly) margin(call, m, mode);
  if (!ctx.perp.affordable(input))
    return fail('51008', 'Order failed. Insufficient USDT margin in account');
  const placed = placeWithFaults(ctx, 'okx', { ...draft, clientOrderId: clOrdId }, (hiddenMs) =>
    ctx.perp.place(hiddenMs !== undefined ? { ...input, visibleAt: input.now + hiddenMs } : input),
  );
  return { placed, clOrdId };
}

/**
 * Places one algo order (/api/v5/trade/order-algo). Market execution only (orderPx, tpOrdPx,
 * slOrdPx "-1"); `closeFraction` "1" closes the whole position when it fires.
 */
export function algoPlaceOne(
  call: OkxCall,
  b: Record<string, unknown>,
  draft: OrderDraft,
): SwapVerdict {
  const { ctx, key } = call;
  const algoClOrdId = str(b['algoClOrdId']) ?? '';
  const top = (code: number, msg: string): SwapVerdict => ({
    sCode: String(code),
    sMsg: msg,
    clOrdId: algoClOrdId,
    top: okxReply(400, code, msg),
  });
  const fail = (code: string, msg: string): SwapVerdict => ({
    sCode: code,
    sMsg: msg,
    clOrdId: algoClOrdId,
  });
  for (const name of ['instId', 'tdMode', 'side', 'ordType'])
    if (!str(b[name])) return top(50014, `Parameter ${name} can not be empty.`);
  const m = findPerp('okx', str(b['instId']));
  if (!m || m.id !== b['instId'])
    return fail('51001', "Instrument ID, Instrument ID code or Spread ID doesn't exist.");
  const side = b['side'];
  if (side !== 'buy' && side !== 'sell') return top(51000, 'Parameter side error');
  const ordType = str(b['ordType']);
  if (ordType !== 'conditional' && ordType !== 'oco' && ordType !== 'trigger')
    return top(51000, 'Parameter ordType error: the simulator models conditional, oco and trigger');
  const whole = str(b['closeFraction']) === '1';
  const sz = whole ? undefined : pxOf(b['sz']);
  if (!whole && (sz === undefined || !isMultiple(sz, m.stepSize)))
    return top(51000, 'Parameter sz error');
  for (const name of ['orderPx', 'tpOrdPx', 'slOrdPx'])
    if (b[name] !== undefined && str(b[name]) !== '-1')
      return top(51000, `Parameter ${name} error: the simulator models market (-1) execution only`);
  const last = ctx.perp.price('okx', m);
  const legs: TriggerLeg[] = [];
  if (ordType === 'trigger') {
    const at = pxOf(b['triggerPx']);
    if (at === undefined) return top(50014, 'Parameter triggerPx can not be empty.');
    legs.push({ label: 'trigger', price: at, when: at > last ? 'above' : 'below' });
  } else {
    for (const label of ['tp', 'sl'] as const) {
      const value = pxOf(b[`${label}TriggerPx`]);
      if (value === undefined) continue;
      const wrong = wrongSide(label, side, value, last);
      if (wrong) return fail(...wrong);
      legs.push(protectiveLeg(label, side, value));
    }
    if (legs.length === 0 || (ordType === 'oco' && legs.length < 2))
      return top(50014, 'Parameter tpTriggerPx / slTriggerPx can not be empty.');
  }
  const account = accountOf(key);
  if (
    algoClOrdId &&
    ctx.perp
      .list('okx', account)
      .some((o) => o.legs && o.status === 'new' && o.clientOrderId === algoClOrdId)
  )
    return fail('51065', 'algoClOrdId already exists.');
  const input: PerpPlaceInput = {
    exchange: 'okx',
    account,
    apiKey: key.apiKey,
    market: m,
    side,
    type: 'market',
    timeInForce: 'GTC',
    qty: sz,
    reduceOnly: truthy(b['reduceOnly']) || whole,
    clientOrderId: algoClOrdId,
    now: ctx.now(),
    legs,
    tag: ordType,
  };
  const placed = placeWithFaults(ctx, 'okx', { ...draft, clientOrderId: algoClOrdId }, (hiddenMs) =>
    ctx.perp.place(hiddenMs !== undefined ? { ...input, visibleAt: input.now + hiddenMs } : input),
  );
  return { placed, clOrdId: algoClOrdId };
}
