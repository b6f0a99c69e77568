/**
 * Turning what ccxt throws into the host's errors. ccxt's message carries the exchange's JSON
 * answer ({"code":-2015,…}, {"retCode":10003,…}, {"code":"50113",…}); we map by the exchange's
 * own code, not only ccxt's class (after one success, ccxt reports Binance -2015 as DDoSProtection).
 * Nothing of ccxt's text is passed on: it can include the signed URL.
 */
import {
  KEY_REJECTED_KINDS,
  explainExchangeError,
  type ErrorExplanation,
} from '../../../exchanges/index.js';
import type { ExchangeId } from '../../../exchanges/types.js';
import { RpcError } from '../../../protocol/jsonrpc.js';
import { httpStatusOf } from './http-status.js';

export interface ExchangeCode {
  code: string;
  message?: string;
}

/**
 * The exchange's error code in an answer body. OKX puts per-order results inside the answer —
 * {"code":"1","msg":"","data":[{"sCode":"51016","sMsg":"Duplicated client order ID"}]} — where the
 * top-level "1" only says "operation failed" (docs-v5 "Place order", response parameters sCode /
 * sMsg); the first non-zero sCode is the code that counts. Pure.
 */
export function codeOfAnswer(body: Record<string, unknown>): ExchangeCode | null {
  if (Array.isArray(body.data)) {
    for (const entry of body.data as unknown[]) {
      if (typeof entry !== 'object' || entry === null) continue;
      const { sCode, sMsg } = entry as { sCode?: unknown; sMsg?: unknown };
      if (sCode === undefined || sCode === null || sCode === '' || sCode === '0' || sCode === 0)
        continue;
      return { code: String(sCode), ...(typeof sMsg === 'string' ? { message: sMsg } : {}) };
    }
  }
  const code = body.code ?? body.retCode;
  if (code === undefined || code === null || code === 0 || code === '0') return null;
  const msg = body.msg ?? body.retMsg;
  return { code: String(code), ...(typeof msg === 'string' ? { message: msg } : {}) };
}

/** The exchange's error code inside a ccxt error, if any. Pure. */
export function exchangeCodeOf(err: unknown): ExchangeCode | null {
  const text = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  const start = text.indexOf('{');
  if (start < 0) return null;
  for (let end = text.lastIndexOf('}'); end > start; end = text.lastIndexOf('}', end - 1)) {
    try {
      return codeOfAnswer(JSON.parse(text.slice(start, end + 1)) as Record<string, unknown>);
    } catch {
      // not this closing brace; try an earlier one
    }
  }
  return null;
}

/** ccxt's network-level failures: the exchange (or the endpoint) could not be reached. */
export function isNetworkError(err: unknown): boolean {
  const name = err instanceof Error ? err.constructor.name : '';
  return ['NetworkError', 'RequestTimeout', 'ExchangeNotAvailable', 'OnMaintenance'].includes(name);
}

export function explainCcxtError(exchange: ExchangeId, err: unknown): ErrorExplanation | null {
  const code = exchangeCodeOf(err);
  return code ? explainExchangeError(exchange, code.code, code.message) : null;
}

/** ccxt's throttling errors (subclasses of NetworkError that mean "refused, slow down"). */
const RATE_LIMIT_CLASSES = ['RateLimitExceeded', 'DDoSProtection'];

/**
 * What a failed order request means (docs/trading.md, "Unknown outcomes"):
 * - 'unknown-outcome': the order may exist — any HTTP 5xx (http-status.ts tags the status),
 *   an exchange "status unknown" or duplicate-client-id code, a timeout or connection error;
 * - 'rate-limited': refused for pace, nothing placed;
 * - 'refused': the exchange said no to this order.
 * Anything in doubt is 'unknown-outcome': a look-up costs a little time, a wrong "refused" can
 * leave a live order untracked.
 */
export function orderErrorKind(
  exchange: ExchangeId,
  err: unknown,
): 'unknown-outcome' | 'rate-limited' | 'refused' {
  if ((httpStatusOf(err) ?? 0) >= 500) return 'unknown-outcome';
  const kind = explainCcxtError(exchange, err)?.kind;
  if (kind === 'unknown-outcome' || kind === 'duplicate-order') return 'unknown-outcome';
  if (kind === 'rate-limited') return 'rate-limited';
  if (kind !== undefined) return 'refused';
  const name = err instanceof Error ? err.constructor.name : '';
  if (RATE_LIMIT_CLASSES.includes(name)) return 'rate-limited';
  return isNetworkError(err) ? 'unknown-outcome' : 'refused';
}

/**
 * The RpcError a failed key check becomes: KEY_REJECTED with the plain message for auth and
 * permission codes, EXCHANGE_UNREACHABLE for network trouble, else null (the caller decides).
 */
export function keyCheckError(
  exchange: ExchangeId,
  err: unknown,
  endpoint: string | undefined,
): RpcError | null {
  const explained = explainCcxtError(exchange, err);
  if (explained && KEY_REJECTED_KINDS.includes(explained.kind)) {
    return new RpcError('KEY_REJECTED', explained.message, {
      kind: explained.kind,
      exchangeCode: exchangeCodeOf(err)?.code,
    });
  }
  if (!explained && isNetworkError(err)) {
    const where = endpoint ?? `${exchange}'s API`;
    return new RpcError(
      'EXCHANGE_UNREACHABLE',
      `could not reach ${where}; check your connection and try again`,
    );
  }
  return null;
}
