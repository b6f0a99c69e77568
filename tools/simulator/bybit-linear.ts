/**
 * Bybit v5 USDT perpetuals (category=linear) on a unified trading account: instruments, tickers,
 * positions, leverage and the account-wide margin mode, as ccxt 4.5.84 calls them with
 * `options.fetchMarkets.types = ['linear']` (bybit.js fetchFutureMarkets, fetchTicker,
 * fetchPositions, setLeverage, setMarginMode (UTA: /v5/account/set-margin-mode), fetchLeverage,
 * fetchMarginMode (/v5/account/info marginMode)). Orders: bybit-linear-orders.ts.
 */
import { fmt, mul } from '../../src/lib/decimal.js';
import type { SimContext } from './context.js';
import { accountOf, granted, readOnly } from './keys.js';
import { findPerp, perpsOf, type PerpRules } from './perp-markets.js';
import { bybitReply, ok, PERMISSION_DENIED, type BybitHandler } from './bybit-common.js';
import { str } from './dialect.js';
import type { SimKeyConfig, SimRequest, SimResponse } from './types.js';

/**
 * Derivatives need the key's "Contract" permissions (query-api `ContractTrade: ["Order",
 * "Position"]`, `Derivatives: ["DerivativesTrade"]`); without them Bybit answers 10005
 * "Permission denied, please check your API key permissions." (https://bybit-exchange.github.io/docs/v5/error).
 */
export function canTradeLinear(key: SimKeyConfig): boolean {
  return granted(key, 'futures') && !readOnly(key);
}

/** "Get Instruments Info" (https://bybit-exchange.github.io/docs/v5/market/instrument), linear. */
function instrument(m: PerpRules): unknown {
  return {
    symbol: m.id,
    contractType: 'LinearPerpetual',
    status: 'Trading',
    baseCoin: m.base,
    quoteCoin: m.quote,
    launchTime: '1584230400000',
    deliveryTime: '0',
    deliveryFeeRate: '',
    priceScale: String(m.pricePrecision),
    leverageFilter: { minLeverage: '1', maxLeverage: `${m.maxLeverage}.00`, leverageStep: '0.01' },
    priceFilter: { minPrice: m.raw.tick, maxPrice: '1999999.80', tickSize: m.raw.tick },
    lotSizeFilter: {
      maxOrderQty: m.raw.maxQty,
      minOrderQty: m.raw.minQty,
      qtyStep: m.raw.step,
      postOnlyMaxOrderQty: m.raw.maxQty,
      maxMktOrderQty: m.raw.maxQty,
      minNotionalValue: fmt(m.minNotional ?? 0n),
    },
    unifiedMarginTrade: true,
    fundingInterval: 480,
    settleCoin: m.settle,
    copyTrading: 'both',
    upperFundingRate: '0.00375',
    lowerFundingRate: '-0.00375',
    isPreListing: false,
    preListingInfo: null,
    riskParameters: { priceLimitRatioX: '0.01', priceLimitRatioY: '0.02' },
    displayName: '',
  };
}

function pick(req: SimRequest): PerpRules[] {
  const symbol = req.query.get('symbol');
  // ccxt also asks for status=PreLaunch markets: the simulator lists none.
  if (req.query.get('status') === 'PreLaunch') return [];
  return perpsOf('bybit').filter((m) => !symbol || m.id === symbol);
}

export function linearInstruments(req: SimRequest, ctx: SimContext): SimResponse {
  return ok(ctx, { category: 'linear', list: pick(req).map(instrument), nextPageCursor: '' });
}

/** "Get Tickers" (https://bybit-exchange.github.io/docs/v5/market/tickers): mark = last price. */
export function linearTickers(req: SimRequest, ctx: SimContext): SimResponse {
  const now = ctx.now();
  const list = pick(req).map((m) => {
    const price = ctx.perp.price('bybit', m);
    const p = fmt(price);
    return {
      symbol: m.id,
      lastPrice: p,
      indexPrice: p,
      markPrice: p,
      prevPrice24h: p,
      price24hPcnt: '0',
      highPrice24h: p,
      lowPrice24h: p,
      prevPrice1h: p,
      openInterest: '1000',
      openInterestValue: fmt(mul(price, 1000n * 10n ** 12n)),
      turnover24h: fmt(mul(price, 1000n * 10n ** 12n)),
      volume24h: '1000',
      fundingRate: '0.0001',
      nextFundingTime: String(Math.ceil(now / 28_800_000) * 28_800_000),
      predictedDeliveryPrice: '',
      basisRate: '',
      deliveryFeeRate: '',
      deliveryTime: '0',
      ask1Size: '10',
      bid1Price: p,
      ask1Price: p,
      bid1Size: '10',
      basis: '',
    };
  });
  return ok(ctx, { category: 'linear', list });
}

/**
 * "Get Position Info" (https://bybit-exchange.github.io/docs/v5/position): by symbol the
 * position is listed even when empty (side "", size "0"); by settleCoin only open ones. The
 * position's TP/SL are those of its open TakeProfit / StopLoss orders.
 */
