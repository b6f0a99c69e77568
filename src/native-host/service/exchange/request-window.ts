/**
 * Bounding how long an order request can still be accepted, so "not found" after an unknown
 * outcome can become a proof (docs/trading.md, "Unknown outcomes"):
 *
 * - Binance processes a signed request only while serverTime − timestamp ≤ recvWindow, and never
 *   one whose timestamp is more than 1 s ahead of its clock (spot API docs, "Timing security":
 *   https://developers.binance.com/docs/binance-spot-api-docs/rest-api/endpoint-security-type).
 * - Bybit likewise: server_time − recv_window ≤ timestamp < server_time + 1000 (v5 docs,
 *   "Integration guidance": https://bybit-exchange.github.io/docs/v5/guide).
 * - OKX does not process a place-order request once its server time is past the request's
 *   `expTime` header (docs-v5, "Transaction timeouts": https://www.okx.com/docs-v5/en/#overview-
 *   transaction-timeouts); the answer is sCode 50037 "Order expired".
 *
 * Timestamps are taken from the exchange's clock: ccxt measures the difference once when it
 * loads markets (`adjustForTimeDifference`) and signs with local time minus it.
 *
 * Also here: ccxt's errors do not say which HTTP status came back, and any 5xx from an exchange
 * means "status unknown" (Binance: "HTTP 5XX return codes are used for internal errors; the
 * issue is on Binance's side. It is important to NOT treat this as a failure operation; the
 * execution status is UNKNOWN and could have been a success"). The status is tagged on the error.
 */
import type { Exchange } from 'ccxt';
import type { ExchangeId } from '../../../exchanges/types.js';

/** The order endpoints OKX applies `expTime` to (ccxt's implicit paths, without /api/v5/). */
const OKX_EXP_TIME_PATHS = new Set(['trade/order', 'trade/batch-orders']);

type Sign = (
  path: string,
  api?: unknown,
  method?: string,
  params?: unknown,
  headers?: unknown,
  body?: unknown,
) => { url: string; method: string; body?: unknown; headers?: Record<string, string> };

/**
 * Makes every order request of this client carry a window of `windowMs` in the exchange's clock.
 * Call before loadMarkets (the clock difference is measured there).
 */
export function applyRequestWindow(client: Exchange, exchange: ExchangeId, windowMs: number): void {
  client.options['adjustForTimeDifference'] = true;
  if (exchange === 'binance' || exchange === 'bybit') {
    client.options['recvWindow'] = windowMs;
    return;
  }
  // OKX: ccxt has no expTime option; add the header to the signed place-order requests.
  const self = client as unknown as { sign: Sign; nonce(): number };
  const sign = self.sign.bind(client);
  self.sign = (path, api, method, params, headers, body) => {
    const signed = sign(path, api, method, params, headers, body);
    if (api === 'private' && method === 'POST' && OKX_EXP_TIME_PATHS.has(path)) {
      signed.headers = { ...(signed.headers ?? {}), expTime: String(self.nonce() + windowMs) };
    }
    return signed;
  };
}

export interface HttpStatusTagged {
  httpStatus?: number;
}

/** The HTTP status an exchange answered with, when the error came from a 4xx/5xx answer. */
export function httpStatusOf(err: unknown): number | undefined {
  const status = (err as HttpStatusTagged | null)?.httpStatus;
  return typeof status === 'number' ? status : undefined;
}

type StatusHandler = (code: number, ...rest: unknown[]) => unknown;

/** Tags errors thrown while ccxt reads an HTTP error answer with that answer's status. */
export function tagHttpStatus(client: Exchange): void {
  const self = client as unknown as Record<'handleErrors' | 'handleHttpStatusCode', StatusHandler>;
  for (const name of ['handleErrors', 'handleHttpStatusCode'] as const) {
    const original = self[name].bind(client);
    self[name] = (code, ...rest) => {
      try {
        return original(code, ...rest);
      } catch (err) {
        if (err instanceof Error && typeof code === 'number' && code >= 400)
          Object.assign(err, { httpStatus: code });
        throw err;
      }
    };
  }
}
