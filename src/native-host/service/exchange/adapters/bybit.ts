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
 * - Linear perpetuals (FACTS.md): TP/SL attach to the entry on `/v5/order/create` (ccxt's
 *   `params.stopLoss`/`takeProfit` {triggerPrice}); after one fires Bybit deactivates the other.
 *   A unified account's margin mode is account-wide (`/v5/account/set-margin-mode`,
 *   https://bybit-exchange.github.io/docs/v5/account/set-margin-mode): it is switched only when
 *   it differs, never away from portfolio margin. Leverage per symbol: `/v5/position/set-leverage`
 *   answers 110043 "leverage not modified" when it already is
 *   (https://bybit-exchange.github.io/docs/v5/position/leverage; ccxt bybit.js exceptions).
 */
import type { Exchange } from 'ccxt';
import type { Lookup, SwapSettings } from './adapter.js';
import { BaseExchangeAdapter, callImplicit, codeOf, type MarketRef } from './base.js';

/** "Not modified" answers: 110026 margin mode, 110043 leverage (ccxt bybit.js exceptions). */
const UNCHANGED = ['110026', '110043'];

async function unlessUnchanged(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!UNCHANGED.includes(codeOf(err) ?? '')) throw err;
  }
}

/** Where an order by orderLinkId may be, in the order to ask. */
const LOOKUP_CALLS = ['privateGetV5OrderRealtime', 'privateGetV5OrderHistory'];

export class BybitAdapter extends BaseExchangeAdapter {
  readonly id = 'bybit';
  /** GET /v5/user/query-api (the profile's keyInfoEndpoint). */
  readonly keyInfoCall = 'privateGetV5UserQueryApi';
  protected readonly swapMarketTypes = ['linear'];
  /** v5 orderStatus of a working order (https://bybit-exchange.github.io/docs/v5/enum#orderstatus). */
  protected readonly openStatuses = ['New', 'PartiallyFilled', 'Untriggered', 'Created'];
  readonly protectiveStyle = 'attached' as const;

  async prepareSwap(client: Exchange, symbol: string, s: SwapSettings): Promise<void> {
    const id = client.market(symbol).id;
    const wanted = s.marginMode === 'cross' ? 'REGULAR_MARGIN' : 'ISOLATED_MARGIN';
    const info = (await callImplicit(client, 'privateGetV5AccountInfo')) as {
      result?: { marginMode?: string };
    };
    const now = info.result?.marginMode;
    if (now === 'PORTFOLIO_MARGIN')
      throw new Error(
        `this Bybit account uses portfolio margin; Sentinel will not switch the whole account to ${s.marginMode} margin. Send signals for this account with the margin mode it uses, or change it on Bybit`,
      );
    if (now !== wanted)
      await unlessUnchanged(
        callImplicit(client, 'privatePostV5AccountSetMarginMode', { setMarginMode: wanted }),
      );
    const positions = (await callImplicit(client, 'privateGetV5PositionList', {
      category: 'linear',
      symbol: id,
    })) as { result?: { list?: { symbol?: string; leverage?: string }[] } };
    const lev = positions.result?.list?.find((p) => p.symbol === id)?.leverage;
    if (Number(lev) !== s.leverage)
      await unlessUnchanged(
        callImplicit(client, 'privatePostV5PositionSetLeverage', {
          category: 'linear',
          symbol: id,
          buyLeverage: String(s.leverage),
          sellLeverage: String(s.leverage),
        }),
      );
  }

  /** A missing order is an empty list (170213 when Bybit says so outright). */
  protected async lookUp(
    client: Exchange,
    market: MarketRef,
    clientOrderId: string,
  ): Promise<Lookup> {
    const param = this.profile.clientOrderId.lookupParam; // orderLinkId
    for (const call of LOOKUP_CALLS) {
      const r = (await callImplicit(client, call, {
        category: market.spot ? 'spot' : 'linear',
        symbol: market.id,
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
