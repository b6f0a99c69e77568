/**
 * `sentinel-host positions [--connection ID] [--json]`: the open perpetual positions of the
 * connections a route trades swaps on, one line each, and any connection that could not answer.
 */
import { parseArgs } from 'node:util';
import { callService } from '../../ipc/client.js';
import { hostPaths } from '../../paths.js';
import {
  PNL_WORD,
  pnlDirection,
  signedPnl,
  type PositionView,
  type PositionsListResult,
} from '../../../protocol/positions.js';

/** One position as a line: side and size, entry and mark, P&L with sign and word, protection. */
export function positionLine(p: PositionView): string {
  const parts = [
    `${p.connectionId}  ${p.symbol}  ${p.side.toUpperCase()} ${p.size}`,
    p.entryPrice !== undefined ? `entry ${p.entryPrice}` : undefined,
    p.markPrice !== undefined ? `mark ${p.markPrice}` : undefined,
    p.unrealizedPnl !== undefined
      ? `P&L ${signedPnl(p.unrealizedPnl)} ${PNL_WORD[pnlDirection(p.unrealizedPnl)]}`.trim()
      : undefined,
    p.leverage !== undefined ? `${p.leverage}x` : undefined,
    p.marginMode,
    `SL ${p.stopLoss ?? 'none'}`,
    `TP ${p.takeProfit ?? 'none'}`,
  ];
  return parts.filter((x) => x !== undefined).join('  ');
}

/** The whole answer as text lines (what the command prints without --json). */
export function positionsText(r: PositionsListResult): string[] {
  if (r.asked.length === 0)
    return [
      'no connection trades perpetual swaps: add "swap" to a route\'s markets to see its positions here',
    ];
  const lines = r.positions.map(positionLine);
  const failed = new Set(r.problems.map((p) => p.connectionId));
  if (r.positions.length === 0 && failed.size < r.asked.length) lines.push('no open positions');
  for (const p of r.problems)
    lines.push(`${p.connectionId}: could not read positions: ${p.message}`);
  return lines;
}

export async function runPositionsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { connection: { type: 'string' }, json: { type: 'boolean' } },
  });
  const r = await callService(
    hostPaths(),
    'positions.list',
    values.connection ? { connectionId: values.connection } : {},
    { timeoutMs: 30_000 },
  );
  if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
  else for (const line of positionsText(r)) process.stdout.write(`${line}\n`);
  // Exit 1 when a connection could not answer: scripts notice the gap.
  return r.problems.length > 0 ? 1 : 0;
}
