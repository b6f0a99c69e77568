/**
 * Bounding how long an order request can still be accepted, so "not found" after an unknown
 * outcome can become a proof (docs/trading.md, "Unknown outcomes"). Each exchange bounds it its
 * own way, and its adapter (adapters/) applies it:
 *
 * - Binance and Bybit process a signed request only inside its receive window (`recvWindow`, ccxt's
 *   option of that name): adapters/base.ts, the default.
 * - OKX does not process a place-order request once its server time is past the request's
 *   `expTime` header, which ccxt has no option for: adapters/okx.ts adds the header.
 *
 * Timestamps are taken from the exchange's clock: ccxt measures the difference once when it
 * loads markets (`adjustForTimeDifference`) and signs with local time minus it.
 */
import type { Exchange } from 'ccxt';
import type { ExchangeId } from '../../../exchanges/types.js';
import { adapterFor } from './adapters/index.js';

/**
 * Makes every order request of this client carry a window of `windowMs` in the exchange's clock.
 * Call before loadMarkets (the clock difference is measured there).
 */
export function applyRequestWindow(client: Exchange, exchange: ExchangeId, windowMs: number): void {
  adapterFor(exchange).applyRequestWindow(client, windowMs);
}
