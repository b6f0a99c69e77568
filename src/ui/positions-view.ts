/**
 * Positions as the pages show them (pure): per connection, and as one compact line for the popup.
 * The P&L carries its sign and a word with an arrow as well as a colour (the tone), so colour is
 * never the only cue.
 */
import {
  PNL_WORD,
  pnlDirection,
  signedPnl,
  type PnlDirection,
  type PositionView,
} from '../protocol/positions.js';

export { positionsOf, type ConnectionPositions } from './connection-positions.js';

export interface PnlView {
  /** "+12.5" / "-3" / "—" when the exchange did not give it. */
  text: string;
  /** "▲ profit" / "▼ loss" / "– flat" / "". */
  word: string;
  tone: PnlDirection;
}

export function pnlView(pnl: string | undefined): PnlView {
  const tone = pnlDirection(pnl);
  return {
    text: pnl === undefined || tone === 'unknown' ? '—' : signedPnl(pnl),
    word: PNL_WORD[tone],
    tone,
  };
}

export const SIDE_LABEL: Record<PositionView['side'], string> = { long: 'Long', short: 'Short' };

/** "BTC/USDT:USDT" → "BTC/USDT perp" (the settle currency repeats the quote on linear swaps). */
export function symbolLabel(symbol: string): string {
  const [pair, settle] = symbol.split(':');
  if (settle === undefined) return symbol;
  const quote = pair?.split('/')[1];
  return quote === settle ? `${pair} perp` : `${pair} perp (${settle})`;
}

/** "SL 48000 · TP 55000", "SL 48000 · no TP", "no SL/TP". */
export function protectionText(p: PositionView): string {
  if (p.stopLoss === undefined && p.takeProfit === undefined) return 'no SL/TP';
  return `${p.stopLoss !== undefined ? `SL ${p.stopLoss}` : 'no SL'} · ${p.takeProfit !== undefined ? `TP ${p.takeProfit}` : 'no TP'}`;
}

/** "5x isolated", "cross margin · leverage not reported" (Binance USDⓈ-M gives none). */
export function leverageText(p: PositionView): string {
  const mode = p.marginMode ? `${p.marginMode} margin` : '';
  if (p.leverage !== undefined) return `${p.leverage}x${p.marginMode ? ` ${p.marginMode}` : ''}`;
  return mode ? `${mode} · leverage not reported` : 'leverage not reported';
}

/**
 * The popup row's short mention of a connection's positions (it shares the row's second line):
 * "Long BTC +26 ▲", "+1 more" when there are others; `title` says it in full. null without
 * positions (the row then shows nothing).
 */
export function compactLine(
  positions: readonly PositionView[],
): { text: string; pnl: PnlView; title: string } | null {
  const first = positions[0];
  if (!first) return null;
  const base = first.symbol.split('/')[0] ?? first.symbol;
  const more = positions.length > 1 ? ` (+${positions.length - 1})` : '';
  const pnl = pnlView(first.unrealizedPnl);
  const title = positions
    .map((p) => {
      const v = pnlView(p.unrealizedPnl);
      const lev = p.leverage !== undefined ? ` ${p.leverage}x` : '';
      return `${SIDE_LABEL[p.side]} ${p.size} ${symbolLabel(p.symbol)}${lev}: P&L ${v.text} ${v.word}, ${protectionText(p)}`;
    })
    .join('\n');
  return { text: `${SIDE_LABEL[first.side]} ${base}${more}`, pnl, title };
}
