/**
 * The NATS JetStream backend: this process is a stateless gateway; everything that must outlive
 * it is in NATS, so any number of gateways with the same `nats` setting are one relay.
 *
 *   stream  <stream>            subjects <stream>.signals.<kid as hex>: one per provider; a
 *                               message per signal, deduplicated by Nats-Msg-Id = kid/signal id
 *                               within the duplicate window (= replayMs); kept replayMs, at most
 *                               maxBuffer per provider.
 *   stream  <stream>_ACKS       <stream>.acks.<kid as hex>.<subscriber>: the hosts' acks, as
 *                               recorded (7 days, the last 10,000 per subscriber).
 *   consumer sub_<token hash>   one durable consumer per subscriber (nats-session.ts).
 *   KV      <stream>_subscribers  subscribers added at run time, keyed by token hash.
 *   KV      <stream>_providers    providers added at run time, keyed by token hash.
 *   subject <stream>.ctl.takeover  a new connection of a subscriber ends the older one elsewhere.
 */
import {
  DiscardPolicy,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { nanos, nuid, type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { Signal } from '../../src/signals/signal.js';
import type { SignalFrame } from '../../src/signals/types.js';
import type { RecordedAck } from './relay-api.js';
import {
  BackendUnavailableError,
  type ProviderStore,
  type PublishOutcome,
  type RelayBackend,
  type StoredProvider,
  type StoredSubscriber,
  type SubscriberStore,
} from './relay-backend.js';
import { consumerName, openNatsSession, type NatsSession } from './nats-session.js';
import { errorMessage } from '../../src/lib/error-text.js';

export interface NatsBackendOptions {
  servers: string;
  stream: string;
  name: string;
  replayMs: number;
  maxBuffer: number;
  now: () => number;
  log: (line: string) => void;
}

const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');
const MAX_RECENT_ACKS = 10_000;
const ACK_RECORD_DAYS = 7;

const notFound = (e: unknown): boolean => e instanceof JetStreamApiError && e.status === 404;

/** Connect to NATS and make sure the streams and the subscribers bucket exist. */
export async function connectNats(
  o: Pick<NatsBackendOptions, 'servers' | 'stream' | 'name' | 'replayMs' | 'maxBuffer' | 'log'>,
): Promise<{ nc: NatsConnection; jsm: JetStreamManager; kv: KV; kvp: KV }> {
  if (!(o.replayMs > 0 && o.maxBuffer > 0))
    throw new BackendUnavailableError('on NATS, replayMs and maxBuffer must be over 0');
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: o.servers.split(',').map((s) => s.trim()),
      name: o.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      pingInterval: 10_000,
    });
  } catch (e) {
    throw new BackendUnavailableError(`cannot reach NATS at ${o.servers}: ${errorMessage(e)}`);
  }
  try {
    const jsm = await jetstreamManager(nc, { timeout: 10_000 });
    // A clustered server gets replicated streams (R3), a single server R1.
    const replicas = nc.info?.cluster ? 3 : 1;
    await ensureStream(jsm, o.log, {
      name: o.stream,
      subjects: [`${o.stream}.signals.>`],
      max_age: nanos(o.replayMs),
      duplicate_window: nanos(o.replayMs),
      max_msgs_per_subject: o.maxBuffer,
      num_replicas: replicas,
    });
    await ensureStream(jsm, o.log, {
      name: `${o.stream}_ACKS`,
      subjects: [`${o.stream}.acks.>`],
      max_age: nanos(ACK_RECORD_DAYS * 86_400_000),
      duplicate_window: nanos(60_000),
      max_msgs_per_subject: MAX_RECENT_ACKS,
      num_replicas: replicas,
    });
    const kv = await new Kvm(nc).create(`${o.stream}_subscribers`, { history: 1, replicas });
    const kvp = await new Kvm(nc).create(`${o.stream}_providers`, { history: 1, replicas });
    return { nc, jsm, kv, kvp };
  } catch (e) {
    await nc.close();
    throw new BackendUnavailableError(`NATS JetStream is not usable: ${errorMessage(e)}`);
  }
}

