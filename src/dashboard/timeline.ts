/**
 * The timeline of signals → orders per connection: both counted into labelled time bins (no date
 * adapter: the chart gets ready-made labels). Pure; the label format is passed in, so the page
 * can use the user's locale and the tests a fixed one.
 */
import type { OrderRow, SignalRecord } from '../protocol/trading.js';
import { orderResult, type OrderResult } from '../ui/order-view.js';
import type { SignalConnections } from './history-filter.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Bin widths to choose from: the smallest that keeps the chart at most MAX_BINS wide. */
const WIDTHS = [MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 6 * HOUR, DAY, 7 * DAY, 30 * DAY];
export const MAX_BINS = 24;

export interface Bin {
  start: number;
  end: number;
  label: string;
}

export interface Series {
  connectionId: string;
  label: string;
  signals: number[];
  orders: number[];
  totals: { signals: number; orders: number } & Record<OrderResult, number>;
}

export interface Timeline {
  bins: Bin[];
  series: Series[];
}

/**
 * The bins from `from` to `to`: the smallest width that needs at most MAX_BINS, aligned to it
 * (so the first bin may start before `from` and one more bin may be needed), the last ending
 * after `to`.
 */
export function makeBins(
  from: number,
  to: number,
  format: (start: number, width: number) => string,
): Bin[] {
  const span = Math.max(to - from, 1);
  const width = WIDTHS.find((w) => span / w <= MAX_BINS) ?? WIDTHS[WIDTHS.length - 1]!;
  const first = Math.floor(from / width) * width;
  const bins: Bin[] = [];
  for (let start = first; start <= to; start += width)
    bins.push({ start, end: start + width, label: format(start, width) });
  return bins;
}

export interface TimelineInput {
  signals: readonly SignalRecord[];
  orders: readonly OrderRow[];
  /** The connections to draw, in order, with their labels (a removed one: its id). */
  connections: readonly { id: string; label: string }[];
  connectionsOf: SignalConnections;
  /** The range's start (ms; -Infinity: from the oldest row) and now. */
  from: number;
  now: number;
  format: (start: number, width: number) => string;
}

export function buildTimeline(input: TimelineInput): Timeline {
  const { signals, orders, connections, connectionsOf, now, format } = input;
  const times = [
    ...signals.map((s) => Date.parse(s.receivedAt)),
    ...orders.map((o) => Date.parse(o.createdAt)),
  ].filter((t) => Number.isFinite(t) && t >= input.from && t <= now);
  const from = Number.isFinite(input.from) ? input.from : Math.min(now - HOUR, ...times);
  const bins = makeBins(from, now, format);
  const binOf = (t: number): number => {
    if (!Number.isFinite(t) || t < bins[0]!.start || t >= bins[bins.length - 1]!.end) return -1;
    return bins.findIndex((b) => t >= b.start && t < b.end);
  };
  const byId = new Map<string, Series>();
  const series = connections.map((c) => {
    const s: Series = {
      connectionId: c.id,
      label: c.label,
      signals: bins.map(() => 0),
      orders: bins.map(() => 0),
      totals: { signals: 0, orders: 0, placed: 0, simulated: 0, failed: 0, pending: 0, unknown: 0 },
    };
    byId.set(c.id, s);
    return s;
  });
  for (const sig of signals) {
    const i = binOf(Date.parse(sig.receivedAt));
    if (i < 0) continue;
    for (const id of connectionsOf(sig)) {
      const s = byId.get(id);
      if (!s) continue;
      s.signals[i]!++;
      s.totals.signals++;
    }
  }
  for (const o of orders) {
    const i = binOf(Date.parse(o.createdAt));
    const s = byId.get(o.connectionId);
    if (i < 0 || !s) continue;
    s.orders[i]!++;
    s.totals.orders++;
    s.totals[orderResult(o)]++;
  }
  return { bins, series };
}

const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One sentence per connection for screen readers: "main binance: 3 signals → 2 orders (…)". */
export function timelineSummary(t: Timeline, rangeLabel: string): string {
  const parts = t.series.map((s) => {
    const results = (['placed', 'simulated', 'failed', 'pending', 'unknown'] as const)
      .filter((r) => s.totals[r] > 0)
      .map((r) => `${s.totals[r]} ${r}`);
    return `${s.label}: ${count(s.totals.signals, 'signal')} → ${count(s.totals.orders, 'order')}${results.length ? ` (${results.join(', ')})` : ''}`;
  });
  return `Signals and orders per connection, ${rangeLabel.toLowerCase()}. ${parts.join('; ')}.`;
}
