/**
 * Open perpetual positions, fetched through the host (positions.list) on every host change and
 * every 30 s while a page shows them. The views are in Positions.tsx and PositionsLine.tsx.
 */
import { useEffect, useState } from 'preact/hooks';
import type { PositionsListResult } from '../protocol/positions.js';
import { errorMessage } from '../lib/error-text.js';
import { HostCallError, callHost } from './host-rpc.js';

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