async function ensureStream(
  jsm: JetStreamManager,
  log: (line: string) => void,
  config: Partial<StreamConfig> & { name: string },
): Promise<void> {
  const full: Partial<StreamConfig> & { name: string } = {
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    ...config,
  };
  try {
    const info = await jsm.streams.info(config.name);
    const { num_replicas: _r, name: _n, ...update } = full;
    await jsm.streams.update(config.name, { ...update, num_replicas: info.config.num_replicas });
  } catch (e) {
    if (!notFound(e)) throw e;
    try {
      await jsm.streams.add(full);
    } catch (again) {
      if ((full.num_replicas ?? 1) === 1) throw again;
      log(`relay: stream ${config.name}: ${errorMessage(again)}; creating it unreplicated`);
      await jsm.streams.add({ ...full, num_replicas: 1 });
    }
  }
}

function natsSubscriberStore(
  kv: KV,
  jsm: JetStreamManager,
  stream: string,
  cache?: Map<string, StoredSubscriber>,
): SubscriberStore {
  const list = async (): Promise<StoredSubscriber[]> => {
    const out: StoredSubscriber[] = [];
    for await (const key of await kv.keys()) {
      const e = await kv.get(key);
      if (e && e.operation === 'PUT') out.push(e.json<StoredSubscriber>());
    }
    return out.sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
  };
  return {
    async find(hash) {
      const hit = cache?.get(hash);
      if (hit) return hit;
      const e = await kv.get(hash);
      return e && e.operation === 'PUT' ? e.json<StoredSubscriber>() : null;
    },
    async add(s) {
      if ((await list()).some((o) => o.name === s.name)) return false;
      try {
        await kv.create(s.tokenHash, JSON.stringify(s));
        return true;
      } catch {
        return false; // the key exists: that token is taken
      }
    },
    async remove(name) {
      const found = (await list()).find((s) => s.name === name);
      if (!found) return false;
      await kv.delete(found.tokenHash);
      await jsm.consumers.delete(stream, consumerName(found.tokenHash)).catch(() => false);
      return true;
    },
    list,
  };
}

function natsProviderStore(kv: KV, cache?: Map<string, StoredProvider>): ProviderStore {
  const scan = async (): Promise<StoredProvider[]> => {
    const out: StoredProvider[] = [];
    for await (const key of await kv.keys()) {
      const e = await kv.get(key);
      if (e && e.operation === 'PUT') out.push(e.json<StoredProvider>());
    }
    return out.sort((a, b) => a.createdAt - b.createdAt || a.kid.localeCompare(b.kid));
  };
  return {
    async byToken(hash) {
      const hit = cache?.get(hash);
      if (hit) return hit;
      const e = await kv.get(hash);
      return e && e.operation === 'PUT' ? e.json<StoredProvider>() : null;
    },
    async byKid(kid) {
      const hit = cache && [...cache.values()].find((p) => p.kid === kid);
      return hit ?? (await scan()).find((p) => p.kid === kid) ?? null;
    },
    async add(p) {
      if ((await scan()).some((o) => o.kid === p.kid)) return false;
      try {
        await kv.create(p.tokenHash, JSON.stringify(p));
        return true;
      } catch {
        return false;
      }
    },
    async remove(kid) {
      const found = (await scan()).find((p) => p.kid === kid);
      if (!found) return false;
      await kv.delete(found.tokenHash);
      return true;
    },
    list: scan,
  };
}

/** A watched copy of a bucket, keyed like it. */
async function watched<T>(kv: KV): Promise<{ cache: Map<string, T>; stop(): void }> {
  const cache = new Map<string, T>();
  const watcher = await kv.watch();
  void (async () => {
    for await (const e of watcher) {
      if (e.operation === 'PUT') cache.set(e.key, e.json<T>());
      else cache.delete(e.key);
    }
  })().catch(() => undefined);
  return { cache, stop: () => watcher.stop() };
}

