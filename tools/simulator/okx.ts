/**
 * OKX v5 dialect (spot, cash mode): public instruments and tickers, account config, balance,
 * currencies; trading lives in okx-orders.ts. Auth failures are HTTP 401 with OKX's codes; demo
 * trading is the same host plus the header x-simulated-trading: 1.
 */
import {
  markPrice,
  OKX_SWAP_ACCOUNT,
  isSwapInst,
  swapInstruments,
  swapTicker,
} from './okx-swap.js';
import { OKX_ALGO_ROUTES, okxAlgoDraft } from './okx-swap-algo.js';
import { findPerp, perpsOf, type PerpRules } from './perp-markets.js';
import type { SimContext } from './context.js';
import { fmt, mul } from '../../src/lib/decimal.js';
import { type Dialect } from './dialect.js';
import { accountOf, granted } from './keys.js';
import { marketsOf, type MarketRules } from './markets.js';
import {
  canTrade as canTradeAny,
  NO_PERMISSION,
  okxOk,
  okxReply,
  type OkxCall,
  type OkxHandler,
} from './okx-common.js';
import { OKX_ORDER_ROUTES, okxOrderDraft } from './okx-orders.js';
import { verifyOkx, type AuthFailure } from './signing.js';
import type { SimRequest, SimResponse } from './types.js';

function authError(failure: AuthFailure, detail?: string): SimResponse {
  const e = (code: number, msg: string) => okxReply(401, code, msg);
  switch (failure) {
    case 'missing-param': {
      const codes: Record<string, number> = {
        'OK-ACCESS-KEY': 50103,
        'OK-ACCESS-PASSPHRASE': 50104,
        'OK-ACCESS-SIGN': 50106,
        'OK-ACCESS-TIMESTAMP': 50107,
      };
      return e(codes[detail ?? ''] ?? 50103, `Request header "${detail}" cannot be empty.`);
    }
    case 'timestamp-format':
      return e(50112, 'Invalid OK-ACCESS-TIMESTAMP.');
    case 'timestamp':
      return e(50102, 'Timestamp request expired.');
    case 'environment':
      return e(50101, 'APIKey does not match current environment.');
    case 'passphrase':
      return e(50105, 'Request header "OK-ACCESS-PASSPHRASE" incorrect.');
    case 'signature':
      return e(50113, 'Invalid signature.');
    case 'ip':
      return e(50110, `Your IP ${detail} is not included in your API key's IP whitelist.`);
    default:
      return e(50111, 'Invalid OK-ACCESS-KEY.');
  }
}

export const emptyParam = (name: string): SimResponse =>
  okxReply(400, 50014, `Parameter ${name} can not be empty.`);

function instrument(m: MarketRules): unknown {
  return {
    alias: '',
    auctionEndTime: '',
    baseCcy: m.base,
    category: '1',
    ctMult: '',
    ctType: '',
    ctVal: '',
    ctValCcy: '',
    expTime: '',
    instFamily: '',
    instId: m.id,
    instType: 'SPOT',
    lever: '10',
    listTime: '1606468572000',
    lotSz: m.raw['step'],
    maxIcebergSz: '9999999999.0000000000000000',
    maxLmtAmt: '20000000',
    maxLmtSz: m.raw['maxQty'],
    maxMktAmt: '1000000',
    maxMktSz: '1000000',
    maxStopSz: '1000000',
    maxTriggerSz: '9999999999.0000000000000000',
    maxTwapSz: '9999999999.0000000000000000',
    minSz: m.raw['minQty'],
    optType: '',
    quoteCcy: m.quote,
    ruleType: 'normal',
    settleCcy: '',
    state: 'live',
    stk: '',
    tickSz: m.raw['tick'],
    uly: '',
  };
}

