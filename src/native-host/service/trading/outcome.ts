/** What became of a signal on one route (one connection): the engine settles the signal from these. */
import type { OrderRow } from '../store/trading-store.js';
import { reject, type Rejection } from './risk.js';

export type RouteOutcome =
  { status: 'executed' | 'dry-run' } | ({ status: 'rejected' } & Rejection);

/**
 * The signal's outcome from its routes': executed if any route executed; otherwise the first
 * rejection unless a route ran in dry-run; otherwise dry-run.
 */
export function signalOutcome(outcomes: readonly RouteOutcome[]): RouteOutcome {
  const executed = outcomes.find((o) => o.status === 'executed');
  const dry = outcomes.find((o) => o.status === 'dry-run');
  const rejected = outcomes.find((o) => o.status === 'rejected');
  return executed ?? (rejected && !dry ? rejected : (dry ?? outcomes[0]!));
}

/**
 * What a settled order says of its route: the exchange's answer stands, whatever changed since
 * (a pause, the routes, the connection). Null for an `intent`, which no one has settled yet.
 */
export function journaledOutcome(order: OrderRow): RouteOutcome | null {
  switch (order.state) {
    case 'placed':
      return { status: order.mode === 'live' ? 'executed' : 'dry-run' };
    case 'simulated':
      return { status: 'dry-run' };
    case 'failed':
      return { status: 'rejected', ...reject('not-placed', order.error ?? 'the order failed') };
    case 'unknown':
      return {
        status: 'rejected',
        ...reject('unconfirmed', order.error ?? 'the exchange could not confirm the order'),
      };
    case 'intent':
      return null;
  }
}

/** An intent whose connection was removed before it was settled: what can be said without it. */
export function connectionGoneOutcome(order: OrderRow): RouteOutcome {
  const gone = `the order's connection ${order.connectionId} no longer exists`;
  return order.attempts === 0
    ? { status: 'rejected', ...reject('connection-missing', `${gone}; nothing was sent`) }
    : {
        status: 'rejected',
        ...reject(
          'unconfirmed',
          `${gone}, so the order cannot be looked up; it may have reached the exchange: check it there`,
        ),
      };
}
