/** Pieces every OKX v5 module shares: the envelope, permission helpers, handler types. */
import type { SimContext } from './context.js';
import { granted } from './keys.js';
import type { SimKeyConfig, SimRequest, SimResponse } from './types.js';

/** OKX answers {"code": "0", "msg": "", "data": [...]}; errors carry their own HTTP status. */
export function okxReply(
  status: number,
  code: string | number,
  msg: string,
  data: unknown[] = [],
): SimResponse {
  return { status, body: { code: String(code), msg, data }, code: String(code) };
}

export const okxOk = (data: unknown[]): SimResponse => okxReply(200, '0', '', data);

export const NO_PERMISSION = (): SimResponse =>
  okxReply(200, 50120, "This API key doesn't have permission to use this function");

/** OKX's "trade" permission covers spot, margin and derivatives trading. */
export function canTrade(key: SimKeyConfig): boolean {
  return (['spot', 'margin', 'futures', 'options'] as const).some((p) => granted(key, p));
}

export interface OkxCall {
  req: SimRequest;
  ctx: SimContext;
  key: SimKeyConfig;
}

export type OkxHandler = (call: OkxCall) => SimResponse;

/** "Status unknown" answers of OKX order placement: code → [HTTP status, message]. */
export const OKX_UNKNOWN: Record<string, [number, string]> = {
  '50004': [
    400,
    'API endpoint request timeout. (does not mean that the request was successful or failed, please check the request result).',
  ],
  '50001': [503, 'Service temporarily unavailable. Please try again later.'],
  '50013': [429, 'Systems are busy. Please try again later.'],
  // Also the status5xxAfterPlace answer: "50026 | 500 | System error. Try again later".
  '50026': [500, 'System error. Try again later'],
};
