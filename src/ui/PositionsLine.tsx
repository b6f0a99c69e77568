/**
 * The popup row's mention of a connection's open positions. ConnectionRow loads it only when the
 * connection has some: its words (positions-view.ts) are not in the popup's first load.
 */
import { compactLine, type ConnectionPositions } from './positions-view.js';

/** On the row's second line: only when the connection has open positions. */
export function PositionsLine({ data }: { data: ConnectionPositions }) {
  const line = compactLine(data.positions);
  if (!line) return null;
  return (
    <span class="crow-positions" data-testid="positions-line" title={line.title}>
      {line.text}{' '}
      <span class={`pnl pnl-${line.pnl.tone}`} data-testid="position-pnl" data-tone={line.pnl.tone}>
        {line.pnl.text}
        {line.pnl.word && ` ${line.pnl.word.split(' ')[0]}`}
      </span>
    </span>
  );
}
