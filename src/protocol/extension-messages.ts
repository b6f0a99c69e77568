/**
 * Messages between the extension's pages (popup, later the setup form) and its background
 * service worker, which owns the one native port.
 */
import type { ExchangeId } from '../exchanges/types.js';
import type { JsonRpcErrorObject } from './jsonrpc.js';
import type { HelloResult } from './methods.js';

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
