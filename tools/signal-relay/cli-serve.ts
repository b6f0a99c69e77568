/**
 * `serve`: read and check a config file, then run a relay until told to stop. With `nats` the
 * process is a stateless gateway over NATS JetStream; without it the relay is embedded, its state
 * in the SQLite file `dataFile` (default: the config's name with .db, beside it).
 */
import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { isPlainObject } from '../../src/signals/signal.js';
import { need, parseArgs, readText, UsageError } from './cli-args.js';
import type { RelayCliIo } from './cli-io.js';
import {
  RelayConfigError,
  startRelay,
  type Relay,
  type RelayOptions,
  type RelayProviderConfig,
  type RelaySubscriberConfig,
} from './server.js';

/** The serve config: startRelay's options, with keys given by file path. */
interface ServeConfig {
  port?: number;
  host?: string;
  name?: string;
  replayMs?: number;
  maxBuffer?: number;
  skewMs?: number;
  pingIntervalMs?: number;
  providers: {
    token: string;
    kid: string;
    publicKey?: string;
    publicKeyFile?: string;
    privateKeyFile?: string;
  }[];
  subscribers: RelaySubscriberConfig[];
  nats?: { servers: string; stream?: string };
  dataFile?: string;
}

const CONFIG_KEYS = [
  'nats',
  'dataFile',
  'port',
  'host',
  'name',
  'replayMs',
  'maxBuffer',
  'skewMs',
  'pingIntervalMs',
  'providers',
  'subscribers',
];
const PROVIDER_KEYS = ['token', 'kid', 'publicKey', 'publicKeyFile', 'privateKeyFile'];
const SUBSCRIBER_KEYS = ['token', 'providerKid', 'name'];

function onlyKeys(value: unknown, allowed: string[], where: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw new UsageError(`${where} must be an object`);
  for (const k of Object.keys(value))
    if (!allowed.includes(k))
      throw new UsageError(`${where}: unknown setting ${JSON.stringify(k)}`);
  return value;
}

/** Read and check a serve config file; key files are read relative to its folder. */
export function loadServeConfig(path: string): RelayOptions & { warnings: string[] } {
  const text = readText(path, 'config');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not valid JSON`);
  }
  const config = onlyKeys(raw, CONFIG_KEYS, 'config') as unknown as ServeConfig;
  const base = dirname(resolve(path));
  const warnings: string[] = [];
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0)
    warnings.push(`${path} holds tokens but is readable by other users (chmod 600 it)`);
  for (const n of ['port', 'replayMs', 'maxBuffer', 'skewMs', 'pingIntervalMs'] as const) {
    const v = config[n];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0))
      throw new UsageError(`config.${n} must be a non-negative integer`);
  }
  if (config.port !== undefined && config.port > 65535)
    throw new UsageError('config.port must be 0..65535');
  for (const n of ['host', 'name'] as const)
    if (config[n] !== undefined && typeof config[n] !== 'string')
      throw new UsageError(`config.${n} must be a string`);
  if (!Array.isArray(config.providers) || config.providers.length === 0)
    throw new UsageError('config.providers must be a non-empty array');
  if (!Array.isArray(config.subscribers))
    throw new UsageError('config.subscribers must be an array');

  const providers: RelayProviderConfig[] = config.providers.map((p, i) => {
    const where = `config.providers[${i}]`;
    onlyKeys(p, PROVIDER_KEYS, where);
    for (const k of PROVIDER_KEYS)
      if (
        (p as Record<string, unknown>)[k] !== undefined &&
        typeof (p as Record<string, unknown>)[k] !== 'string'
      )
        throw new UsageError(`${where}.${k} must be a string`);
    if (p.publicKey !== undefined && p.publicKeyFile !== undefined)
      throw new UsageError(`${where}: give publicKey or publicKeyFile, not both`);
    const out: RelayProviderConfig = { token: p.token, kid: p.kid };
    if (p.publicKey !== undefined) out.publicKey = p.publicKey;
    if (p.publicKeyFile !== undefined)
      out.publicKey = readText(resolve(base, p.publicKeyFile), 'public key file').trim();
    if (p.privateKeyFile !== undefined) {
      const keyPath = resolve(base, p.privateKeyFile);
      out.privateKey = readText(keyPath, 'private key file');
      if (process.platform !== 'win32' && (statSync(keyPath).mode & 0o077) !== 0)
        warnings.push(`${keyPath} is readable by other users (chmod 600 it)`);
    }
    return out;
  });
  const subscribers: RelaySubscriberConfig[] = config.subscribers.map((s, i) => {
    const where = `config.subscribers[${i}]`;
    onlyKeys(s, SUBSCRIBER_KEYS, where);
    for (const k of SUBSCRIBER_KEYS)
      if (
        (s as unknown as Record<string, unknown>)[k] !== undefined &&
        typeof (s as unknown as Record<string, unknown>)[k] !== 'string'
      )
        throw new UsageError(`${where}.${k} must be a string`);
    const out: RelaySubscriberConfig = { token: s.token, providerKid: s.providerKid };
    if (s.name !== undefined) out.name = s.name;
    return out;
  });

  const options: RelayOptions & { warnings: string[] } = { providers, subscribers, warnings };
  if (config.nats !== undefined) {
    const n = onlyKeys(config.nats, ['servers', 'stream'], 'config.nats');
    if (typeof n['servers'] !== 'string')
      throw new UsageError('config.nats.servers must be a string');
    if (n['stream'] !== undefined && typeof n['stream'] !== 'string')
      throw new UsageError('config.nats.stream must be a string');
    if (config.dataFile !== undefined)
      throw new UsageError('config: give nats or dataFile, not both');
    options.nats = { servers: n['servers'] };
    if (typeof n['stream'] === 'string') options.nats.stream = n['stream'];
  } else {
    if (config.dataFile !== undefined && typeof config.dataFile !== 'string')
      throw new UsageError('config.dataFile must be a string');
    // Embedded: durable by default, in a file beside the config.
    options.dataFile = resolve(base, config.dataFile ?? `${basename(path, '.json')}.db`);
  }
  for (const n of ['port', 'replayMs', 'maxBuffer', 'skewMs', 'pingIntervalMs'] as const)
    if (config[n] !== undefined) options[n] = config[n];
  if (config.host !== undefined) options.host = config.host;
  if (config.name !== undefined) options.name = config.name;
  return options;
}

export async function serveCommand(argv: string[], io: RelayCliIo): Promise<number> {
  const args = parseArgs(argv, ['config']);
  const { warnings, ...options } = loadServeConfig(need(args, 'config'));
  for (const w of warnings) io.stderr(`relay: warning: ${w}\n`);
  const stop = io.untilStop();
  let relay: Relay;
  try {
    relay = await startRelay({ ...options, log: (line) => io.stderr(`${line}\n`) });
  } catch (e) {
    if (e instanceof RelayConfigError) throw new UsageError(e.message);
    throw e;
  }
  io.stdout(`${JSON.stringify({ url: relay.url, wsUrl: relay.wsUrl })}\n`);
  io.onReady?.(relay);
  const why = await stop;
  io.stderr(`relay: ${why}, stopping\n`);
  await relay.close();
  return 0;
}
