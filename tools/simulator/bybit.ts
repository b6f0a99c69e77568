/**
 * Bybit v5 dialect (unified trading account, spot; linear perpetuals in bybit-linear*.ts): market data, key info, account info, wallet
 * balance, coin info; orders live in bybit-orders.ts. Every answer is HTTP 200 with retCode.
 */
import type { SimContext } from './context.js';
import { fmt, mul } from '../../src/lib/decimal.js';
import { jsonBody, reply, type Dialect } from './dialect.js';
import { accountOf, granted, ipRestricted, readOnly } from './keys.js';
import { marketsOf, type MarketRules } from './markets.js';
import {
  bybitReply,
  ok,
  PERMISSION_DENIED,
  type BybitCall,
  type BybitHandler,
} from './bybit-common.js';
import { BYBIT_ORDER_ROUTES, bybitOrderDraft } from './bybit-orders.js';
import {
  BYBIT_LINEAR_ROUTES,
  bybitMarginMode,
  linearInstruments,
  linearTickers,
} from './bybit-linear.js';
import { verifyBybit, type AuthFailure } from './signing.js';
import type { SimKeyConfig, SimRequest, SimResponse } from './types.js';

const DAY = 86_400_000;

function authError(ctx: SimContext, failure: AuthFailure, detail?: string): SimResponse {
  switch (failure) {
    case 'missing-param':
      return bybitReply(ctx, 10001, `empty value: ${detail ?? ''}`);
    case 'timestamp':
      return bybitReply(
        ctx,
        10002,
        `invalid request, please check your server timestamp or recv_window param. ${detail ?? ''}`,
      );
    case 'signature':
      return bybitReply(
        ctx,
        10004,
        'Error sign, please check your signature generation algorithm.',
      );
    case 'ip':
      return bybitReply(
        ctx,
        10010,
        "Unmatched IP, please check your API key's bound IP addresses.",
      );
    case 'expired':
      return bybitReply(ctx, 33004, 'Your api key has expired.');
    default:
      return bybitReply(ctx, 10003, 'API key is invalid.');
  }
}

function instrument(m: MarketRules): unknown {
  return {
    symbol: m.id,
    baseCoin: m.base,
    quoteCoin: m.quote,
    innovation: '0',
    status: 'Trading',
    marginTrading: 'utaOnly',
    stTag: '0',
    lotSizeFilter: {
      basePrecision: m.raw['step'],
      quotePrecision: '0.00000001',
      minOrderQty: m.raw['minQty'],
      maxOrderQty: m.raw['maxQty'],
      minOrderAmt: m.raw['minNotional'],
      maxOrderAmt: '2000000',
      maxLimitOrderQty: m.raw['maxQty'],
      maxMarketOrderQty: m.raw['maxQty'],
    },
    priceFilter: { tickSize: m.raw['tick'] },
    riskParameters: { priceLimitRatioX: '0.05', priceLimitRatioY: '0.05' },
  };
}

function pick(req: SimRequest): MarketRules[] {
  const symbol = req.query.get('symbol');
  return marketsOf('bybit').filter((m) => !symbol || m.id === symbol);
}

function instruments(req: SimRequest, ctx: SimContext): SimResponse {
  const category = req.query.get('category');
  if (!category || !['spot', 'linear', 'inverse', 'option'].includes(category))
    return bybitReply(ctx, 10001, 'params error: Illegal category');
  if (category === 'linear') return linearInstruments(req, ctx);
  const list = category === 'spot' ? pick(req).map(instrument) : [];
  return ok(ctx, { category, list, nextPageCursor: '' });
}

function tickers(req: SimRequest, ctx: SimContext): SimResponse {
  const category = req.query.get('category');
  if (!category) return bybitReply(ctx, 10001, 'params error: Illegal category');
  if (category === 'linear') return linearTickers(req, ctx);
  const list = (category === 'spot' ? pick(req) : []).map((m) => {
    const p = fmt(ctx.book.prices.get('bybit', m.symbol));
    return {
      symbol: m.id,
      bid1Price: p,
      bid1Size: '1',
      ask1Price: p,
      ask1Size: '1',
      lastPrice: p,
      prevPrice24h: p,
      price24hPcnt: '0',
      highPrice24h: p,
      lowPrice24h: p,
      turnover24h: fmt(ctx.book.prices.get('bybit', m.symbol) * 1000n),
      volume24h: '1000',
      usdIndexPrice: p,
    };
  });
  return ok(ctx, { category, list });
}

