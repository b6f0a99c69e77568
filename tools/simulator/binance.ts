/**
 * Binance spot REST dialect (/api/v3, /sapi/v1), USDⓈ-M futures (/fapi: binance-futures*.ts);
 * dapi/eapi exchangeInfo answer with no symbols. Errors use Binance's envelope {"code": -2015, "msg": "…"} with its HTTP statuses:
 * 401 for key problems, 400 for the rest, 429 for rate limits.
 */
import type { SimContext } from './context.js';
import { reply, notFoundHtml, type Dialect } from './dialect.js';
import { granted, ipRestricted } from './keys.js';
import { marketsOf, type MarketRules } from './markets.js';
import {
  binanceError,
  f8,
  KEY_REJECTED,
  mandatory,
  type BinanceCall,
  type BinanceHandler,
  type Need,
} from './binance-common.js';
import { binanceAveragePrice, binanceFilters } from './binance-filters.js';
import { BINANCE_ORDER_ROUTES, binanceOrderDraft } from './binance-orders.js';
import { BINANCE_FUTURES_ACCOUNT, BINANCE_FUTURES_PUBLIC } from './binance-futures.js';
import { BINANCE_FUTURES_ORDERS, binanceFuturesDraft } from './binance-futures-orders.js';
import { binanceParams, verifyBinance, type AuthFailure } from './signing.js';
import type { SimRequest, SimResponse } from './types.js';

