/**
 * Open perpetual positions: the dashboard card's table (side, size, entry, mark, unrealised P&L,
 * leverage, SL/TP). The fetching (use-positions.ts) and the popup row's one line
 * (PositionsLine.tsx) are modules of their own, which the popup loads without the table.
 */
import {
  SIDE_LABEL,
  pnlView,
  leverageText,
  protectionText,
  symbolLabel,
  type ConnectionPositions,
  type PnlView,
} from './positions-view.js';

function Pnl({ pnl }: { pnl: PnlView }) {
  return (
    <span class={`pnl pnl-${pnl.tone}`} data-testid="position-pnl" data-tone={pnl.tone}>
      {pnl.text}
      {pnl.word && ` ${pnl.word}`}
    </span>
  );
}

/** The dashboard card's section: nothing unless a route trades swaps on the connection. */
export function PositionsTable({ data }: { data: ConnectionPositions }) {
  if (!data.asked) return null;
  return (
    <div class="positions" data-testid="positions">
      <h3>Open positions</h3>
      {data.problem && (
        <p class="error" data-testid="positions-problem">
          Positions could not be read: {data.problem}
        </p>
      )}
      {!data.problem && data.positions.length === 0 && <p class="muted">No open positions.</p>}
      {data.positions.length > 0 && (
        <ul class="positions-list">
          {data.positions.map((p) => (
            <li key={p.symbol} data-testid="position-row" data-symbol={p.symbol} data-side={p.side}>
              <div class="pos-line">
                <strong>{symbolLabel(p.symbol)}</strong>
                <span class={`side-${p.side}`}>
                  {SIDE_LABEL[p.side]} {p.size}
                </span>
                <span>{leverageText(p)}</span>
              </div>
              <div class="pos-line">
                <span>Entry {p.entryPrice ?? '—'}</span>
                <span>Mark {p.markPrice ?? '—'}</span>
                <span>
                  P&amp;L <Pnl pnl={pnlView(p.unrealizedPnl)} />
                </span>
              </div>
              <div class="pos-line muted">{protectionText(p)}</div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
