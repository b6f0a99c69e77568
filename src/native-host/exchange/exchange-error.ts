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
} from '../../exchanges/index.js';
import type { ExchangeId } from '../../exchanges/types.js';
import { RpcError } from '../../protocol/jsonrpc.js';

export interface ExchangeCode {
  code: string;
  message?: string;
}

/** The exchange's error code inside a ccxt error, if any. Pure. */
export function exchangeCodeOf(err: unknown): ExchangeCode | null {
  const text = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  const start = text.indexOf('{');
  if (start < 0) return null;
  for (let end = text.lastIndexOf('}'); end > start; end = text.lastIndexOf('}', end - 1)) {
    try {
      const body = JSON.parse(text.slice(start, end + 1)) as Record<string, unknown>;
      const code = body.code ?? body.retCode;
      if (code === undefined || code === null || code === 0 || code === '0') return null;
      const msg = body.msg ?? body.retMsg;
      return { code: String(code), ...(typeof msg === 'string' ? { message: msg } : {}) };
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
