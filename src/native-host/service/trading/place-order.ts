/**
 * Sending one journaled order to the exchange exactly once. The client order id was derived and
 * journaled before this runs. One rule for every exchange (docs/trading.md, "Unknown outcomes"):
 * after a send whose outcome is unknown — a timeout, a connection error, any HTTP 5xx, an
 * exchange's "status unknown" code or a duplicate-id answer — the order is looked up by its client
 * id until the original request can no longer be accepted (its request window, measured from the
 * moment the failure was seen, which is after the request was signed) plus a grace for the order
 * to show in look-ups. Found: placed. Provably absent after that: sent again, if the signal is
 * still fresh and nothing holds it back (`maySend`: a pause). Binance and OKX accept a client id
 * again once the first order is filled, so a resend before that moment could double the order.
 */
import type { Exchange } from 'ccxt';
import {
  describeNetworkFailure,
  explainCcxtError,
  isNetworkError,
  orderErrorKind,
} from '../exchange/exchange-error.js';
import type { ExchangeId } from '../../../exchanges/types.js';
import type { OrderRow } from '../store/trading-store.js';
import { findOrderByClientId } from './order-lookup.js';
import { JournalNotDurable, sendWhenDurable } from '../exchange/send-gate.js';
import type { RejectReason, Rejection } from './risk.js';

export type PlaceOutcome =
  | { state: 'placed'; exchangeOrderId: string }
  /** Final: refused, proven absent and not sent again, or held back by `maySend`. */
  | { state: 'failed'; reason: RejectReason; message: string }
  /** Look-ups kept failing: the order may exist. Never resent until a look-up settles it. */
  | { state: 'unknown'; message: string };

export interface SendTiming {
  /** The request window sent with every order (Binance/Bybit recvWindow, OKX expTime), ms. */
  windowMs: number;
  /** How long past the window an accepted order may take to show in look-ups, ms. */
  visibilityGraceMs: number;
  /**
   * Look-ups that keep failing this long past the deadline: the outcome stays unknown (the order
   * is kept as `unknown` and looked up again later, never resent blindly), ms.
   */
  unreachableAfterMs: number;
}

/**
 * Error of the clock difference ccxt measured at market load (half a round trip, plus drift),
 * and of the exchanges' own "1 s ahead" tolerance.
 */
export const CLOCK_ALLOWANCE_MS = 1_000;
const MAX_SENDS = 4;

export const DEFAULT_SEND_TIMING: SendTiming = {
  windowMs: 5_000,
  visibilityGraceMs: 5_000,
  unreachableAfterMs: 30_000,
};

/**
 * Reads SENTINEL_ORDER_WINDOW_MS (1000–60000), SENTINEL_ORDER_VISIBILITY_GRACE_MS (0–60000) and
 * SENTINEL_ORDER_UNREACHABLE_MS (1000–60000).
 */
export function sendTimingFrom(env: NodeJS.ProcessEnv): SendTiming {
  const read = (name: string, min: number, fallback: number): number => {
    const v = Number(env[name]);
    return env[name] !== undefined && Number.isInteger(v) && v >= min && v <= 60_000 ? v : fallback;
  };
  return {
    windowMs: read('SENTINEL_ORDER_WINDOW_MS', 1_000, DEFAULT_SEND_TIMING.windowMs),
    visibilityGraceMs: read(
      'SENTINEL_ORDER_VISIBILITY_GRACE_MS',
      0,
      DEFAULT_SEND_TIMING.visibilityGraceMs,
    ),
    unreachableAfterMs: read(
      'SENTINEL_ORDER_UNREACHABLE_MS',
      1_000,
      DEFAULT_SEND_TIMING.unreachableAfterMs,
    ),
  };
}

/** How an order is found by its client id (default: the adapter's findOrderByClientId). */
export type FindOrder = (
  client: Exchange,
  symbol: string,
  clientOrderId: string,
) => Promise<{ found: true; exchangeOrderId: string } | { found: false }>;

export interface PlaceHooks {
  /**
   * Records one more send in the journal; resolves once that record is on disk. The request is
   * built meanwhile and held at the socket until it resolves (send-gate.ts).
   */
  onSend?: () => Promise<void>;
  /**
   * Asked right before every send, the first and any again (send-checks.ts): a reason not to send
   * now — a pause — ends the order as failed, with nothing sent from then on. Look-ups still run.
   */
  maySend?: () => Rejection | null;
  /** ccxt params sent with the order besides the client id (reduceOnly, margin mode, triggers). */
  params?: Record<string, unknown>;
  /** The look-up for this kind of order (a trigger order is found elsewhere than a plain one). */
  find?: FindOrder;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  timing?: SendTiming;
}

