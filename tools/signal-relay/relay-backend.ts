/**
 * Where the relay keeps what must outlive a connection: published signals (for replay), each
 * subscriber's acks (replay resumes after them) and the subscribers added at run time. Two
 * implementations: backend-embedded.ts (SQLite, one process, the default) and backend-nats.ts
 * (NATS JetStream, shared by any number of stateless gateways).
 */
import type { Signal } from '../../src/signals/signal.js';
import type { SignalFrame } from '../../src/signals/types.js';
import type { RecordedAck } from './relay-api.js';

/** A subscriber as the backend keeps it: the token only as its SHA-256, hex. */
export interface StoredSubscriber {
  name: string;
  providerKid: string;
  tokenHash: string;
  createdAt: number;
}

/** A provider added at run time: its kid, public key, and token only as its SHA-256, hex. */
export interface StoredProvider {
  kid: string;
  publicKey: string;
  tokenHash: string;
  createdAt: number;
}

/** One subscriber connection, as a backend sees it. */
export interface FeedSink {
  /** Send one signal frame's JSON text; false when the socket cannot take it. */
  send(text: string): boolean;
  /** End the connection (the host reconnects): another connection took the subscription over. */
  end(reason: string): void;
}

export interface FeedSession {
  /** How many signals were replayed at open (embedded), or undefined when unknown (NATS). */
  readonly replayed: number | undefined;
  /** The host acknowledged this signal id. */
  ack(ack: RecordedAck): void;
  /** The connection ended. */
  close(): void;
}

/** Who a feed session delivers to: the subscriber's key (token hash, hex) and provider. */
export interface SessionTarget {
  key: string;
  name: string;
  providerKid: string;
}

export interface PublishOutcome {
  duplicate: boolean;
  /** Subscriber connections it was handed to at this process. */
  delivered: number;
  /** JetStream: the stream sequence it was stored at. */
  seq?: number;
}

export interface SubscriberStore {
  find(tokenHash: string): Promise<StoredSubscriber | null>;
  /** false when the name or the token is already taken. */
  add(s: StoredSubscriber): Promise<boolean>;
  remove(name: string): Promise<boolean>;
  list(): Promise<StoredSubscriber[]>;
}

export interface ProviderStore {
  byToken(tokenHash: string): Promise<StoredProvider | null>;
  byKid(kid: string): Promise<StoredProvider | null>;
  /** false when the kid or the token is already taken. */
  add(p: StoredProvider): Promise<boolean>;
  remove(kid: string): Promise<boolean>;
  list(): Promise<StoredProvider[]>;
}

export interface RelayBackend {
  readonly kind: 'embedded' | 'nats';
  readonly subscribers: SubscriberStore;
  readonly providers: ProviderStore;
  /** Store (deduplicated by the provider's signal id) and hand to the provider's subscribers. */
  publish(kid: string, frame: SignalFrame, text: string, signal: Signal): Promise<PublishOutcome>;
  /** Replay what the subscriber has not acknowledged (still fresh), then deliver live. */
  open(target: SessionTarget, sink: FeedSink): Promise<FeedSession>;
  /** Acks recorded, oldest first (this process's view; `key` picks one subscriber). */
  acks(key?: string): RecordedAck[];
  /** Signals kept for replay for a provider, in issue order (embedded; [] on NATS). */
  buffered(kid: string): SignalFrame[];
  /** Whether the backend answers (readiness). */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/** Thrown by a backend that cannot take a publish right now (HTTP 503). */
export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}
