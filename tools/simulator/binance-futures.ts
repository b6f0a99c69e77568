/**
 * Binance USDⓈ-M futures (/fapi): market data, account, leverage, margin type and positions,
 * as ccxt 4.5.84 calls them with `options.fetchMarkets.types = ['linear']` (binance.js
 * fetchMarkets, fetchTicker, fetchBalance, setLeverage, setMarginMode, fetchPositionsRisk,
 * loadLeverageBrackets, fetchLeverages / fetchMarginModes). Orders: binance-futures-orders.ts.
 *
 * Docs: https://developers.binance.com/docs/derivatives/usds-margined-futures/general-info and the
 * endpoint pages cited beside each handler; error codes:
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/error-code
 */
import { dec, fmt, mul } from '../../src/lib/decimal.js';
import type { SimContext } from './context.js';
import { reply } from './dialect.js';
import { accountOf, granted } from './keys.js';
import { findPerp, perpsOf, type PerpRules } from './perp-markets.js';
import type { PositionView } from './perp-types.js';
import {
  binanceError,
  KEY_REJECTED,
  mandatory,
  type BinanceCall,
  type BinanceHandler,
  type Need,
} from './binance-common.js';
import type { SimRequest, SimResponse } from './types.js';

/**
 * Every /fapi private endpoint refuses a key without "Enable Futures" with -2015 (HTTP 401), the
 * same answer as a bad key or IP (Binance error codes, -2015 REJECTED_MBX_KEY "Invalid API-key,
 * IP, or permissions for action."). apiRestrictions reports the flag as `enableFutures`.
 */
export function futuresOnly(handler: BinanceHandler): BinanceHandler {
  return (call) =>
    granted(call.key, 'futures') ? handler(call) : binanceError(401, -2015, KEY_REJECTED);
}

/** "Exchange Information" PERCENT_PRICE: limit prices within ±5 % of the mark price. */
export const PERCENT_PRICE = {
  multiplierUp: '1.0500',
  multiplierDown: '0.9500',
  multiplierDecimal: '4',
};

function filters(m: PerpRules): unknown[] {
  return [
    { filterType: 'PRICE_FILTER', minPrice: m.raw.tick, maxPrice: '4529764', tickSize: m.raw.tick },
    { filterType: 'LOT_SIZE', minQty: m.raw.minQty, maxQty: m.raw.maxQty, stepSize: m.raw.step },
    {
      filterType: 'MARKET_LOT_SIZE',
      minQty: m.raw.minQty,
      maxQty: m.raw.maxQty,
      stepSize: m.raw.step,
    },
    { filterType: 'MAX_NUM_ORDERS', limit: 200 },
    { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
    { filterType: 'MIN_NOTIONAL', notional: fmt(m.minNotional ?? 0n) },
    { filterType: 'PERCENT_PRICE', ...PERCENT_PRICE },
  ];
}

/** GET /fapi/v1/exchangeInfo (".../market-data/rest-api/Exchange-Information"). */
function exchangeInfo(_req: SimRequest, ctx: SimContext): SimResponse {
  return reply(200, {
    timezone: 'UTC',
    serverTime: ctx.now(),
    futuresType: 'U_MARGINED',
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300 },
    ],
    exchangeFilters: [],
    assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
    symbols: perpsOf('binance').map((m) => ({
      symbol: m.id,
      pair: m.id,
      contractType: 'PERPETUAL',
      deliveryDate: 4133404800000,
      onboardDate: 1569398400000,
      status: 'TRADING',
      maintMarginPercent: '2.5000',
      requiredMarginPercent: '5.0000',
      baseAsset: m.base,
      quoteAsset: m.quote,
      marginAsset: m.settle,
      pricePrecision: m.pricePrecision,
      quantityPrecision: m.qtyPrecision,
      baseAssetPrecision: 8,
      quotePrecision: 8,
      underlyingType: 'COIN',
      underlyingSubType: [],
      triggerProtect: '0.0500',
      liquidationFee: '0.012500',
      marketTakeBound: '0.05',
      maxMoveOrderLimit: 10000,
      filters: filters(m),
      orderTypes: [
        'LIMIT',
        'MARKET',
        'STOP',
        'STOP_MARKET',
        'TAKE_PROFIT',
        'TAKE_PROFIT_MARKET',
        'TRAILING_STOP_MARKET',
      ],
      timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
      permissionSet: ['GRID', 'COPY'],
    })),
  });
}

