/**
 * The USDT-margined linear perpetuals the simulator lists (BTC/USDT:USDT, ETH/USDT:USDT,
 * SOL/USDT:USDT) with each exchange's own contract rules. Quantities are in the exchange's order
 * unit: base currency on Binance and Bybit, contracts of `contractSize` base on OKX.
 *
 * A perpetual trades at the last price of its spot market on the same exchange (the settable
 * price of markets.ts): one price control moves both, and the perpetual's mark price is that
 * same last price.
 *
 * Rules, as the exchanges list them (checked 2026-12-01):
 * - Binance GET /fapi/v1/exchangeInfo
 *   (https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Exchange-Information):
 *   BTCUSDT tick 0.10, step 0.001, MIN_NOTIONAL 100; ETHUSDT tick 0.01, step 0.001, 20; SOLUSDT
 *   tick 0.01, step 1, 5; PERCENT_PRICE multiplierUp 1.0500 / multiplierDown 0.9500.
 * - Bybit GET /v5/market/instruments-info?category=linear
 *   (https://bybit-exchange.github.io/docs/v5/market/instrument): BTCUSDT tick 0.10, qtyStep
 *   0.001; ETHUSDT 0.01 / 0.01; SOLUSDT 0.01 / 0.1; minNotionalValue 5; leverage 1–100 step 0.01.
 * - OKX GET /api/v5/public/instruments?instType=SWAP
 *   (https://www.okx.com/docs-v5/en/#public-data-rest-api-get-instruments): ctVal BTC 0.01,
 *   ETH 0.1, SOL 1; lotSz = minSz 0.01 contracts; tickSz 0.1 / 0.01 / 0.01.
 */
import { dec, type Dec } from '../../src/lib/decimal.js';
import type { ExchangeId } from './types.js';

export interface PerpRules {
  /** Unified symbol, "BTC/USDT:USDT". */
  symbol: string;
  /** The spot market whose last price the perpetual trades at, "BTC/USDT". */
  spotSymbol: string;
  base: string;
  quote: string;
  settle: string;
  /** Exchange id: BTCUSDT (Binance, Bybit) or BTC-USDT-SWAP (OKX). */
  id: string;
  tickSize: Dec;
  /** Order quantity step, in the exchange's order unit. */
  stepSize: Dec;
  minQty: Dec;
  maxQty: Dec;
  /** Base currency per unit of order quantity: 1 on Binance and Bybit, OKX's ctVal. */
  contractSize: Dec;
  /** Minimum order value in USDT (Binance MIN_NOTIONAL, Bybit minNotionalValue); OKX none. */
  minNotional?: Dec | undefined;
  maxLeverage: number;
  /** Decimals of price and quantity (Binance pricePrecision / quantityPrecision). */
  pricePrecision: number;
  qtyPrecision: number;
  /** Exchange-native strings, as the exchanges print them. */
  raw: { tick: string; step: string; minQty: string; maxQty: string; ctVal: string };
}

type Row = [
  base: string,
  tick: string,
  step: string,
  minQty: string,
  maxQty: string,
  ctVal: string,
  minNotional: string,
];

const ROWS: Record<ExchangeId, Row[]> = {
  binance: [
    ['BTC', '0.10', '0.001', '0.001', '1000', '1', '100'],
    ['ETH', '0.01', '0.001', '0.001', '10000', '1', '20'],
    ['SOL', '0.01', '1', '1', '1000000', '1', '5'],
  ],
  bybit: [
    ['BTC', '0.10', '0.001', '0.001', '1190', '1', '5'],
    ['ETH', '0.01', '0.01', '0.01', '7240', '1', '5'],
    ['SOL', '0.01', '0.1', '0.1', '79770', '1', '5'],
  ],
  okx: [
    ['BTC', '0.1', '0.01', '0.01', '100000000', '0.01', ''],
    ['ETH', '0.01', '0.01', '0.01', '100000000', '0.1', ''],
    ['SOL', '0.01', '0.01', '0.01', '100000000', '1', ''],
  ],
};

const decimalsOf = (text: string): number => (text.split('.')[1] ?? '').replace(/0+$/, '').length;

function build(exchange: ExchangeId): PerpRules[] {
  return ROWS[exchange].map(([base, tick, step, minQty, maxQty, ctVal, minNotional]) => ({
    symbol: `${base}/USDT:USDT`,
    spotSymbol: `${base}/USDT`,
    base,
    quote: 'USDT',
    settle: 'USDT',
    id: exchange === 'okx' ? `${base}-USDT-SWAP` : `${base}USDT`,
    tickSize: dec(tick),
    stepSize: dec(step),
    minQty: dec(minQty),
    maxQty: dec(maxQty),
    contractSize: dec(ctVal),
    minNotional: minNotional ? dec(minNotional) : undefined,
    maxLeverage: exchange === 'binance' ? 125 : 100,
    pricePrecision: decimalsOf(tick),
    qtyPrecision: decimalsOf(step),
    raw: { tick, step, minQty, maxQty, ctVal },
  }));
}

const PERPS: Record<ExchangeId, PerpRules[]> = {
  binance: build('binance'),
  bybit: build('bybit'),
  okx: build('okx'),
};

export function perpsOf(exchange: ExchangeId): PerpRules[] {
  return PERPS[exchange];
}

/** Finds a perpetual by exchange id ("BTCUSDT", "BTC-USDT-SWAP") or unified symbol. */
export function findPerp(
  exchange: ExchangeId,
  idOrSymbol: string | null | undefined,
): PerpRules | undefined {
  if (!idOrSymbol) return undefined;
  return PERPS[exchange].find((m) => m.id === idOrSymbol || m.symbol === idOrSymbol);
}
