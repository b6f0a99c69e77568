/**
 * Relay CLI: node dist/host/signal-relay/main.js <command>
 *
 *   keygen --out FILE [--force]
 *       Writes a new Ed25519 private key (PKCS#8 DER, base64url) to FILE with mode 0600 — never to
 *       stdout — and prints the public key (raw 32 bytes, base64url) as one line: the key a
 *       subscriber pins.
 *   sign --key FILE --kid K --signal JSON|-
 *       Prints the signed frame {type, kid, sig, signal} as one JSON line (offline).
 *   publish --url URL (--token TOKEN | --token-file FILE) (--key FILE --kid K | --unsigned)
 *           --signal JSON|-
 *       Signs the complete signal (nothing is filled in) and POSTs it to URL/signals; --unsigned
 *       sends it bare for the relay to sign. Prints the relay's JSON answer; exit 1 if refused.
 *   serve --config FILE
 *       Starts a relay (startRelay's options; keys by file path, relative to the config file).
 *       Prints {"url": …, "wsUrl": …} as one JSON line when ready; logs go to stderr;
 *       SIGTERM/SIGINT stop it cleanly.
 *
 * Exit codes: 0 done, 1 refused by the relay / network failure, 2 usage or input error.
 * Tokens and private keys are never printed or logged.
 */
import { readFileSync, realpathSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  generateProviderKeys,
  importPrivateKey,
  signSignal,
  SignalKeyError,
  SignalValidationError,
} from '../signals/envelope.js';
import { isPlainObject } from '../signals/signal.js';
import { RELAY_FRAME_MAX_BYTES } from '../signals/types.js';
import {
  RelayConfigError,
  startRelay,
  type Relay,
  type RelayOptions,
  type RelayProviderConfig,
  type RelaySubscriberConfig,
} from './server.js';

export interface RelayCliIo {
  /** Write to standard output (text already ends with a newline where one is wanted). */
  stdout(text: string): void;
  stderr(text: string): void;
  /** The whole of standard input (for --signal -). */
  readStdin(): Promise<string>;
  /** serve: resolves (with a name such as "SIGTERM") when the relay should stop. */
  untilStop(): Promise<string>;
  /** serve: called once the relay listens (tests use it to reach the Relay object). */
  onReady?(relay: Relay): void;
  fetch: typeof fetch;
}

class UsageError extends Error {}

const USAGE = `usage:
  keygen --out FILE [--force]
  sign --key FILE --kid K --signal JSON|-
  publish --url URL (--token TOKEN | --token-file FILE) (--key FILE --kid K | --unsigned) --signal JSON|-
  serve --config FILE
`;

function processIo(): RelayCliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of process.stdin) {
        size += (chunk as Buffer).length;
        if (size > RELAY_FRAME_MAX_BYTES) throw new UsageError('standard input is over 64 KiB');
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks).toString('utf8');
    },
    untilStop: () =>
      new Promise((resolveStop) => {
        process.once('SIGTERM', () => resolveStop('SIGTERM'));
        process.once('SIGINT', () => resolveStop('SIGINT'));
      }),
    fetch: (...args) => fetch(...args),
  };
}

type Args = { values: Map<string, string>; flags: Set<string> };

