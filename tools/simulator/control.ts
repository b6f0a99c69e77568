/**
 * The control API under /_sim/, so other processes (the demo, end-to-end tests) can drive a
 * running simulator: keys, prices (a perpetual's symbol, "BTC/USDT:USDT", moves it and its spot
 * market and fires the triggers it reaches), faults, client IP, clock, and the records and
 * perpetual positions to assert on.
 * Secrets never leave it: key listings omit secret and passphrase.
 */
import { EXCHANGE_IDS } from '../../src/exchanges/types.js';
import type { ExchangeId, SimKeyConfig, SimKeyInput } from './types.js';
import { errorMessage } from '../../src/lib/error-text.js';

/** The part of the simulator the control API drives (implemented by server.ts). */
export interface Controllable {
  addKey(key: SimKeyInput): void;
  removeKey(exchange: ExchangeId, apiKey: string): boolean;
  listKeys(exchange?: ExchangeId): Omit<SimKeyConfig, 'secret' | 'passphrase'>[];
  setPrice(exchange: ExchangeId, symbol: string, price: string | number): void;
  setFault(exchange: ExchangeId, spec: object): void;
  faults(exchange: ExchangeId): object;
  clearFaults(exchange?: ExchangeId): void;
  setClientIp(ip: string): void;
  setClockOffset(ms: number): void;
  orders(exchange?: ExchangeId): unknown[];
  requests(exchange?: ExchangeId): unknown[];
  book(exchange: ExchangeId, account?: string): unknown[];
  balances(exchange: ExchangeId, account: string): unknown;
  /** Open perpetual positions of an account (perp-book.ts), amounts as decimal strings. */
  positions(exchange: ExchangeId, account: string): unknown[];
  /** Perpetual orders (plain, trigger and fired ones) of an exchange or one account. */
  perpOrders(exchange: ExchangeId, account?: string): unknown[];
  reset(): void;
  readonly url: string;
}

export interface ControlAnswer {
  status: number;
  body: unknown;
}

function exchangeParam(value: unknown, required: true): ExchangeId;
function exchangeParam(value: unknown, required: false): ExchangeId | undefined;
function exchangeParam(value: unknown, required: boolean): ExchangeId | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) throw new Error(`exchange is required (${EXCHANGE_IDS.join(', ')})`);
    return undefined;
  }
  if (!EXCHANGE_IDS.includes(value as ExchangeId))
    throw new Error(`unknown exchange ${String(value)}`);
  return value as ExchangeId;
}

export function control(
  sim: Controllable,
  method: string,
  route: string,
  query: URLSearchParams,
  body: unknown,
): ControlAnswer {
  const b = (body ?? {}) as Record<string, unknown>;
  const ex = (required: boolean) =>
    required
      ? exchangeParam(query.get('exchange') ?? b['exchange'], true)
      : exchangeParam(query.get('exchange') ?? b['exchange'], false);
  try {
    switch (`${method} ${route}`) {
      case 'GET /_sim/health':
        return { status: 200, body: { ok: true, url: sim.url } };
      case 'GET /_sim/keys':
        return { status: 200, body: sim.listKeys(ex(false)) };
      case 'POST /_sim/keys': {
        const keys = Array.isArray(body) ? body : [body];
        for (const k of keys) sim.addKey(k as SimKeyInput);
        return { status: 201, body: { added: keys.length } };
      }
      case 'DELETE /_sim/keys':
        return {
          status: 200,
          body: {
            removed: sim.removeKey(
              ex(true) as ExchangeId,
              String(query.get('apiKey') ?? b['apiKey'] ?? ''),
            ),
          },
        };
      case 'GET /_sim/faults':
        return { status: 200, body: sim.faults(ex(true) as ExchangeId) };
      case 'POST /_sim/faults':
        sim.setFault(ex(true) as ExchangeId, b);
        return { status: 200, body: sim.faults(ex(true) as ExchangeId) };
      case 'DELETE /_sim/faults':
        sim.clearFaults(ex(false));
        return { status: 200, body: { cleared: true } };
      case 'POST /_sim/prices': {
        const exchanges = ex(false) ? [ex(false) as ExchangeId] : [...EXCHANGE_IDS];
        for (const e of exchanges) sim.setPrice(e, String(b['symbol'] ?? ''), b['price'] as string);
        return { status: 200, body: { ok: true } };
      }
      case 'POST /_sim/client-ip':
        if (typeof b['ip'] !== 'string' || !b['ip']) throw new Error('ip is required');
        sim.setClientIp(b['ip']);
        return { status: 200, body: { ip: b['ip'] } };
      case 'POST /_sim/clock':
        if (typeof b['offsetMs'] !== 'number') throw new Error('offsetMs (number) is required');
        sim.setClockOffset(b['offsetMs']);
        return { status: 200, body: { offsetMs: b['offsetMs'] } };
      case 'GET /_sim/orders':
        return { status: 200, body: sim.orders(ex(false)) };
      case 'GET /_sim/requests':
        return { status: 200, body: sim.requests(ex(false)) };
      case 'GET /_sim/book':
        return {
          status: 200,
          body: sim.book(ex(true) as ExchangeId, query.get('account') ?? undefined),
        };
      case 'GET /_sim/balances':
        return {
          status: 200,
          body: sim.balances(ex(true) as ExchangeId, String(query.get('account') ?? '')),
        };
      case 'GET /_sim/positions':
        return {
          status: 200,
          body: sim.positions(ex(true) as ExchangeId, String(query.get('account') ?? '')),
        };
      case 'GET /_sim/perp-orders':
        return {
          status: 200,
          body: sim.perpOrders(ex(true) as ExchangeId, query.get('account') ?? undefined),
        };
      case 'POST /_sim/reset':
        sim.reset();
        return { status: 200, body: { ok: true } };
      default:
        return { status: 404, body: { error: `no control route ${method} ${route}` } };
    }
  } catch (e) {
    return { status: 400, body: { error: errorMessage(e) } };
  }
}
