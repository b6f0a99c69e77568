/**
 * Open perpetual positions read back from the exchange through ccxt's unified `fetchPositions`
 * (Binance /fapi/v3/positionRisk, Bybit /v5/position/list, OKX /api/v5/account/positions:
 * FACTS.md). One-way mode: at most one position per symbol; zero-size entries are not positions.
 */
import type { Exchange } from 'ccxt';
import { fmt, mul, parseDec } from '../../../lib/decimal.js';
import type { ProtectiveOrder, PositionView } from '../../../protocol/positions.js';
import type { OpenPosition } from '../trading/swap-plan.js';

/** ccxt's Position fields this module reads (numbers or numeric strings, possibly absent). */
interface CcxtPosition {
  symbol?: string;
  side?: string;
  contracts?: number | string;
  contractSize?: number | string;
  entryPrice?: number | string;
  markPrice?: number | string;
  unrealizedPnl?: number | string;
  leverage?: number | string;
  marginMode?: string;
}

const text = (v: number | string | undefined): string | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  const d = parseDec(String(v));
  return d === undefined ? undefined : fmt(d);
};

/** One ccxt position as a PositionView, or null when it holds no contracts. */
export function positionView(connectionId: string, p: CcxtPosition): PositionView | null {
  const contracts = parseDec(String(p.contracts ?? 0));
  if (!p.symbol || contracts === undefined || contracts === 0n) return null;
  const abs = contracts < 0n ? -contracts : contracts;
  const side: 'long' | 'short' =
    p.side === 'short' || p.side === 'long' ? p.side : contracts < 0n ? 'short' : 'long';
  const contractSize = parseDec(String(p.contractSize ?? 1)) ?? 10n ** 12n;
  const leverage = Number(p.leverage);
  const view: PositionView = {
    connectionId,
    symbol: p.symbol,
    side,
    contracts: fmt(abs),
    size: fmt(mul(abs, contractSize)),
  };
  const entry = text(p.entryPrice);
  const mark = text(p.markPrice);
  const pnl = text(p.unrealizedPnl);
  if (entry !== undefined) view.entryPrice = entry;
  if (mark !== undefined) view.markPrice = mark;
  if (pnl !== undefined) view.unrealizedPnl = pnl;
  if (Number.isInteger(leverage) && leverage > 0) view.leverage = leverage;
  if (p.marginMode === 'isolated' || p.marginMode === 'cross') view.marginMode = p.marginMode;
  return view;
}

/** Every open position of a connection's swap client (optionally only these symbols). */
export async function readPositions(
  connectionId: string,
  client: Exchange,
  symbols?: string[],
): Promise<PositionView[]> {
  const raw = (await client.fetchPositions(symbols)) as unknown as CcxtPosition[];
  return raw.flatMap((p) => positionView(connectionId, p) ?? []);
}

/** The open position on one symbol, as the swap planner needs it; null when flat. */
export async function readOpenPosition(
  client: Exchange,
  symbol: string,
): Promise<OpenPosition | null> {
  const views = await readPositions('', client, [symbol]);
  const v = views.find((p) => p.symbol === symbol);
  if (!v) return null;
  return { side: v.side, contracts: parseDec(v.contracts)! };
}

/**
 * The trigger prices of the protective orders the host placed, on the positions they protect (same
 * connection and symbol). The newest order of each role counts: `orders` come newest first.
 */
export function withProtection(
  positions: readonly PositionView[],
  orders: readonly ProtectiveOrder[],
): PositionView[] {
  return positions.map((p) => {
    const mine = orders.filter((o) => o.connectionId === p.connectionId && o.symbol === p.symbol);
    const stop = mine.find((o) => o.role === 'stopLoss');
    const take = mine.find((o) => o.role === 'takeProfit');
    return {
      ...p,
      ...(stop ? { stopLoss: stop.triggerPrice } : {}),
      ...(take ? { takeProfit: take.triggerPrice } : {}),
    };
  });
}
