/** The dashboard's filters and timeline bins over orders and signals (pure, client-side). */
import {
  ALL,
  NO_FILTER,
  distinct,
  filterOrders,
  filterSignals,
  signalConnections,
  type HistoryFilter,
} from '../../src/dashboard/history-filter.js';
import { buildTimeline, makeBins, timelineSummary } from '../../src/dashboard/timeline.js';
import type { OrderRow, SignalRecord } from '../../src/protocol/trading.js';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const MIN = 60_000;
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * MIN).toISOString();

const order = (
  id: string,
  connectionId: string,
  minutesAgo: number,
  extra: Partial<OrderRow> = {},
): OrderRow =>
  ({
    clientOrderId: id,
    signalId: `s-${id}`,
    connectionId,
    state: 'simulated',
    mode: 'dry-run',
    symbol: 'BTC/USDT',
    side: 'buy',
    createdAt: at(minutesAgo),
    ...extra,
  }) as OrderRow;

const signal = (
  id: string,
  strategy: string,
  minutesAgo: number,
  status: SignalRecord['status'] = 'dry-run',
): SignalRecord => ({
  id,
  subscriptionId: 'sub1',
  strategy,
  issuedAt: NOW - minutesAgo * MIN,
  receivedAt: at(minutesAgo),
  status,
  reason: status === 'rejected' ? 'no-route' : null,
});

const ORDERS = [
  order('o1', 'cA', 5, { state: 'placed', mode: 'live' }),
  order('o2', 'cA', 90, { symbol: 'ETH/USDT' }),
  order('o3', 'cB', 30, { state: 'failed' }),
  order('o4', 'cB', 3 * 24 * 60),
  order('o5', 'cB', 1, { state: 'intent' }),
];
const SUBS = [
  {
    id: 'sub1',
    routes: [
      { strategy: 'a-trend', connectionId: 'cA', maxOrderQuote: '1' },
      { strategy: 'b-trend', connectionId: 'cB', maxOrderQuote: '1' },
      { strategy: 'both', connectionId: 'cA', maxOrderQuote: '1' },
      { strategy: 'both', connectionId: 'cB', maxOrderQuote: '1' },
    ],
  },
];
const SIGNALS = [
  signal('s-o1', 'a-trend', 5, 'executed'),
  signal('x1', 'both', 20),
  signal('x2', 'nobody', 10, 'rejected'),
  signal('s-o4', 'retired', 3 * 24 * 60),
];

const f = (over: Partial<HistoryFilter>): HistoryFilter => ({ ...NO_FILTER, ...over });
const ids = (rows: { clientOrderId?: string; id?: string }[]) =>
  rows.map((r) => r.clientOrderId ?? r.id);

describe('order filters', () => {
  it.each<[string, Partial<HistoryFilter>, string[]]>([
    ['none', {}, ['o1', 'o2', 'o3', 'o4', 'o5']],
    ['connection', { connection: 'cB' }, ['o3', 'o4', 'o5']],
    ['result placed', { result: 'placed' }, ['o1']],
    ['result pending (journal state intent)', { result: 'pending' }, ['o5']],
    ['symbol', { symbol: 'ETH/USDT' }, ['o2']],
    ['last hour', { range: '1h' }, ['o1', 'o3', 'o5']],
    ['last 24 hours', { range: '24h' }, ['o1', 'o2', 'o3', 'o5']],
    [
      'connection and range and result',
      { connection: 'cB', range: '1h', result: 'failed' },
      ['o3'],
    ],
    ['nothing matches', { connection: 'cA', result: 'failed' }, []],
  ])('%s', (_, over, expected) => {
    expect(ids(filterOrders(ORDERS, f(over), NOW))).toEqual(expected);
  });
  it('symbol choices are the distinct symbols, sorted', () =>
    expect(distinct(ORDERS, (o) => o.symbol)).toEqual(['BTC/USDT', 'ETH/USDT']));
});

