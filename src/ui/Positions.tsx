/**
 * Open perpetual positions: the dashboard card's table (side, size, entry, mark, unrealised P&L,
 * leverage, SL/TP) and the popup row's one line, shown only when the connection has positions.
 * Fetched through the host (positions.list) on every host change and every 30 s while open.
 */
import { useEffect, useState } from 'preact/hooks';
import type { PositionsListResult } from '../protocol/positions.js';
import { errorMessage } from '../lib/error-text.js';
import { HostCallError, callHost } from './host-rpc.js';
import {
  SIDE_LABEL,
  compactLine,
  pnlView,
  leverageText,
  protectionText,
  symbolLabel,
  type ConnectionPositions,
  type PnlView,
} from './positions-view.js';

const POLL_MS = 30_000;

export type PositionsState =
  | { kind: 'idle' }
  | { kind: 'loaded'; result: PositionsListResult }
  | { kind: 'error'; message: string };

/**
 * positions.list while `enabled` (the vault is unlocked), again when `revision` changes and every
 * 30 s. An older host without the method stays idle: the pages then show no positions.
 */
export function usePositions(revision: number, enabled: boolean): PositionsState {
  const [state, setState] = useState<PositionsState>({ kind: 'idle' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => setTick((n) => n + 1), POLL_MS);
    return () => clearInterval(timer);
  }, [enabled]);
  useEffect(() => {
    if (!enabled) {
      setState({ kind: 'idle' });
      return;
    }
    let live = true;
    callHost('positions.list', {}).then(
      (result) => live && setState({ kind: 'loaded', result }),
      (err: unknown) => {
        if (!live) return;
        if (err instanceof HostCallError && err.reason === 'METHOD_NOT_FOUND')
          setState({ kind: 'idle' });
        else setState({ kind: 'error', message: errorMessage(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [revision, tick, enabled]);
  return state;
}

export const resultOf = (s: PositionsState): PositionsListResult | null =>
  s.kind === 'loaded' ? s.result : null;

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

/** The popup row's mention, on its second line: only when the connection has open positions. */
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
