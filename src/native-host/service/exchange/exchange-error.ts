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

export type NetworkCause =
  'dns' | 'refused' | 'timeout' | 'tls' | 'reset' | 'unavailable' | 'other';

export interface NetworkFailure {
  /** The host that could not be reached (never the path or query: signed URLs carry the key). */
  host: string;
  cause: NetworkCause;
  /** The low-level code when one was given (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED…). */
  code?: string;
  /** One line: the cause and what to try. */
  explanation: string;
}

const hostOf = (url: string | undefined): string | undefined => {
  if (!url) return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
};

const CAUSES: { cause: NetworkCause; test: RegExp; explain: (host: string) => string }[] = [
  {
    cause: 'dns',
    test: /\b(ENOTFOUND|EAI_AGAIN|EAI_NONAME|DNSError)\b|getaddrinfo/i,
    explain: (host) =>
      `the name ${host} could not be resolved (DNS): check the address, this machine's internet connection and its DNS`,
  },
  {
    cause: 'refused',
    test: /\b(ECONNREFUSED|ConnectionRefused)\b/i,
    explain: (host) =>
      `${host} refused the connection: check the address and port, and that no firewall or proxy blocks it`,
  },
  {
    cause: 'tls',
    test: /\b(CERT_\w+|UNABLE_TO_\w+|SELF_SIGNED_CERT\w*|DEPTH_ZERO_SELF_SIGNED_CERT|ERR_TLS_\w+|ERR_SSL_\w+|EPROTO)\b|certificate|\bTLS\b|\bSSL\b/i,
    explain: (host) =>
      `the TLS connection to ${host} failed (certificate not trusted or expired): check the address, this machine's clock, and any proxy that intercepts HTTPS`,
  },
  {
    cause: 'timeout',
    test: /\b(ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT)\b|timed out|timeout/i,
    explain: (host) =>
      `${host} did not answer in time: the network or the exchange is slow or blocked; try again, and check a firewall or VPN`,
  },
  {
    cause: 'reset',
    test: /\b(ECONNRESET|EPIPE|ConnectionReset|ConnectionClosed|UND_ERR_SOCKET|socket hang up)\b/i,
    explain: (host) =>
      `the connection to ${host} was cut: try again; a proxy, VPN or firewall may be closing it`,
  },
];

/** The codes worth naming (DNS, refused, timeout, TLS, reset). */
const CODE =
  /\b(E[A-Z_]{3,}|CERT_[A-Z_]+|UNABLE_TO_[A-Z_]+|(?:DEPTH_ZERO_)?SELF_SIGNED_CERT[A-Z_]*|UND_ERR_[A-Z_]+)\b/;

/** Every message and code along err.cause, for the match (ccxt puts the cause in its message). */
function causeText(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e !== undefined && e !== null; depth++) {
    if (e instanceof Error || typeof e === 'object') {
      const { message, code, name } = e as { message?: unknown; code?: unknown; name?: unknown };
      if (typeof message === 'string') parts.push(message);
      if (typeof code === 'string') parts.push(code);
      if (typeof name === 'string' && name !== 'Error' && name !== 'TypeError') parts.push(name);
      e = (e as { cause?: unknown }).cause;
    } else {
      parts.push(String(e));
      break;
    }
  }
  return parts.join(' | ');
}

/**
 * Which host could not be reached and why, from a ccxt network error ("binance GET https://… fetch
 * failed: getaddrinfo ENOTFOUND api.binance.com") or a raw one with a `cause`. Pure.
 */
export function describeNetworkFailure(
  exchange: ExchangeId,
  err: unknown,
  endpoint?: string,
): NetworkFailure {
  const full = causeText(err);
  const url = /https?:\/\/[^\s"']+/.exec(full)?.[0];
  // Match on the words around the URL only: its path and query (symbols, signatures) are no cause.
  const text = full.replace(/https?:\/\/[^\s"']+/g, ' ');
  const host = hostOf(url) ?? hostOf(endpoint) ?? `${exchange}'s API`;
  const name = err instanceof Error ? err.constructor.name : '';
  const found =
    CAUSES.find((c) => c.test.test(text)) ??
    (name === 'RequestTimeout' ? CAUSES.find((c) => c.cause === 'timeout') : undefined);
  const code = CODE.exec(text)?.[1];
  if (found)
    return {
      host,
      cause: found.cause,
      ...(code ? { code } : {}),
      explanation: found.explain(host),
    };
  if (name === 'ExchangeNotAvailable' || name === 'OnMaintenance')
    return {
      host,
      cause: 'unavailable',
      explanation: `${host} answered that the service is unavailable (maintenance or an outage): try again later`,
    };
  return {
    host,
    cause: 'other',
    ...(code ? { code } : {}),
    explanation: `the request to ${host} failed before an answer came: check this machine's internet connection, proxy and firewall`,
  };
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
    const failure = describeNetworkFailure(exchange, err, endpoint);
    return new RpcError(
      'EXCHANGE_UNREACHABLE',
      `could not reach ${failure.host}${failure.code ? ` (${failure.code})` : ''}: ${failure.explanation}`,
      { host: failure.host, cause: failure.cause, ...(failure.code ? { code: failure.code } : {}) },
    );
  }
  return null;
}
