/**
 * Bybit through ccxt (FACTS.md):
 * - ccxt forwards `{clientOrderId}` unchanged to `fetchOrder`/`cancelOrder`, and Bybit ignores it:
 *   the look-up silently returns the newest open order. So the look-up here is raw, by
 *   `orderLinkId`: `/v5/order/realtime` first (open orders plus only the last 500 closed ones),
 *   then `/v5/order/history` (7 days by default; cancelled orders only 24 h).
 * - `fetchOrder` on a unified account needs `{acknowledged: true}` and throws a TypeError, not
 *   OrderNotFound, for a missing order: one more reason for the raw calls.
 * - ccxt checks the key-info answer (`/v5/user/query-api`) before private calls; create/cancel
 *   answers carry only ids, the status comes from a later fetch.
 * - testnet is ccxt's sandbox, demo its demo trading (the defaults).
 */
import type { Exchange } from 'ccxt';
import type { Lookup } from './adapter.js';
import { BaseExchangeAdapter, callImplicit } from './base.js';

/** Where an order by orderLinkId may be, in the order to ask. */
const LOOKUP_CALLS = ['privateGetV5OrderRealtime', 'privateGetV5OrderHistory'];

export class BybitAdapter extends BaseExchangeAdapter {
  readonly id = 'bybit';
  /** GET /v5/user/query-api (the profile's keyInfoEndpoint). */
  readonly keyInfoCall = 'privateGetV5UserQueryApi';

  /** A missing order is an empty list (170213 when Bybit says so outright). */
  protected async lookUp(
    client: Exchange,
    marketId: string | undefined,
    clientOrderId: string,
  ): Promise<Lookup> {
    const param = this.profile.clientOrderId.lookupParam; // orderLinkId
    for (const call of LOOKUP_CALLS) {
      const r = (await callImplicit(client, call, {
        category: 'spot',
        symbol: marketId,
        [param]: clientOrderId,
      })) as {
        result?: { list?: { orderId: string; orderLinkId: string; orderStatus: string }[] };
      };
      const hit = r.result?.list?.find((o) => o.orderLinkId === clientOrderId);
      if (hit) return { found: true, exchangeOrderId: hit.orderId, status: hit.orderStatus };
    }
    return { found: false };
  }
}
