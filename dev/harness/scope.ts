/**
 * Clean-up for the dev harness (demo, bench, and the tests' trading rig): everything started
 * registers its undo here; `close` runs them newest first, each with a time limit, and never
 * throws (it returns the problems). Open scopes are listed in `Scope.open` so a signal handler
 * can close them all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../../src/lib/error-text.js';

export class Scope {
  static readonly open = new Set<Scope>();
  private readonly undo: { what: string; fn: () => unknown }[] = [];
  private closing: Promise<string[]> | null = null;
  /** Set once a signal asked to stop: work still in flight fails quietly. */
  stopping = false;

  constructor(readonly name = 'scope') {
    Scope.open.add(this);
  }

  defer(what: string, fn: () => unknown): void {
    // Work that outlived its scope (a timed-out step still running) is undone at once.
    if (this.closing)
      void Promise.resolve()
        .then(fn)
        .catch(() => undefined);
    else this.undo.push({ what, fn });
  }

  /** A fresh temp dir (short: the service's unix socket path must stay under ~100 bytes). */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.defer(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  /** Idempotent: a second call (the signal handler, say) waits for the same clean-up. */
  close(): Promise<string[]> {
    this.closing ??= this.runUndo();
    return this.closing;
  }

  private async runUndo(): Promise<string[]> {
    Scope.open.delete(this);
    const problems: string[] = [];
    while (this.undo.length > 0) {
      const { what, fn } = this.undo.pop()!;
      try {
        await withTimeout(Promise.resolve(fn()), 15_000, what);
      } catch (e) {
        problems.push(`${what}: ${errorMessage(e)}`);
      }
    }
    return problems;
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}
