/**
 * Points a ccxt exchange instance at a connection's `endpoint` (the project's simulator or a
 * compatible gateway) instead of the exchange's own hosts, and the ccxt options that keep the
 * host's calls to what it needs. Pure apart from mutating the given instance; imports no ccxt code.
 *
 * Order matters (ccxt swaps whole URL tables): the environment (sandbox/demo) is applied first,
 * then every value of `urls.api` gets the endpoint in place of its scheme and host, path kept:
 * https://api.binance.com/api/v3 -> http://127.0.0.1:PORT/binance/api/v3.
 */
import type { Exchange } from 'ccxt';
import type { Environment, ExchangeId } from '../../../exchanges/types.js';
import { isLoopbackHost } from '../../../protocol/params.js';
import type { RouteMarket } from '../../../protocol/trading.js';
import { adapterFor, type CcxtSetup } from './adapters/index.js';

export class EndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointError';
  }
}

/**
 * Checks an endpoint: https:// to any host, http:// only to a loopback address (127.0.0.0/8,
 * ::1, localhost); no credentials, query or fragment. Returns it without a trailing slash.
 */
export function validateEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new EndpointError(`endpoint "${endpoint}" is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new EndpointError(
      `endpoint "${endpoint}" must use https:// (or http:// to a loopback address)`,
    );
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname))
    throw new EndpointError(
      `endpoint "${endpoint}" uses http:// to a non-loopback host; use https://, or http:// only to 127.0.0.1, ::1 or localhost`,
    );
  if (url.username || url.password) throw new EndpointError('endpoint must not carry credentials');
  if (url.search || url.hash)
    throw new EndpointError('endpoint must not carry a query or fragment');
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

type Urls = string | { [key: string]: Urls };

function rewrite(value: Urls, base: string): Urls {
  if (typeof value === 'string') {
    // ccxt writes some hosts as "https://api.{hostname}": no URL parser, just scheme://authority.
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(value);
    return m ? base + value.slice(m[0].length) : value;
  }
  const out: { [key: string]: Urls } = {};
  for (const [k, v] of Object.entries(value)) out[k] = rewrite(v, base);
  return out;
}

/**
 * Switches ccxt to the exchange's test environment, the way its adapter says (sandbox mode or
 * demo trading). Does nothing when the instance is already in that mode.
 */
export function applyEnvironment(exchange: Exchange, environment: Environment): void {
  adapterFor(exchange.id as ExchangeId).applyEnvironment(exchange, environment);
}

/** Applies the environment, then rewrites every `urls.api` value to go through `endpoint`. */
export function pointCcxtAt(
  exchange: Exchange,
  endpoint: string,
  environment: Environment = 'live',
): void {
  const base = validateEndpoint(endpoint);
  applyEnvironment(exchange, environment);
  exchange.urls.api = rewrite(exchange.urls.api as Urls, base) as typeof exchange.urls.api;
}

/**
 * Constructor options for the host's ccxt instances, from the exchange's adapter: one market
 * kind (spot, or the linear perpetuals), no currency list (it needs extra private calls), and
 * what that exchange needs besides. Merge into the config given to `new ccxt[id]({...})`; ccxt
 * deep-merges `options` and `has`.
 */
export function ccxtOptionsFor(id: ExchangeId, market: RouteMarket = 'spot'): CcxtSetup {
  return adapterFor(id).ccxtOptions(market);
}
