/**
 * The orders table's rows as SQLite holds them, and as clients see them (OrderRow). Rows from
 * before perpetuals read as spot entries (the migration's column defaults).
 */
import type { OrderRole, OrderRow, OrderState } from '../../../protocol/trading.js';

export interface RawOrder {
  client_order_id: string;
  provider_key: string;
  signal_id: string;
  connection_id: string;
  mode: string;
  state: string;
  symbol: string;
  side: string;
  type: string;
  amount: string;
  price: string | null;
  quote: string;
  exchange_order_id: string | null;
  attempts: number;
  error: string | null;
  expires_at: number;
  created_at: string;
  updated_at: string;
  market: string;
  role: string;
  parent_id: string | null;
  trigger_price: string | null;
  reduce_only: number;
  leverage: number | null;
  margin_mode: string | null;
  closed: string | null;
  size: string | null;
}

export const toOrder = (r: RawOrder): OrderRow => ({
  clientOrderId: r.client_order_id,
  providerKey: r.provider_key,
  signalId: r.signal_id,
  connectionId: r.connection_id,
  mode: r.mode as OrderRow['mode'],
  state: r.state as OrderState,
  symbol: r.symbol,
  side: r.side as OrderRow['side'],
  type: r.type as OrderRow['type'],
  amount: r.amount,
  price: r.price,
  quote: r.quote,
  exchangeOrderId: r.exchange_order_id,
  attempts: r.attempts,
  error: r.error,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  market: r.market === 'swap' ? 'swap' : 'spot',
  role: r.role as OrderRole,
  parentId: r.parent_id,
  triggerPrice: r.trigger_price,
  reduceOnly: r.reduce_only === 1,
  leverage: r.leverage,
  ...(r.size !== null && r.size !== undefined ? { size: r.size } : {}),
  marginMode: r.margin_mode === 'cross' || r.margin_mode === 'isolated' ? r.margin_mode : null,
  closed: r.closed,
});
