/**
 * OKX through ccxt (FACTS.md):
 * - `createOrder` posts a JSON array to `/api/v5/trade/batch-orders` unless
 *   `options.createOrder = 'privatePostTradeOrder'`: the host sends single orders.
 * - OKX demo trading is ccxt's sandbox (header `x-simulated-trading: 1`); there is no testnet.
 * - The request window is the `expTime` header, which ccxt has no option for: OKX does not process
 *   a place-order request once its server time is past `expTime` (docs-v5, "Transaction
 *   timeouts": https://www.okx.com/docs-v5/en/#overview-transaction-timeouts); the answer is
 *   sCode 50037 "Order expired".
 * - Per-order results live inside the answer (`data[].sCode`/`sMsg`; the top-level "1" says
 *   nothing): exchange-error.ts reads them.
 * - A client order id is accepted again once the first order is no longer open: look before resending.
 * - Perpetuals (FACTS.md): the margin mode is per order (`tdMode`, ccxt `params.marginMode`;
 *   without it ccxt sends cross), so every swap order carries it. TP/SL attach to the entry
 *   (`attachAlgoOrds`, one OCO: the other leg goes when one fires). Leverage is per instrument
 *   and margin mode: read with GET /api/v5/account/leverage-info, set with POST
 *   /api/v5/account/set-leverage only when it differs
 *   (https://www.okx.com/docs-v5/en/#trading-account-rest-api-set-leverage).
 */
import type { Exchange } from 'ccxt';
import type { MarginMode } from '../../../../signals/signal.js';
import type { Lookup, ProtectiveLeg, SwapSettings } from './adapter.js';
import { BaseExchangeAdapter, callImplicit, type MarketRef } from './base.js';

/** The order endpoints OKX applies `expTime` to (ccxt's implicit paths, without /api/v5/). */
const EXP_TIME_PATHS = new Set(['trade/order', 'trade/batch-orders']);

type Sign = (
  path: string,
  api?: unknown,
  method?: string,
  params?: unknown,
  headers?: unknown,
  body?: unknown,
) => { url: string; method: string; body?: unknown; headers?: Record<string, string> };

export class OkxAdapter extends BaseExchangeAdapter {
  readonly id = 'okx';
  /** GET /api/v5/account/config (the profile's keyInfoEndpoint). */
  readonly keyInfoCall = 'privateGetAccountConfig';
  protected override readonly extraOptions = { createOrder: 'privatePostTradeOrder' };
  protected override readonly demoTrading = false;
  protected readonly swapMarketTypes = ['swap'];
  /** Order states of a working order (docs-v5, "Get order details": live, partially_filled). */
  protected readonly openStatuses = ['live', 'partially_filled'];
  readonly protectiveStyle = 'attached' as const;

  async prepareSwap(client: Exchange, symbol: string, s: SwapSettings): Promise<void> {
    const instId = client.market(symbol).id;
    const r = (await callImplicit(client, 'privateGetAccountLeverageInfo', {
      instId,
      mgnMode: s.marginMode,
    })) as { data?: { instId?: string; lever?: string }[] };
    const now = r.data?.find((d) => d.instId === instId)?.lever;
    if (Number(now) !== s.leverage)
      await callImplicit(client, 'privatePostAccountSetLeverage', {
        instId,
        lever: String(s.leverage),
        mgnMode: s.marginMode,
      });
  }

  /** Every swap order names its margin mode (tdMode); attached legs fire as market orders. */
  override entryParams(o: {
    marginMode: MarginMode;
    reduceOnly: boolean;
    attachedLegs: readonly ProtectiveLeg[];
  }): Record<string, unknown> {
    return { ...super.entryParams(o), marginMode: o.marginMode };
  }

  override legParams(o: { marginMode: MarginMode; leg: ProtectiveLeg }): Record<string, unknown> {
    return { ...super.legParams(o), marginMode: o.marginMode };
  }

  /** Adds `expTime` (the exchange's clock + window) to the signed place-order requests. */
  override applyRequestWindow(client: Exchange, windowMs: number): void {
    client.options['adjustForTimeDifference'] = true;
    const self = client as unknown as { sign: Sign; nonce(): number };
    const sign = self.sign.bind(client);
    self.sign = (path, api, method, params, headers, body) => {
      const signed = sign(path, api, method, params, headers, body);
      if (api === 'private' && method === 'POST' && EXP_TIME_PATHS.has(path)) {
        signed.headers = { ...(signed.headers ?? {}), expTime: String(self.nonce() + windowMs) };
      }
      return signed;
    };
  }

  /** GET /api/v5/trade/order with clOrdId; 51603 when there is no such order. */
  protected async lookUp(
    client: Exchange,
    market: MarketRef,
    clientOrderId: string,
  ): Promise<Lookup> {
    const r = (await callImplicit(client, 'privateGetTradeOrder', {
      instId: market.id,
      [this.profile.clientOrderId.lookupParam]: clientOrderId,
    })) as { data?: { ordId: string; clOrdId: string; state: string }[] };
    const hit = r.data?.find((o) => o.clOrdId === clientOrderId);
    return hit ? { found: true, exchangeOrderId: hit.ordId, status: hit.state } : { found: false };
  }
}
