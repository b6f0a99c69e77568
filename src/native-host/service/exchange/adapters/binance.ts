/**
 * Binance through ccxt (FACTS.md):
 * - Binance has ~22 api URL keys; its spot testnet (ccxt's sandbox) serves no `sapi`, so the
 *   key-info call cannot be made there and the audit says so instead of pretending.
 * - `loadMarkets` also fetches currencies and margin lists unless told not to.
 * - ccxt generates a fresh `newClientOrderId` on every call unless `clientOrderId` is passed: the
 *   executor always passes ours (place-order.ts), so a resend carries the same id.
 * - After a successful private call ccxt reports a later -2015 as DDoSProtection: errors are
 *   mapped by Binance's code (exchange-error.ts), not by ccxt's class.
 * - The trade check: POST /api/v3/order/test validates an order like a real one and places
 *   nothing (binance-test-order.ts prices it so that it passes the filters).
 */
import type { Exchange } from 'ccxt';
import type { AuditCheck, Environment } from '../../../../exchanges/types.js';
import { exchangeCodeOf } from '../exchange-error.js';
import type { Lookup, TradeCheckContext } from './adapter.js';
import { BaseExchangeAdapter, callImplicit } from './base.js';
import {
  binanceFilterFailure,
  planBinanceTestOrder,
  TEST_ORDER_SYMBOL,
  type TestOrderPlan,
} from './binance-test-order.js';

const TESTNET_NOTE =
  "Binance's spot testnet serves no /sapi endpoints, so this key's permissions (withdrawals included) cannot be read there. Check them yourself on the testnet's API page.";

export class BinanceAdapter extends BaseExchangeAdapter {
  readonly id = 'binance';
  /** GET /sapi/v1/account/apiRestrictions (the profile's keyInfoEndpoint). */
  readonly keyInfoCall = 'sapiGetAccountApiRestrictions';
  protected override readonly extraOptions = { fetchCurrencies: false, fetchMargins: false };

  override keyInfoUnavailable(environment: Environment): string | null {
    return environment === 'testnet' ? TESTNET_NOTE : null;
  }

  /** GET /api/v3/order with origClientOrderId; -2013 when there is no such order. */
  protected async lookUp(
    client: Exchange,
    marketId: string | undefined,
    clientOrderId: string,
  ): Promise<Lookup> {
    const o = (await callImplicit(client, 'privateGetOrder', {
      symbol: marketId,
      [this.profile.clientOrderId.lookupParam]: clientOrderId,
    })) as { orderId?: number | string; status?: string } | undefined;
    return o && o.orderId !== undefined
      ? { found: true, exchangeOrderId: String(o.orderId), status: String(o.status) }
      : { found: false };
  }

  /**
   * POST /api/v3/order/test with a limit buy priced from the market (binance-test-order.ts), so it
   * passes every filter. Binance checks the key's permission before any filter (FACTS.md: -2015
   * comes first), so once a signed request has succeeded, a filter failure still proves that the
   * key may trade: only the test order's price or size was refused.
   */
  override async tradeCheck(client: Exchange, ctx: TradeCheckContext): Promise<AuditCheck> {
    let plan: TestOrderPlan;
    try {
      await client.loadMarkets(); // already loaded by fetchBalance: no request then
      const filters = (client.market(TEST_ORDER_SYMBOL.unified).info as { filters?: unknown })
        .filters;
      const avg = (await callImplicit(client, 'publicGetAvgPrice', {
        symbol: TEST_ORDER_SYMBOL.id,
      })) as { price?: unknown } | undefined;
      plan = planBinanceTestOrder(TEST_ORDER_SYMBOL.id, filters, avg?.price);
    } catch (err) {
      plan = { ok: false, problem: ctx.describeFailure(err) };
    }
    if (!plan.ok) {
      return {
        id: 'trade-check',
        level: 'warn',
        message: `Sentinel could not prepare a test order to confirm that Binance lets this key trade (${plan.problem}). Nothing was placed. Audit the key again in a few minutes; until then only the key's own description vouches for trading.`,
      };
    }
    try {
      await callImplicit(client, 'privatePostOrderTest', { ...plan.params });
      return {
        id: 'trade-check',
        level: 'ok',
        message: 'Binance accepted a test order from this key (nothing was placed).',
      };
    } catch (err) {
      const filter = ctx.succeeded ? binanceFilterFailure(err, exchangeCodeOf(err)?.code) : null;
      if (filter) {
        return {
          id: 'trade-check',
          level: 'ok',
          message: `Binance refused only the test order's price or size (filter failure: ${filter}), which it checks after the key's permission to trade: so this key may trade. Nothing was placed.`,
        };
      }
      const why = ctx.describeFailure(err);
      return {
        id: 'trade-check',
        level: 'block',
        message: `Binance refused a test order from this key: ${why}`,
      };
    }
  }
}
