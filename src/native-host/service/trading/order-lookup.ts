/**
 * Finding an order by our client order id — the step that makes a resend safe. Client ids are
 * unique only among *open* orders on Binance and OKX: after a fill the same id is accepted again,
 * so after an unknown outcome we must look before sending again. Raw implicit calls, one request
 * each (ccxt's Bybit fetchOrder ignores clientOrderId and returns the newest order — FACTS.md).
 */
import type { Exchange } from 'ccxt';
import type { ExchangeId } from '../../../exchanges/types.js';
import { exchangeCodeOf } from '../exchange/exchange-error.js';

export type Lookup = { found: true; exchangeOrderId: string; status: string } | { found: false };

/** The exchanges' "no such order" codes: Binance -2013, Bybit (empty list), OKX 51603. */
const NOT_FOUND_CODES = new Set(['-2013', '51603', '170213', '110001']);

type Implicit = (params: Record<string, unknown>) => Promise<unknown>;
const implicit = (client: Exchange, name: string): Implicit =>
  ((client as unknown as Record<string, Implicit>)[name] as Implicit).bind(client);

export async function findOrderByClientId(
  client: Exchange,
  exchange: ExchangeId,
  symbol: string,
  clientOrderId: string,
): Promise<Lookup> {
  const market = client.market(symbol);
  try {
    switch (exchange) {
      case 'binance': {
        const o = (await implicit(
          client,
          'privateGetOrder',
        )({ symbol: market.id, origClientOrderId: clientOrderId })) as {
          orderId?: number | string;
          status?: string;
        };
        return o && o.orderId !== undefined
          ? { found: true, exchangeOrderId: String(o.orderId), status: String(o.status) }
          : { found: false };
      }
      case 'bybit': {
        for (const call of ['privateGetV5OrderRealtime', 'privateGetV5OrderHistory']) {
          const r = (await implicit(
            client,
            call,
          )({ category: 'spot', symbol: market.id, orderLinkId: clientOrderId })) as {
            result?: { list?: { orderId: string; orderLinkId: string; orderStatus: string }[] };
          };
          const hit = r.result?.list?.find((o) => o.orderLinkId === clientOrderId);
          if (hit) return { found: true, exchangeOrderId: hit.orderId, status: hit.orderStatus };
        }
        return { found: false };
      }
      case 'okx': {
        const r = (await implicit(
          client,
          'privateGetTradeOrder',
        )({ instId: market.id, clOrdId: clientOrderId })) as {
          data?: { ordId: string; clOrdId: string; state: string }[];
        };
        const hit = r.data?.find((o) => o.clOrdId === clientOrderId);
        return hit
          ? { found: true, exchangeOrderId: hit.ordId, status: hit.state }
          : { found: false };
      }
    }
  } catch (err) {
    const code = exchangeCodeOf(err)?.code;
    if (code && NOT_FOUND_CODES.has(code)) return { found: false };
    throw err; // unknown: the caller retries the lookup, never a blind resend
  }
}
