/** The relay CLI's connection to the outside world, replaceable in tests. */
import { RELAY_FRAME_MAX_BYTES } from '../../src/signals/types.js';
import { UsageError } from './cli-args.js';
import type { Relay } from './server.js';

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

export function processIo(): RelayCliIo {
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