function parseArgs(argv: string[], valued: string[], flags: string[] = []): Args {
  const out: Args = { values: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (flags.includes(name) && eq === -1) {
      out.flags.add(name);
      continue;
    }
    if (!valued.includes(name)) throw new UsageError(`unknown option --${name}`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (out.values.has(name)) throw new UsageError(`--${name} given twice`);
    out.values.set(name, value);
  }
  return out;
}

function need(args: Args, name: string): string {
  const v = args.values.get(name);
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

async function readSignal(args: Args, io: RelayCliIo): Promise<unknown> {
  const source = need(args, 'signal');
  const text = source === '-' ? await io.readStdin() : source;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError('--signal is not valid JSON');
  }
}

function keygen(argv: string[], io: RelayCliIo): number {
  const args = parseArgs(argv, ['out'], ['force']);
  const out = resolve(need(args, 'out'));
  const keys = generateProviderKeys();
  try {
    // 'wx': never overwrite a key by accident; --force replaces it.
    writeFileSync(out, `${keys.privateKey}\n`, {
      mode: 0o600,
      flag: args.flags.has('force') ? 'w' : 'wx',
    });
    chmodSync(out, 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'EEXIST'
        ? `${out} exists (use --force to replace it)`
        : `cannot write ${out}: ${code ?? 'error'}`,
    );
  }
  io.stdout(`${keys.publicKey}\n`);
  io.stderr(`relay: private key written to ${out} (mode 0600); the line above is the public key\n`);
  return 0;
}

function loadKey(path: string) {
  const text = readText(path, 'key file');
  try {
    return importPrivateKey(text);
  } catch (e) {
    throw new UsageError(`${path}: ${(e as Error).message}`);
  }
}

function signWith(args: Args, signal: unknown) {
  const key = loadKey(need(args, 'key'));
  try {
    return signSignal(signal, key, need(args, 'kid'));
  } catch (e) {
    if (e instanceof SignalValidationError)
      throw new UsageError(`the signal is not valid (${e.reason}): ${e.message}`);
    if (e instanceof TypeError || e instanceof SignalKeyError) throw new UsageError(e.message);
    throw e;
  }
}

async function signCommand(argv: string[], io: RelayCliIo): Promise<number> {
  const args = parseArgs(argv, ['key', 'kid', 'signal']);
  const frame = signWith(args, await readSignal(args, io));
  io.stdout(`${JSON.stringify(frame)}\n`);
  return 0;
}

async function publishCommand(argv: string[], io: RelayCliIo): Promise<number> {
  const args = parseArgs(
    argv,
    ['url', 'token', 'token-file', 'key', 'kid', 'signal'],
    ['unsigned'],
  );
  let url: URL;
  try {
    url = new URL(need(args, 'url'));
  } catch {
    throw new UsageError('--url must be a URL such as http://127.0.0.1:8787');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError('--url must be http(s)://');
  if (!url.pathname.endsWith('/signals'))
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/signals`;
  const loopback = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/.test(url.hostname);
  if (url.protocol === 'http:' && !loopback)
    io.stderr('relay: warning: sending the provider token over plain http to a remote host\n');

  const hasToken = args.values.has('token');
  const hasTokenFile = args.values.has('token-file');
  if (hasToken === hasTokenFile) throw new UsageError('give exactly one of --token, --token-file');
  const token = hasToken
    ? need(args, 'token')
    : readText(need(args, 'token-file'), 'token file').trim();

  const unsigned = args.flags.has('unsigned');
  if (unsigned && (args.values.has('key') || args.values.has('kid')))
    throw new UsageError('--unsigned cannot be combined with --key/--kid');
  if (!unsigned && !(args.values.has('key') && args.values.has('kid')))
    throw new UsageError('give --key FILE --kid K (or --unsigned to let the relay sign)');

  const signal = await readSignal(args, io);
  const body = unsigned ? signal : signWith(args, signal);
  if (unsigned && !isPlainObject(signal)) throw new UsageError('--signal must be a JSON object');

  let res: Response;
  try {
    res = await io.fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (e) {
    io.stderr(`relay: cannot reach ${url.origin}: ${(e as Error).message}\n`);
    return 1;
  }
  const text = (await res.text()).trim();
  io.stdout(`${text}\n`);
  if (!res.ok) {
    io.stderr(`relay: refused with HTTP ${res.status}\n`);
    return 1;
  }
  return 0;
}

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
}

const CONFIG_KEYS = [
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
  for (const n of ['port', 'replayMs', 'maxBuffer', 'skewMs', 'pingIntervalMs'] as const)
    if (config[n] !== undefined) options[n] = config[n];
  if (config.host !== undefined) options.host = config.host;
  if (config.name !== undefined) options.name = config.name;
  return options;
}

async function serveCommand(argv: string[], io: RelayCliIo): Promise<number> {
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

/** Run one CLI command; resolves with the exit code. Never calls process.exit. */
export async function runRelayCli(argv: string[], io: Partial<RelayCliIo> = {}): Promise<number> {
  const full: RelayCliIo = { ...processIo(), ...io };
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'keygen':
        return keygen(rest, full);
      case 'sign':
        return await signCommand(rest, full);
      case 'publish':
        return await publishCommand(rest, full);
      case 'serve':
        return await serveCommand(rest, full);
      case 'help':
      case '--help':
      case '-h':
        full.stdout(USAGE);
        return 0;
      default:
        throw new UsageError(
          command === undefined ? 'no command given' : `unknown command ${JSON.stringify(command)}`,
        );
    }
  } catch (e) {
    if (e instanceof UsageError) {
      full.stderr(
        `relay: ${e.message}\n${e.message.startsWith('unknown command') || e.message === 'no command given' ? USAGE : ''}`,
      );
      return 2;
    }
    full.stderr(`relay: ${(e as Error).message}\n`);
    return 1;
  }
}

function invokedDirectly(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  runRelayCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`relay: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