type PublicHandler = (req: SimRequest, ctx: SimContext) => SimResponse;

/** Public market data for one symbol or all: ticker/24hr, ticker/price, bookTicker, premiumIndex. */
function perSymbol(render: (m: PerpRules, price: string, now: number) => unknown): PublicHandler {
  return (req, ctx) => {
    const one = (m: PerpRules) => render(m, fmt(ctx.perp.price('binance', m)), ctx.now());
    const symbol = req.query.get('symbol');
    if (!symbol) return reply(200, perpsOf('binance').map(one));
    const m = findPerp('binance', symbol);
    return m && m.id === symbol ? reply(200, one(m)) : binanceError(400, -1121, 'Invalid symbol.');
  };
}

export const BINANCE_FUTURES_PUBLIC: Record<string, PublicHandler> = {
  'GET /fapi/v1/ping': () => reply(200, {}),
  'GET /fapi/v1/time': (_req, ctx) => reply(200, { serverTime: ctx.now() }),
  'GET /fapi/v1/exchangeInfo': exchangeInfo,
  'GET /fapi/v1/ticker/24hr': perSymbol((m, p, now) => ({
    symbol: m.id,
    priceChange: '0',
    priceChangePercent: '0.000',
    weightedAvgPrice: p,
    lastPrice: p,
    lastQty: m.raw.minQty,
    openPrice: p,
    highPrice: p,
    lowPrice: p,
    volume: '1000',
    quoteVolume: fmt(mul(dec(p), dec('1000'))),
    openTime: now - 86_400_000,
    closeTime: now,
    firstId: 1,
    lastId: 1000,
    count: 1000,
  })),
  'GET /fapi/v1/ticker/price': perSymbol((m, p, now) => ({ symbol: m.id, price: p, time: now })),
  'GET /fapi/v2/ticker/price': perSymbol((m, p, now) => ({ symbol: m.id, price: p, time: now })),
  'GET /fapi/v1/ticker/bookTicker': perSymbol((m, p, now) => ({
    symbol: m.id,
    bidPrice: p,
    bidQty: '10',
    askPrice: p,
    askQty: '10',
    time: now,
  })),
  // "Mark Price" (.../market-data/rest-api/Mark-Price): the simulator's mark is its last price.
  'GET /fapi/v1/premiumIndex': perSymbol((m, p, now) => ({
    symbol: m.id,
    markPrice: p,
    indexPrice: p,
    estimatedSettlePrice: p,
    lastFundingRate: '0.00010000',
    interestRate: '0.00010000',
    nextFundingTime: Math.ceil(now / 28_800_000) * 28_800_000,
    time: now,
  })),
};

// ---- account -----------------------------------------------------------------------------

const account = ({ key }: BinanceCall) => accountOf(key);

function positionJson(p: PositionView, m: PerpRules, v2: boolean): Record<string, unknown> {
  const isolated = p.marginMode === 'isolated';
  const margin = fmt(p.initialMargin);
  const base = {
    symbol: m.id,
    positionSide: 'BOTH',
    positionAmt: fmt(p.size),
    entryPrice: fmt(p.entryPrice),
    breakEvenPrice: fmt(p.entryPrice),
    markPrice: fmt(p.markPrice),
    unRealizedProfit: fmt(p.unrealizedPnl),
    liquidationPrice: '0',
    isolatedMargin: isolated ? margin : '0',
    notional: fmt(p.size < 0n ? -p.notional : p.notional),
    isolatedWallet: isolated ? margin : '0',
    updateTime: p.updatedAt,
  };
  // v2 carries leverage and marginType; v3 does not (FACTS.md, ccxt fetchPositionsRisk useV2).
  return v2
    ? {
        ...base,
        leverage: String(p.leverage),
        marginType: isolated ? 'isolated' : 'cross',
        isAutoAddMargin: 'false',
        maxNotionalValue: '1000000',
      }
    : {
        ...base,
        marginAsset: 'USDT',
        initialMargin: margin,
        maintMargin: fmt(p.initialMargin / 10n),
        positionInitialMargin: margin,
        openOrderInitialMargin: '0',
        adl: 0,
        bidNotional: '0',
        askNotional: '0',
      };
}

