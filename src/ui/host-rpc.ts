/**
 * Calling the host from an extension page, through the background's native port. Calls go on one
 * long-lived port per page (HOST_RPC_PORT), matched to their answers by id: a message each way,
 * where runtime.sendMessage would set up a channel per call (about half a millisecond more in
 * Chromium, docs/benchmarks.md row 3).
 */
import browser, { type Runtime } from 'webextension-polyfill';
import {
  HOST_RPC_PORT,
  type HostRpcAnswer,
  type HostRpcCall,
  type RpcReply,
} from '../protocol/extension-messages.js';
import type { MethodName, ParamsOf, ResultOf } from '../protocol/methods.js';

export class HostCallError extends Error {
  constructor(
    message: string,
    readonly reason: string,
    /** The error's data (e.g. KEY_UNSAFE's audit): what the forms explain check by check. */
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

type Waiting = { resolve: (reply: RpcReply) => void; reject: (err: HostCallError) => void };

const backgroundGone = (): HostCallError =>
  new HostCallError(
    'the extension background did not answer; reopen this window',
    'SERVICE_UNAVAILABLE',
  );

let port: Runtime.Port | null = null;
let nextId = 1;
const waiting = new Map<number, Waiting>();

/** The page's port, opened at the first call and again after the background went away. */
function rpcPort(): Runtime.Port {
  if (port) return port;
  const opened = browser.runtime.connect({ name: HOST_RPC_PORT });
  opened.onMessage.addListener((message: unknown) => {
    const answer = message as HostRpcAnswer | undefined;
    const entry = typeof answer?.id === 'number' ? waiting.get(answer.id) : undefined;
    if (!entry || !answer) return;
    waiting.delete(answer.id);
    entry.resolve(answer.reply);
  });
  opened.onDisconnect.addListener(() => {
    // The background stopped (or refused us): what was asked is lost; the next call reconnects.
    if (port === opened) port = null;
    for (const [id, entry] of waiting) {
      waiting.delete(id);
      entry.reject(backgroundGone());
    }
  });
  port = opened;
  return opened;
}

function send(method: string, params: unknown): Promise<RpcReply> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    try {
      rpcPort().postMessage({ type: 'host.rpc', id, method, params } satisfies HostRpcCall);
    } catch {
      // A port that went away before its disconnect event: start afresh at the next call.
      waiting.delete(id);
      port = null;
      reject(backgroundGone());
    }
  });
}

/**
 * Call one method of the contract (src/protocol/methods.ts): its name, params and result are
 * typed from the map. Rejects with HostCallError (`reason` is the host's data.reason).
 */
export async function callHost<M extends MethodName>(
  method: M,
  params: ParamsOf<M>,
): Promise<ResultOf<M>> {
  const reply = await send(method, params);
  if (!reply.ok) {
    const data = (reply.error.data ?? {}) as Record<string, unknown>;
    throw new HostCallError(reply.error.message, String(data.reason ?? 'INTERNAL'), data);
  }
  return reply.result as ResultOf<M>;
}
