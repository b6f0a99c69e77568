/**
 * The default adapter, which each exchange's adapter overrides in a few places (the ccxt and
 * Freqtrade style): spot markets only, no currency list, `recvWindow` as the request window,
 * ccxt's sandbox for testnet and its demo trading for demo, and no extra trade check.
 */
import type { Exchange } from 'ccxt';
import type { ExchangeProfile } from '../../../../exchanges/profile.js';
import { PROFILES } from '../../../../exchanges/profiles.js';
import type { AuditCheck, Environment, ExchangeId } from '../../../../exchanges/types.js';
import { exchangeCodeOf } from '../exchange-error.js';
import type { RouteMarket } from '../../../../protocol/trading.js';
import type { MarginMode } from '../../../../signals/signal.js';
import type {
  CcxtSetup,
  ExchangeAdapter,
  Lookup,
  ProtectiveLeg,
  ProtectiveStyle,
  SwapSettings,
  TradeCheckContext,
  TriggerLookup,
} from './adapter.js';

/** The market an order is looked up in: its exchange id and whether it is spot. */
export interface MarketRef {
  id: string;
  spot: boolean;
}

/** An exchange error code, when the error carries one. */
export const codeOf = (err: unknown): string | undefined => exchangeCodeOf(err)?.code;

/** Calls an implicit ccxt method (exactly one request: FACTS.md). */
export async function callImplicit(
  client: Exchange,
  method: string,
  params: Record<string, unknown> = {},
): Promise<unknown> {
  const fn = (client as unknown as Record<string, unknown>)[method];
  if (typeof fn !== 'function') throw new Error(`ccxt ${client.id} has no method ${method}`);
  return (fn as (p: Record<string, unknown>) => Promise<unknown>).call(client, params);
}

export abstract class BaseExchangeAdapter implements ExchangeAdapter {
  abstract readonly id: ExchangeId;
  abstract readonly keyInfoCall: string;
  /** ccxt options beyond the common ones. */
  protected readonly extraOptions: Record<string, unknown> = {};
  /** 'demo' is ccxt's demo trading (`enableDemoTrading`); false: the exchange's sandbox is its demo. */
  protected readonly demoTrading: boolean = true;

  get profile(): ExchangeProfile {
    return PROFILES[this.id];
  }

  /** ccxt's fetchMarkets types that hold the exchange's linear perpetuals. */
  protected abstract readonly swapMarketTypes: readonly string[];
  /** Order statuses (the exchange's own words) of an order still waiting to fill. */
  protected abstract readonly openStatuses: readonly string[];
  abstract readonly protectiveStyle: ProtectiveStyle;

  /**
   * One market kind and no currency list (it needs extra private calls): a spot client's
   * `loadMarkets` is then one request (FACTS.md); a swap client's loads the linear perpetuals.
   */
  ccxtOptions(market: RouteMarket = 'spot'): CcxtSetup {
    const types = market === 'swap' ? [...this.swapMarketTypes] : ['spot'];
    return {
      options: {
        fetchMarkets: { types },
        defaultType: market === 'swap' ? 'swap' : 'spot',
        ...this.extraOptions,
      },
      has: { fetchCurrencies: false },
    };
  }

  isOpenStatus(status: string): boolean {
    return this.openStatuses.includes(status);
  }

  abstract prepareSwap(client: Exchange, symbol: string, settings: SwapSettings): Promise<void>;

  /** ccxt's unified params: reduceOnly, and attached legs as `stopLoss`/`takeProfit` {triggerPrice}. */
  entryParams(o: {
    marginMode: MarginMode;
    reduceOnly: boolean;
    attachedLegs: readonly ProtectiveLeg[];
  }): Record<string, unknown> {
    const params: Record<string, unknown> = o.reduceOnly ? { reduceOnly: true } : {};
    for (const leg of o.attachedLegs)
      params[leg.role === 'stop-loss' ? 'stopLoss' : 'takeProfit'] = {
        triggerPrice: leg.triggerPrice,
      };
    return params;
  }

  /** ccxt's unified trigger params: `stopLossPrice`/`takeProfitPrice` with reduceOnly. */
  legParams(o: { marginMode: MarginMode; leg: ProtectiveLeg }): Record<string, unknown> {
    return {
      reduceOnly: true,
      [o.leg.role === 'stop-loss' ? 'stopLossPrice' : 'takeProfitPrice']: o.leg.triggerPrice,
    };
  }

  findTriggerOrderByClientId(
    _client: Exchange,
    _symbol: string,
    _clientOrderId: string,
  ): Promise<TriggerLookup> {
    return Promise.reject(new Error(`${this.id} attaches protective legs to their entry`));
  }

  cancelTriggerOrder(_client: Exchange, _symbol: string, _clientOrderId: string): Promise<boolean> {
    return Promise.reject(new Error(`${this.id} attaches protective legs to their entry`));
  }

  /**
   * testnet = sandbox mode, demo = demo trading (or the sandbox, see `demoTrading`). Call before
   * rewriting `urls.api` (ccxt swaps whole URL tables: ccxt-endpoint.ts).
   */
  applyEnvironment(client: Exchange, environment: Environment): void {
    if (environment === 'live') return;
    if (environment === 'demo' && this.demoTrading) {
      if (client.options['enableDemoTrading'] !== true) client.enableDemoTrading(true);
    } else if (!client.isSandboxModeEnabled) client.setSandboxMode(true);
  }

  /**
   * ccxt's `recvWindow`. Binance processes a signed request only while serverTime − timestamp ≤
   * recvWindow, and never one whose timestamp is more than 1 s ahead of its clock (spot API docs,
   * "Timing security": https://developers.binance.com/docs/binance-spot-api-docs/rest-api/endpoint-security-type).
   * Bybit likewise: server_time − recv_window ≤ timestamp < server_time + 1000 (v5 docs,
   * "Integration guidance": https://bybit-exchange.github.io/docs/v5/guide).
   */
  applyRequestWindow(client: Exchange, windowMs: number): void {
    client.options['adjustForTimeDifference'] = true;
    client.options['recvWindow'] = windowMs;
  }

  fetchKeyInfo(client: Exchange): Promise<unknown> {
    return callImplicit(client, this.keyInfoCall);
  }

  keyInfoUnavailable(_environment: Environment): string | null {
    return null;
  }

  async tradeCheck(_client: Exchange, _ctx: TradeCheckContext): Promise<AuditCheck | null> {
    return null;
  }

  async findOrderByClientId(
    client: Exchange,
    symbol: string,
    clientOrderId: string,
  ): Promise<Lookup> {
    const market = client.market(symbol);
    try {
      return await this.lookUp(
        client,
        { id: String(market.id), spot: market.spot !== false },
        clientOrderId,
      );
    } catch (err) {
      const code = exchangeCodeOf(err)?.code;
      if (code && this.profile.orderNotFoundCodes.includes(code)) return { found: false };
      throw err; // unknown: the caller retries the lookup, never a blind resend
    }
  }

  /** One exchange's raw look-up by client order id (`lookupParam`) in the market. */
  protected abstract lookUp(
    client: Exchange,
    market: MarketRef,
    clientOrderId: string,
  ): Promise<Lookup>;

  /** True when the error is the profile's "no such order" answer. */
  protected isNotFound(err: unknown): boolean {
    const code = codeOf(err);
    return code !== undefined && this.profile.orderNotFoundCodes.includes(code);
  }
}
