/**
 * The popup's feeds (one line each: a readable name and the state) and the last orders (side,
 * symbol, amount, worth, connection, result). An older host without these methods: no section.
 */
import type { Connection } from '../protocol/methods.js';
import { FEED_STATE_LABEL, feedName } from '../ui/feed-view.js';
import {
  orderAmount,
  orderKind,
  orderResult,
  orderResultText,
  orderWorth,
} from '../ui/order-view.js';
import { useList } from '../ui/use-list.js';

/** How many orders the popup shows; the dashboard has the rest. */
export const POPUP_ORDERS = 5;

export function FeedsPanel({ revision }: { revision: number }) {
  const feeds = useList('signals.list', {}, revision);
  if (feeds.kind === 'loading' || feeds.kind === 'absent') return null;
  return (
    <section class="block" data-testid="section-signals.list">
      <h2>Signal feeds</h2>
      {feeds.kind === 'error' && <p class="error">{feeds.message}</p>}
      {feeds.kind === 'items' && feeds.items.length === 0 && (
        <p class="muted">No signal feed subscribed yet.</p>
      )}
      {feeds.kind === 'items' && feeds.items.length > 0 && (
        <ul class="lines">
          {feeds.items.map((f) => (
            <li
              key={f.id}
              data-testid="feed"
              data-state={f.feed.state}
              title={`${f.url}${f.feed.problem ? ` — ${f.feed.problem}` : ''}`}
            >
              <span class="line-main">{feedName(f)}</span>
              <span class={`feed-state ${f.feed.state}`}>{FEED_STATE_LABEL[f.feed.state]}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function OrdersPanel({
  revision,
  connections,
}: {
  revision: number;
  connections: readonly Connection[];
}) {
  const orders = useList('orders.list', { limit: POPUP_ORDERS }, revision);
  if (orders.kind === 'loading' || orders.kind === 'absent') return null;
  const labelOf = new Map(connections.map((c) => [c.id, c.label]));
  return (
    <section class="block" data-testid="section-orders.list">
      <h2>Recent orders</h2>
      {orders.kind === 'error' && <p class="error">{orders.message}</p>}
      {orders.kind === 'items' && orders.items.length === 0 && <p class="muted">No orders yet.</p>}
      {orders.kind === 'items' && orders.items.length > 0 && (
        <ul class="orders">
          {orders.items.map((o) => {
            const result = orderResult(o);
            return (
              <li
                key={o.clientOrderId}
                data-testid="order"
                data-state={o.state}
                title={o.error ?? o.closed ?? undefined}
              >
                <span class="o-line">
                  <span class={`side ${o.side}`}>{orderKind(o)}</span>
                  <span class="o-what">
                    {o.symbol} {orderAmount(o)}
                  </span>
                  <span class="o-worth">{orderWorth(o)}</span>
                </span>
                <span class="o-line o-sub">
                  <span class="o-conn">{labelOf.get(o.connectionId) ?? 'removed connection'}</span>
                  <span class={`o-result ${result}`}>{orderResultText(o)}</span>
                  <time class="o-time" dateTime={o.createdAt}>
                    {new Date(o.createdAt).toLocaleTimeString([], {
                      hour: '2-digit',
                      minute: '2-digit',
                    })}
                  </time>
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
