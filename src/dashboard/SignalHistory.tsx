/** The signal record as a table, filtered by status (connection and time: the page's). */
import type { SignalRecord, SignalStatus } from '../protocol/trading.js';
import type { HistoryFilter, SignalConnections } from './history-filter.js';
import { ALL } from './history-filter.js';
import { Select } from './Select.js';

const STATUSES: SignalStatus[] = ['executed', 'dry-run', 'rejected', 'duplicate', 'pending'];

export function SignalHistory({
  total,
  shown,
  filter,
  setFilter,
  connectionsOf,
  labelOf,
}: {
  total: number;
  shown: readonly SignalRecord[];
  filter: HistoryFilter;
  setFilter(f: Partial<HistoryFilter>): void;
  connectionsOf: SignalConnections;
  labelOf(connectionId: string): string;
}) {
  return (
    <section class="panel" data-testid="signal-history">
      <div class="section-head">
        <h2>Signal history</h2>
        <Select
          label="Status"
          testid="filter-status"
          value={filter.status}
          choices={STATUSES.map((s) => [s, s])}
          onChange={(v) => setFilter({ status: v as SignalStatus | typeof ALL })}
        />
        <span class="muted" data-testid="signal-count">
          {shown.length} of {total} signals
        </span>
      </div>
      {shown.length === 0 ? (
        <p class="muted">{total === 0 ? 'No signals yet.' : 'No signal matches these filters.'}</p>
      ) : (
        <div class="table-scroll">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Strategy</th>
                <th scope="col">Routed to</th>
                <th scope="col">Status</th>
                <th scope="col">Reason</th>
                <th scope="col">Signal id</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => (
                <tr
                  key={`${s.subscriptionId}/${s.id}`}
                  data-testid="signal-row"
                  data-status={s.status}
                >
                  <td>{new Date(s.receivedAt).toLocaleString()}</td>
                  <td>{s.strategy}</td>
                  <td>{connectionsOf(s).map(labelOf).join(', ') || 'no route'}</td>
                  <td class={`s-${s.status}`}>{s.status}</td>
                  <td>{s.reason ?? ''}</td>
                  <td class="mono">{s.id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