/** The open positions; v2 lists every symbol (zero positions too), v3 only those open. */
function positionRisk(v2: boolean): BinanceHandler {
  return (call) => {
    const { ctx, params } = call;
    const symbol = params.get('symbol');
    const wanted = symbol ? findPerp('binance', symbol) : undefined;
    if (symbol && (!wanted || wanted.id !== symbol))
      return binanceError(400, -1121, 'Invalid symbol.');
    const acct = account(call);
    const rows = perpsOf('binance')
      .filter((m) => !wanted || m === wanted)
      .map((m) => ctx.perp.view(ctx.perp.position('binance', acct, m.symbol)))
      .filter((p) => v2 || p.size !== 0n)
      .map((p) => positionJson(p, findPerp('binance', p.symbol) as PerpRules, v2));
    return reply(200, rows);
  };
}

/**
 * GET /fapi/v3/account and /fapi/v2/account ("Account Information V3"): the USDT asset with
 * its wallet, margin and available balance (ccxt reads availableBalance, initialMargin and
 * marginBalance, and skips assets whose updateTime is 0).
 */
const accountInfo: BinanceHandler = (call) => {
  const { ctx } = call;
  const acct = account(call);
  const f = ctx.perp.funds('binance', acct);
  const im = f.positionMargin + f.orderMargin;
  const usdt = {
    asset: 'USDT',
    walletBalance: fmt(f.wallet),
    unrealizedProfit: fmt(f.unrealizedPnl),
    marginBalance: fmt(f.wallet + f.unrealizedPnl),
    maintMargin: fmt(f.positionMargin / 10n),
    initialMargin: fmt(im),
    positionInitialMargin: fmt(f.positionMargin),
    openOrderInitialMargin: fmt(f.orderMargin),
    crossWalletBalance: fmt(f.wallet),
    crossUnPnl: fmt(f.unrealizedPnl),
    availableBalance: fmt(f.available),
    maxWithdrawAmount: fmt(f.available),
    updateTime: ctx.now(),
  };
  return reply(200, {
    totalInitialMargin: usdt.initialMargin,
    totalMaintMargin: usdt.maintMargin,
    totalWalletBalance: usdt.walletBalance,
    totalUnrealizedProfit: usdt.unrealizedProfit,
    totalMarginBalance: usdt.marginBalance,
    totalPositionInitialMargin: usdt.positionInitialMargin,
    totalOpenOrderInitialMargin: usdt.openOrderInitialMargin,
    totalCrossWalletBalance: usdt.crossWalletBalance,
    totalCrossUnPnl: usdt.crossUnPnl,
    availableBalance: usdt.availableBalance,
    maxWithdrawAmount: usdt.maxWithdrawAmount,
    assets: [usdt],
    positions: ctx.perp.openPositions('binance', acct).map((p) => ({
      ...positionJson(p, findPerp('binance', p.symbol) as PerpRules, false),
    })),
  });
};

function needSymbol(call: BinanceCall): PerpRules | SimResponse {
  const symbol = call.params.get('symbol');
  if (!symbol) return mandatory('symbol');
  const m = findPerp('binance', symbol);
  return m && m.id === symbol ? m : binanceError(400, -1121, 'Invalid symbol.');
}

const isRules = (v: PerpRules | SimResponse): v is PerpRules => 'spotSymbol' in v;

/**
 * POST /fapi/v1/leverage ("Change Initial Leverage"): {leverage, maxNotionalValue, symbol};
 * an integer 1–125, else -4028 "Leverage N is not valid". Setting the same value again answers
 * the same way (idempotent).
 */
