/**
 * Exchange reads retried through transient trouble, shared by the order paths and the key audit.
 */
import type { ExchangeId } from '../../../exchanges/types.js';
import { explainCcxtError, isNetworkError } from './exchange-error.js';

/**
 * Reads (price, balance, a key's description) retried through transient trouble — a 5xx, a
 * timeout, a rate-limit answer — so a hiccup does not cost the signal or the audit. Reads are safe
 * to repeat; orders are not, and go through placeOrder's look-up-first path instead.
 */
export async function retryTransient<T>(
  exchange: ExchangeId,
  read: () => Promise<T>,
  tries = 5,
): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await read();
    } catch (err) {
      const kind = explainCcxtError(exchange, err)?.kind;
      const transient =
        kind === 'rate-limited' ||
        kind === 'unknown-outcome' ||
        (kind === undefined && isNetworkError(err));
      if (!transient || i >= tries - 1) throw err;
      await new Promise((r) => setTimeout(r, 200 * 2 ** i));
    }
  }
}
