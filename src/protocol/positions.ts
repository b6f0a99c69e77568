/**
 * An open perpetual-swap position as the host reports it (`positions.list`, the popup and the
 * dashboard). Decimal strings, exact as the exchange gave them; sizes in base units (contracts ×
 * contract size) so OKX's contracts read like the others.
 */
export interface PositionView {
  connectionId: string;
  /** ccxt's unified symbol, e.g. "BTC/USDT:USDT". */
  symbol: string;
  side: 'long' | 'short';
  /** Contracts as the exchange counts them (> 0). */
  contracts: string;
  /** Base units: contracts × contract size. */
  size: string;
  entryPrice?: string;
  markPrice?: string;
  unrealizedPnl?: string;
  /** Absent where the exchange does not report it with the position (Binance USDⓈ-M v3). */
  leverage?: number;
  marginMode?: 'isolated' | 'cross';
  /** Trigger prices of the protective orders the host placed for this position. */
  stopLoss?: string;
  takeProfit?: string;
}

/** A connection whose positions could not be read: the others are still listed. */
export interface PositionsProblem {
  connectionId: string;
  /** KEY_REJECTED, EXCHANGE_UNREACHABLE, or EXCHANGE_ERROR for any other refusal. */
  reason: 'KEY_REJECTED' | 'EXCHANGE_UNREACHABLE' | 'EXCHANGE_ERROR';
  /** What went wrong and what to do, in words (never the exchange's raw text: it holds URLs). */
  message: string;
}

/** `positions.list`: the open positions of the connections asked, and who could not answer. */
export interface PositionsListResult {
  positions: PositionView[];
  problems: PositionsProblem[];
  /** The connections asked: those a subscription's route trades perpetual swaps on. */
  asked: string[];
}

/** A protective order the host placed and the journal still holds open (orders table). */
export interface ProtectiveOrder {
  connectionId: string;
  symbol: string;
  role: 'stopLoss' | 'takeProfit';
  triggerPrice: string;
}
