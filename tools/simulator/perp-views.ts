/** Perpetual positions and orders as the simulator's own API shows them: decimals as strings. */
import { fmt, type Dec } from '../../src/lib/decimal.js';
import type { PerpOrder, PositionView } from './perp-types.js';

export interface PositionRecord {
  exchange: string;
  account: string;
  symbol: string;
  side: 'long' | 'short';
  /** Absolute size in the exchange's order unit (OKX: contracts). */
  size: string;
  entryPrice: string;
  markPrice: string;
  unrealizedPnl: string;
  leverage: number;
  marginMode: string;
}

export type PerpOrderView = Omit<
  PerpOrder,
  'price' | 'qty' | 'filledQty' | 'avgPrice' | 'fee' | 'legs' | 'attach'
> & {
  price?: string | undefined;
  qty?: string | undefined;
  filledQty: string;
  avgPrice: string;
  fee: string;
  legs?: { label: string; price: string; when: string }[];
  attach?: { tp?: string | undefined; sl?: string | undefined; scope: string };
};

const opt = (v: Dec | undefined) => (v === undefined ? undefined : fmt(v));

export function positionView(p: PositionView): PositionRecord {
  return {
    exchange: p.exchange,
    account: p.account,
    symbol: p.symbol,
    side: p.size > 0n ? 'long' : 'short',
    size: fmt(p.size < 0n ? -p.size : p.size),
    entryPrice: fmt(p.entryPrice),
    markPrice: fmt(p.markPrice),
    unrealizedPnl: fmt(p.unrealizedPnl),
    leverage: p.leverage,
    marginMode: p.marginMode,
  };
}

export function perpOrderView(o: PerpOrder): PerpOrderView {
  const { legs, attach, ...rest } = o;
  return {
    ...rest,
    price: opt(o.price),
    qty: opt(o.qty),
    filledQty: fmt(o.filledQty),
    avgPrice: fmt(o.avgPrice),
    fee: fmt(o.fee),
    ...(legs ? { legs: legs.map((l) => ({ ...l, price: fmt(l.price) })) } : {}),
    ...(attach ? { attach: { tp: opt(attach.tp), sl: opt(attach.sl), scope: attach.scope } } : {}),
  };
}
