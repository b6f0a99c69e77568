/**
 * `providers add|remove|list --config FILE`: manage, while relays run, the providers kept in the
 * backend the config names (the embedded SQLite file or NATS KV): a kid, its Ed25519 public key
 * and a token (stored only as its SHA-256; a generated token is printed once). Such a provider
 * publishes signed frames only: a private key stays in the config file, if anywhere.
 */
import { randomBytes } from 'node:crypto';
import { importPublicKey } from '../../src/node/signal-envelope.js';
import { KID_PATTERN } from '../../src/signals/types.js';
import { need, parseArgs, readText, routeAction, UsageError } from './cli-args.js';
import type { RelayCliIo } from './cli-io.js';
import { tokenTaken, withStore } from './cli-subscribers.js';
import { hashToken, TOKEN_PATTERN } from './relay-tokens.js';
import { errorMessage } from '../../src/lib/error-text.js';

export const PROVIDERS_USAGE = `usage:
  providers add --config FILE --kid KID (--public-key KEY | --public-key-file FILE) [--token-file FILE]
  providers remove --config FILE --kid KID
  providers list --config FILE
`;

const HELP: Record<string, string> = {
  add: `usage: providers add --config FILE --kid KID (--public-key KEY | --public-key-file FILE) [--token-file FILE]
  Adds a provider (its Ed25519 public key, as keygen prints it) to the relay the serve config FILE
  describes; running relays accept its signed signals at once. Without --token-file a new token
  is generated and printed once (stdout); only its hash is stored.
  example: relay providers add --config relay.json --kid k2 --public-key-file k2.pub > k2.token
`,
  remove: `usage: providers remove --config FILE --kid KID
  Removes a provider added with "providers add": its token is refused from then on, and so are
  new connections of its subscribers.
  example: relay providers remove --config relay.json --kid k2
`,
  list: `usage: providers list --config FILE
  Prints one JSON line per provider: {kid, publicKey, source, createdAt?} (source "config" for
  those in FILE, "store" for those added at run time). Never a token.
  example: relay providers list --config relay.json
`,
};

export async function providersCommand(argv: string[], io: RelayCliIo): Promise<number> {
  const routed = routeAction(argv, 'providers', PROVIDERS_USAGE, HELP, io);
  if (typeof routed === 'number') return routed;
  const { action, rest } = routed;
  if (action === 'list') {
    const args = parseArgs(rest, ['config']);
    return withStore(need(args, 'config'), async ({ providers }, config) => {
      for (const p of config.providers)
        io.stdout(
          `${JSON.stringify({ kid: p.kid, ...(p.publicKey ? { publicKey: p.publicKey } : {}), source: 'config' })}\n`,
        );
      for (const p of await providers.list())
        io.stdout(
          `${JSON.stringify({ kid: p.kid, publicKey: p.publicKey, source: 'store', createdAt: new Date(p.createdAt).toISOString() })}\n`,
        );
      return 0;
    });
  }
  if (action === 'remove') {
    const args = parseArgs(rest, ['config', 'kid']);
    const kid = need(args, 'kid');
    return withStore(need(args, 'config'), async ({ providers }, config) => {
      if (await providers.remove(kid)) {
        io.stderr(`relay: provider ${kid} removed\n`);
        return 0;
      }
      io.stderr(
        config.providers.some((p) => p.kid === kid)
          ? `relay: ${kid} is listed in the config file: remove it there and restart\n`
          : `relay: no provider with kid ${kid}\n`,
      );
      return 1;
    });
  }
  const args = parseArgs(rest, ['config', 'kid', 'public-key', 'public-key-file', 'token-file']);
  const kid = need(args, 'kid');
  if (!KID_PATTERN.test(kid)) throw new UsageError('--kid must be 1..64 of [A-Za-z0-9_.:-]');
  const inline = args.values.get('public-key');
  const file = args.values.get('public-key-file');
  if ((inline === undefined) === (file === undefined))
    throw new UsageError('give exactly one of --public-key, --public-key-file');
  const publicKey = (inline ?? readText(file as string, 'public key file')).trim();
  try {
    importPublicKey(publicKey);
  } catch (e) {
    throw new UsageError(`the public key is not valid: ${errorMessage(e)}`);
  }
  const tokenFile = args.values.get('token-file');
  const token =
    tokenFile === undefined
      ? randomBytes(24).toString('base64url')
      : readText(tokenFile, 'token file').trim();
  if (!TOKEN_PATTERN.test(token))
    throw new UsageError('the token must be 16..512 printable characters without spaces');
  return withStore(need(args, 'config'), async (stores, config) => {
    const hash = hashToken(token).toString('hex');
    if (config.providers.some((p) => p.kid === kid) || (await tokenTaken(stores, config, hash))) {
      io.stderr('relay: that kid or token is already used\n');
      return 1;
    }
    if (!(await stores.providers.add({ kid, publicKey, tokenHash: hash, createdAt: Date.now() }))) {
      io.stderr(`relay: a provider with kid ${kid} or with that token already exists\n`);
      return 1;
    }
    if (tokenFile === undefined) {
      io.stdout(`${token}\n`);
      io.stderr(`relay: provider ${kid} added; the line above is its token (shown only now)\n`);
    } else io.stderr(`relay: provider ${kid} added\n`);
    return 0;
  });
}
