/**
 * Checking startRelay's options: defaults, limits, and the providers and subscribers with their
 * keys imported and tokens hashed. Throws RelayConfigError.
 */
import type { KeyObject } from 'node:crypto';
import {
  importPrivateKey,
  importPublicKey,
  publicKeyFromPrivate,
} from '../../src/node/signal-envelope.js';
import { KID_PATTERN } from '../../src/signals/types.js';
import {
  RelayConfigError,
  type RelayOptions,
  type RelayProviderConfig,
  type RelaySubscriberConfig,
} from './relay-api.js';
import { hashToken, TOKEN_PATTERN } from './relay-tokens.js';
import { errorMessage } from '../../src/lib/error-text.js';

export interface Provider {
  kid: string;
  tokenHash: Buffer;
  publicKey: KeyObject;
  privateKey?: KeyObject;
}

export interface Subscriber {
  name: string;
  tokenHash: Buffer;
  providerKid: string;
  /** Listed in the config, or added at run time (`relay subscribers add`). */
  source: 'config' | 'store';
}

/** startRelay's options with the defaults filled in, checked. */
export interface RelayConfig {
  host: string;
  name: string;
  replayMs: number;
  maxBuffer: number;
  skewMs: number;
  pingIntervalMs: number;
  now: () => number;
  log: (line: string) => void;
  providers: Provider[];
  subscribers: Subscriber[];
  nats?: { servers: string; stream: string };
  dataFile?: string;
}

const STREAM_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export function resolveRelayConfig(options: RelayOptions): RelayConfig {
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
  const extra: Pick<RelayConfig, 'nats' | 'dataFile'> = {};
  if (options.nats !== undefined) {
    const { servers, stream = 'SENTINEL_RELAY' } = options.nats;
    if (typeof servers !== 'string' || !/^(nats|tls):\/\/\S+$/.test(servers.split(',')[0] ?? ''))
      throw new RelayConfigError(
        'nats.servers must be nats://HOST:PORT (comma-separated for several)',
      );
    if (typeof stream !== 'string' || !STREAM_PATTERN.test(stream))
      throw new RelayConfigError('nats.stream must be 1..32 of [A-Za-z0-9_-]');
    if (options.dataFile !== undefined)
      throw new RelayConfigError('give nats or dataFile, not both');
    if (!(replayMs > 0 && maxBuffer > 0))
      throw new RelayConfigError('on NATS, replayMs and maxBuffer must be over 0');
    extra.nats = { servers, stream };
  }
  if (options.dataFile !== undefined) extra.dataFile = options.dataFile;
  return {
    ...extra,
    host,
    name,
    replayMs,
    maxBuffer,
    skewMs,
    pingIntervalMs,
    now,
    log,
    providers,
    subscribers,
  };
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
      throw new RelayConfigError(`${where} (kid ${p.kid}): ${errorMessage(e)}`);
    }
    const provider: Provider = { kid: p.kid, tokenHash: hashToken(p.token), publicKey };
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
    out.push({ name, tokenHash: hashToken(s.token), providerKid: s.providerKid, source: 'config' });
  }
  const hashes = [...providers, ...out].map((e) => e.tokenHash.toString('hex'));
  if (new Set(hashes).size !== hashes.length)
    throw new RelayConfigError('every provider and subscriber needs its own token');
  return out;
}
