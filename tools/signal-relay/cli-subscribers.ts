/**
 * `subscribers add|remove|list --config FILE`: manage, while relays run, the subscribers kept in
 * the backend the config names (the embedded SQLite file or NATS KV). Running relays see a change
 * at once: a new token is accepted at its next connection; a removed one's connections are closed.
 * Tokens are stored only as SHA-256 hashes; a generated token is printed once.
 */
import { randomBytes } from 'node:crypto';
import { openEmbeddedStore } from './backend-embedded.js';
import { openNatsStore } from './backend-nats.js';
import { need, parseArgs, readText, routeAction, UsageError } from './cli-args.js';
import type { RelayCliIo } from './cli-io.js';
import { loadServeConfig } from './cli-serve.js';
import type { ProviderStore, SubscriberStore } from './relay-backend.js';
import { hashToken, TOKEN_PATTERN } from './relay-tokens.js';

export const SUBSCRIBERS_USAGE = `usage:
  subscribers add --config FILE --name NAME --provider KID [--token-file FILE]
  subscribers remove --config FILE --name NAME
  subscribers list --config FILE
`;

const HELP: Record<string, string> = {
  add: `usage: subscribers add --config FILE --name NAME --provider KID [--token-file FILE]
  Adds a subscriber of provider KID to the relay the serve config FILE describes; running relays
  accept it at once. Without --token-file a new token is generated and printed once (stdout); only
  its hash is stored.
  example: relay subscribers add --config relay.json --name alice --provider k1 > alice.token
`,
  remove: `usage: subscribers remove --config FILE --name NAME
  Removes a subscriber added with "subscribers add"; its open connections are closed.
  example: relay subscribers remove --config relay.json --name alice
`,
  list: `usage: subscribers list --config FILE
  Prints one JSON line per subscriber: {name, providerKid, source, createdAt?} (source "config"
  for those listed in FILE, "store" for those added at run time). Never a token.
  example: relay subscribers list --config relay.json
`,
};

const NAME_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

export interface Stores {
  subscribers: SubscriberStore;
  providers: ProviderStore;
}

/** Open the backend the serve config FILE names (NATS or its SQLite file) for `fn`. */
export async function withStore<T>(
  configPath: string,
  fn: (stores: Stores, config: ReturnType<typeof loadServeConfig>) => Promise<T>,
): Promise<T> {
  const config = loadServeConfig(configPath);
  if (config.nats) {
    const opened = await openNatsStore({
      servers: config.nats.servers,
      stream: config.nats.stream ?? 'SENTINEL_RELAY',
      replayMs: config.replayMs ?? 60_000,
      maxBuffer: config.maxBuffer ?? 1000,
      log: () => undefined,
    });
    try {
      return await fn({ subscribers: opened.store, providers: opened.providers }, config);
    } finally {
      await opened.close();
    }
  }
  const opened = openEmbeddedStore(config.dataFile as string);
  try {
    return await fn({ subscribers: opened.store, providers: opened.providers }, config);
  } finally {
    opened.close();
  }
}

/** Whether a token is already used by a provider or subscriber (config or store). */
export async function tokenTaken(
  stores: Stores,
  config: ReturnType<typeof loadServeConfig>,
  hash: string,
): Promise<boolean> {
  return (
    [...config.providers, ...config.subscribers].some(
      (e) => hashToken(e.token).toString('hex') === hash,
    ) ||
    (await stores.providers.byToken(hash)) !== null ||
    (await stores.subscribers.find(hash)) !== null
  );
}

export async function subscribersCommand(argv: string[], io: RelayCliIo): Promise<number> {
  const routed = routeAction(argv, 'subscribers', SUBSCRIBERS_USAGE, HELP, io);
  if (typeof routed === 'number') return routed;
  const { action, rest } = routed;
  if (action === 'list') {
    const args = parseArgs(rest, ['config']);
    return withStore(need(args, 'config'), async ({ subscribers: store }, config) => {
      for (const s of config.subscribers.map((c, i) => ({
        name: c.name ?? `subscriber-${i + 1}`,
        providerKid: c.providerKid,
        source: 'config',
      })))
        io.stdout(`${JSON.stringify(s)}\n`);
      for (const s of await store.list())
        io.stdout(
          `${JSON.stringify({ name: s.name, providerKid: s.providerKid, source: 'store', createdAt: new Date(s.createdAt).toISOString() })}\n`,
        );
      return 0;
    });
  }
  if (action === 'remove') {
    const args = parseArgs(rest, ['config', 'name']);
    const name = need(args, 'name');
    return withStore(need(args, 'config'), async ({ subscribers: store }, config) => {
      if (await store.remove(name)) {
        io.stderr(`relay: subscriber ${name} removed\n`);
        return 0;
      }
      const inConfig = config.subscribers.some((s) => s.name === name);
      io.stderr(
        inConfig
          ? `relay: ${name} is listed in the config file: remove it there and restart\n`
          : `relay: no subscriber named ${name}\n`,
      );
      return 1;
    });
  }
  const args = parseArgs(rest, ['config', 'name', 'provider', 'token-file']);
  const name = need(args, 'name');
  const kid = need(args, 'provider');
  if (!NAME_PATTERN.test(name)) throw new UsageError('--name must be 1..64 of [A-Za-z0-9_.:-]');
  const tokenFile = args.values.get('token-file');
  const token =
    tokenFile === undefined
      ? randomBytes(24).toString('base64url')
      : readText(tokenFile, 'token file').trim();
  if (!TOKEN_PATTERN.test(token))
    throw new UsageError('the token must be 16..512 printable characters without spaces');
  return withStore(need(args, 'config'), async (stores, config) => {
    const store = stores.subscribers;
    if (
      !config.providers.some((p) => p.kid === kid) &&
      (await stores.providers.byKid(kid)) === null
    )
      throw new UsageError(`no provider with kid ${kid} (in the config or added)`);
    const hash = hashToken(token).toString('hex');
    if (
      config.subscribers.some((s) => s.name === name) ||
      (await tokenTaken(stores, config, hash))
    ) {
      io.stderr('relay: that name or token is already used\n');
      return 1;
    }
    const added = await store.add({
      name,
      providerKid: kid,
      tokenHash: hash,
      createdAt: Date.now(),
    });
    if (!added) {
      io.stderr(`relay: a subscriber named ${name} or with that token already exists\n`);
      return 1;
    }
    if (tokenFile === undefined) {
      io.stdout(`${token}\n`);
      io.stderr(`relay: subscriber ${name} added; the line above is its token (shown only now)\n`);
    } else io.stderr(`relay: subscriber ${name} added\n`);
    return 0;
  });
}
