/** Sorting the browser's native-messaging error texts into what the popup should say. Pure. */
import type { HostProblem } from '../protocol/extension-messages.js';

/** Firefox's one answer when no manifest it reads allows this add-on (NativeMessaging.sys.mjs). */
export const FIREFOX_NO_HOST = 'No such native application';

/**
 * `firefox`: the port came from Firefox, which closes it with no error at all when the host exits
 * (Chrome says "Native host has exited."), and answers "No such native application NAME" both
 * when no manifest is installed and when the manifest lists other add-ons — on purpose, so that
 * add-ons cannot probe which hosts exist.
 */
export function classifyDisconnect(
  browserMessage: string | undefined,
  browser: 'chromium' | 'firefox' = 'chromium',
): HostProblem {
  if (browserMessage === undefined && browser === 'firefox')
    return { kind: 'exited', browserMessage: 'Firefox closed the port: the native host exited.' };
  const text = browserMessage ?? 'The native host disconnected without a reason.';
  const lower = text.toLowerCase();
  if (lower.includes('not found') || text.startsWith(FIREFOX_NO_HOST))
    return { kind: 'not-installed', browserMessage: text };
  if (lower.includes('forbidden')) return { kind: 'forbidden', browserMessage: text };
  if (lower.includes('has exited')) return { kind: 'exited', browserMessage: text };
  return { kind: 'failed', browserMessage: text };
}

/** Reconnect delays: 1 s doubling to 30 s, with ±20 % jitter so many browsers don't align. */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}
