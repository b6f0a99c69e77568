/**
 * Relay CLI: node dist/tools/signal-relay/main.js <command>
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
 *       SIGTERM/SIGINT stop it cleanly. With "nats": {"servers", "stream"?} it is a stateless
 *       gateway over NATS JetStream; otherwise it keeps its state in a SQLite file (dataFile).
 *   subscribers add|remove|list --config FILE …
 *       Manages the subscribers kept in the relay's backend while relays run (cli-subscribers.ts).
 *   providers add|remove|list --config FILE …
 *       Likewise for providers: kid, public key, token (cli-providers.ts).
 *
 * Exit codes: 0 done, 1 refused by the relay / network failure, 2 usage or input error.
 * Tokens and private keys are never printed or logged.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { UsageError } from './cli-args.js';
import { processIo, type RelayCliIo } from './cli-io.js';
import { keygen, signCommand } from './cli-keys.js';
import { publishCommand } from './cli-publish.js';
import { serveCommand } from './cli-serve.js';
import { providersCommand } from './cli-providers.js';
import { subscribersCommand } from './cli-subscribers.js';
import { errorMessage } from '../../src/lib/error-text.js';

export type { RelayCliIo } from './cli-io.js';
export { loadServeConfig } from './cli-serve.js';

const USAGE = `usage:
  keygen --out FILE [--force]
  sign --key FILE --kid K --signal JSON|-
  publish --url URL (--token TOKEN | --token-file FILE) (--key FILE --kid K | --unsigned) --signal JSON|-
  serve --config FILE
  subscribers add --config FILE --name NAME --provider KID [--token-file FILE]
  subscribers remove --config FILE --name NAME
  subscribers list --config FILE
  providers add --config FILE --kid KID (--public-key KEY | --public-key-file FILE) [--token-file FILE]
  providers remove --config FILE --kid KID
  providers list --config FILE
(COMMAND --help for more)
`;

/** Run one CLI command; resolves with the exit code. Never calls process.exit. */
export async function runRelayCli(argv: string[], io: Partial<RelayCliIo> = {}): Promise<number> {
  const full: RelayCliIo = { ...processIo(), ...io };
  const [command, ...rest] = argv;
  const line = USAGE.split('\n').find((l) => l.startsWith(`  ${command} `));
  if (
    command !== 'subscribers' &&
    command !== 'providers' &&
    line &&
    (rest.includes('--help') || rest.includes('-h'))
  ) {
    full.stdout(`usage:\n${line}\n(see docs/relay.md)\n`);
    return 0;
  }
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
      case 'subscribers':
        return await subscribersCommand(rest, full);
      case 'providers':
        return await providersCommand(rest, full);
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
    full.stderr(`relay: ${errorMessage(e)}\n`);
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
      process.stderr.write(`relay: ${errorMessage(e)}\n`);
      process.exitCode = 1;
    },
  );
}
