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
        <div class="table-scroll">
          <table class="data">
            <thead>
              <tr>
                <th>Market</th>
                <th>Side</th>
                <th>Size</th>
                <th>Entry</th>
                <th>Mark</th>
                <th>Unrealised P&amp;L</th>
                <th>Leverage</th>
                <th>Stop-loss / take-profit</th>
              </tr>
            </thead>
            <tbody>
              {data.positions.map((p) => (
                <tr
                  key={p.symbol}
                  data-testid="position-row"
                  data-symbol={p.symbol}
                  data-side={p.side}
                >
                  <td>{symbolLabel(p.symbol)}</td>
                  <td class={`side side-${p.side}`}>{SIDE_LABEL[p.side]}</td>
                  <td class="num">{p.size}</td>
                  <td class="num">{p.entryPrice ?? '—'}</td>
                  <td class="num">{p.markPrice ?? '—'}</td>
                  <td class="num">
                    <Pnl pnl={pnlView(p.unrealizedPnl)} />
                  </td>
                  <td class="num">
                    {p.leverage !== undefined ? `${p.leverage}x` : '—'}
                    {p.marginMode && ` ${p.marginMode}`}
                  </td>
                  <td>{protectionText(p)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** The popup row's extra line: only when the connection has open positions. */
export function PositionsLine({ data }: { data: ConnectionPositions }) {
  const line = compactLine(data.positions);
  if (!line) return null;
  const first = data.positions[0]!;
  return (
    <div
      class="crow-line crow-meta crow-positions"
      data-testid="positions-line"
      title={protectionText(first)}
    >
      <span>{line.text}</span>
      <Pnl pnl={line.pnl} />
    </div>
  );
}
