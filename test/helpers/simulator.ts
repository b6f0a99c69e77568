/**
 * Helpers for tests that drive the exchange simulator through the real ccxt code path
 * (ccxt pointed at the simulator with pointCcxtAt) or through hand-signed HTTP requests.
 */
import ccxt, { type Exchange } from 'ccxt';
import { startSimulator, type SimKeyConfig, type Simulator } from '../../tools/simulator/index.js';
import {
  ccxtOptionsFor,
  pointCcxtAt,
} from '../../src/native-host/service/exchange/ccxt-endpoint.js';
import type { Environment, ExchangeId } from '../../src/exchanges/types.js';

/** A key allowed to read and trade spot, usable from any IP. */
export function tradeKey(
  exchange: ExchangeId,
  apiKey: string,
  extra: Partial<SimKeyConfig> = {},
): SimKeyConfig {
  return {
    exchange,
    apiKey,
    secret: `${apiKey}-secret`,
    ...(exchange === 'okx' ? { passphrase: `${apiKey}-Pass1!` } : {}),
    environment: 'live',
    permissions: { read: true, spot: true, withdraw: false },
    createdAt: Date.UTC(2026, 0, 15),
    ...extra,
  };
}

export async function startTestSimulator(keys: SimKeyConfig[] = []): Promise<Simulator> {
  return startSimulator({ keys });
}

export interface CcxtOptions {
  environment?: Environment;
  /** Use the host's trimmed options (ccxtOptionsFor); default true. */
  trimmed?: boolean;
  /** ccxt request timeout in ms. */
  timeout?: number;
  /** Override credentials (e.g. a wrong secret). */
  secret?: string;
  password?: string;
}

/** A ccxt instance for `key`, pointed at the simulator, with throttling off. */
export function ccxtFor(sim: Simulator, key: SimKeyConfig, opts: CcxtOptions = {}): Exchange {
  const Ctor = ccxt[key.exchange] as unknown as new (config: object) => Exchange;
  const ex = new Ctor({
    apiKey: key.apiKey,
    secret: opts.secret ?? key.secret,
    password: opts.password ?? key.passphrase,
    enableRateLimit: false,
    timeout: opts.timeout ?? 10_000,
    ...(opts.trimmed === false ? {} : ccxtOptionsFor(key.exchange)),
  });
  pointCcxtAt(ex, sim.endpoint(key.exchange), opts.environment ?? key.environment);
  return ex;
}

/** Awaits a promise that must fail; returns the error (message includes the exchange's body). */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail');
}

/** One amount of a ccxt balance (ccxt's typings of free/used/total are loose). */
export function amount(
  balance: unknown,
  kind: 'free' | 'used' | 'total',
  asset: string,
): number | undefined {
  return (balance as Record<string, Record<string, number> | undefined>)[kind]?.[asset];
}

export interface RawAnswer {
  status: number;
  body: unknown;
  text: string;
}

export async function raw(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body, text };
}

export { type Simulator, type SimKeyConfig };

/** The market types ccxt loads for USDT-margined perpetuals (ccxt <exchange>.js fetchMarkets). */
export const PERP_MARKET_TYPES: Record<ExchangeId, string[]> = {
  binance: ['linear'],
  bybit: ['linear'],
  okx: ['swap'],
};

/** A key allowed to read and trade spot and futures, usable from any IP. */
export function perpKey(
  exchange: ExchangeId,
  apiKey: string,
  extra: Partial<SimKeyConfig> = {},
): SimKeyConfig {
  return tradeKey(exchange, apiKey, {
    permissions: { read: true, spot: true, futures: true, withdraw: false },
    ...extra,
  });
}

/**
 * A ccxt instance for `key` trading USDT-margined perpetuals at the simulator: the host's options
 * with `defaultType: 'swap'` and only the perpetual markets loaded.
 */
export function perpCcxtFor(sim: Simulator, key: SimKeyConfig, opts: CcxtOptions = {}): Exchange {
  const ex = ccxtFor(sim, key, opts);
  ex.options = {
    ...ex.options,
    defaultType: 'swap',
    fetchMarkets: {
      ...(ex.options['fetchMarkets'] as object),
      types: PERP_MARKET_TYPES[key.exchange],
    },
  };
  return ex;
}
