/**
 * The host line's words while the link works or is being made (pure). A problem's words and fix
 * are in problem-advice.ts; advice.ts puts the two together.
 */
import type { HostStatus } from '../protocol/extension-messages.js';

export interface Advice {
  tone: 'ok' | 'working' | 'problem';
  title: string;
  detail: string;
  command?: string;
  commandHint?: string;
  /** The browser's own error text, quoted for anyone searching for it. */
  browserSaid?: string;
}

export const CONNECTED: Advice = {
  tone: 'ok',
  title: 'Connected to the Sentinel host',
  detail: 'Your keys stay on this computer.',
};

export const CONNECTING: Advice = {
  tone: 'working',
  title: 'Connecting to the Sentinel host…',
  detail: 'Starting the local service if needed.',
};

/** The advice while the link works or is being made; null when there is a problem to explain. */
export function linkAdvice(status: HostStatus): Advice | null {
  if (status.connection === 'connected') return CONNECTED;
  if (status.connection === 'connecting' || !status.problem) return CONNECTING;
  return null;
}
