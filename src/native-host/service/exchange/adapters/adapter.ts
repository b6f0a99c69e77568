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
import type { RouteMarket } from '../../../../protocol/trading.js';
import type { MarginMode } from '../../../../signals/signal.js';

export type Lookup = { found: true; exchangeOrderId: string; status: string } | { found: false };

/** Merged into the config given to `new ccxt[id]({...})`; ccxt deep-merges `options` and `has`. */
export interface CcxtSetup {
  options: Record<string, unknown>;
  has: Record<string, boolean>;
}

/** What a swap entry needs set on the exchange before it is sent (prepareSwap). */
export interface SwapSettings {
  leverage: number;
  marginMode: MarginMode;
}

/**
 * How protective legs reach the exchange: `attached` to the entry's own request (one request,
 * the exchange creates and links them), or `separate` reduce-only trigger orders sent after it.
 */
export type ProtectiveStyle = 'attached' | 'separate';

export interface ProtectiveLeg {
  role: 'stop-loss' | 'take-profit';
  /** The trigger price, already rounded to the tick (swap-plan.ts). */
  triggerPrice: number;
}

/** A reduce-only trigger order that is not (or no longer) working; `open` while it waits. */
export type TriggerLookup =
  { found: true; exchangeOrderId: string; open: boolean } | { found: false };

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
  /**
   * Constructor options that keep the host's calls to what it needs: one market kind (spot, or
   * the linear perpetuals), no currency list.
   */
  ccxtOptions(market?: RouteMarket): CcxtSetup;
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

  /** Whether an order status from `findOrderByClientId` means the order still waits to fill. */
  isOpenStatus(status: string): boolean;

  // --- linear perpetual swaps (one-way position mode)
  readonly protectiveStyle: ProtectiveStyle;
  /**
   * Sets the symbol's margin mode, then its leverage, reading the current state first where the
   * exchange allows; "nothing to change" answers count as success. Throws what the exchange said
   * otherwise (nothing is sent then).
   */
  prepareSwap(client: Exchange, symbol: string, settings: SwapSettings): Promise<void>;
  /** ccxt params for a swap entry (beside clientOrderId); attached legs ride along here. */
  entryParams(o: {
    marginMode: MarginMode;
    reduceOnly: boolean;
    attachedLegs: readonly ProtectiveLeg[];
  }): Record<string, unknown>;
  /** ccxt params for a separate protective leg: a reduce-only trigger order (market when fired). */
  legParams(o: { marginMode: MarginMode; leg: ProtectiveLeg }): Record<string, unknown>;
  /** A separate leg by its client id; throws when the answer proves nothing (as findOrderByClientId). */
  findTriggerOrderByClientId(
    client: Exchange,
    symbol: string,
    clientOrderId: string,
  ): Promise<TriggerLookup>;
  /** Cancels a separate leg; true when it was cancelled or is already gone. */
  cancelTriggerOrder(client: Exchange, symbol: string, clientOrderId: string): Promise<boolean>;
}
