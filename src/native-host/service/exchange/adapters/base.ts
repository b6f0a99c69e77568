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
import type { CcxtSetup, ExchangeAdapter, Lookup, TradeCheckContext } from './adapter.js';

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

  /**
   * Spot markets only and no currency list (it needs extra private calls): `loadMarkets` is then
   * one request (FACTS.md).
   */
  ccxtOptions(): CcxtSetup {
    return {
      options: { fetchMarkets: { types: ['spot'] }, defaultType: 'spot', ...this.extraOptions },
      has: { fetchCurrencies: false },
    };
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
      return await this.lookUp(client, market.id, clientOrderId);
    } catch (err) {
      const code = exchangeCodeOf(err)?.code;
      if (code && this.profile.orderNotFoundCodes.includes(code)) return { found: false };
      throw err; // unknown: the caller retries the lookup, never a blind resend
    }
  }

  /** One exchange's raw look-up by client order id (`lookupParam`) in the market `marketId`. */
  protected abstract lookUp(
    client: Exchange,
    marketId: string | undefined,
    clientOrderId: string,
  ): Promise<Lookup>;
}
