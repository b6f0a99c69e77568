/**
 * The one registry of host-side exchange adapters (adapter.ts). Adding an exchange: its profile
 * folder (src/exchanges/<id>/), an adapter here, and a dialect in the simulator (tools/simulator).
 */
import type { ExchangeId } from '../../../../exchanges/types.js';
import type { ExchangeAdapter } from './adapter.js';
import { BinanceAdapter } from './binance.js';
import { BybitAdapter } from './bybit.js';
import { OkxAdapter } from './okx.js';

export type { CcxtSetup, ExchangeAdapter, Lookup, TradeCheckContext } from './adapter.js';

export const ADAPTERS: Record<ExchangeId, ExchangeAdapter> = {
  binance: new BinanceAdapter(),
  bybit: new BybitAdapter(),
  okx: new OkxAdapter(),
};

export function adapterFor(id: ExchangeId): ExchangeAdapter {
  const adapter = ADAPTERS[id] as ExchangeAdapter | undefined;
  if (!adapter) throw new Error(`no exchange adapter for "${id}"`);
  return adapter;
}
