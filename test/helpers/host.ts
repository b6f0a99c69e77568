/**
 * The built host as separate processes, for the tests: the dev harness's (dev/harness/host.ts),
 * with what the tests want by default — debug logs, and homes that use the insecure test KDF
 * (vaults in ~1 ms; the tests of the KDF itself make their own Vault) — plus frame helpers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import * as harness from '../../dev/harness/host.js';
import { FrameDecoder, type DecodedFrame } from '../../src/protocol/frame.js';

export { ROOT } from '../../dev/harness/root.js';
export {
  CLI,
  exited,
  isAlive,
  requireBuiltHost,
  runCli,
  type CliResult,
} from '../../dev/harness/host.js';

/**
 * A fresh SENTINEL_HOME (short, so the socket path stays under the unix limit), marked as a test
 * home: a service started there with hostEnv's variables uses the insecure test KDF.
 */
export function tempHome(prefix = 'sc-'): string {
  const home = mkdtempSync(join(tmpdir(), prefix));
  harness.markTestHome(home);
  return home;
}

/**
 * The harness's environment (none of the caller's SENTINEL_* settings), debug logs, and the test
 * KDF switch (honoured only in a home tempHome made).
 */
export function hostEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return harness.hostEnv(home, {
    SENTINEL_LOG_LEVEL: 'debug',
    ...harness.TEST_KDF_SWITCH,
    ...extra,
  });
}

/** Collects decoded frames from a stream and hands them out in order. */
export class FrameReader {
  private readonly frames: DecodedFrame[] = [];
  private waiters: (() => void)[] = [];
  private ended = false;
  readonly decoder = new FrameDecoder();

  constructor(stream: Readable) {
    stream.on('data', (chunk: Buffer) => {
      this.frames.push(...this.decoder.push(chunk));
      this.wake();
    });
    stream.on('end', () => {
      this.ended = true;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  /** The next frame, or null if the stream ended first. */
  async next(timeoutMs = 10_000): Promise<DecodedFrame | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (this.ended) return null;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.frames.shift() ?? null;
  }

  /** The next frame's message; fails the test on a decode error. */
  async message(timeoutMs?: number): Promise<Record<string, unknown>> {
    const f = await this.next(timeoutMs);
    if (!f) throw new Error('stream ended before a frame arrived');
    if (!f.ok) throw new Error(`bad frame: ${f.error.message}`);
    return f.message as Record<string, unknown>;
  }
}

export function lengthPrefix(n: number): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt32LE(n);
  return h;
}

export function rawFrame(body: string | Buffer): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  return Buffer.concat([lengthPrefix(b.length), b]);
}

export function connectSocket(path: string): Promise<Socket> {
  return new Promise((resolvePromise, reject) => {
    const s = connect(path);
    s.once('connect', () => resolvePromise(s));
    s.once('error', reject);
  });
}

/** Stop whatever service runs in this home (it must stop: see stopServiceIn) and delete it. */
export async function cleanupHome(home: string): Promise<void> {
  try {
    await harness.stopServiceIn(home, hostEnv(home));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
