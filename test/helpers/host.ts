/** Helpers that run the real, built host (dist/host) as separate processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { FrameDecoder, type DecodedFrame } from '../../src/protocol/frame.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'dist/host/native-host/main.js');

export function requireBuiltHost(): void {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run "npm run build" (npm test does it first)`);
}

/** A fresh SENTINEL_HOME; short, so the socket path stays under the unix limit. */
export function tempHome(prefix = 'sc-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function hostEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, SENTINEL_HOME: home, SENTINEL_LOG_LEVEL: 'debug', ...extra };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  input?: Uint8Array,
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(input);
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

export function exited(child: ChildProcess, timeoutMs = 10_000): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolvePromise, reject) => {
    const t = setTimeout(
      () => reject(new Error(`process ${child.pid} still running after ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once('exit', (code) => {
      clearTimeout(t);
      resolvePromise(code);
    });
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stop whatever service runs in this home and delete the home. */
export async function cleanupHome(home: string): Promise<void> {
  await runCli(['service', 'stop'], hostEnv(home));
  rmSync(home, { recursive: true, force: true });
}
