/**
 * ccxt instances for the service, one per connection and use. Each exchange's ccxt class is
 * imported lazily and alone (ccxt-classes.ts: ≈0.3 s and ≈30 MiB for the first, a few MiB for
 * each next one, where all of ccxt is ≈85 MiB): only the service loads it, never the bridge, and
 * only once a key is used.
 */
import type { Exchange } from 'ccxt';
import type { Credentials } from '../../../protocol/methods.js';
import type { Environment, ExchangeId } from '../../../exchanges/types.js';
import type { RouteMarket } from '../../../protocol/trading.js';
import { applyEnvironment, ccxtOptionsFor, pointCcxtAt } from './ccxt-endpoint.js';
import { exchangeClass } from './ccxt-classes.js';
import { tagHttpStatus } from './http-status.js';
import { applyRequestWindow } from './request-window.js';
import { installSendGate } from './send-gate.js';

export interface ClientSpec {
  exchange: ExchangeId;
  environment: Environment;
  /** REST base URL replacing the exchange's own (the simulator or a gateway). */
  endpoint?: string;
  credentials: Credentials;
  timeoutMs?: number;
  /** ccxt's built-in throttle; only load tests against the simulator turn it off. */
  enableRateLimit?: boolean;
  /**
   * Clients that place orders: how long (ms, in the exchange's clock) an order request may still
   * be accepted after it was signed (request-window.ts).
   */
  orderWindowMs?: number;
  /** The markets the client loads and trades: spot (the default) or the linear perpetuals. */
  market?: RouteMarket;
}

export async function createExchangeClient(spec: ClientSpec): Promise<Exchange> {
  const Cls = await exchangeClass(spec.exchange);
  const { options, has } = ccxtOptionsFor(spec.exchange, spec.market ?? 'spot');
  const client = new Cls({
    apiKey: spec.credentials.apiKey,
    secret: spec.credentials.secret,
    ...(spec.credentials.passphrase !== undefined ? { password: spec.credentials.passphrase } : {}),
    enableRateLimit: spec.enableRateLimit ?? true,
    timeout: spec.timeoutMs ?? 10_000,
    options,
  });
  Object.assign(client.has, has);
  tagHttpStatus(client);
  installSendGate(client);
  if (spec.orderWindowMs !== undefined)
    applyRequestWindow(client, spec.exchange, spec.orderWindowMs);
  if (spec.endpoint) pointCcxtAt(client, spec.endpoint, spec.environment);
  else applyEnvironment(client, spec.environment);
  return client;
}
