/** Sorting the browser's native-messaging error texts into what the popup should say. Pure. */
import type { HostProblem } from '../protocol/extension-messages.js';

export function classifyDisconnect(browserMessage: string | undefined): HostProblem {
  const text = browserMessage ?? 'The native host disconnected without a reason.';
  const lower = text.toLowerCase();
  if (lower.includes('not found')) return { kind: 'not-installed', browserMessage: text };
  if (lower.includes('forbidden')) return { kind: 'forbidden', browserMessage: text };
  if (lower.includes('has exited')) return { kind: 'exited', browserMessage: text };
  return { kind: 'failed', browserMessage: text };
}

/** Reconnect delays: 1 s doubling to 30 s, with ±20 % jitter so many browsers don't align. */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}
