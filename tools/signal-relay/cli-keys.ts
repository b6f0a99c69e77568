/** `keygen` and `sign`: a provider's key pair, and offline signing with it. */
import { chmodSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  generateProviderKeys,
  importPrivateKey,
  signSignal,
  SignalKeyError,
  SignalValidationError,
} from '../../src/node/signal-envelope.js';
import { need, parseArgs, readSignal, readText, UsageError, type Args } from './cli-args.js';
import type { RelayCliIo } from './cli-io.js';
import { errorMessage } from '../../src/lib/error-text.js';

export function keygen(argv: string[], io: RelayCliIo): number {
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
    throw new UsageError(`${path}: ${errorMessage(e)}`);
  }
}

export function signWith(args: Args, signal: unknown) {
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

export async function signCommand(argv: string[], io: RelayCliIo): Promise<number> {
  const args = parseArgs(argv, ['key', 'kid', 'signal']);
  const frame = signWith(args, await readSignal(args, io));
  io.stdout(`${JSON.stringify(frame)}\n`);
  return 0;
}
