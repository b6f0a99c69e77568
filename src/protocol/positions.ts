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
