/**
 * The reference signal relay: strategy providers POST signals, subscribed hosts receive them over
 * a WebSocket (../shared/PROTOCOL.md §2). It never sees exchange credentials; at most it holds a
 * provider's signing key, to sign bare signals on the provider's behalf.
 *
 *   POST /signals   Authorization: Bearer <provider token>, Content-Type: application/json
 *                   body: a signed frame {type:'signal', kid, sig, signal} (verified with the
 *                   provider's public key) or a bare signal (signed with the provider's private
 *                   key, when the relay holds it) → 200 {id, delivered}
 *                   400 {error, reason} invalid/unverifiable · 401 unknown token · 405 method ·
 *                   409 duplicate id · 413 over 64 KiB · 415 not application/json
 *   GET  /feed      WebSocket upgrade, Authorization: Bearer <subscriber token> (401 otherwise):
 *                   hello, then the buffered signals still fresh (issue order), then live ones.
 *                   Accepts acks only (≤ 4 KiB text); anything else closes the socket.
 *   GET  /health    200 {ok: true, relay}
 *
 * Tokens are compared in constant time (hashed, then timingSafeEqual) and never logged.
 */
import { createHash, timingSafeEqual, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import {
  importPrivateKey,
  importPublicKey,
  publicKeyFromPrivate,
  signSignal,
  SignalValidationError,
  verifySignalFrame,
} from '../signals/envelope.js';
import { expiresAt, freshness, isPlainObject, type Signal } from '../signals/signal.js';
import {
  ACK_MAX_BYTES,
  decodeAckMessage,
  KID_PATTERN,
  RELAY_FRAME_MAX_BYTES,
  type AckStatus,
  type HelloFrame,
  type SignalFrame,
} from '../signals/types.js';

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
  /** Log lines (never tokens or keys); default: silent. */
  log?: (line: string) => void;
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
}

