/**
 * The demo's clean-up: the dev harness's Scope (dev/harness/scope.ts), plus Ctrl-C (SIGINT),
 * SIGTERM and SIGHUP running that clean-up once; the harness's waiting helpers.
 */
import type { Scope } from '../harness/scope.js';

export { Scope, withTimeout } from '../harness/scope.js';
export { sleep, until } from '../harness/wait.js';

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
