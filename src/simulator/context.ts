/**
 * What the dialects share: keys, book, faults, the records tests assert on, the clock and the
 * simulated client IP; plus order placement with the order-level faults applied.
 */
import type { Faults } from './faults.js';
import type { KeyStore } from './keys.js';
import type { Book, PlaceInput } from './orders.js';
import type { ExchangeId, OrderRecord, RequestRecord, SimOrder } from './types.js';

const MAX_RECORDS = 100_000;

/** High-resolution wall clock: fractional ms since epoch. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

export class Recorder {
  private seq = 0;
  readonly orderRecords: OrderRecord[] = [];
  readonly requestRecords: RequestRecord[] = [];
  /**
   * Arrival time of the request being handled: the server sets it around the (synchronous)
   * dialect call, so the records written meanwhile carry it as `receivedAt`.
   */
  arrivedAt: number | undefined;

  order(record: Omit<OrderRecord, 'seq' | 'receivedAt'>): OrderRecord {
    const full = { seq: ++this.seq, receivedAt: this.arrivedAt ?? preciseNow(), ...record };
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
  faults: Faults;
  recorder: Recorder;
  now(): number;
  clientIp(): string;
}

/** The request details an order record starts from. */
export type OrderDraft = Omit<OrderRecord, 'seq' | 'receivedAt' | 'outcome' | 'code' | 'test'> & {
  test?: boolean;
};

export type Placement =
  | { kind: 'placed'; order: SimOrder }
  /** The answer never comes (the order may or may not have been placed). */
  | { kind: 'hold'; order?: SimOrder }
  /** Placed, but the exchange answers "status unknown". */
  | { kind: 'unknown'; order: SimOrder; code?: string };

export function rejectOrder(
  ctx: SimContext,
  draft: OrderDraft,
  code: string | number,
  message: string,
): void {
  ctx.recorder.order({ test: false, ...draft, outcome: 'rejected', code: String(code), message });
}

/** Places a validated order, applying the timeout and unknown-outcome faults. */
export function placeOrder(ctx: SimContext, input: PlaceInput, draft: OrderDraft): Placement {
  const exchange: ExchangeId = input.exchange;
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
  const order = ctx.book.place(input);
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
  if (ctx.faults.take(exchange, 'unknownOutcome')) {
    const code = ctx.faults.unknownCode(exchange);
    ctx.recorder.order({ ...base, code: code ?? 'unknown', fault: 'unknownOutcome' });
    return { kind: 'unknown', order, code };
  }
  ctx.recorder.order({ ...base, code: '0' });
  return { kind: 'placed', order };
}
