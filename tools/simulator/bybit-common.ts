/** Pieces every Bybit v5 module shares: the envelope and handler types. */
import type { SimContext } from './context.js';
import { granted, readOnly } from './keys.js';
import type { SimKeyConfig, SimRequest, SimResponse } from './types.js';

/** Bybit answers HTTP 200 with {retCode, retMsg, result, retExtInfo, time}, errors included. */
export function bybitReply(
  ctx: SimContext,
  retCode: number,
  retMsg: string,
  result: unknown = {},
): SimResponse {
  return {
    status: 200,
    body: { retCode, retMsg, result, retExtInfo: {}, time: ctx.now() },
    code: String(retCode),
  };
}

export const ok = (ctx: SimContext, result: unknown): SimResponse =>
  bybitReply(ctx, 0, 'OK', result);

export const PERMISSION_DENIED = 'Permission denied, please check your API key permissions.';

export function canTrade(key: SimKeyConfig): boolean {
  return granted(key, 'spot') && !readOnly(key);
}

export interface BybitCall {
  req: SimRequest;
  ctx: SimContext;
  key: SimKeyConfig;
  /** Query parameters (GET) or the JSON body (POST). */
  params: Record<string, unknown>;
}

export type BybitHandler = (call: BybitCall) => SimResponse;