const setLeverage: BinanceHandler = (call) => {
  const m = needSymbol(call);
  if (!isRules(m)) return m;
  const raw = call.params.get('leverage');
  if (!raw) return mandatory('leverage');
  const lev = Number(raw);
  if (!Number.isInteger(lev) || lev < 1 || lev > m.maxLeverage)
    return binanceError(400, -4028, `Leverage ${raw} is not valid`);
  call.ctx.perp.setLeverage('binance', account(call), m.symbol, lev);
  return reply(200, { leverage: lev, maxNotionalValue: '1000000', symbol: m.id });
};

/**
 * POST /fapi/v1/marginType ("Change Margin Type"): ISOLATED or CROSSED → {"code":200,"msg":"success"};
 * the current type again → -4046 "No need to change margin type."; with a position open -4048,
 * with open orders -4047 (error codes page).
 */
const setMarginType: BinanceHandler = (call) => {
  const m = needSymbol(call);
  if (!isRules(m)) return m;
  const raw = call.params.get('marginType');
  if (!raw) return mandatory('marginType');
  if (raw !== 'ISOLATED' && raw !== 'CROSSED')
    return binanceError(400, -1116, 'Invalid marginType.');
  const mode = raw === 'ISOLATED' ? 'isolated' : 'cross';
  const acct = account(call);
  const perp = call.ctx.perp;
  if (perp.marginMode('binance', acct, m.symbol) === mode)
    return binanceError(400, -4046, 'No need to change margin type.');
  if (perp.position('binance', acct, m.symbol).size !== 0n)
    return binanceError(400, -4048, 'Margin type cannot be changed if there exists position.');
  if (perp.openOrders('binance', acct).some((o) => o.symbol === m.symbol))
    return binanceError(400, -4047, 'Margin type cannot be changed if there exists open orders.');
  perp.setMarginMode('binance', acct, m.symbol, mode);
  return reply(200, { code: 200, msg: 'success' });
};

/** GET /fapi/v1/symbolConfig ("Symbol Configuration"): margin type and leverage per symbol. */
const symbolConfig: BinanceHandler = (call) => {
  const symbol = call.params.get('symbol');
  const acct = account(call);
  return reply(
    200,
    perpsOf('binance')
      .filter((m) => !symbol || m.id === symbol)
      .map((m) => ({
        symbol: m.id,
        marginType:
          call.ctx.perp.marginMode('binance', acct, m.symbol) === 'isolated'
            ? 'ISOLATED'
            : 'CROSSED',
        isAutoAddMargin: 'false',
        leverage: call.ctx.perp.leverage('binance', acct, m.symbol),
        maxNotionalValue: '1000000',
      })),
  );
};

/** GET /fapi/v1/leverageBracket ("Notional and Leverage Brackets"): one bracket per symbol. */
const leverageBracket: BinanceHandler = (call) => {
  const symbol = call.params.get('symbol');
  return reply(
    200,
    perpsOf('binance')
      .filter((m) => !symbol || m.id === symbol)
      .map((m) => ({
        symbol: m.id,
        notionalCoef: 1.0,
        brackets: [
          {
            bracket: 1,
            initialLeverage: m.maxLeverage,
            notionalCap: 1000000,
            notionalFloor: 0,
            maintMarginRatio: 0.004,
            cum: 0,
          },
        ],
      })),
  );
};

export const BINANCE_FUTURES_ACCOUNT: Record<string, [Need, BinanceHandler]> = {
  'GET /fapi/v3/account': ['read', futuresOnly(accountInfo)],
  'GET /fapi/v2/account': ['read', futuresOnly(accountInfo)],
  'GET /fapi/v3/positionRisk': ['read', futuresOnly(positionRisk(false))],
  'GET /fapi/v2/positionRisk': ['read', futuresOnly(positionRisk(true))],
  'POST /fapi/v1/leverage': ['key', futuresOnly(setLeverage)],
  'POST /fapi/v1/marginType': ['key', futuresOnly(setMarginType)],
  'GET /fapi/v1/symbolConfig': ['read', futuresOnly(symbolConfig)],
  'GET /fapi/v1/leverageBracket': ['read', futuresOnly(leverageBracket)],
  // One-way mode only ("Get Current Position Mode"): positions net per symbol.
  'GET /fapi/v1/positionSide/dual': [
    'read',
    futuresOnly(() => reply(200, { dualSidePosition: false })),
  ],
};
