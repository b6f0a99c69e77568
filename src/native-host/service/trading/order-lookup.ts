/**
 * Finding an order by our client order id — the step that makes a resend safe. Client ids are
 * unique only among *open* orders on Binance and OKX: after a fill the same id is accepted again,
 * so after an unknown outcome we must look before sending again. Each exchange's adapter makes the
 * raw implicit calls (one request each; ccxt's own fetchOrder is not trusted with client ids —
 * adapters/bybit.ts) and answers "not found" only on the exchange's own "no such order".
 */
import type { Exchange } from 'ccxt';
import type { ExchangeId } from '../../../exchanges/types.js';
import { adapterFor, type Lookup } from '../exchange/adapters/index.js';

export type { Lookup };

/** Throws when the answer proves nothing (network, 5xx): the caller retries, never resends blind. */
export function findOrderByClientId(
  client: Exchange,
  exchange: ExchangeId,
  symbol: string,
  clientOrderId: string,
): Promise<Lookup> {
  return adapterFor(exchange).findOrderByClientId(client, symbol, clientOrderId);
}