function instruments(req: SimRequest): SimResponse {
  const instType = req.query.get('instType');
  if (!instType) return emptyParam('instType');
  if (instType === 'SWAP') return swapInstruments(req);
  const instId = req.query.get('instId');
  const list =
    instType === 'SPOT' ? marketsOf('okx').filter((m) => !instId || m.id === instId) : [];
  return okxOk(list.map(instrument));
}

function tickerOf(ctx: SimContext, m: MarketRules): unknown {
  const last = ctx.book.prices.get('okx', m.symbol);
  const p = fmt(last);
  return {
    instType: 'SPOT',
    instId: m.id,
    last: p,
    lastSz: '0.01',
    askPx: p,
    askSz: '1',
    bidPx: p,
    bidSz: '1',
    open24h: p,
    high24h: p,
    low24h: p,
    volCcy24h: fmt(last * 1000n),
    vol24h: '1000',
    sodUtc0: p,
    sodUtc8: p,
    ts: String(ctx.now()),
  };
}

const PUBLIC: Record<string, (req: SimRequest, ctx: SimContext) => SimResponse> = {
  'GET /api/v5/public/time': (_req, ctx) => okxOk([{ ts: String(ctx.now()) }]),
  'GET /api/v5/public/instruments': instruments,
  'GET /api/v5/market/ticker': (req, ctx) => {
    const instId = req.query.get('instId');
    if (!instId) return emptyParam('instId');
    if (isSwapInst(instId)) {
      const perp = findPerp('okx', instId);
      return perp
        ? okxOk([swapTicker(ctx, perp)])
        : okxReply(200, 51001, "Instrument ID, Instrument ID code or Spread ID doesn't exist.");
    }
    const m = marketsOf('okx').find((x) => x.id === instId);
    return m
      ? okxOk([tickerOf(ctx, m)])
      : okxReply(200, 51001, "Instrument ID, Instrument ID code or Spread ID doesn't exist.");
  },
  'GET /api/v5/market/tickers': (req, ctx) => {
    const instType = req.query.get('instType');
    if (!instType) return emptyParam('instType');
    if (instType === 'SWAP') return okxOk(perpsOf('okx').map((m: PerpRules) => swapTicker(ctx, m)));
    return okxOk(instType === 'SPOT' ? marketsOf('okx').map((m) => tickerOf(ctx, m)) : []);
  },
  'GET /api/v5/public/mark-price': markPrice,
};

function accountConfig({ key }: OkxCall): SimResponse {
  const perm = [
    granted(key, 'read') && 'read_only',
    canTradeAny(key) && 'trade',
    granted(key, 'withdraw') && 'withdraw',
  ]
    .filter(Boolean)
    .join(',');
  return okxOk([
    {
      acctLv: '2',
      acctStpMode: 'cancel_maker',
      autoLoan: false,
      ctIsoMode: 'automatic',
      enableSpotBorrow: false,
      greeksType: 'PA',
      feeType: '0',
      ip: (key.ipList ?? []).join(','),
      type: '0',
      kycLv: '2',
      label: key.label ?? '',
      level: 'Lv1',
      levelTmp: '',
      liquidationGear: '-1',
      mainUid: '44705892343619584',
      mgnIsoMode: 'automatic',
      opAuth: '0',
      perm,
      posMode: 'net_mode',
      roleType: '0',
      spotBorrowAutoRepay: false,
      spotOffsetType: '',
      spotRoleType: '0',
      spotTraderInsts: [],
      stgyType: '0',
      traderInsts: [],
      uid: '44705892343619584',
      settleCcy: 'USDT',
      settleCcyList: ['USD', 'USDC', 'USDG'],
    },
  ]);
}

