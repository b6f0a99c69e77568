/**
 * The background's side of HOST_RPC_PORT: an extension page's calls to the host arrive on its
 * long-lived port, each with the page's id, and go out on the one native port; every answer goes
 * back with the id it came with (answers may overtake each other: the host answers in any order).
 * The caller checks that the port is an extension page's before handing it here.
 */
import type { HostRpcAnswer, HostRpcCall, RpcReply } from '../protocol/extension-messages.js';

/** The part of a runtime.Port used here (webextension-polyfill's and Chrome's both fit). */
export interface PagePort {
  postMessage(message: unknown): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export type HostRequest = (method: string, params: unknown) => Promise<RpcReply>;

/** A well-formed call (anything else is ignored: only our own pages reach this port). */
export function parseHostRpcCall(message: unknown): HostRpcCall | null {
  if (typeof message !== 'object' || message === null) return null;
  const m = message as Record<string, unknown>;
  if (m.type !== 'host.rpc' || typeof m.method !== 'string') return null;
  if (typeof m.id !== 'number' || !Number.isSafeInteger(m.id)) return null;
  return { type: 'host.rpc', id: m.id, method: m.method, params: m.params };
}

export function servePageRpc(port: PagePort, request: HostRequest): void {
  let open = true;
  port.onDisconnect.addListener(() => (open = false));
  port.onMessage.addListener((message: unknown) => {
    const call = parseHostRpcCall(message);
    if (!call) return;
    void request(call.method, call.params).then((reply) => {
      // The page closed meanwhile: nobody waits for this answer.
      if (!open) return;
      try {
        port.postMessage({ id: call.id, reply } satisfies HostRpcAnswer);
      } catch {
        open = false; // disconnected between the check and the post
      }
    });
  });
}
