/**
 * Calling the host from an extension page, through the background's native port. Calls go on one
 * long-lived port per page (HOST_RPC_PORT), matched to their answers by id: a message each way,
 * where runtime.sendMessage would set up a channel per call. In Chromium, once the background's
 * service worker has taken the page's MessageChannel (HOST_RPC_CHANNEL), calls go over that
 * instead, thread to thread in the extension's process (docs/benchmarks.md row 3); the runtime
 * port stays open, as the sign that the worker still runs.
 */
import type { Runtime } from 'webextension-polyfill';
import { browser } from './extension-api.js';
import {
  HOST_RPC_CHANNEL,
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
/** The MessageChannel's end, once the service worker said it serves it; null until then. */
let channel: MessagePort | null = null;
let nextId = 1;
const waiting = new Map<number, Waiting>();

function answer(message: unknown): void {
  const a = message as HostRpcAnswer | undefined;
  const entry = typeof a?.id === 'number' ? waiting.get(a.id) : undefined;
  if (!entry || !a) return;
  waiting.delete(a.id);
  entry.resolve(a.reply);
}

/** Chromium: offer the background's service worker a channel; the first message says it took it. */
function offerChannel(forPort: Runtime.Port): void {
  const serviceWorkers = globalThis.navigator?.serviceWorker;
  if (!serviceWorkers || typeof MessageChannel === 'undefined') return; // Firefox: the port only
  void serviceWorkers
    .getRegistration()
    .then((registration) => {
      const worker = registration?.active;
      if (!worker || port !== forPort) return;
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = (e: MessageEvent) => {
        const data = e.data as { type?: unknown } | null;
        if (data?.type !== HOST_RPC_CHANNEL) return answer(e.data);
        if (port === forPort) channel = port1;
        else port1.close(); // the worker it was offered to has gone since
      };
      worker.postMessage({ type: HOST_RPC_CHANNEL }, [port2]);
    })
    .catch(() => undefined); // no channel: the runtime port carries the calls
}

/** The page's port, opened at the first call and again after the background went away. */
function rpcPort(): Runtime.Port {
  if (port) return port;
  const opened = browser.runtime.connect({ name: HOST_RPC_PORT });
  opened.onMessage.addListener(answer);
  opened.onDisconnect.addListener(() => {
    // The background stopped (or refused us): what was asked is lost, on the port or the
    // channel (the worker that served it is gone too); the next call reconnects.
    if (port !== opened) return;
    port = null;
    channel?.close();
    channel = null;
    for (const [id, entry] of waiting) {
      waiting.delete(id);
      entry.reject(backgroundGone());
    }
  });
  port = opened;
  offerChannel(opened);
  return opened;
}

function send(method: string, params: unknown): Promise<RpcReply> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    const call = { type: 'host.rpc', id, method, params } satisfies HostRpcCall;
    try {
      const viaPort = rpcPort();
      (channel ?? viaPort).postMessage(call);
    } catch {
      // A port that went away before its disconnect event: start afresh at the next call.
      waiting.delete(id);
      port = null;
      channel = null;
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
