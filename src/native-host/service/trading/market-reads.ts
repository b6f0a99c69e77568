/**
 * What both order paths (spot: engine.ts; perpetuals: swap-executor.ts) read from a ccxt client
 * before planning: a market's trading rules (reads are retried by exchange/read-retry.ts).
 */
import type { Exchange } from 'ccxt';
import { parseDec, type Dec } from '../../../lib/decimal.js';
import type { MarketRules } from './sizing.js';

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
