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
 */
import type { Exchange } from 'ccxt';
import type { Lookup } from './adapter.js';
import { BaseExchangeAdapter, callImplicit } from './base.js';

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
    marketId: string | undefined,
    clientOrderId: string,
  ): Promise<Lookup> {
    const r = (await callImplicit(client, 'privateGetTradeOrder', {
      instId: marketId,
      [this.profile.clientOrderId.lookupParam]: clientOrderId,
    })) as { data?: { ordId: string; clOrdId: string; state: string }[] };
    const hit = r.data?.find((o) => o.clOrdId === clientOrderId);
    return hit ? { found: true, exchangeOrderId: hit.ordId, status: hit.state } : { found: false };
  }
}
