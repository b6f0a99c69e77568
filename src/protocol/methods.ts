/**
 * Method names and their param/result shapes (docs/protocol.md). Each method added to the
 * service gets its entry here, so the extension, the CLI and the service agree at compile time.
 */
import { RpcError } from './jsonrpc.js';

export type VaultState = 'absent' | 'locked' | 'unlocked';

export interface HelloParams {
  /** Free-form name of the caller, for the service's log ("popup", "cli", …). */
  client?: string;
}

export interface HelloResult {
  /** The host's package version. */
  version: string;
  protocol: 1;
  vault: VaultState;
  trading: { paused: boolean };
  service: { pid: number; startedAt: string };
}

export interface HostMethods {
  'host.hello': { params: HelloParams; result: HelloResult };
}

export type MethodName = keyof HostMethods;
export type ParamsOf<M extends MethodName> = HostMethods[M]['params'];
export type ResultOf<M extends MethodName> = HostMethods[M]['result'];

/** Notifications the service sends to every connected client. */
export const NOTIFICATIONS = [
  'vault.changed',
  'connection.audited',
  'feed.status',
  'signal.received',
  'order.updated',
  'trading.changed',
] as const;
export type NotificationName = (typeof NOTIFICATIONS)[number];

/** Params must be a plain object (or absent); anything else is INVALID_PARAMS. */
export function paramsObject(method: string, params: unknown): Record<string, unknown> {
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw new RpcError('INVALID_PARAMS', `${method}: params must be an object`);
  }
  return params as Record<string, unknown>;
}

export function parseHelloParams(params: unknown): HelloParams {
  const p = paramsObject('host.hello', params);
  if (p.client !== undefined && (typeof p.client !== 'string' || p.client.length > 64)) {
    throw new RpcError(
      'INVALID_PARAMS',
      'host.hello: "client" must be a string of at most 64 characters',
    );
  }
  return p.client === undefined ? {} : { client: p.client };
}
