/**
 * OKX v5 USDT perpetual swaps (instType=SWAP): instruments with `ctVal` contract sizes, tickers,
 * mark price, positions, leverage (set-leverage with mgnMode, leverage-info), as ccxt 4.5.84 calls
 * them with `options.fetchMarkets.types = ['swap']` (okx.js fetchMarketsByType, fetchTicker,
 * fetchMarkPrice, fetchPositions, setLeverage / setMarginMode (both POST
 * /api/v5/account/set-leverage), fetchLeverage). Orders: okx-swap-orders.ts.
 *
 * OKX has no separate derivatives permission: a key's `perm` "trade" covers spot and swaps
 * (https://www.okx.com/docs-v5/en/#overview-api-resources-and-support, API key permissions), so a
 * key without it is refused with 50120 like on spot (okx-common.ts).
 */
import { fmt, mul } from '../../src/lib/decimal.js';
import type { SimContext } from './context.js';
import { jsonBody, str } from './dialect.js';
import { accountOf } from './keys.js';
import { findPerp, perpsOf, type PerpRules } from './perp-markets.js';
import type { PositionView } from './perp-types.js';
import { canTrade, NO_PERMISSION, okxOk, okxReply, type OkxHandler } from './okx-common.js';
import type { SimRequest, SimResponse } from './types.js';

export const isSwapInst = (instId: unknown): boolean =>
  typeof instId === 'string' && instId.endsWith('-SWAP');

/** "Get instruments" (https://www.okx.com/docs-v5/en/#public-data-rest-api-get-instruments), SWAP. */
function instrument(m: PerpRules): unknown {
  return {
    alias: '',
    auctionEndTime: '',
    baseCcy: '',
    category: '1',
    ctMult: '1',
    ctType: 'linear',
    ctVal: m.raw.ctVal,
    ctValCcy: m.base,
    expTime: '',
    instFamily: `${m.base}-${m.quote}`,
    instId: m.id,
    instType: 'SWAP',
    lever: String(m.maxLeverage),
    listTime: '1611916828000',
    lotSz: m.raw.step,
    maxIcebergSz: '100000000.0000000000000000',
    maxLmtAmt: '20000000',
    maxLmtSz: m.raw.maxQty,
    maxMktAmt: '',
    maxMktSz: '12000',
    maxStopSz: '12000',
    maxTriggerSz: '100000000.0000000000000000',
    maxTwapSz: '100000000.0000000000000000',
    minSz: m.raw.minQty,
    optType: '',
    quoteCcy: '',
    ruleType: 'normal',
    settleCcy: m.settle,
    state: 'live',
    stk: '',
    tickSz: m.raw.tick,
    uly: `${m.base}-${m.quote}`,
  };
}

export function swapInstruments(req: SimRequest): SimResponse {
  const instId = req.query.get('instId');
  return okxOk(
    perpsOf('okx')
      .filter((m) => !instId || m.id === instId)
      .map(instrument),
  );
}

export function swapTicker(ctx: SimContext, m: PerpRules): unknown {
  const last = ctx.perp.price('okx', m);
  const p = fmt(last);
  return {
    instType: 'SWAP',
    instId: m.id,
    last: p,
    lastSz: '1',
    askPx: p,
    askSz: '100',
    bidPx: p,
    bidSz: '100',
    open24h: p,
    high24h: p,
    low24h: p,
    volCcy24h: '1000',
    vol24h: '100000',
    sodUtc0: p,
    sodUtc8: p,
    ts: String(ctx.now()),
  };
}

/** "Get mark price" (https://www.okx.com/docs-v5/en/#public-data-rest-api-get-mark-price). */
export function markPrice(req: SimRequest, ctx: SimContext): SimResponse {
  const instId = req.query.get('instId');
  const list = perpsOf('okx').filter((m) => !instId || m.id === instId);
  return okxOk(
    list.map((m) => ({
      instType: 'SWAP',
      instId: m.id,
      markPx: fmt(ctx.perp.price('okx', m)),
      ts: String(ctx.now()),
    })),
  );
}

/** Leverage is per instrument and margin mode on OKX ("Set leverage"): kept under "symbol#mode". */
export const leverageKey = (symbol: string, mode: string) => `${symbol}#${mode}`;

