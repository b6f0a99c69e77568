/** Pieces every Binance module shares: number format, error envelope, handler types. */
import type { SimContext } from './context.js';
import { fmtFixed, type Dec } from '../../src/lib/decimal.js';
import { reply } from './dialect.js';
import type { SimKeyConfig, SimRequest, SimResponse } from './types.js';

/** Binance prints amounts with 8 decimals: "0.00100000". */
export const f8 = (v: Dec): string => fmtFixed(v, 8);

export function binanceError(status: number, code: number, msg: string): SimResponse {
  return reply(status, { code, msg }, String(code));
}

export const KEY_REJECTED = 'Invalid API-key, IP, or permissions for action.';

export function mandatory(name: string): SimResponse {
  return binanceError(
    400,
    -1102,
    `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
  );
}

export function illegal(name: string, range: string): SimResponse {
  return binanceError(
    400,
    -1100,
    `Illegal characters found in parameter '${name}'; legal range is '${range}'.`,
  );
}

/** What a signed endpoint needs from the key beyond a valid signature (trading is checked by the order handlers). */
export type Need = 'key' | 'read';

export interface BinanceCall {
  req: SimRequest;
  ctx: SimContext;
  params: URLSearchParams;
  key: SimKeyConfig;
}

export type BinanceHandler = (call: BinanceCall) => SimResponse;
