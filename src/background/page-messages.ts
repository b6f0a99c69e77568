/**
 * Messages the background adds for the guided setup (kept here, next to their only producer,
 * until src/protocol/extension-messages.ts takes them over):
 *
 * - extension pages (popup, setup form) on the POPUP_PORT also receive every host notification;
 * - content scripts on the exchanges' pages may ask exactly three things (CONTENT_REQUESTS): the
 *   host's state, the public IP, and a one-time ticket that lets the panel's iframe show the
 *   credential form. They never reach host.rpc, and nothing they can ask carries or returns a
 *   secret.
 */
import type { HostStatus } from '../protocol/extension-messages.js';
import type { VaultState } from '../protocol/methods.js';

/** A host JSON-RPC notification, forwarded to open extension pages. */
export interface NotificationPush {
  type: 'host.notification';
  method: string;
  params: unknown;
}

/** The requests the background answers by asking the host (content-requests.ts). */
export type HostContentRequest =
  { type: 'content.status' } | { type: 'content.publicIp'; fresh?: boolean };

/**
 * Before it creates the form's iframe, the panel registers it: the background keeps
 * {tab, exchange (from the sender's URL), rotate} under a fresh nonce and returns the nonce, which
 * goes into the iframe's URL. The form gets its mode only by handing that nonce back.
 */
export interface SetupTicketRequest {
  type: 'content.setupTicket';
  /** The connection to rotate (from the page's #sentinel-rotate=…), or null to add a key. */
  rotate: string | null;
}

export type SetupTicketReply = { ok: true; nonce: string } | { ok: false; message: string };

export type ContentRequest = HostContentRequest | SetupTicketRequest;

export const CONTENT_REQUESTS: readonly ContentRequest['type'][] = [
  'content.status',
  'content.publicIp',
  'content.setupTicket',
];

/** The host state a content script may know: no error texts, no connections, no labels. */
export interface ContentStatus {
  connection: HostStatus['connection'];
  vault: VaultState | null;
}

export type PublicIpReply =
  | { ok: true; ip: string | null; checkedAt: string; problem?: string }
  | { ok: false; message: string };
