/**
 * The exchange profiles and the guide's golden rules, for the extension's panel and the host's
 * audit. Everything here is pure: no ccxt, no DOM, no Node APIs.
 */
import type { ErrorExplanation } from './errors.js';
import { PROFILES } from './profiles.js';
import type { ExchangeId } from './types.js';

export * from './types.js';
export * from './profile.js';
export * from './errors.js';
export * from './policy.js';
export * from './order-id.js';
export { ipListAllows } from './key-info-util.js';
export { PROFILES, profileFor, profileNamed } from './profiles.js';
export { SITES, exchangeForUrl, siteNamed } from './sites.js';
export { GOLDEN_RULES, type GoldenRule } from './golden-rules.js';

/** `profileFor(exchange).explainError(code, exchangeMessage)`, for callers that hold an id. */
export function explainExchangeError(
  exchange: ExchangeId,
  code: string | number,
  exchangeMessage?: string,
): ErrorExplanation {
  return PROFILES[exchange].explainError(code, exchangeMessage);
}
