/**
 * One connection's share of a positions.list answer (pure): what the popup's rows and the
 * dashboard's cards are handed. Apart from positions-view.ts, whose words the popup loads only
 * when there are positions to show.
 */
import type { PositionView, PositionsListResult } from '../protocol/positions.js';

export interface ConnectionPositions {
  positions: PositionView[];
  /** Why this connection's positions could not be read, when they could not. */
  problem?: string;
  /** A route trades swaps on this connection (it was asked). */
  asked: boolean;
}

/** One connection's share of a positions.list answer. */
export function positionsOf(
  r: PositionsListResult | null,
  connectionId: string,
): ConnectionPositions {
  if (!r) return { positions: [], asked: false };
  const problem = r.problems.find((p) => p.connectionId === connectionId)?.message;
  return {
    positions: r.positions.filter((p) => p.connectionId === connectionId),
    ...(problem !== undefined ? { problem } : {}),
    asked: r.asked.includes(connectionId),
  };
}