describe('signals reach the connections their routes (and orders) name', () => {
  const of = signalConnections(SUBS, ORDERS);
  it.each([
    ['s-o1', ['cA']],
    ['x1', ['cA', 'cB']],
    ['x2', []],
    // No route names "retired" any more, but an order of it went to cB.
    ['s-o4', ['cB']],
  ])('%s → %j', (id, expected) => expect(of(SIGNALS.find((s) => s.id === id)!)).toEqual(expected));
  it.each<[string, Partial<HistoryFilter>, string[]]>([
    ['none', {}, ['s-o1', 'x1', 'x2', 's-o4']],
    ['connection cB', { connection: 'cB' }, ['x1', 's-o4']],
    ['status rejected', { status: 'rejected' }, ['x2']],
    ['last hour', { range: '1h' }, ['s-o1', 'x1', 'x2']],
    [
      'cA in the last hour, executed',
      { connection: 'cA', range: '1h', status: 'executed' },
      ['s-o1'],
    ],
  ])('filter: %s', (_, over, expected) =>
    expect(ids(filterSignals(SIGNALS, f(over), of, NOW))).toEqual(expected),
  );
});

describe('timeline bins', () => {
  const fmt = (start: number, width: number) =>
    `${new Date(start).toISOString().slice(11, 16)}/${width / MIN}m`;
  it.each([
    // span → width: the smallest that needs at most 24 bins
    [60 * MIN, 5, 13],
    [24 * 60 * MIN, 60, 25],
    [10 * MIN, 1, 11],
    [7 * 24 * 60 * MIN, 24 * 60, 8],
  ])('a span of %d ms has bins of %d minutes (%d bins, aligned)', (span, widthMin, count) => {
    const bins = makeBins(NOW - span, NOW, fmt);
    expect(bins).toHaveLength(count);
    for (const b of bins) expect(b.end - b.start).toBe(widthMin * MIN);
    expect(bins[0]!.start % (widthMin * MIN)).toBe(0);
    expect(bins[0]!.start).toBeLessThanOrEqual(NOW - span);
    expect(bins.at(-1)!.end).toBeGreaterThan(NOW);
  });

  it('counts signals per routed connection and orders per connection, per bin', () => {
    const t = buildTimeline({
      signals: SIGNALS,
      orders: ORDERS,
      connections: [
        { id: 'cA', label: 'A' },
        { id: 'cB', label: 'B' },
      ],
      connectionsOf: signalConnections(SUBS, ORDERS),
      from: NOW - 60 * MIN,
      now: NOW,
      format: fmt,
    });
    expect(t.bins.map((b) => b.label).slice(0, 2)).toEqual(['11:00/5m', '11:05/5m']);
    const [a, b] = t.series;
    expect(a!.totals).toEqual({
      signals: 2,
      orders: 1,
      placed: 1,
      simulated: 0,
      failed: 0,
      pending: 0,
      unknown: 0,
    });
    expect(b!.totals).toEqual({
      signals: 1,
      orders: 2,
      placed: 0,
      simulated: 0,
      failed: 1,
      pending: 1,
      unknown: 0,
    });
    // o1 (5 min ago) and s-o1 in the 11:55 bin; x1 (20 min ago) in the 11:40 bin.
    const bin = (label: string) => t.bins.findIndex((x) => x.label === label);
    expect(a!.orders[bin('11:55/5m')]).toBe(1);
    expect(a!.signals[bin('11:55/5m')]).toBe(1);
    expect(a!.signals[bin('11:40/5m')]).toBe(1);
    expect(b!.signals[bin('11:40/5m')]).toBe(1);
    // Out of range (3 days ago) or no route: not counted.
    expect(a!.signals.reduce((x, y) => x + y) + b!.signals.reduce((x, y) => x + y)).toBe(3);
    expect(timelineSummary(t, 'Last hour')).toBe(
      'Signals and orders per connection, last hour. A: 2 signals → 1 order (1 placed); B: 1 signal → 2 orders (1 failed, 1 pending).',
    );
  });

  it('"all kept" starts at the oldest row (at least an hour back)', () => {
    const t = buildTimeline({
      signals: [],
      orders: ORDERS,
      connections: [{ id: 'cB', label: 'B' }],
      connectionsOf: () => [],
      from: -Infinity,
      now: NOW,
      format: fmt,
    });
    expect(t.bins[0]!.start).toBeLessThanOrEqual(NOW - 3 * 24 * 60 * MIN);
    expect(t.series[0]!.totals.orders).toBe(3);
  });

  it('ALL is the empty choice', () => expect(ALL).toBe(''));
});
