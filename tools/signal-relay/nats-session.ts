/**
 * One subscriber connection on a NATS gateway: the subscriber's durable consumer is set back to
 * its ack floor (so whatever the subscriber has not acknowledged comes again, in stream order, at
 * whichever gateway it reconnects to), then consumed. Acks from the host are by signal id and may
 * come in any order; the consumer (AckPolicy.All) is acked up to the longest acknowledged prefix.
 * A signal whose expiry passes unacknowledged counts as settled: the host would refuse it anyway.
 */
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { expiresAt, type Signal } from '../../src/signals/signal.js';
import type { FeedSession, FeedSink, SessionTarget } from './relay-backend.js';
import type { RecordedAck } from './relay-api.js';
import { errorMessage } from '../../src/lib/error-text.js';

/** How long JetStream waits for an ack before it offers a message again. */
const ACK_WAIT_MS = 30_000;

interface Pending {
  seq: number;
  id: string;
  msg: JsMsg;
  expiresAt: number;
  done: boolean;
}

export interface SessionContext {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  maxBuffer: number;
  now: () => number;
  log: (line: string) => void;
  onAck(target: SessionTarget, ack: RecordedAck): void;
}

export const consumerName = (key: string): string => `sub_${key.slice(0, 32)}`;

const notFound = (e: unknown): boolean => e instanceof JetStreamApiError && e.status === 404;

/** Recreate the subscriber's durable consumer at its ack floor (or from the start of the stream). */
async function resetConsumer(ctx: SessionContext, durable: string, subject: string): Promise<void> {
  let start: number | undefined;
  try {
    const info = await ctx.jsm.consumers.info(ctx.stream, durable);
    if (info.config.filter_subject === subject && info.ack_floor.stream_seq > 0)
      start = info.ack_floor.stream_seq + 1;
    await ctx.jsm.consumers.delete(ctx.stream, durable);
  } catch (e) {
    if (!notFound(e)) throw e;
  }
  await ctx.jsm.consumers.add(ctx.stream, {
    durable_name: durable,
    filter_subject: subject,
    ack_policy: AckPolicy.All,
    ack_wait: nanos(ACK_WAIT_MS),
    max_ack_pending: Math.max(1, ctx.maxBuffer),
    ...(start !== undefined
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start }
      : { deliver_policy: DeliverPolicy.All }),
  });
}

export interface NatsSession extends FeedSession {
  readonly durable: string;
  readonly providerKid: string;
  readonly sink: FeedSink;
  /** Settle what expired unacknowledged. */
  sweep(): void;
}

export async function openNatsSession(
  ctx: SessionContext,
  target: SessionTarget,
  subject: string,
  sink: FeedSink,
): Promise<NatsSession> {
  const durable = consumerName(target.key);
  await resetConsumer(ctx, durable, subject);
  const consumer = await ctx.js.consumers.get(ctx.stream, durable);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: 256 });
  const queue: Pending[] = [];
  const byId = new Map<string, Pending>();
  let ackedSeq = 0;
  let closed = false;

  const advance = (): void => {
    let last: Pending | undefined;
    while (queue[0]?.done) {
      last = queue.shift() as Pending;
      byId.delete(last.id);
    }
    if (last && !closed) {
      last.msg.ack();
      ackedSeq = last.seq;
    }
  };

  void (async () => {
    try {
      for await (const msg of messages) {
        if (closed) break;
        if (msg.seq <= ackedSeq || queue.some((p) => p.seq === msg.seq)) continue; // offered again
        let signal: Signal;
        try {
          signal = (JSON.parse(msg.string()) as { signal: Signal }).signal;
        } catch {
          msg.term();
          continue;
        }
        const entry: Pending = {
          seq: msg.seq,
          id: signal.id,
          msg,
          expiresAt: expiresAt(signal),
          done: false,
        };
        if (entry.expiresAt <= ctx.now()) entry.done = true;
        else if (!sink.send(msg.string())) break;
        queue.push(entry);
        if (!entry.done) byId.set(entry.id, entry);
        advance();
      }
    } catch (e) {
      if (!closed) ctx.log(`relay: ${target.name}: the stream consumer failed: ${errorMessage(e)}`);
    }
    if (!closed) sink.end('relay gateway lost its stream consumer');
  })();

  return {
    durable,
    providerKid: target.providerKid,
    sink,
    replayed: undefined,
    ack(a: RecordedAck) {
      const entry = byId.get(a.id);
      if (entry) {
        entry.done = true;
        advance();
      }
      ctx.onAck(target, a);
    },
    sweep() {
      const t = ctx.now();
      let any = false;
      for (const p of queue)
        if (!p.done && p.expiresAt <= t) {
          p.done = true;
          byId.delete(p.id);
          any = true;
        }
      if (any) advance();
    },
    close() {
      if (closed) return;
      closed = true;
      messages.stop();
    },
  };
}
