/**
 * What both order paths (spot: engine.ts; perpetuals: swap-executor.ts) read from a ccxt client
 * before planning: reads retried through transient trouble, and a market's trading rules.
 */
import type { Exchange } from 'ccxt';
import { parseDec, type Dec } from '../../../lib/decimal.js';
import type { ExchangeId } from '../../../exchanges/types.js';
import { explainCcxtError, isNetworkError } from '../exchange/exchange-error.js';
import type { MarketRules } from './sizing.js';

/**
 * Reads (price, balance) retried through transient trouble — a 5xx, a timeout, a rate-limit
 * answer — so a hiccup does not cost the signal. Reads are safe to repeat; orders are not, and
 * go through placeOrder's look-up-first path instead.
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

export function marketRules(client: Exchange, market: ReturnType<Exchange['market']>): MarketRules {
  // ccxt 4 reports precision as a step size (TICK_SIZE mode) for these exchanges; older modes give
  // a count of decimals.
  const step = (p: number | undefined): Dec | undefined =>
    p === undefined
      ? undefined
      : client.precisionMode === 4
        ? parseDec(String(p))
        : parseDec((10 ** -p).toFixed(Math.max(0, p)));
  const amountStep = step(market.precision.amount ?? 0);
  const priceTick = step(market.precision.price);
  const minAmount = market.limits.amount?.min;
  const minCost = market.limits.cost?.min;
  return {
    amountStep: amountStep ?? 1n,
    ...(priceTick !== undefined && priceTick > 0n ? { priceTick } : {}),
    ...(minAmount !== undefined ? { minAmount: parseDec(String(minAmount)) ?? 0n } : {}),
    ...(minCost !== undefined ? { minCost: parseDec(String(minCost)) ?? 0n } : {}),
  };
}
