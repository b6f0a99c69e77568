/**
 * Signal feeds and the latest orders. An older host without these methods answers
 * METHOD_NOT_FOUND: then the sections are simply not shown (not an error).
 */
import { useEffect, useState } from 'preact/hooks';
import type { ParamsOf, ResultOf } from '../protocol/methods.js';
import { HostCallError, callHost } from '../ui/host-rpc.js';
import { errorMessage } from '../lib/error-text.js';

/** The methods that answer a list, and what one item of it is. */
type ListMethod = 'signals.list' | 'orders.list';
type ItemOf<M extends ListMethod> = ResultOf<M>[number];

type Loaded<T> =
  | { kind: 'loading' }
  | { kind: 'absent' }
  | { kind: 'items'; items: T[] }
  | { kind: 'error'; message: string };

function useList<M extends ListMethod>(
  method: M,
  params: ParamsOf<M>,
  revision: number,
): Loaded<ItemOf<M>> {
  const [state, setState] = useState<Loaded<ItemOf<M>>>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    callHost(method, params).then(
      (items) => live && setState({ kind: 'items', items: Array.isArray(items) ? items : [] }),
      (err: unknown) => {
        if (!live) return;
        if (err instanceof HostCallError && err.reason === 'METHOD_NOT_FOUND')
          setState({ kind: 'absent' });
        else setState({ kind: 'error', message: errorMessage(err) });
      },
    );
    return () => {
      live = false;
    };
    // params is a literal per call site: method and revision decide when to fetch again.
  }, [method, revision]);
  return state;
}

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

export function OptionalSections({ revision }: { revision: number }) {
  const feeds = useList('signals.list', {}, revision);
  const orders = useList('orders.list', { limit: 5 }, revision);
  return (
    <>
      {feeds.kind !== 'loading' && feeds.kind !== 'absent' && (
        <section class="panel" data-testid="section-signals.list">
          <h2>Signal feeds</h2>
          {feeds.kind === 'error' && <p class="error">{feeds.message}</p>}
          {feeds.kind === 'items' && feeds.items.length === 0 && (
            <p>No signal feed subscribed yet.</p>
          )}
          {feeds.kind === 'items' && (
            <ul class="rows">
              {feeds.items.map((f) => (
                <li key={f.id} data-testid="feed" data-state={f.feed.state}>
                  <strong>{hostOf(f.url)}</strong> — {f.feed.state}
                  {f.feed.problem ? `: ${f.feed.problem}` : ''} ({f.routes.length} route
                  {f.routes.length === 1 ? '' : 's'})
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {orders.kind !== 'loading' && orders.kind !== 'absent' && (
        <section class="panel" data-testid="section-orders.list">
          <h2>Recent orders</h2>
          {orders.kind === 'error' && <p class="error">{orders.message}</p>}
          {orders.kind === 'items' && orders.items.length === 0 && <p>No orders yet.</p>}
          {orders.kind === 'items' && (
            <ul class="rows">
              {orders.items.map((o) => (
                <li key={o.clientOrderId} data-testid="order" data-state={o.state}>
                  {new Date(o.createdAt).toLocaleTimeString()} {o.side} {o.amount} {o.symbol} —{' '}
                  {o.mode === 'live' ? o.state : 'simulated'}
                  {o.error ? ` (${o.error})` : ''}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}
