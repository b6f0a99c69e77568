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
 * - USDⓈ-M perpetuals (FACTS.md, "Perpetuals through ccxt 4.5.84"): futures ignore ccxt's
 *   `params.stopLoss`/`takeProfit`, so protective legs are separate reduce-only trigger orders;
 *   ccxt sends those (stopLossPrice/takeProfitPrice) to `POST /fapi/v1/algoOrder` with our id as
 *   `clientAlgoId` (binance.js createOrder, createOrderRequest), where they are looked up and
 *   cancelled too (`GET`/`DELETE /fapi/v1/algoOrder`). A fired stop does not cancel its sibling:
 *   the reconciliation does (protective-legs.ts).
 */
import type { Exchange } from 'ccxt';
import type { AuditCheck, Environment } from '../../../../exchanges/types.js';
import { exchangeCodeOf } from '../exchange-error.js';
import type { Lookup, SwapSettings, TradeCheckContext, TriggerLookup } from './adapter.js';
import { BaseExchangeAdapter, callImplicit, codeOf, type MarketRef } from './base.js';
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
  protected readonly swapMarketTypes = ['linear'];
  /** Spot and USDⓈ-M order statuses of a working order (developers.binance.com, "Order status"). */
  protected readonly openStatuses = ['NEW', 'PARTIALLY_FILLED', 'PENDING_NEW'];
  readonly protectiveStyle = 'separate' as const;

  /**
   * GET /fapi/v1/symbolConfig first (marginType CROSSED|ISOLATED and leverage per symbol:
   * https://developers.binance.com/docs/derivatives/usds-margined-futures/account/rest-api/Symbol-Config),
   * then POST /fapi/v1/marginType and POST /fapi/v1/leverage only for what differs. -4046 "No need
   * to change margin type" is success (binance.js setMarginMode treats it so too).
   */
  async prepareSwap(client: Exchange, symbol: string, s: SwapSettings): Promise<void> {
    const id = client.market(symbol).id;
    const wantedType = s.marginMode === 'cross' ? 'CROSSED' : 'ISOLATED';
    const config = (await callImplicit(client, 'fapiPrivateGetSymbolConfig', { symbol: id })) as
      { symbol?: string; marginType?: string; leverage?: number | string }[] | undefined;
    const now = config?.find((c) => c.symbol === id);
    if (now?.marginType !== wantedType) {
      try {
        await callImplicit(client, 'fapiPrivatePostMarginType', {
          symbol: id,
          marginType: wantedType,
        });
      } catch (err) {
        if (codeOf(err) !== '-4046') throw err;
      }
    }
    if (Number(now?.leverage) !== s.leverage)
      await callImplicit(client, 'fapiPrivatePostLeverage', { symbol: id, leverage: s.leverage });
  }

  /** GET /fapi/v1/algoOrder with clientAlgoId; the profile's "no such order" codes: not found. */
  override async findTriggerOrderByClientId(
    client: Exchange,
    _symbol: string,
    clientOrderId: string,
  ): Promise<TriggerLookup> {
    try {
      const o = (await callImplicit(client, 'fapiPrivateGetAlgoOrder', {
        clientAlgoId: clientOrderId,
      })) as { algoId?: number | string; algoStatus?: string } | undefined;
      if (!o || o.algoId === undefined) return { found: false };
      // NEW waits for its trigger; TRIGGERING is being sent (cancelling it may be refused).
      const open = o.algoStatus === 'NEW' || o.algoStatus === 'TRIGGERING';
      return { found: true, exchangeOrderId: String(o.algoId), open };
    } catch (err) {
      if (this.isNotFound(err)) return { found: false };
      throw err;
    }
  }

  /** DELETE /fapi/v1/algoOrder with clientAlgoId; an order already gone counts as cancelled. */
  override async cancelTriggerOrder(
    client: Exchange,
    _symbol: string,
    clientOrderId: string,
  ): Promise<boolean> {
    try {
      await callImplicit(client, 'fapiPrivateDeleteAlgoOrder', { clientAlgoId: clientOrderId });
      return true;
    } catch (err) {
      if (this.isNotFound(err)) return true;
      throw err;
    }
  }

  override keyInfoUnavailable(environment: Environment): string | null {
    return environment === 'testnet' ? TESTNET_NOTE : null;
  }

  /**
   * GET /api/v3/order (spot) or /fapi/v1/order (USDⓈ-M) with origClientOrderId; -2013 when there
   * is no such order.
   */
  protected async lookUp(
    client: Exchange,
    market: MarketRef,
    clientOrderId: string,
  ): Promise<Lookup> {
    const o = (await callImplicit(client, market.spot ? 'privateGetOrder' : 'fapiPrivateGetOrder', {
      symbol: market.id,
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
