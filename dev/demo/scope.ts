/**
 * The demo's clean-up: the dev harness's Scope (src/dev/scope.ts), plus Ctrl-C (SIGINT), SIGTERM
 * and SIGHUP running that clean-up once, and small waiting helpers.
 */
import type { Scope } from '../harness/scope.js';

export { Scope, withTimeout } from '../harness/scope.js';

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
