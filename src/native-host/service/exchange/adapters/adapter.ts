/**
 * What the host does differently per exchange, behind one interface: one adapter per exchange
 * (binance.ts, bybit.ts, okx.ts), each a few overrides of base.ts, and one registry (index.ts).
 * The pure facts (credentials, environments, client-id parameters, error codes) are in the
 * exchange's profile (src/exchanges/<id>/); an adapter holds what needs ccxt: options, the
 * environment switch, the request window, the key-info call, extra audit checks and the order
 * look-up by client id. Code outside this folder asks the adapter and never names an exchange.
 */
import type { Exchange } from 'ccxt';
import type { ExchangeProfile } from '../../../../exchanges/profile.js';
import type { AuditCheck, Environment, ExchangeId } from '../../../../exchanges/types.js';

export type Lookup = { found: true; exchangeOrderId: string; status: string } | { found: false };

/** Merged into the config given to `new ccxt[id]({...})`; ccxt deep-merges `options` and `has`. */
export interface CcxtSetup {
  options: Record<string, unknown>;
  has: Record<string, boolean>;
}

/** What an adapter's extra audit check gets from the audit (key-audit.ts). */
export interface TradeCheckContext {
  /** A signed request with this key has already been accepted from this machine. */
  succeeded: boolean;
  /**
   * A failure in plain words, the audit's way: throws KEY_REJECTED or EXCHANGE_UNREACHABLE when
   * that is what the failure means.
   */
  describeFailure(err: unknown): string;
}

export interface ExchangeAdapter {
  readonly id: ExchangeId;
  readonly profile: ExchangeProfile;
  /** Constructor options that keep the host's calls to what it needs (spot, no currency list). */
  ccxtOptions(): CcxtSetup;
  /** Switches ccxt to the environment (sandbox or demo trading); nothing for live or when done. */
  applyEnvironment(client: Exchange, environment: Environment): void;
  /** Every order request carries a window of `windowMs` in the exchange's clock (request-window.ts). */
  applyRequestWindow(client: Exchange, windowMs: number): void;
  /** The implicit ccxt method (one request) whose answer the profile's `parseKeyInfo` reads. */
  readonly keyInfoCall: string;
  /** Calls `keyInfoCall`. */
  fetchKeyInfo(client: Exchange): Promise<unknown>;
  /** Why the key's own description cannot be read in this environment; null when it can. */
  keyInfoUnavailable(environment: Environment): string | null;
  /** A check that the key may trade, placing nothing; null where the exchange offers none. */
  tradeCheck(client: Exchange, ctx: TradeCheckContext): Promise<AuditCheck | null>;
  /**
   * The order with this client order id (profile.clientOrderId.lookupParam), one or two raw
   * requests; `{found: false}` on the profile's "no such order" codes; throws when unknown.
   */
  findOrderByClientId(client: Exchange, symbol: string, clientOrderId: string): Promise<Lookup>;
}
