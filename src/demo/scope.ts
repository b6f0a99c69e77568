/**
 * Everything the demo starts registers its undo here; `close` runs them newest first, each with a
 * time limit, and never throws. Ctrl-C (SIGINT), SIGTERM and SIGHUP run the same clean-up, once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class Scope {
  private readonly undo: { what: string; fn: () => unknown }[] = [];
  private closing: Promise<string[]> | null = null;
  /** Set once a signal asked the demo to stop: work still in flight fails quietly. */
  stopping = false;

  defer(what: string, fn: () => unknown): void {
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
    const problems: string[] = [];
    while (this.undo.length > 0) {
      const { what, fn } = this.undo.pop()!;
      try {
        await withTimeout(Promise.resolve(fn()), 15_000, what);
      } catch (e) {
        problems.push(`${what}: ${(e as Error).message}`);
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

/**
 * On SIGINT/SIGTERM/SIGHUP: say so, clean up, exit 130 (143, 129). A second Ctrl-C while the
 * clean-up runs is ignored (the clean-up has its own time limits).
 */
export function stopOnSignals(scope: Scope, say: (line: string) => void): void {
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [signal, code] of Object.entries(codes)) {
    process.on(signal, () => {
      if (scope.stopping) return;
      scope.stopping = true;
      say(`\nStopped by ${signal}: closing the browser, the service, the relay and the simulator…`);
      void scope.close().then((problems) => {
        for (const p of problems) say(`  clean-up problem: ${p}`);
        say(problems.length === 0 ? 'Cleaned up.' : 'Cleaned up, with the problems above.');
        process.exit(code);
      });
    });
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll until probe() returns something truthy, or fail naming what did not happen. */
export async function until<T>(
  probe: () => T | Promise<T>,
  timeoutMs: number,
  what: string,
  everyMs = 100,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}
