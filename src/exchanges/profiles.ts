/**
 * The one registry of exchange profiles: each exchange's folder (src/exchanges/<id>/) holds its
 * profile, guide and error table; nothing outside those folders knows one exchange from another.
 */
import { binance } from './binance/profile.js';
import { bybit } from './bybit/profile.js';
import { okx } from './okx/profile.js';
import type { ExchangeProfile } from './profile.js';
import { EXCHANGE_IDS, type ExchangeId } from './types.js';

export const PROFILES: Record<ExchangeId, ExchangeProfile> = { binance, bybit, okx };

export function profileFor(id: ExchangeId): ExchangeProfile {
  return PROFILES[id];
}

/** The profile of an exchange id typed by a user (a CLI argument); undefined when there is none. */
export function profileNamed(id: string): ExchangeProfile | undefined {
  return (EXCHANGE_IDS as readonly string[]).includes(id) ? PROFILES[id as ExchangeId] : undefined;
}