const PUBLIC: Record<string, (req: SimRequest, ctx: SimContext) => SimResponse> = {
  'GET /v5/market/time': (_req, ctx) => {
    const now = ctx.now();
    return ok(ctx, { timeSecond: String(Math.floor(now / 1000)), timeNano: `${now}000000` });
  },
  'GET /v5/market/instruments-info': instruments,
  'GET /v5/market/tickers': tickers,
};

/** The key's permissions in Bybit's own vocabulary. */
export function bybitPermissions(key: SimKeyConfig): Record<string, string[]> {
  const g = (p: Parameters<typeof granted>[1], names: string[]) => (granted(key, p) ? names : []);
  return {
    ContractTrade: g('futures', ['Order', 'Position']),
    Spot: g('spot', ['SpotTrade']),
    Wallet: [
      ...g('transfer', ['AccountTransfer', 'SubMemberTransfer']),
      ...g('withdraw', ['Withdraw']),
    ],
    Options: g('options', ['OptionsTrade']),
    Derivatives: g('futures', ['DerivativesTrade']),
    CopyTrading: [],
    BlockTrade: [],
    Exchange: g('convert', ['ExchangeHistory']),
    NFT: [], // deprecated by Bybit: always []
    Affiliate: [],
    Earn: g('earn', ['Earn']),
    FiatP2P: [],
    FiatConvertBroker: [],
    FiatGlobalPay: [],
    FiatBitPay: [],
    BitCard: [],
    ByXPost: [],
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function queryApi({ ctx, key }: BybitCall): SimResponse {
  const now = ctx.now();
  return ok(ctx, {
    id: '13770661',
    note: key.label ?? 'simulator',
    apiKey: key.apiKey,
    readOnly: readOnly(key) ? 1 : 0,
    secret: '',
    permissions: bybitPermissions(key),
    ips: ipRestricted(key) ? key.ipList : ['*'],
    type: 1,
    // Keys without an expiry answer deadlineDay -2 and the epoch, as Bybit's documented example.
    deadlineDay:
      key.expiresAt === undefined ? -2 : Math.max(0, Math.ceil((key.expiresAt - now) / DAY)),
    expiredAt: iso(key.expiresAt ?? 0),
    createdAt: iso(key.createdAt ?? now),
    unified: 0, // deprecated
    uta: 1,
    userID: 24600000,
    inviterID: 0,
    vipLevel: 'No VIP',
    mktMakerLevel: '0',
    affiliateID: 0,
    rsaPublicKey: '',
    isMaster: true,
    parentUid: '0',
    kycLevel: 'LEVEL_1',
    kycRegion: '',
    userIDInt64: '0',
    inviterIDInt64: '0',
    affiliateIDInt64: '0',
  });
}

function accountInfo({ ctx, key }: BybitCall): SimResponse {
  return ok(ctx, {
    unifiedMarginStatus: 5,
    marginMode: bybitMarginMode(ctx, key), // account-wide on a unified account (bybit-linear.ts)
    isMasterTrader: false,
    spotHedgingStatus: 'OFF',
    updatedTime: String(ctx.now()),
    dcpStatus: 'OFF',
    timeWindow: 10,
    smpGroup: 0,
  });
}

function walletBalance({ ctx, key, params }: BybitCall): SimResponse {
  if (params['accountType'] !== 'UNIFIED')
    return bybitReply(ctx, 10001, 'accountType only support UNIFIED.');
  const wanted = typeof params['coin'] === 'string' ? params['coin'].split(',') : undefined;
  const usd = (asset: string, amount: bigint) =>
    asset === 'USDT' ? amount : mul(amount, ctx.book.prices.get('bybit', `${asset}/USDT`));
  let total = 0n;
  const coin = [...ctx.book.balances('bybit', accountOf(key))]
    .filter(([asset, b]) => (wanted ? wanted.includes(asset) : b.total !== 0n))
    .map(([asset, b]) => {
      total += usd(asset, b.total);
      // USDT carries the perpetuals too: unified margin (wallet includes realised P&L and fees).
      const perp = asset === 'USDT' ? ctx.perp.funds('bybit', accountOf(key)) : undefined;
      return {
        coin: asset,
        equity: fmt(b.total),
        usdValue: fmt(usd(asset, b.total)),
        walletBalance: fmt(b.total),
        locked: fmt(b.locked),
        spotBorrow: '0',
        spotHedgingQty: '0',
        borrowAmount: '0',
        availableToWithdraw: '', // deprecated for UNIFIED since 2025-01-09
        availableToBorrow: '',
        accruedInterest: '0',
        totalOrderIM: fmt(perp?.orderMargin ?? 0n),
        totalPositionIM: fmt(perp?.positionMargin ?? 0n),
        totalPositionMM: fmt((perp?.positionMargin ?? 0n) / 10n),
        unrealisedPnl: fmt(perp?.unrealizedPnl ?? 0n),
        cumRealisedPnl: '0',
        bonus: '0',
        marginCollateral: true,
        collateralSwitch: true,
      };
    });
  const t = fmt(total);
  return ok(ctx, {
    list: [
      {
        accountType: 'UNIFIED',
        accountIMRate: '0',
        accountIMRateByMp: '0',
        accountMMRate: '0',
        accountMMRateByMp: '0',
        accountLTV: '0',
        totalEquity: t,
        totalWalletBalance: t,
        totalMarginBalance: t,
        totalAvailableBalance: t,
        totalPerpUPL: '0',
        totalInitialMargin: '0',
        totalInitialMarginByMp: '0',
        totalMaintenanceMargin: '0',
        totalMaintenanceMarginByMp: '0',
        coin,
      },
    ],
  });
}

function coinInfo({ ctx }: BybitCall): SimResponse {
  const rows = ['BTC', 'ETH', 'SOL', 'USDT'].map((coin) => ({
    name: coin,
    coin,
    remainAmount: '1000000',
    chains: [
      {
        chainType: coin,
        confirmation: '10',
        withdrawFee: '0',
        depositMin: '0',
        withdrawMin: '0',
        chain: coin,
        chainDeposit: '1',
        chainWithdraw: '1',
        minAccuracy: '8',
        withdrawPercentageFee: '0',
      },
    ],
  }));
  return ok(ctx, { rows });
}

/** [needs read permission, handler] */
const PRIVATE: Record<string, [boolean, BybitHandler]> = {
  'GET /v5/user/query-api': [false, queryApi],
  'GET /v5/account/info': [true, accountInfo],
  'GET /v5/account/wallet-balance': [true, walletBalance],
  'GET /v5/asset/coin/query-info': [false, coinInfo],
  ...BYBIT_ORDER_ROUTES,
  ...BYBIT_LINEAR_ROUTES,
};

export const bybit: Dialect = {
  handle(req, ctx) {
    const route = `${req.method} ${req.path}`;
    const pub = PUBLIC[route];
    if (pub) return pub(req, ctx);
    const priv = PRIVATE[route];
    if (!priv) return { ...bybitReply(ctx, 10017, 'Route not found.'), status: 404 };
    const auth = verifyBybit(req, { keys: ctx.keys, now: ctx.now(), clientIp: ctx.clientIp() });
    if (!auth.ok) return { ...authError(ctx, auth.failure, auth.detail), apiKey: auth.apiKey };
    const [needsRead, handler] = priv;
    const body = req.method === 'POST' ? jsonBody(req) : Object.fromEntries(req.query);
    if (body === null || (req.method === 'POST' && typeof body !== 'object'))
      return {
        ...bybitReply(ctx, 10001, 'params error: request body is not valid JSON'),
        apiKey: auth.key.apiKey,
      };
    const res =
      needsRead && !granted(auth.key, 'read')
        ? bybitReply(ctx, 10005, PERMISSION_DENIED)
        : handler({ req, ctx, key: auth.key, params: (body ?? {}) as Record<string, unknown> });
    return { ...res, apiKey: auth.key.apiKey };
  },
  rateLimited(ctx) {
    const res = bybitReply(ctx, 10006, 'Too many visits. Exceeded the API Rate Limit.');
    return reply(res.status, res.body, '10006', {
      fault: 'rateLimit',
      headers: {
        'x-bapi-limit-status': '0',
        'x-bapi-limit': '10',
        'x-bapi-limit-reset-timestamp': String(ctx.now() + 1000),
      },
    });
  },
  orderDraft: bybitOrderDraft,
};
