/** The relay's public shapes (options, results, the Relay handle) and its errors. */
import type { AckStatus, SignalFrame } from '../../src/signals/types.js';

export interface RelayProviderConfig {
  /** Bearer token the provider POSTs with (≥ 16 printable characters, no spaces). */
  token: string;
  kid: string;
  /** Raw Ed25519 public key, base64url. May be omitted when privateKey is given. */
  publicKey?: string;
  /** PKCS#8 private key (base64url DER or PEM): lets the relay sign bare signals. */
  privateKey?: string;
}

export interface RelaySubscriberConfig {
  /** Bearer token the host connects with (≥ 16 printable characters, no spaces). */
  token: string;
  /** Which provider's signals this subscription receives. */
  providerKid: string;
  /** A label for logs and acks() (never the token); default "subscriber-<n>". */
  name?: string;
}

export interface RelayOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Name sent in hello frames; default "sentinel-relay". */
  name?: string;
  providers: RelayProviderConfig[];
  subscribers: RelaySubscriberConfig[];
  /** How long a published signal stays in the replay buffer (still only while fresh). Default 60000. */
  replayMs?: number;
  /** Most signals buffered per provider. Default 1000. */
  maxBuffer?: number;
  /** Clock skew allowed on issuedAt when publishing. Default 5000. */
  skewMs?: number;
  /** Ping period; a socket that missed the previous pong is terminated. Default 15000. */
  pingIntervalMs?: number;
  /**
   * Run as a stateless gateway over NATS JetStream: every relay process with the same setting is
   * one relay (publish at any, subscribe at any, replay from any). `stream` default SENTINEL_RELAY.
   */
  nats?: { servers: string; stream?: string };
  /** Embedded mode: the SQLite file that keeps signals, acks and subscribers; default: memory. */
  dataFile?: string;
  /** Log lines (never tokens or keys); default: silent. */
  log?: (line: string) => void;
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
}

export interface PublishResult {
  id: string;
  /**
   * Number of subscriber connections the signal was sent to by this process (on NATS: the
   * provider's subscriber connections open at this gateway, which take it from the stream).
   */
  delivered: number;
  /** On NATS: the stream sequence the signal was stored at. */
  seq?: number;
}

export interface RecordedAck {
  /** The subscriber's name (never its token). */
  subscriber: string;
  providerKid: string;
  /** When the relay received it (ms). */
  at: number;
  id: string;
  status: AckStatus;
  reason?: string;
}

export interface RelayConnection {
  subscriber: string;
  providerKid: string;
  connectedAt: number;
  remoteAddress: string;
}

export interface Relay {
  /** http://HOST:PORT */
  readonly url: string;
  /** ws://HOST:PORT/feed */
  readonly wsUrl: string;
  readonly port: number;
  /**
   * Publish in-process, exactly as POST /signals does: a signed frame (verified) or a bare signal
   * (signed with the provider's private key). `kid` names the provider; it may be left out for a
   * frame (its kid is used) or when there is one provider. Rejects with RelayPublishError.
   */
  publish(frameOrSignal: unknown, kid?: string): Promise<PublishResult>;
  /**
   * Acks received, oldest first; only those of one subscriber when its token is given (on NATS:
   * those received by this gateway; all of them are recorded in the stream <stream>_ACKS).
   */
  acks(subscriberToken?: string): RecordedAck[];
  /** Open subscriber connections. */
  connections(): RelayConnection[];
  /**
   * Ends every subscriber connection at once, as a network outage or a restart would (hosts
   * reconnect and are replayed what they missed); answers how many there were.
   */
  dropConnections(): number;
  /** Signals currently kept for replay for a provider, in issue order (embedded; [] on NATS). */
  buffered(kid: string): SignalFrame[];
  close(): Promise<void>;
}

/** Why a publish was refused: `status` is the HTTP status, `reason` a stable string. */
export class RelayPublishError extends Error {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message: string) {
    super(message);
    this.name = 'RelayPublishError';
    this.status = status;
    this.reason = reason;
  }
}

export class RelayConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelayConfigError';
  }
}
