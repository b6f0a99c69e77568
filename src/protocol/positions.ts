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

export type PnlDirection = 'gain' | 'loss' | 'flat' | 'unknown';

/**
 * Which way an unrealised P&L goes, from its decimal string: the word and arrow every view shows
 * beside the colour, so colour is never the only cue.
 */
export function pnlDirection(pnl: string | undefined): PnlDirection {
  if (pnl === undefined || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(pnl.trim())) return 'unknown';
  const t = pnl.trim();
  if (/^[+-]?0*\.?0*$/.test(t)) return 'flat';
  return t.startsWith('-') ? 'loss' : 'gain';
}

/** "+12.5" / "-3" / "0": the P&L with its sign always written. */
export function signedPnl(pnl: string): string {
  const t = pnl.trim();
  return pnlDirection(t) === 'gain' && !t.startsWith('+') ? `+${t}` : t;
}

export const PNL_WORD: Record<PnlDirection, string> = {
  gain: '▲ profit',
  loss: '▼ loss',
  flat: '– flat',
  unknown: '',
};
