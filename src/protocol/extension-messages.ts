/**
 * Messages inside the extension (docs/protocol.md, "Extension-internal messages"):
 *
 * - extension pages (popup, setup form) and the background service worker, which owns the one
 *   native port: host.rpc, host.status, the form's setup.claim; on the POPUP_PORT the pages also
 *   receive the status and every host notification;
 * - content scripts on the exchanges' pages may ask exactly three things (CONTENT_REQUESTS): the
 *   host's state, the public IP, and a one-time ticket that lets the panel's iframe show the
 *   credential form. They never reach host.rpc, and nothing they can ask carries or returns a
 *   secret.
 */
import type { ExchangeId } from '../exchanges/types.js';
import type { JsonRpcErrorObject } from './jsonrpc.js';
import type { HelloResult, VaultState } from './methods.js';

/** Why the native port is not connected, sorted from the browser's error text. */
export type HostProblemKind =
  /** "Specified native messaging host not found." */
  | 'not-installed'
  /** "Access to the specified native messaging host is forbidden." */
  | 'forbidden'
  /** "Native host has exited." */
  | 'exited'
  /** Framing or anything else. */
  | 'failed';

export interface HostProblem {
  kind: HostProblemKind;
  /** The browser's own words. */
  browserMessage: string;
}

export interface HostStatus {
  connection: 'connecting' | 'connected' | 'disconnected';
  hello?: HelloResult;
  problem?: HostProblem;
  /** When the background will try again, ms since epoch. */
  retryAt?: number;
}

export type ExtensionRequest =
  | { type: 'host.status'; reconnect?: boolean }
  | { type: 'host.rpc'; method: string; params?: unknown }
  | SetupClaim;

/**
 * The setup form, framed by the guide panel, proves it was opened by our content script: it hands
 * back the nonce from its URL and gets what the content script registered for it (which exchange,
 * add or rotate). The form shows nothing unless this answers ok (docs/security-model.md).
 */
export interface SetupClaim {
  type: 'setup.claim';
  nonce: string;
}

export type SetupClaimReply =
  | { ok: true; exchange: ExchangeId; rotate: string | null }
  /** No reason on purpose: whoever framed the page without a valid nonce learns nothing. */
  | { ok: false };

export type RpcReply = { ok: true; result: unknown } | { ok: false; error: JsonRpcErrorObject };

/** What the background posts on a port named POPUP_PORT whenever the host status changes. */
export interface StatusPush {
  type: 'host.status';
  status: HostStatus;
}

export const POPUP_PORT = 'sentinel-popup';

/**
 * The port a page calls the host on (src/ui/host-rpc.ts): one per page, kept open, so a call
 * costs one message each way instead of sendMessage's channel set up per message. The background
 * answers each HostRpcCall with a HostRpcAnswer of the same id, in any order.
 */
export const HOST_RPC_PORT = 'sentinel-host-rpc';

export interface HostRpcCall {
  type: 'host.rpc';
  id: number;
  method: string;
  params?: unknown;
}

export interface HostRpcAnswer {
  id: number;
  reply: RpcReply;
}

/**
 * Chromium only, where the background is a service worker in the pages' own process: a page
 * posts `{type: HOST_RPC_CHANNEL}` with a MessagePort to the worker (ServiceWorker.postMessage),
 * the worker answers `{type: HOST_RPC_CHANNEL}` on that port once it serves it, and from then on
 * the page's HostRpcCalls and their HostRpcAnswers go over the port, thread to thread, without the
 * browser process in between. The runtime port stays open beside it: its disconnect is how the
 * page learns that the worker stopped (a MessagePort says nothing).
 */
export const HOST_RPC_CHANNEL = 'sentinel-host-rpc-channel';

// --- Host notifications forwarded to pages, and what content scripts may ask

/** A host JSON-RPC notification, forwarded to open extension pages. */
export interface NotificationPush {
  type: 'host.notification';
  method: string;
  params: unknown;
}

/** The requests the background answers by asking the host (src/background/content-requests.ts). */
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

/**
 * A port a content script may open to be told when the host's state changes (vault created,
 * unlocked or locked; host connected or gone). The background posts only a ContentStatusPush:
 * the same two fields content.status answers, nothing else, and reads nothing from the port.
 */
export const CONTENT_STATUS_PORT = 'sentinel-content-status';

export interface ContentStatusPush {
  type: 'content.status';
  status: ContentStatus;
}

export type PublicIpReply =
  | { ok: true; ip: string | null; checkedAt: string; problem?: string }
  | { ok: false; message: string };