const positionList: BybitHandler = ({ ctx, key, params }) => {
  if (params['category'] !== 'linear')
    return bybitReply(ctx, 10001, 'params error: Illegal category');
  const symbol = str(params['symbol']);
  if (!symbol && !params['settleCoin'])
    return bybitReply(ctx, 10001, 'params error: symbol or settleCoin is required');
  const m = symbol ? findPerp('bybit', symbol) : undefined;
  if (symbol && (!m || m.id !== symbol))
    return bybitReply(ctx, 10001, 'params error: symbol invalid');
  const account = accountOf(key);
  const open = ctx.perp.openOrders('bybit', account);
  const list = perpsOf('bybit')
    .filter((x) => (m ? x === m : true))
    .map((x) => ctx.perp.view(ctx.perp.position('bybit', account, x.symbol)))
    .filter((p) => m || p.size !== 0n)
    .map((p) => {
      const rules = findPerp('bybit', p.symbol) as PerpRules;
      const leg = (tag: string) =>
        open.find((o) => o.symbol === p.symbol && o.cancelOnFlat && o.tag === tag)?.legs?.[0]
          ?.price;
      const tp = leg('TakeProfit');
      const sl = leg('StopLoss');
      return {
        positionIdx: 0,
        riskId: 1,
        riskLimitValue: '2000000',
        symbol: rules.id,
        side: p.size > 0n ? 'Buy' : p.size < 0n ? 'Sell' : '',
        size: fmt(p.size < 0n ? -p.size : p.size),
        avgPrice: fmt(p.entryPrice),
        positionValue: fmt(mul(p.size < 0n ? -p.size : p.size, p.entryPrice)),
        tradeMode: 0, // deprecated for unified accounts: the margin mode is account-wide
        autoAddMargin: 0,
        positionStatus: 'Normal',
        leverage: String(p.leverage),
        markPrice: fmt(p.markPrice),
        liqPrice: '',
        bustPrice: '',
        positionIM: fmt(p.initialMargin),
        positionMM: fmt(p.initialMargin / 10n),
        positionBalance: '0',
        takeProfit: tp === undefined ? '0' : fmt(tp),
        stopLoss: sl === undefined ? '0' : fmt(sl),
        trailingStop: '0',
        sessionAvgPrice: '',
        unrealisedPnl: fmt(p.unrealizedPnl),
        curRealisedPnl: '0',
        cumRealisedPnl: '0',
        adlRankIndicator: 0,
        createdTime: String(p.updatedAt),
        updatedTime: String(p.updatedAt),
        seq: 1,
        isReduceOnly: false,
        mmrSysUpdatedTime: '',
        leverageSysUpdatedTime: '',
        tpslMode: 'Full',
      };
    });
  return ok(ctx, { category: 'linear', list, nextPageCursor: '' });
};

/**
 * POST /v5/position/set-leverage (https://bybit-exchange.github.io/docs/v5/position/leverage):
 * buyLeverage = sellLeverage in one-way mode; the same leverage again answers 110043 "Set
 * leverage not modified" (ccxt bybit maps it to BadRequest).
 */
const setLeverage: BybitHandler = ({ ctx, key, params }) => {
  if (params['category'] !== 'linear')
    return bybitReply(ctx, 10001, 'params error: Illegal category');
  if (!canTradeLinear(key)) return bybitReply(ctx, 10005, PERMISSION_DENIED);
  const m = findPerp('bybit', str(params['symbol']));
  if (!m || m.id !== params['symbol'])
    return bybitReply(ctx, 10001, 'params error: symbol invalid');
  const buy = Number(str(params['buyLeverage']));
  const sell = Number(str(params['sellLeverage']));
  if (buy !== sell)
    return bybitReply(ctx, 10001, 'buy leverage must be equal to sell leverage in one-way mode');
  if (!Number.isFinite(buy) || buy < 1 || buy > m.maxLeverage)
    return bybitReply(ctx, 10001, `leverage invalid, it should be in [1, ${m.maxLeverage}]`);
  const account = accountOf(key);
  if (ctx.perp.leverage('bybit', account, m.symbol) === buy)
    return bybitReply(ctx, 110043, 'Set leverage not modified');
  ctx.perp.setLeverage('bybit', account, m.symbol, buy);
  return ok(ctx, {});
};

const MODES: Record<string, 'cross' | 'isolated'> = {
  REGULAR_MARGIN: 'cross',
  ISOLATED_MARGIN: 'isolated',
};

/**
 * POST /v5/account/set-margin-mode (https://bybit-exchange.github.io/docs/v5/account/set-margin-mode):
 * account-wide on a unified account; "Request accepted" with `reasons` []; refused (3400045 "Set
 * margin mode failed", with a reason) while positions are open. PORTFOLIO_MARGIN is not modelled.
 */
const setMarginMode: BybitHandler = ({ ctx, key, params }) => {
  if (!canTradeLinear(key)) return bybitReply(ctx, 10005, PERMISSION_DENIED);
  const mode = MODES[String(params['setMarginMode'])];
  if (!mode) return bybitReply(ctx, 10001, 'params error: setMarginMode invalid');
  const account = accountOf(key);
  if (
    ctx.perp.marginMode('bybit', account, '*') !== mode &&
    ctx.perp.openPositions('bybit', account).length > 0
  )
    return bybitReply(ctx, 3400045, 'Set margin mode failed', {
      reasons: [{ reasonCode: '3400045', reasonMsg: 'Positions exist, please close them first' }],
    });
  ctx.perp.setMarginMode('bybit', account, '*', mode);
  return { ...bybitReply(ctx, 0, 'Request accepted', { reasons: [] }) };
};

/** The account-wide margin mode as /v5/account/info shows it. */
export function bybitMarginMode(ctx: SimContext, key: SimKeyConfig): string {
  return ctx.perp.marginMode('bybit', accountOf(key), '*') === 'isolated'
    ? 'ISOLATED_MARGIN'
    : 'REGULAR_MARGIN';
}

/** [needs read permission, handler] */
export const BYBIT_LINEAR_ROUTES: Record<string, [boolean, BybitHandler]> = {
  'GET /v5/position/list': [true, positionList],
  'POST /v5/position/set-leverage': [false, setLeverage],
  'POST /v5/account/set-margin-mode': [false, setMarginMode],
};