export interface PublishResult {
  id: string;
  /** Number of subscriber connections the signal was sent to. */
  delivered: number;
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
  /** Acks received, oldest first; only those of one subscriber when its token is given. */
  acks(subscriberToken?: string): RecordedAck[];
  /** Open subscriber connections. */
  connections(): RelayConnection[];
  /** Signals currently buffered for replay for a provider, in issue order. */
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

interface Provider {
  kid: string;
  tokenHash: Buffer;
  publicKey: KeyObject;
  privateKey?: KeyObject;
  buffer: Buffered[];
  seen: Set<string>;
}

interface Subscriber {
  name: string;
  tokenHash: Buffer;
  providerKid: string;
  acks: RecordedAck[];
}

interface Buffered {
  frame: SignalFrame;
  text: string;
  receivedAt: number;
  expiresAt: number;
}

interface Client {
  ws: WebSocket;
  subscriber: Subscriber;
  connectedAt: number;
  remoteAddress: string;
  alive: boolean;
}

const TOKEN_PATTERN = /^[\x21-\x7e]{16,512}$/;
const MAX_ACKS_PER_SUBSCRIBER = 10_000;
/** A subscriber that does not read is dropped rather than buffered without bound. */
const MAX_SOCKET_BACKLOG = 4 * 1024 * 1024;

const hashToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** The entry whose token matches, comparing every entry in constant time. */
function findByToken<T extends { tokenHash: Buffer }>(list: T[], token: string | null): T | null {
  if (token === null) return null;
  const h = hashToken(token);
  let found: T | null = null;
  for (const entry of list) if (timingSafeEqual(entry.tokenHash, h)) found ??= entry;
  return found;
}

function bearer(header: string | undefined): string | null {
  if (typeof header !== 'string') return null;
  const m = /^Bearer +([\x21-\x7e]+) *$/i.exec(header);
  return m ? (m[1] as string) : null;
}

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  };
  if (close) headers['connection'] = 'close';
  res.writeHead(status, headers);
  res.end(text);
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  const body = `${text}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.once('finish', () => socket.destroy());
}

function buildProviders(configs: RelayProviderConfig[]): Provider[] {
  const out: Provider[] = [];
  for (const [i, p] of configs.entries()) {
    const where = `providers[${i}]`;
    if (typeof p.kid !== 'string' || !KID_PATTERN.test(p.kid))
      throw new RelayConfigError(`${where}.kid must be 1..64 of [A-Za-z0-9_.:-]`);
    if (out.some((o) => o.kid === p.kid))
      throw new RelayConfigError(`${where}: kid ${p.kid} appears twice`);
    if (typeof p.token !== 'string' || !TOKEN_PATTERN.test(p.token))
      throw new RelayConfigError(
        `${where}.token must be 16..512 printable characters without spaces`,
      );
    let privateKey: KeyObject | undefined;
    let publicKey: KeyObject;
    try {
      privateKey = p.privateKey === undefined ? undefined : importPrivateKey(p.privateKey);
      const pub = p.publicKey ?? (privateKey ? publicKeyFromPrivate(privateKey) : undefined);
      if (pub === undefined) throw new RelayConfigError('publicKey (or privateKey) is required');
      if (privateKey && publicKeyFromPrivate(privateKey) !== pub)
        throw new RelayConfigError('privateKey does not belong to publicKey');
      publicKey = importPublicKey(pub);
    } catch (e) {
      throw new RelayConfigError(`${where} (kid ${p.kid}): ${(e as Error).message}`);
    }
    const provider: Provider = {
      kid: p.kid,
      tokenHash: hashToken(p.token),
      publicKey,
      buffer: [],
      seen: new Set(),
    };
    if (privateKey) provider.privateKey = privateKey;
    out.push(provider);
  }
  return out;
}

function buildSubscribers(configs: RelaySubscriberConfig[], providers: Provider[]): Subscriber[] {
  const out: Subscriber[] = [];
  for (const [i, s] of configs.entries()) {
    const where = `subscribers[${i}]`;
    if (typeof s.token !== 'string' || !TOKEN_PATTERN.test(s.token))
      throw new RelayConfigError(
        `${where}.token must be 16..512 printable characters without spaces`,
      );
    if (!providers.some((p) => p.kid === s.providerKid))
      throw new RelayConfigError(`${where}.providerKid names no configured provider`);
    const name = s.name ?? `subscriber-${i + 1}`;
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(name))
      throw new RelayConfigError(`${where}.name must be 1..64 of [A-Za-z0-9_.:-]`);
    out.push({ name, tokenHash: hashToken(s.token), providerKid: s.providerKid, acks: [] });
  }
  const hashes = [...providers, ...out].map((e) => e.tokenHash.toString('hex'));
  if (new Set(hashes).size !== hashes.length)
    throw new RelayConfigError('every provider and subscriber needs its own token');
  return out;
}

export async function startRelay(options: RelayOptions): Promise<Relay> {
  const host = options.host ?? '127.0.0.1';
  const name = options.name ?? 'sentinel-relay';
  const replayMs = options.replayMs ?? 60_000;
  const maxBuffer = options.maxBuffer ?? 1000;
  const skewMs = options.skewMs ?? 5_000;
  const pingIntervalMs = options.pingIntervalMs ?? 15_000;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  if (!Number.isInteger(maxBuffer) || maxBuffer < 0)
    throw new RelayConfigError('maxBuffer must be a non-negative integer');
  if (!(replayMs >= 0)) throw new RelayConfigError('replayMs must be ≥ 0');
  if (!(name.length > 0 && name.length <= 128))
    throw new RelayConfigError('name must be 1..128 characters');
  const providers = buildProviders(options.providers ?? []);
  const subscribers = buildSubscribers(options.subscribers ?? [], providers);
  const clients = new Set<Client>();

  function prune(provider: Provider): void {
    const t = now();
    const keep = provider.buffer.filter((b) => b.expiresAt > t && b.receivedAt + replayMs > t);
    while (keep.length > maxBuffer) keep.shift();
    if (keep.length !== provider.buffer.length) {
      provider.buffer = keep;
      provider.seen = new Set(keep.map((b) => b.frame.signal.id));
    }
  }

  function sendTo(client: Client, text: string): boolean {
    if (client.ws.readyState !== WebSocket.OPEN) return false;
    if (client.ws.bufferedAmount > MAX_SOCKET_BACKLOG) {
      log(`relay: ${client.subscriber.name} is not reading; dropping the connection`);
      client.ws.terminate();
      return false;
    }
    client.ws.send(text);
    return true;
  }

  function publish(frameOrSignal: unknown, kid?: string): PublishResult {
    const isFrame = isPlainObject(frameOrSignal) && frameOrSignal['type'] === 'signal';
    const frameKid = isFrame ? (frameOrSignal as Record<string, unknown>)['kid'] : undefined;
    const wanted = kid ?? (typeof frameKid === 'string' ? frameKid : undefined);
    const provider =
      wanted !== undefined
        ? providers.find((p) => p.kid === wanted)
        : providers.length === 1
          ? providers[0]
          : undefined;
    if (!provider)
      throw new RelayPublishError(
        400,
        'unknown-provider',
        wanted === undefined ? 'name the provider (kid)' : 'no provider has that kid',
      );
    return publishFor(provider, frameOrSignal);
  }

  function publishFor(provider: Provider, body: unknown): PublishResult {
    let frame: SignalFrame;
    if (isPlainObject(body) && body['type'] === 'signal') {
      const checked = verifySignalFrame(body, provider.publicKey, { kid: provider.kid });
      if (!checked.ok) throw new RelayPublishError(400, checked.reason, checked.message);
      frame = {
        type: 'signal',
        kid: provider.kid,
        sig: body['sig'] as string,
        signal: checked.signal,
      };
    } else {
      if (!provider.privateKey)
        throw new RelayPublishError(
          400,
          'unsigned',
          'this relay holds no signing key for the provider: send a signed frame',
        );
      try {
        frame = signSignal(body, provider.privateKey, provider.kid);
      } catch (e) {
        if (e instanceof SignalValidationError)
          throw new RelayPublishError(400, e.reason, e.message);
        throw e;
      }
    }
    const signal: Signal = frame.signal;
    const t = now();
    const fresh = freshness(signal, t, skewMs);
    if (fresh !== 'fresh')
      throw new RelayPublishError(
        400,
        fresh,
        fresh === 'expired' ? 'the signal has already expired' : 'issuedAt is in the future',
      );
    prune(provider);
    if (provider.seen.has(signal.id))
      throw new RelayPublishError(409, 'duplicate', 'a signal with this id was already published');
    const text = JSON.stringify(frame);
    if (maxBuffer > 0 && replayMs > 0) {
      provider.buffer.push({ frame, text, receivedAt: t, expiresAt: expiresAt(signal) });
      provider.seen.add(signal.id);
      prune(provider);
    }
    let delivered = 0;
    for (const client of clients)
      if (client.subscriber.providerKid === provider.kid && sendTo(client, text)) delivered++;
    log(`relay: signal ${signal.id} from ${provider.kid} delivered to ${delivered}`);
    return { id: signal.id, delivered };
  }

  /** The body, 'too-large' past the limit, or 'aborted' when the client went away first. */
  function readBody(req: IncomingMessage): Promise<Buffer | 'too-large' | 'aborted'> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let over = false;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > RELAY_FRAME_MAX_BYTES) {
          over = true;
          chunks.length = 0;
          // Keep draining a little so the 413 can be read; stop a client that goes on and on.
          if (size > 16 * RELAY_FRAME_MAX_BYTES) req.destroy();
        } else chunks.push(c);
      });
      req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
      req.on('error', () => resolve(over ? 'too-large' : 'aborted'));
      req.on('close', () => resolve(over ? 'too-large' : 'aborted')); // no-op after 'end'
    });
  }

  async function handlePost(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const provider = findByToken(providers, bearer(req.headers.authorization));
    if (!provider) {
      log('relay: POST /signals refused: unknown token');
      send(res, 401, { error: 'unknown or missing provider token', reason: 'unauthorized' }, true);
      req.resume();
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > RELAY_FRAME_MAX_BYTES) {
      send(
        res,
        413,
        { error: `body over ${RELAY_FRAME_MAX_BYTES} bytes`, reason: 'too-large' },
        true,
      );
      req.resume();
      return;
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      send(res, 415, { error: 'send application/json', reason: 'unsupported-media-type' }, true);
      req.resume();
      return;
    }
    const body = await readBody(req);
    if (body === 'aborted') return;
    if (body === 'too-large') {
      send(
        res,
        413,
        { error: `body over ${RELAY_FRAME_MAX_BYTES} bytes`, reason: 'too-large' },
        true,
      );
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    } catch {
      send(res, 400, { error: 'the body is not valid UTF-8 JSON', reason: 'malformed' });
      return;
    }
    try {
      send(res, 200, publishFor(provider, value));
    } catch (e) {
      if (e instanceof RelayPublishError) {
        log(`relay: publish from ${provider.kid} refused: ${e.reason}`);
        send(res, e.status, { error: e.message, reason: e.reason });
      } else throw e;
    }
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://relay').pathname;
    const done = (p: Promise<void> | void) =>
      Promise.resolve(p).catch((e: unknown) => {
        log(`relay: internal error: ${(e as Error).message}`);
        if (!res.headersSent) send(res, 500, { error: 'internal error', reason: 'internal' });
        else res.destroy();
      });
    if (path === '/signals') {
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        send(res, 405, { error: 'POST only', reason: 'method-not-allowed' });
        return;
      }
      void done(handlePost(req, res));
      return;
    }
    if (path === '/health' && req.method === 'GET') {
      send(res, 200, { ok: true, relay: name });
      return;
    }
    if (path === '/feed') {
      send(res, 426, { error: 'WebSocket upgrade required', reason: 'upgrade-required' });
      return;
    }
    send(res, 404, { error: 'not found', reason: 'not-found' });
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: ACK_MAX_BYTES,
    clientTracking: false,
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const path = new URL(req.url ?? '/', 'http://relay').pathname;
    if (path !== '/feed') return refuseUpgrade(socket, 404, 'Not Found');
    const subscriber = findByToken(subscribers, bearer(req.headers.authorization));
    if (!subscriber) {
      log('relay: feed connection refused: unknown token');
      return refuseUpgrade(socket, 401, 'Unauthorized');
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, subscriber, req));
  });

  function onConnection(ws: WebSocket, subscriber: Subscriber, req: IncomingMessage): void {
    const client: Client = {
      ws,
      subscriber,
      connectedAt: now(),
      remoteAddress: req.socket.remoteAddress ?? '',
      alive: true,
    };
    clients.add(client);
    const provider = providers.find((p) => p.kid === subscriber.providerKid) as Provider;
    const hello: HelloFrame = { type: 'hello', relay: name, providerKid: provider.kid };
    ws.send(JSON.stringify(hello));
    prune(provider);
    const replay = [...provider.buffer].sort(
      (a, b) => a.frame.signal.issuedAt - b.frame.signal.issuedAt,
    );
    for (const b of replay) sendTo(client, b.text);
    log(
      `relay: ${subscriber.name} connected (provider ${provider.kid}), replayed ${replay.length}`,
    );

    ws.on('pong', () => (client.alive = true));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        ws.close(1003, 'text frames only');
        return;
      }
      const ack = decodeAckMessage(data);
      if (!ack.ok) {
        log(`relay: ${subscriber.name} sent an invalid frame (${ack.message}); closing`);
        ws.close(1008, 'acks only');
        return;
      }
      const record: RecordedAck = {
        subscriber: subscriber.name,
        providerKid: subscriber.providerKid,
        at: now(),
        id: ack.frame.id,
        status: ack.frame.status,
      };
      if (ack.frame.reason !== undefined) record.reason = ack.frame.reason;
      subscriber.acks.push(record);
      if (subscriber.acks.length > MAX_ACKS_PER_SUBSCRIBER) subscriber.acks.shift();
      log(`relay: ack from ${subscriber.name}: ${ack.frame.id} ${ack.frame.status}`);
    });
    ws.on('error', (e) => log(`relay: ${subscriber.name} socket error: ${e.message}`));
    ws.on('close', () => {
      clients.delete(client);
      log(`relay: ${subscriber.name} disconnected`);
    });
  }

  const pinger = setInterval(() => {
    for (const client of clients) {
      if (!client.alive) {
        log(`relay: ${client.subscriber.name} missed a pong; terminating`);
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      try {
        client.ws.ping();
      } catch {
        client.ws.terminate();
      }
    }
  }, pingIntervalMs);
  pinger.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const url = `http://${hostPart}:${port}`;
  const wsUrl = `ws://${hostPart}:${port}/feed`;
  log(
    `relay: listening on ${url} (${providers.length} providers, ${subscribers.length} subscribers)`,
  );

  let closing: Promise<void> | null = null;
  return {
    url,
    wsUrl,
    port,
    publish: (frameOrSignal: unknown, kid?: string) => {
      try {
        return Promise.resolve(publish(frameOrSignal, kid));
      } catch (e) {
        return Promise.reject(e as Error);
      }
    },
    acks(subscriberToken?: string): RecordedAck[] {
      if (subscriberToken === undefined)
        return subscribers.flatMap((s) => s.acks).sort((a, b) => a.at - b.at);
      const s = findByToken(subscribers, subscriberToken);
      return s ? [...s.acks] : [];
    },
    connections(): RelayConnection[] {
      return [...clients].map((c) => ({
        subscriber: c.subscriber.name,
        providerKid: c.subscriber.providerKid,
        connectedAt: c.connectedAt,
        remoteAddress: c.remoteAddress,
      }));
    },
    buffered(kid: string): SignalFrame[] {
      const provider = providers.find((p) => p.kid === kid);
      if (!provider) return [];
      prune(provider);
      return [...provider.buffer]
        .sort((a, b) => a.frame.signal.issuedAt - b.frame.signal.issuedAt)
        .map((b) => b.frame);
    },
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(pinger);
        for (const client of clients) client.ws.terminate();
        clients.clear();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
        log('relay: closed');
      });
      return closing;
    },
  };
}
