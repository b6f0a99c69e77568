/**
 * What every journaled order of a signal on a connection carries, spot entry or swap entry and
 * its legs: the client order id derived from (provider, signal[, leg tag]) and the connection —
 * so a crash, a replay or a second route to the same connection finds the same row — and the
 * fields taken from the signal and the connection as they are.
 */
import { createHash } from 'node:crypto';
import { deriveClientOrderId } from '../../../exchanges/order-id.js';
import type { Connection } from '../../../protocol/methods.js';
import { expiresAt, type Signal } from '../../../signals/signal.js';
import type { OrderIntent, SubscriptionRow } from '../store/trading-store.js';

const sha256 = (b: Uint8Array): Uint8Array => createHash('sha256').update(b).digest();

/** The client order id of the signal's order on `c` (`tag`: a protective leg's, e.g. "sl"). */
export function signalOrderId(
  sub: Pick<SubscriptionRow, 'providerKey'>,
  signal: Pick<Signal, 'id'>,
  c: Pick<Connection, 'id'>,
  tag?: string,
): string {
  return deriveClientOrderId(
    `${sub.providerKey}/${signal.id}${tag !== undefined ? `/${tag}` : ''}`,
    c.id,
    sha256,
  );
}

/** The intent's fields that come from the signal and the connection. */
export function signalIntent(
  sub: Pick<SubscriptionRow, 'providerKey'>,
  signal: Signal,
  c: Pick<Connection, 'id' | 'mode'>,
  clientOrderId: string,
): Pick<
  OrderIntent,
  | 'clientOrderId'
  | 'providerKey'
  | 'signalId'
  | 'connectionId'
  | 'mode'
  | 'symbol'
  | 'side'
  | 'type'
  | 'expiresAt'
> {
  return {
    clientOrderId,
    providerKey: sub.providerKey,
    signalId: signal.id,
    connectionId: c.id,
    mode: c.mode,
    symbol: signal.symbol,
    side: signal.side,
    type: signal.type,
    expiresAt: expiresAt(signal),
  };
}
