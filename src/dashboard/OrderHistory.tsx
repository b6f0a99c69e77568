/** The order journal as a table, filtered by result and symbol (connection and time: the page's). */
import type { OrderRow } from '../protocol/trading.js';
import {
  ORDER_RESULT_LABEL,
  orderKind,
  orderResult,
  orderResultText,
  quoteCurrency,
  type OrderResult,
} from '../ui/order-view.js';
import { ALL, distinct, type HistoryFilter } from './history-filter.js';
import { Select } from './Select.js';

const RESULTS: OrderResult[] = ['placed', 'simulated', 'failed', 'pending', 'unknown'];

export function OrderHistory({
  all,
  shown,
  filter,
  setFilter,
  labelOf,
}: {
  /** Every row loaded (the filters' choices come from these). */
  all: readonly OrderRow[];
  shown: readonly OrderRow[];
  filter: HistoryFilter;
  setFilter(f: Partial<HistoryFilter>): void;
  labelOf(connectionId: string): string;
}) {
  return (
    <section class="panel" data-testid="order-history">
      <div class="section-head">
        <h2>Order history</h2>
        <Select
          label="Result"
          testid="filter-result"
          value={filter.result}
          choices={RESULTS.map((r) => [r, ORDER_RESULT_LABEL[r]])}
          onChange={(v) => setFilter({ result: v as OrderResult | typeof ALL })}
        />
        <Select
          label="Symbol"
          testid="filter-symbol"
          value={filter.symbol}
          choices={distinct(all, (o) => o.symbol).map((s) => [s, s])}
          onChange={(v) => setFilter({ symbol: v })}
        />
        <span class="muted" data-testid="order-count">
          {shown.length} of {all.length} orders
        </span>
      </div>
      {shown.length === 0 ? (
        <p class="muted">
          {all.length === 0 ? 'No orders yet.' : 'No order matches these filters.'}
        </p>
      ) : (
        <div class="table-scroll">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Connection</th>
                <th scope="col">Side</th>
                <th scope="col">Symbol</th>
                <th scope="col">Amount</th>
                <th scope="col">Price</th>
                <th scope="col">Worth</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((o) => {
                const result = orderResult(o);
                return (
                  <tr key={o.clientOrderId} data-testid="order-row" data-state={o.state}>
                    <td>{new Date(o.createdAt).toLocaleString()}</td>
                    <td>{labelOf(o.connectionId)}</td>
                    <td class={`side ${o.side}`}>{orderKind(o)}</td>
                    <td>{o.symbol}</td>
                    <td class="num">{o.size ?? o.amount}</td>
                    <td class="num">{o.price ?? 'market'}</td>
                    <td class="num">
                      {o.quote} {quoteCurrency(o.symbol)}
                    </td>
                    <td class={`o-result ${result}`} title={o.error ?? o.closed ?? undefined}>
                      {orderResultText(o)}
                      {o.error ? `: ${o.error}` : ''}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