/** The subscriber and provider stores alone (the CLI's commands). */
export async function openNatsStore(
  o: Pick<NatsBackendOptions, 'servers' | 'stream' | 'replayMs' | 'maxBuffer' | 'log'>,
): Promise<{ store: SubscriberStore; providers: ProviderStore; close(): Promise<void> }> {
  const { nc, jsm, kv, kvp } = await connectNats({ ...o, name: 'sentinel-relay cli' });
  return {
    store: natsSubscriberStore(kv, jsm, o.stream),
    providers: natsProviderStore(kvp),
    close: () => nc.close(),
  };
}

export async function openNatsBackend(o: NatsBackendOptions): Promise<RelayBackend> {
  const { nc, jsm, kv, kvp } = await connectNats(o);
  const js = jetstream(nc, { timeout: 10_000 });
  const probe = await jetstreamManager(nc, { timeout: 2_000, checkAPI: false });
  const subscribers = await watched<StoredSubscriber>(kv);
  const providers = await watched<StoredProvider>(kvp);

  let connected = true;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') {
        connected = false;
        o.log('relay: NATS connection lost; reconnecting');
      } else if (s.type === 'reconnect') {
        connected = true;
        o.log('relay: NATS connection back');
      }
    }
  })().catch(() => undefined);

  const sessions = new Set<NatsSession & { connId: string }>();
  const takeover = `${o.stream}.ctl.takeover`;
  nc.subscribe(takeover, {
    callback: (_err, m) => {
      let t: { durable?: string; connId?: string };
      try {
        t = m.json();
      } catch {
        return;
      }
      for (const s of sessions)
        if (s.durable === t.durable && s.connId !== t.connId)
          s.sink.end('replaced by a newer connection of this subscriber');
    },
  });
  const sweeper = setInterval(() => {
    for (const s of sessions) s.sweep();
  }, 1_000);
  sweeper.unref();

  const recent: (RecordedAck & { key: string })[] = [];
  const ctx = {
    js,
    jsm,
    stream: o.stream,
    maxBuffer: o.maxBuffer,
    now: o.now,
    log: o.log,
    onAck(target: { key: string; providerKid: string }, a: RecordedAck) {
      recent.push({ ...a, key: target.key });
      if (recent.length > MAX_RECENT_ACKS) recent.shift();
      try {
        nc.publish(
          `${o.stream}.acks.${hex(target.providerKid)}.${target.key.slice(0, 32)}`,
          JSON.stringify(a),
        );
      } catch {
        // recorded here only; the consumer ack is what replay depends on
      }
    },
  };

  return {
    kind: 'nats',
    subscribers: natsSubscriberStore(kv, jsm, o.stream, subscribers.cache),
    providers: natsProviderStore(kvp, providers.cache),
    async publish(kid: string, _frame: SignalFrame, text: string, signal: Signal) {
      let pa;
      try {
        pa = await js.publish(`${o.stream}.signals.${hex(kid)}`, text, {
          msgID: `${kid}/${signal.id}`,
          timeout: 5_000,
        });
      } catch (e) {
        throw new BackendUnavailableError(`NATS did not store the signal: ${errorMessage(e)}`);
      }
      let delivered = 0;
      for (const s of sessions) if (s.providerKid === kid) delivered++;
      const out: PublishOutcome = { duplicate: pa.duplicate, delivered, seq: pa.seq };
      return out;
    },
    async open(target, sink) {
      const connId = nuid.next();
      nc.publish(takeover, JSON.stringify({ durable: consumerName(target.key), connId }));
      await nc.flush();
      const session = Object.assign(
        await openNatsSession(ctx, target, `${o.stream}.signals.${hex(target.providerKid)}`, sink),
        { connId },
      );
      sessions.add(session);
      const close = session.close.bind(session);
      session.close = () => {
        sessions.delete(session);
        close();
      };
      return session;
    },
    acks(key?: string): RecordedAck[] {
      return recent.filter((a) => key === undefined || a.key === key).map(({ key: _k, ...a }) => a);
    },
    buffered: () => [],
    async ready() {
      if (!connected || nc.isClosed()) return false;
      try {
        await probe.streams.info(o.stream);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      clearInterval(sweeper);
      for (const s of sessions) s.close();
      subscribers.stop();
      providers.stop();
      if (!nc.isClosed()) await nc.close();
    },
  };
}
