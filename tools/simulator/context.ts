/**
 * What the dialects share: keys, book, faults, the records tests assert on, the clock and the
 * simulated client IP; plus order placement with the order-level faults applied.
 */
import type { Faults } from './faults.js';
import type { KeyStore } from './keys.js';
import type { Book, PlaceInput } from './orders.js';
import type { PerpBook } from './perp-book.js';
import type { ExchangeId, OrderRecord, RequestRecord, SimOrder } from './types.js';

const MAX_RECORDS = 100_000;

/** High-resolution wall clock: fractional ms since epoch. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

/** The last price of a symbol as a decimal string; undefined when the exchange has no such market. */
export type PriceOf = (exchange: ExchangeId, symbol: string) => string | undefined;

export class Recorder {
  private seq = 0;
  readonly orderRecords: OrderRecord[] = [];
  readonly requestRecords: RequestRecord[] = [];
  /**
   * Arrival time of the request being handled: the server sets it around the (synchronous)
   * dialect call, so the records written meanwhile carry it as `receivedAt`.
   */
  arrivedAt: number | undefined;
  /** Set by the server likewise while a request delayed by the processDelay fault is handled. */
  processDelayMs: number | undefined;

  /** `priceOf` gives each order record its `marketPrice` at the moment it is written. */
  constructor(private readonly priceOf?: PriceOf) {}

  order(record: Omit<OrderRecord, 'seq' | 'receivedAt'>): OrderRecord {
    const marketPrice =
      record.marketPrice ??
      (record.symbol ? this.priceOf?.(record.exchange, record.symbol) : undefined);
    const delay = this.processDelayMs;
    const full: OrderRecord = {
      seq: ++this.seq,
      receivedAt: this.arrivedAt ?? preciseNow(),
      ...record,
      ...(marketPrice !== undefined ? { marketPrice } : {}),
      ...(delay !== undefined
        ? { processDelayMs: delay, fault: record.fault ?? 'processDelay' }
        : {}),
    };
    this.orderRecords.push(full);
    if (this.orderRecords.length > MAX_RECORDS) this.orderRecords.shift();
    return full;
  }

  request(record: Omit<RequestRecord, 'seq' | 'receivedAt'>): void {
    this.requestRecords.push({
      seq: ++this.seq,
      receivedAt: this.arrivedAt ?? preciseNow(),
      ...record,
    });
    if (this.requestRecords.length > MAX_RECORDS) this.requestRecords.shift();
  }

  clear(): void {
    this.orderRecords.length = 0;
    this.requestRecords.length = 0;
  }
}

export interface SimContext {
  keys: KeyStore;
  book: Book;
  /** The perpetuals side of each exchange (positions, leverage, trigger orders). */
  perp: PerpBook;
  faults: Faults;
  recorder: Recorder;
  now(): number;
  clientIp(): string;
}

/** The request details an order record starts from. */
export type OrderDraft = Omit<OrderRecord, 'seq' | 'receivedAt' | 'outcome' | 'code' | 'test'> & {
  test?: boolean;
};

/** The exchange code of each dialect's status5xxAfterPlace answer (the dialects render it). */
export const AFTER_PLACE_5XX_CODE: Record<ExchangeId, string> = {
  binance: '-1000',
  bybit: '502',
  okx: '50026',
};

export type Placement<T = SimOrder> =
  | { kind: 'placed'; order: T }
  /** The answer never comes (the order may or may not have been placed). */
  | { kind: 'hold'; order?: T }
  /** Placed, then the connection is destroyed without an answer (lostAnswer). */
  | { kind: 'drop'; order: T }
  /** Placed, then answered with an HTTP 5xx in the exchange's shape (status5xxAfterPlace). */
  | { kind: '5xx'; order: T }
  /** Placed, but the exchange answers "status unknown". */
  | { kind: 'unknown'; order: T; code?: string | undefined };

export function rejectOrder(
  ctx: SimContext,
  draft: OrderDraft,
  code: string | number,
  message: string,
): void {
  ctx.recorder.order({ test: false, ...draft, outcome: 'rejected', code: String(code), message });
}

/**
 * Places a validated order, applying the order-level faults: timeoutNotPlaced (nothing placed,
 * no answer), then after placement timeoutPlaced, lostAnswer, status5xxAfterPlace and
 * unknownOutcome, in that order; visibilityDelayMs marks when look-ups may show the order.
 */
export function placeOrder(ctx: SimContext, input: PlaceInput, draft: OrderDraft): Placement {
  return placeWithFaults(ctx, input.exchange, draft, (hiddenMs) =>
    ctx.book.place(hiddenMs !== undefined ? { ...input, visibleAt: input.now + hiddenMs } : input),
  );
}

/**
 * The order-level faults around any placement (spot or perpetual): `place` receives how long
 * look-ups must not show the order (visibilityDelayMs; undefined: visible at once) and places it.
 */
export function placeWithFaults<T extends { id: string; clientOrderId: string }>(
  ctx: SimContext,
  exchange: ExchangeId,
  draft: OrderDraft,
  place: (hiddenMs: number | undefined) => T,
): Placement<T> {
  if (ctx.faults.take(exchange, 'timeoutNotPlaced')) {
    ctx.recorder.order({
      test: false,
      ...draft,
      outcome: 'dropped',
      code: '',
      fault: 'timeoutNotPlaced',
    });
    return { kind: 'hold' };
  }
  const hidden = ctx.faults.visibilityDelay(exchange);
  const order = place(hidden > 0 ? hidden : undefined);
  const base = {
    test: false,
    ...draft,
    outcome: 'placed' as const,
    orderId: order.id,
    clientOrderId: order.clientOrderId,
  };
  if (ctx.faults.take(exchange, 'timeoutPlaced')) {
    ctx.recorder.order({ ...base, code: '', fault: 'timeoutPlaced' });
    return { kind: 'hold', order };
  }
  if (ctx.faults.take(exchange, 'lostAnswer')) {
    ctx.recorder.order({ ...base, code: '', fault: 'lostAnswer' });
    return { kind: 'drop', order };
  }
  if (ctx.faults.take(exchange, 'status5xxAfterPlace')) {
    ctx.recorder.order({
      ...base,
      code: AFTER_PLACE_5XX_CODE[exchange],
      fault: 'status5xxAfterPlace',
    });
    return { kind: '5xx', order };
  }
  if (ctx.faults.take(exchange, 'unknownOutcome')) {
    const code = ctx.faults.unknownCode(exchange);
    ctx.recorder.order({ ...base, code: code ?? 'unknown', fault: 'unknownOutcome' });
    return { kind: 'unknown', order, code };
  }
  ctx.recorder.order({ ...base, code: '0' });
  return { kind: 'placed', order };
}