function balance({ ctx, req, key }: OkxCall): SimResponse {
  const wanted = req.query.get('ccy')?.split(',');
  const now = String(ctx.now());
  const usd = (asset: string, amount: bigint) =>
    asset === 'USDT' ? amount : mul(amount, ctx.book.prices.get('okx', `${asset}/USDT`));
  let total = 0n;
  const details = [...ctx.book.balances('okx', accountOf(key))]
    .filter(([asset, b]) => (wanted ? wanted.includes(asset) : b.total !== 0n))
    .map(([ccy, b]) => {
      total += usd(ccy, b.total);
      // USDT is also the swaps' margin (one trading account): margin in use is frozen.
      const perp = ccy === 'USDT' ? ctx.perp.funds('okx', accountOf(key)) : undefined;
      const held = perp ? perp.positionMargin + perp.orderMargin : 0n;
      const [eq, free, locked, eqUsd] = [
        fmt(b.total),
        fmt(b.free - held),
        fmt(b.locked + held),
        fmt(usd(ccy, b.total)),
      ];
      return {
        ccy,
        eq,
        cashBal: eq,
        availBal: free,
        availEq: free,
        frozenBal: locked,
        ordFrozen: locked,
        eqUsd,
        disEq: eqUsd,
        spotBal: eq,
        fixedBal: '0',
        borrowFroz: '',
        crossLiab: '',
        interest: '',
        isoEq: '',
        isoLiab: '',
        isoUpl: '',
        liab: '',
        maxLoan: '',
        mgnRatio: '',
        notionalLever: '',
        rewardBal: '0',
        spotInUseAmt: '',
        spotIsoBal: '0',
        stgyEq: '0',
        twap: '0',
        upl: fmt(perp?.unrealizedPnl ?? 0n),
        uplLiab: '',
        uTime: now,
      };
    });
  const t = fmt(total);
  return okxOk([
    {
      adjEq: '',
      availEq: '',
      borrowFroz: '',
      details,
      imr: '',
      isoEq: '0',
      mgnRatio: '',
      mmr: '',
      notionalUsd: '',
      ordFroz: '',
      totalEq: t,
      uTime: now,
      upl: '0',
    },
  ]);
}

function currencies(): SimResponse {
  return okxOk(
    ['BTC', 'ETH', 'SOL', 'USDT'].map((ccy) => ({
      ccy,
      name: ccy,
      chain: `${ccy}-${ccy}`,
      canDep: true,
      canWd: true,
      canInternal: true,
      minDep: '0',
      minWd: '0',
      maxWd: '1000000',
      wdTickSz: '8',
      wdQuota: '10000000',
      usedWdQuota: '0',
      minFee: '0',
      maxFee: '0',
      mainNet: true,
      needTag: false,
      minDepArrivalConfirm: '1',
      minWdUnlockConfirm: '1',
      logoLink: '',
    })),
  );
}

/** [needs read permission, handler] */
const PRIVATE: Record<string, [boolean, OkxHandler]> = {
  'GET /api/v5/account/config': [false, accountConfig],
  'GET /api/v5/account/balance': [true, balance],
  'GET /api/v5/asset/currencies': [true, currencies],
  ...OKX_ORDER_ROUTES,
  ...OKX_SWAP_ACCOUNT,
  ...OKX_ALGO_ROUTES,
};

export const okx: Dialect = {
  handle(req, ctx) {
    const route = `${req.method} ${req.path}`;
    const pub = PUBLIC[route];
    if (pub) return pub(req, ctx);
    const priv = PRIVATE[route];
    if (!priv) return okxReply(404, 404, 'Not Found');
    const auth = verifyOkx(req, { keys: ctx.keys, now: ctx.now(), clientIp: ctx.clientIp() });
    if (!auth.ok) return { ...authError(auth.failure, auth.detail), apiKey: auth.apiKey };
    const [needsRead, handler] = priv;
    const res =
      needsRead && !granted(auth.key, 'read')
        ? NO_PERMISSION()
        : handler({ req, ctx, key: auth.key });
    return { ...res, apiKey: auth.key.apiKey };
  },
  rateLimited() {
    return { ...okxReply(429, 50011, 'Too Many Requests'), fault: 'rateLimit' };
  },
  orderDraft: (req, now) => okxOrderDraft(req, now) ?? okxAlgoDraft(req, now),
};
