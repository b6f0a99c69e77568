/** The contract between the server and an exchange dialect, and small answer helpers. */
import type { OrderDraft, Placement, SimContext } from './context.js';
import type { SimRequest, SimResponse } from './types.js';

export interface Dialect {
  /** Answers a request below the exchange prefix (after the gateway-level faults). */
  handle(req: SimRequest, ctx: SimContext): SimResponse;
  /** The exchange's own "too many requests" answer. */
  rateLimited(ctx: SimContext): SimResponse;
  /** For an order placement request: what it asks for (read without authenticating). */
  orderDraft(req: SimRequest, now: number): OrderDraft | undefined;
}

export function reply(
  status: number,
  body: unknown,
  code = '0',
  extra: Partial<SimResponse> = {},
): SimResponse {
  return { status, body, code, ...extra };
}

/** What an overloaded gateway in front of the exchange answers (no exchange envelope). */
export function gateway503(): SimResponse {
  return {
    status: 503,
    body: '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>',
    headers: { 'content-type': 'text/html' },
    code: '503',
    fault: 'status5xx',
  };
}

/**
 * A bad gateway page from the load balancer in front of the exchange: HTTP 502, not JSON (no
 * exchange envelope). ccxt maps HTTP 500/502/503/504 to ExchangeNotAvailable
 * (httpExceptions in ccxt js/src/base/Exchange.js).
 */
export function gateway502(fault: string): SimResponse {
  return {
    status: 502,
    body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>',
    headers: { 'content-type': 'text/html' },
    code: '502',
    fault,
  };
}

/**
 * The answer to a placement that gets none: kept open (timeoutPlaced, timeoutNotPlaced) or the
 * connection destroyed (lostAnswer).
 */
export function unanswered<T>(
  placed: Extract<Placement<T>, { kind: 'hold' | 'drop' }>,
): SimResponse {
  return placed.kind === 'hold'
    ? { status: 0, body: null, hold: true, orderRecorded: true }
    : { status: 0, body: null, drop: true, orderRecorded: true, fault: 'lostAnswer' };
}

export function notFoundHtml(): SimResponse {
  return {
    status: 404,
    body: '<html><body><h2>404 Not found</h2></body></html>',
    headers: { 'content-type': 'text/html' },
    code: '404',
  };
}

/** Parses a JSON body; undefined when empty, null when malformed. */
export function jsonBody(req: SimRequest): unknown {
  if (!req.body) return undefined;
  try {
    return JSON.parse(req.body) as unknown;
  } catch {
    return null;
  }
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
