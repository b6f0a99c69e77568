/**
 * Sending one journaled order to the exchange exactly once. The client order id was derived and
 * journaled before this runs; after any unknown outcome the order is looked up by that id before
 * anything is sent again, and a resend happens only while the signal is still fresh.
 */
import type { Exchange } from 'ccxt';
import { explainCcxtError, isNetworkError } from '../exchange/exchange-error.js';
import type { ExchangeId } from '../../exchanges/types.js';
import type { OrderRow } from '../store/trading-store.js';
import { findOrderByClientId } from './order-lookup.js';

export type PlaceOutcome =
  | { state: 'placed'; exchangeOrderId: string }
  | { state: 'failed'; reason: 'exchange-refused' | 'not-placed'; message: string };

const MAX_SENDS = 4;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Look the order up until the exchange gives a definite answer (or the attempts run out). */
async function lookUp(
  client: Exchange,
  exchange: ExchangeId,
  order: OrderRow,
): Promise<{ found: boolean; id?: string } | null> {
  for (let i = 0; i < 5; i++) {
    try {
      const r = await findOrderByClientId(client, exchange, order.symbol, order.clientOrderId);
      return r.found ? { found: true, id: r.exchangeOrderId } : { found: false };
    } catch {
      await sleep(200 * 2 ** i);
    }
  }
  return null;
}

export async function placeOrder(
  client: Exchange,
  exchange: ExchangeId,
  order: OrderRow,
  hooks: { onSend?: () => void; now?: () => number } = {},
): Promise<PlaceOutcome> {
  const now = hooks.now ?? Date.now;
  // Journaled earlier and maybe sent before a crash: look first.
  if (order.attempts > 0) {
    const seen = await lookUp(client, exchange, order);
    if (seen?.found) return { state: 'placed', exchangeOrderId: seen.id! };
    if (seen === null)
      return {
        state: 'failed',
        reason: 'not-placed',
        message:
          'the exchange could not confirm whether the order exists; check it on the exchange',
      };
  }
  for (let send = 0; send < MAX_SENDS; send++) {
    if (now() > order.expiresAt) {
      return {
        state: 'failed',
        reason: 'not-placed',
        message: 'the signal expired before the exchange confirmed the order; nothing was placed',
      };
    }
    hooks.onSend?.();
    try {
      const params: Record<string, unknown> = { clientOrderId: order.clientOrderId };
      const placed = await client.createOrder(
        order.symbol,
        order.type,
        order.side,
        Number(order.amount),
        order.price !== null ? Number(order.price) : undefined,
        params,
      );
      return { state: 'placed', exchangeOrderId: String(placed.id) };
    } catch (err) {
      const explained = explainCcxtError(exchange, err);
      const kind = explained?.kind;
      if (kind === 'rate-limited') {
        await sleep(500 * 2 ** send);
        continue;
      }
      if (
        kind === 'unknown-outcome' ||
        kind === 'duplicate-order' ||
        (!explained && isNetworkError(err))
      ) {
        const seen = await lookUp(client, exchange, order);
        if (seen?.found) return { state: 'placed', exchangeOrderId: seen.id! };
        if (seen === null) {
          return {
            state: 'failed',
            reason: 'not-placed',
            message:
              'the exchange did not answer and could not confirm the order; check it on the exchange before trading on',
          };
        }
        continue; // proven not placed: sending again is safe
      }
      return {
        state: 'failed',
        reason: 'exchange-refused',
        message:
          explained?.message ??
          `the exchange refused the order (${err instanceof Error ? err.constructor.name : 'error'})`,
      };
    }
  }
  return {
    state: 'failed',
    reason: 'not-placed',
    message: `the exchange did not take the order after ${MAX_SENDS} tries`,
  };
}