function authError(failure: AuthFailure, detail?: string): SimResponse {
  switch (failure) {
    case 'missing-key':
      return binanceError(401, -2014, 'API-key format invalid.');
    case 'missing-param':
      return mandatory(detail ?? 'signature');
    case 'recv-window':
      return binanceError(400, -1131, 'recvWindow must be less than 60000');
    case 'timestamp-ahead':
      return binanceError(
        400,
        -1021,
        "Timestamp for this request was 1000ms ahead of the server's time.",
      );
    case 'timestamp':
      return binanceError(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
    case 'signature':
      return binanceError(400, -1022, 'Signature for this request is not valid.');
    default:
      return binanceError(401, -2015, KEY_REJECTED);
  }
}

type PublicHandler = (req: SimRequest, ctx: SimContext) => SimResponse;

function symbolInfo(m: MarketRules): unknown {
  return {
    symbol: m.id,
    status: 'TRADING',
    baseAsset: m.base,
    baseAssetPrecision: 8,
    quoteAsset: m.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    amendAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: true,
    filters: binanceFilters(m),
    permissions: [],
    permissionSets: [['SPOT', 'MARGIN']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

function exchangeInfo(
  req: SimRequest,
  ctx: SimContext,
  symbols: MarketRules[] = marketsOf('binance'),
): SimResponse {
  const wanted = req.query.get('symbol') ?? req.query.get('symbols');
  const list = wanted
    ? symbols.filter((m) => wanted.includes(`"${m.id}"`) || wanted === m.id)
    : symbols;
  if (wanted && list.length === 0) return binanceError(400, -1121, 'Invalid symbol.');
  return reply(200, {
    timezone: 'UTC',
    serverTime: ctx.now(),
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
    ],
    exchangeFilters: [],
    symbols: list.map(symbolInfo),
  });
}

function ticker(kind: '24hr' | 'price' | 'bookTicker'): PublicHandler {
  return (req, ctx) => {
    const one = (m: MarketRules) => {
      const last = ctx.book.prices.get('binance', m.symbol);
      const p = f8(last);
      if (kind === 'price') return { symbol: m.id, price: p };
      const book = { bidPrice: p, bidQty: '1.00000000', askPrice: p, askQty: '1.00000000' };
      if (kind === 'bookTicker') return { symbol: m.id, ...book };
      const now = ctx.now();
      return {
        symbol: m.id,
        priceChange: '0.00000000',
        priceChangePercent: '0.000',
        weightedAvgPrice: p,
        prevClosePrice: p,
        lastPrice: p,
        lastQty: '0.01000000',
        ...book,
        openPrice: p,
        highPrice: p,
        lowPrice: p,
        volume: '1000.00000000',
        quoteVolume: f8(last * 1000n),
        openTime: now - 86_400_000,
        closeTime: now,
        firstId: 1,
        lastId: 1000,
        count: 1000,
      };
    };
    const symbol = req.query.get('symbol');
    const symbols = req.query.get('symbols');
    const all = marketsOf('binance');
    if (symbol) {
      const m = all.find((x) => x.id === symbol);
      return m ? reply(200, one(m)) : binanceError(400, -1121, 'Invalid symbol.');
    }
    return reply(200, all.filter((m) => !symbols || symbols.includes(`"${m.id}"`)).map(one));
  };
}

function depth(req: SimRequest, ctx: SimContext): SimResponse {
  const m = marketsOf('binance').find((x) => x.id === req.query.get('symbol'));
  if (!m) return binanceError(400, -1121, 'Invalid symbol.');
  const last = ctx.book.prices.get('binance', m.symbol);
  return reply(200, {
    lastUpdateId: 1,
    bids: [[f8(last - m.tickSize), '1.00000000']],
    asks: [[f8(last + m.tickSize), '1.00000000']],
  });
}

/**
 * GET /api/v3/avgPrice?symbol=… → {"mins":5,"price":"…","closeTime":…}: the price the
 * PERCENT_PRICE_BY_SIDE and NOTIONAL filters compare with (Binance spot REST docs, "Current
 * average price": https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#current-average-price).
 * `mins` is the market's avgPriceMins; the price is the simulator's last price (binance-filters.ts).
 */
function avgPrice(req: SimRequest, ctx: SimContext): SimResponse {
  const symbol = req.query.get('symbol');
  if (!symbol) return mandatory('symbol');
  const m = marketsOf('binance').find((x) => x.id === symbol);
  if (!m) return binanceError(400, -1121, 'Invalid symbol.');
  return reply(200, {
    mins: m.percentPriceBySide?.avgPriceMins ?? 5,
    price: f8(binanceAveragePrice(ctx.book.prices.get('binance', m.symbol))),
    closeTime: ctx.now(),
  });
}

const emptyFutures: PublicHandler = (req, ctx) =>
  reply(200, {
    timezone: 'UTC',
    serverTime: ctx.now(),
    rateLimits: [],
    exchangeFilters: [],
    assets: [],
    symbols: [],
  });

const PUBLIC: Record<string, PublicHandler> = {
  'GET /api/v3/ping': () => reply(200, {}),
  'GET /api/v3/time': (_req, ctx) => reply(200, { serverTime: ctx.now() }),
  'GET /api/v3/exchangeInfo': (req, ctx) => exchangeInfo(req, ctx),
  'GET /api/v3/ticker/24hr': ticker('24hr'),
  'GET /api/v3/ticker/price': ticker('price'),
  'GET /api/v3/ticker/bookTicker': ticker('bookTicker'),
  'GET /api/v3/depth': depth,
  'GET /api/v3/avgPrice': avgPrice,
  'GET /sapi/v1/system/status': () => reply(200, { status: 0, msg: 'normal' }),
  ...BINANCE_FUTURES_PUBLIC,
  'GET /dapi/v1/exchangeInfo': emptyFutures,
  'GET /eapi/v1/exchangeInfo': (_req, ctx) =>
    reply(200, {
      timezone: 'UTC',
      serverTime: ctx.now(),
      optionContracts: [],
      optionAssets: [],
      optionSymbols: [],
    }),
};

function apiRestrictions({ key }: BinanceCall): SimResponse {
  const body: Record<string, unknown> = {
    ipRestrict: ipRestricted(key),
    createTime: key.createdAt ?? 0,
    enableReading: granted(key, 'read'),
    enableWithdrawals: granted(key, 'withdraw'),
    enableInternalTransfer: granted(key, 'transfer'),
    enableMargin: granted(key, 'margin'),
    enableFutures: granted(key, 'futures'),
    permitsUniversalTransfer: granted(key, 'transfer'),
    enableVanillaOptions: granted(key, 'options'),
    enableFixApiTrade: false,
    enableFixReadOnly: false,
    enableSpotAndMarginTrading: granted(key, 'spot'),
    enablePortfolioMarginTrading: false,
  };
  if (key.expiresAt !== undefined) body['tradingAuthorityExpirationTime'] = key.expiresAt;
  return reply(200, body);
}

function account({ ctx, key, params }: BinanceCall): SimResponse {
  const omitZero = params.get('omitZeroBalances') === 'true';
  const balances = [...ctx.book.balances('binance', key.account ?? key.apiKey)]
    .filter(([, b]) => !omitZero || b.total !== 0n)
    .map(([asset, b]) => ({ asset, free: f8(b.free), locked: f8(b.locked) }));
  return reply(200, {
    makerCommission: 10,
    takerCommission: 10,
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: {
      maker: '0.00100000',
      taker: '0.00100000',
      buyer: '0.00000000',
      seller: '0.00000000',
    },
    canTrade: granted(key, 'spot'),
    canWithdraw: granted(key, 'withdraw'),
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: ctx.now(),
    accountType: 'SPOT',
    balances,
    permissions: ['SPOT'],
    uid: 354937868,
  });
}

function coins(): SimResponse {
  const coin = (c: string, name: string) => ({
    coin: c,
    name,
    depositAllEnable: true,
    withdrawAllEnable: true,
    free: '0',
    locked: '0',
    freeze: '0',
    withdrawing: '0',
    ipoing: '0',
    ipoable: '0',
    storage: '0',
    isLegalMoney: false,
    trading: true,
    networkList: [],
  });
  return reply(200, [
    coin('BTC', 'Bitcoin'),
    coin('ETH', 'Ethereum'),
    coin('SOL', 'Solana'),
    coin('USDT', 'TetherUS'),
  ]);
}

const SIGNED: Record<string, [Need, BinanceHandler]> = {
  'GET /sapi/v1/account/apiRestrictions': ['key', apiRestrictions],
  'GET /sapi/v1/capital/config/getall': ['read', coins],
  'GET /sapi/v1/margin/allPairs': ['key', () => reply(200, [])],
  'GET /sapi/v1/margin/isolated/allPairs': ['key', () => reply(200, [])],
  'GET /api/v3/account': ['read', account],
  ...BINANCE_ORDER_ROUTES,
  ...BINANCE_FUTURES_ACCOUNT,
  ...BINANCE_FUTURES_ORDERS,
};

export const binance: Dialect = {
  handle(req, ctx) {
    const route = `${req.method} ${req.path}`;
    const pub = PUBLIC[route];
    if (pub) return pub(req, ctx);
    const signed = SIGNED[route];
    if (!signed) return notFoundHtml();
    const auth = verifyBinance(req, { keys: ctx.keys, now: ctx.now(), clientIp: ctx.clientIp() });
    if (!auth.ok) return { ...authError(auth.failure, auth.detail), apiKey: auth.apiKey };
    const [need, handler] = signed;
    const allowed = need !== 'read' || granted(auth.key, 'read');
    const res = allowed
      ? handler({ req, ctx, params: binanceParams(req), key: auth.key })
      : binanceError(401, -2015, KEY_REJECTED);
    return { ...res, apiKey: auth.key.apiKey };
  },
  rateLimited() {
    return reply(
      429,
      {
        code: -1003,
        msg: 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.',
      },
      '-1003',
      { headers: { 'retry-after': '1' }, fault: 'rateLimit' },
    );
  },
  orderDraft: (req, now) => binanceOrderDraft(req, now) ?? binanceFuturesDraft(req, now),
};
