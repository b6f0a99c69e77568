/**
 * Orders and signals over time: the page's filters (connection, time range) for the chart and
 * both tables, each table's own (result and symbol; status), computed client-side over the
 * host's most recent 1,000 orders and 1,000 signals.
 */
import { useMemo, useState } from 'preact/hooks';
import type { Connection } from '../protocol/methods.js';
import { itemsOf, useList } from '../ui/use-list.js';
import { useSettled } from '../ui/use-settled.js';
import {
  ALL,
  NO_FILTER,
  TIME_RANGES,
  filterOrders,
  filterSignals,
  rangeStart,
  signalConnections,
  type HistoryFilter,
  type TimeRange,
} from './history-filter.js';
import { OrderHistory } from './OrderHistory.js';
import { Select } from './Select.js';
import { SignalHistory } from './SignalHistory.js';
import { buildTimeline } from './timeline.js';
import { TimelineChart } from './TimelineChart.js';

/** The host answers at most this many rows per list. */
const ROWS = 1000;

/** "14:05" within a day, "Dec 1" for whole days and longer. */
function binLabel(start: number, width: number): string {
  const d = new Date(start);
  return width >= 86_400_000
    ? d.toLocaleDateString([], { month: 'short', day: 'numeric' })
    : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function History({
  revision,
  connections,
}: {
  revision: number;
  connections: readonly Connection[];
}) {
  const [filter, setFilterState] = useState<HistoryFilter>(NO_FILTER);
  const setFilter = (f: Partial<HistoryFilter>): void =>
    setFilterState((old) => ({ ...old, ...f }));
  const settled = useSettled(revision, 250);
  const subs = useList('signals.list', {}, settled);
  const orderList = useList('orders.list', { limit: ROWS }, settled);
  const signalList = useList('signals.history', { limit: ROWS }, settled);
  const orders = itemsOf(orderList);
  const signals = itemsOf(signalList);

  const view = useMemo(() => {
    const now = Date.now();
    const connectionsOf = signalConnections(itemsOf(subs), orders);
    const labels = new Map(connections.map((c) => [c.id, c.label]));
    // Rows of a removed connection still count: drawn under its id.
    for (const o of orders)
      if (!labels.has(o.connectionId)) labels.set(o.connectionId, `removed (${o.connectionId})`);
    const drawn = [...labels]
      .filter(([id]) => filter.connection === ALL || id === filter.connection)
      .map(([id, label]) => ({ id, label }));
    const shownOrders = filterOrders(orders, filter, now);
    const shownSignals = filterSignals(signals, filter, connectionsOf, now);
    const timeline = buildTimeline({
      signals: filterSignals(signals, { ...filter, status: ALL }, connectionsOf, now),
      orders: filterOrders(orders, { ...filter, result: ALL, symbol: ALL }, now),
      connections: drawn,
      connectionsOf,
      from: rangeStart(filter.range, now),
      now,
      format: binLabel,
    });
    return { connectionsOf, labels, shownOrders, shownSignals, timeline };
  }, [subs, orders, signals, connections, filter]);
  const labelOf = (id: string): string => view.labels.get(id) ?? id;

  if (orderList.kind === 'absent' && signalList.kind === 'absent') return null;
  const rangeLabel = TIME_RANGES[filter.range].label;
  return (
    <>
      <section class="panel" data-testid="timeline-panel">
        <div class="section-head">
          <h2>Signals → orders</h2>
          <Select
            label="Connection"
            testid="filter-connection"
            value={filter.connection}
            choices={[...view.labels]}
            onChange={(v) => setFilter({ connection: v })}
          />
          <label class="filter">
            Time{' '}
            <select
              data-testid="filter-range"
              value={filter.range}
              onChange={(e) => setFilter({ range: e.currentTarget.value as TimeRange })}
            >
              {Object.entries(TIME_RANGES).map(([k, r]) => (
                <option key={k} value={k}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        {orderList.kind === 'error' && <p class="error">{orderList.message}</p>}
        {signalList.kind === 'error' && <p class="error">{signalList.message}</p>}
        <TimelineChart timeline={view.timeline} rangeLabel={rangeLabel} />
      </section>
      <OrderHistory
        all={orders}
        shown={view.shownOrders}
        filter={filter}
        setFilter={setFilter}
        labelOf={labelOf}
      />
      <SignalHistory
        total={signals.length}
        shown={view.shownSignals}
        filter={filter}
        setFilter={setFilter}
        connectionsOf={view.connectionsOf}
        labelOf={labelOf}
      />
    </>
  );
}
