/**
 * Messages the background adds for the guided setup (kept here, next to their only producer,
 * until src/protocol/extension-messages.ts takes them over):
 *
 * - extension pages (popup, setup form) on the POPUP_PORT also receive every host notification;
 * - content scripts on the exchanges' pages may ask exactly two things (CONTENT_REQUESTS); they
 *   never reach host.rpc, and nothing they can ask carries or returns a secret.
 */
import type { HostStatus } from '../protocol/extension-messages.js';
import type { VaultState } from '../protocol/methods.js';

/** A host JSON-RPC notification, forwarded to open extension pages. */
export interface NotificationPush {
  type: 'host.notification';
  method: string;
  params: unknown;
}

export type ContentRequest =
  { type: 'content.status' } | { type: 'content.publicIp'; fresh?: boolean };

export const CONTENT_REQUESTS: readonly ContentRequest['type'][] = [
  'content.status',
  'content.publicIp',
];

/** The host state a content script may know: no error texts, no connections, no labels. */
export interface ContentStatus {
  connection: HostStatus['connection'];
  vault: VaultState | null;
}

export type PublicIpReply =
  | { ok: true; ip: string | null; checkedAt: string; problem?: string }
  | { ok: false; message: string };