type Settled = { found: true; id: string } | { found: false } | { unreachable: true };

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Looks the order up until it is found, or until a look-up that started after `deadline` says it
 * does not exist. Look-ups that fail (network, 5xx) prove nothing and are retried.
 */
async function settle(
  client: Exchange,
  find: FindOrder,
  order: OrderRow,
  deadline: number,
  unreachableAfterMs: number,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
): Promise<Settled> {
  for (let pause = 200; ; pause = Math.min(pause * 2, 1_000)) {
    const startedAt = now();
    try {
      const r = await find(client, order.symbol, order.clientOrderId);
      if (r.found) return { found: true, id: r.exchangeOrderId };
      if (startedAt >= deadline) return { found: false };
    } catch {
      if (now() > deadline + unreachableAfterMs) return { unreachable: true };
    }
    const remaining = deadline - now();
    await sleep(remaining > 0 ? Math.min(pause, remaining) : pause);
  }
}

const UNCONFIRMED =
  'the exchange did not answer and could not confirm whether the order exists; check it on the exchange before trading on';

export async function placeOrder(
  client: Exchange,
  exchange: ExchangeId,
  order: OrderRow,
  hooks: PlaceHooks = {},
): Promise<PlaceOutcome> {
  const now = hooks.now ?? Date.now;
  const sleep = hooks.sleep ?? wait;
  const timing = hooks.timing ?? DEFAULT_SEND_TIMING;
  const find: FindOrder =
    hooks.find ?? ((c, symbol, id) => findOrderByClientId(c, exchange, symbol, id));
  // From now, a request signed earlier can still be accepted for at most this long.
  const deadlineFromNow = (): number =>
    now() + timing.windowMs + CLOCK_ALLOWANCE_MS + timing.visibilityGraceMs;
  const settleNow = (): Promise<Settled> =>
    settle(client, find, order, deadlineFromNow(), timing.unreachableAfterMs, now, sleep);

  // Journaled earlier and maybe sent before a crash: the send was signed before this start.
  if (order.attempts > 0) {
    const seen = await settleNow();
    if ('unreachable' in seen) return { state: 'unknown', message: UNCONFIRMED };
    if (seen.found) return { state: 'placed', exchangeOrderId: seen.id };
  }
  // The last network failure, as host and cause (never ccxt's text: its URL is signed).
  let lastNetwork = '';
  const unconfirmed = (): string => (lastNetwork ? `${UNCONFIRMED} (${lastNetwork})` : UNCONFIRMED);
  for (let send = 0; send < MAX_SENDS; send++) {
    if (now() > order.expiresAt) {
      return {
        state: 'failed',
        reason: 'not-placed',
        message:
          send === 0 && order.attempts === 0
            ? 'the signal expired before the order could be sent; nothing was placed'
            : 'the signal expired before the order could be sent again; the exchange has no order with this client id',
      };
    }
    const held = hooks.maySend?.();
    if (held) {
      return {
        state: 'failed',
        reason: held.reason,
        message:
          send === 0 && order.attempts === 0
            ? `${held.message}; nothing was sent`
            : `${held.message}; the exchange has no order with this client id, and it is not sent again`,
      };
    }
    const recorded = hooks.onSend?.() ?? Promise.resolve();
    try {
      const placed = await sendWhenDurable(client, recorded, () =>
        client.createOrder(
          order.symbol,
          order.type,
          order.side,
          Number(order.amount),
          order.price !== null ? Number(order.price) : undefined,
          { ...hooks.params, clientOrderId: order.clientOrderId },
        ),
      );
      return { state: 'placed', exchangeOrderId: String(placed.id) };
    } catch (err) {
      if (err instanceof JournalNotDurable) throw err; // nothing left: the caller reports it
      const kind = orderErrorKind(exchange, err);
      if (kind === 'rate-limited') {
        await sleep(500 * 2 ** send);
        continue;
      }
      if (kind === 'refused') {
        return {
          state: 'failed',
          reason: 'exchange-refused',
          message:
            explainCcxtError(exchange, err)?.message ??
            `the exchange refused the order (${err instanceof Error ? err.constructor.name : 'error'})`,
        };
      }
      if (isNetworkError(err)) {
        const f = describeNetworkFailure(exchange, err);
        lastNetwork = `could not reach ${f.host}${f.code ? ` (${f.code})` : ''}: ${f.explanation}`;
      }
      const seen = await settleNow();
      if ('unreachable' in seen) return { state: 'unknown', message: unconfirmed() };
      if (seen.found) return { state: 'placed', exchangeOrderId: seen.id };
      // Proven absent after the request could no longer be accepted: sending again is safe.
    }
  }
  return {
    state: 'failed',
    reason: 'not-placed',
    message: `the exchange did not take the order after ${MAX_SENDS} tries${lastNetwork ? ` (${lastNetwork})` : ''}`,
  };
}
