/** The vocabulary of the simulated perpetuals book (perp-book.ts), shared with the dialects. */
import type { Dec } from '../../src/lib/decimal.js';
import type { PerpRules } from './perp-markets.js';
import type { ExchangeId, OrderSide, TimeInForce } from './types.js';

export type PerpStatus = 'new' | 'filled' | 'canceled' | 'expired' | 'rejected';
export type MarginMode = 'cross' | 'isolated';

/** What fires a trigger order: its price reached from below ('above') or from above ('below'). */
export interface TriggerLeg {
  label: 'tp' | 'sl' | 'trigger';
  price: Dec;
  when: 'above' | 'below';
}

/** Take-profit / stop-loss to create once an order fills (Bybit TP/SL, OKX attachAlgoOrds). */
export interface AttachSpec {
  tp?: Dec | undefined;
  sl?: Dec | undefined;
  /**
   * 'position': Bybit's position TP/SL (one order per leg, whole position, replaced by newer
   * ones, cancelled together when one fires or the position is closed). 'order': OKX's attached
   * algo order (one order holding both legs, the entry's size; one leg firing ends it).
   */
  scope: 'position' | 'order';
  clientId?: string | undefined;
}

export interface PerpOrder {
  exchange: ExchangeId;
  account: string;
  apiKey: string;
  id: string;
  clientOrderId: string;
  /** Unified symbol, "BTC/USDT:USDT". */
  symbol: string;
  side: OrderSide;
  type: 'market' | 'limit';
  timeInForce: TimeInForce;
  price?: Dec | undefined;
  /** In the exchange's order unit; undefined: the whole position when it fires. */
  qty?: Dec | undefined;
  filledQty: Dec;
  /** Average fill price (0 before any fill). */
  avgPrice: Dec;
  /** USDT. */
  fee: Dec;
  reduceOnly: boolean;
  status: PerpStatus;
  createdAt: number;
  updatedAt: number;
  /** visibilityDelayMs fault: simulator time from which look-ups show the order. */
  visibleAt?: number;
  /** Trigger orders: what fires them; undefined for plain orders. */
  legs?: TriggerLeg[];
  /** A fired trigger order: which leg, when, and the market order it became. */
  fired?: { label: TriggerLeg['label']; at: number; orderId: string };
  /** Open orders of the same group are cancelled when one of them fires. */
  group?: string;
  /** Cancelled when the position it protects is closed (Bybit position TP/SL). */
  cancelOnFlat?: boolean;
  /** Why it was cancelled by the exchange rather than by the user. */
  cancelReason?: 'sibling-fired' | 'position-closed' | 'replaced';
  attach?: AttachSpec;
  /** The entry order this TP/SL order came from. */
  parentId?: string;
  /** The TP/SL orders created from this order's `attach`. */
  attachedIds?: string[];
  /** Exchange-specific kind (Binance orderType, Bybit stopOrderType, OKX ordType). */
  tag?: string;
}

export interface PerpPlaceInput {
  exchange: ExchangeId;
  account: string;
  apiKey: string;
  market: PerpRules;
  side: OrderSide;
  type: 'market' | 'limit';
  timeInForce: TimeInForce;
  price?: Dec | undefined;
  qty?: Dec | undefined;
  reduceOnly: boolean;
  clientOrderId: string;
  now: number;
  visibleAt?: number;
  legs?: TriggerLeg[];
  attach?: AttachSpec | undefined;
  tag?: string;
}

export interface Position {
  exchange: ExchangeId;
  account: string;
  symbol: string;
  /** Signed, in the exchange's order unit: > 0 long, < 0 short. */
  size: Dec;
  entryPrice: Dec;
  updatedAt: number;
}

/** A position with its current valuation. */
export interface PositionView extends Position {
  markPrice: Dec;
  /** USDT. */
  unrealizedPnl: Dec;
  /** |size| × contractSize × mark, USDT. */
  notional: Dec;
  leverage: number;
  marginMode: MarginMode;
  /** notional / leverage, USDT. */
  initialMargin: Dec;
}

/** The USDT side of an account's perpetuals. */
export interface PerpFunds {
  /** Wallet balance: deposits + realised P&L − fees. */
  wallet: Dec;
  unrealizedPnl: Dec;
  positionMargin: Dec;
  /** Margin held by open opening orders. */
  orderMargin: Dec;
  /** wallet + unrealised − positionMargin − orderMargin. */
  available: Dec;
}

/** What the trigger engine (perp-triggers.ts) needs of the book (perp-book.ts implements it). */
export interface PerpLedger {
  price(exchange: ExchangeId, market: PerpRules): Dec;
  insert(order: Omit<PerpOrder, 'id'>): PerpOrder;
  list(exchange: ExchangeId, account?: string): PerpOrder[];
  openOrders(exchange: ExchangeId, account: string): PerpOrder[];
  execute(order: PerpOrder, price: Dec, now: number): void;
  close(order: PerpOrder, status: PerpStatus, now: number): void;
  cancel(order: PerpOrder, now: number, reason?: PerpOrder['cancelReason']): boolean;
}