function positionJson(ctx: SimContext, p: PositionView, m: PerpRules): Record<string, unknown> {
  const base = mul(p.size, m.contractSize);
  const now = String(ctx.now());
  const closeOrderAlgo = ctx.perp
    .openOrders('okx', p.account)
    .filter((o) => o.symbol === p.symbol && o.legs && o.reduceOnly)
    .map((o) => ({
      algoId: o.id,
      slTriggerPx: fmt(o.legs?.find((l) => l.label === 'sl')?.price ?? 0n),
      slTriggerPxType: 'last',
      tpTriggerPx: fmt(o.legs?.find((l) => l.label === 'tp')?.price ?? 0n),
      tpTriggerPxType: 'last',
      closeFraction: o.qty === undefined ? '1' : '',
    }));
  return {
    adl: '1',
    availPos: '',
    avgPx: fmt(p.entryPrice),
    bePx: fmt(p.entryPrice),
    cTime: String(p.updatedAt),
    ccy: 'USDT',
    closeOrderAlgo,
    fee: '0',
    fundingFee: '0',
    idxPx: fmt(p.markPrice),
    imr: p.marginMode === 'cross' ? fmt(p.initialMargin) : '',
    instId: m.id,
    instType: 'SWAP',
    interest: '',
    last: fmt(p.markPrice),
    lever: String(p.leverage),
    liab: '',
    liabCcy: '',
    liqPx: '',
    margin: p.marginMode === 'isolated' ? fmt(p.initialMargin) : '',
    markPx: fmt(p.markPrice),
    mgnMode: p.marginMode,
    mgnRatio: '',
    mmr: fmt(p.initialMargin / 10n),
    notionalUsd: fmt(p.notional),
    pnl: '0',
    pos: fmt(p.size),
    posCcy: '',
    posId: `${m.id}-${p.account}`.replace(/\W/g, '').slice(0, 18),
    posSide: 'net',
    realizedPnl: '0',
    uTime: now,
    upl: fmt(p.unrealizedPnl),
    uplLastPx: fmt(p.unrealizedPnl),
    uplRatio: '0',
    usdPx: '',
    baseBal: '',
    quoteBal: '',
    notionalCcy: fmt(base < 0n ? -base : base),
  };
}

/** "Get positions" (https://www.okx.com/docs-v5/en/#trading-account-rest-api-get-positions): open ones; `pos` signed in net mode. */
const positions: OkxHandler = ({ req, ctx, key }) => {
  const instType = req.query.get('instType');
  if (instType && instType !== 'SWAP') return okxOk([]);
  const ids = req.query.get('instId')?.split(',');
  return okxOk(
    ctx.perp
      .openPositions('okx', accountOf(key))
      .map((p) => [p, findPerp('okx', p.symbol) as PerpRules] as const)
      .filter(([, m]) => !ids || ids.includes(m.id))
      .map(([p, m]) => positionJson(ctx, p, m)),
  );
};

/**
 * POST /api/v5/account/set-leverage ("Set leverage",
 * https://www.okx.com/docs-v5/en/#trading-account-rest-api-set-leverage): instId, lever, mgnMode
 * (cross | isolated). Setting the same value again succeeds the same way.
 */
const setLeverage: OkxHandler = ({ req, ctx, key }) => {
  if (!canTrade(key)) return NO_PERMISSION();
  const b = (jsonBody(req) ?? {}) as Record<string, unknown>;
  for (const name of ['lever', 'mgnMode'])
    if (!str(b[name])) return okxReply(400, 50014, `Parameter ${name} can not be empty.`);
  const mode = str(b['mgnMode']);
  if (mode !== 'cross' && mode !== 'isolated')
    return okxReply(400, 51000, 'Parameter mgnMode error');
  const m = findPerp('okx', str(b['instId']));
  if (!m || m.id !== b['instId'])
    return okxReply(200, 51001, "Instrument ID, Instrument ID code or Spread ID doesn't exist.");
  const lever = Number(str(b['lever']));
  if (!Number.isFinite(lever) || lever < 1 || lever > m.maxLeverage)
    return okxReply(400, 51000, 'Parameter lever error');
  const account = accountOf(key);
  ctx.perp.setLeverage('okx', account, leverageKey(m.symbol, mode), lever);
  // The position's own leverage follows when it is held in this margin mode.
  if (ctx.perp.marginMode('okx', account, m.symbol) === mode)
    ctx.perp.setLeverage('okx', account, m.symbol, lever);
  return okxOk([{ lever: String(lever), mgnMode: mode, instId: m.id, posSide: 'net' }]);
};

/** GET /api/v5/account/leverage-info?instId&mgnMode ("Get leverage"). */
const leverageInfo: OkxHandler = ({ req, ctx, key }) => {
  const mode = req.query.get('mgnMode');
  if (!mode) return okxReply(400, 50014, 'Parameter mgnMode can not be empty.');
  const ids = (req.query.get('instId') ?? '').split(',').filter(Boolean);
  if (ids.length === 0) return okxReply(400, 50014, 'Parameter instId can not be empty.');
  const account = accountOf(key);
  const rows = ids.map((id) => findPerp('okx', id)).filter((m): m is PerpRules => Boolean(m));
  return okxOk(
    rows.map((m) => ({
      instId: m.id,
      mgnMode: mode,
      posSide: 'net',
      lever: String(ctx.perp.leverage('okx', account, leverageKey(m.symbol, mode))),
    })),
  );
};

/** [needs read permission, handler] */
export const OKX_SWAP_ACCOUNT: Record<string, [boolean, OkxHandler]> = {
  'GET /api/v5/account/positions': [true, positions],
  'POST /api/v5/account/set-leverage': [false, setLeverage],
  'GET /api/v5/account/leverage-info': [true, leverageInfo],
};
