/**
 * Chromium's background is a service worker running in the same process as the extension's
 * pages; a MessagePort between a page and the worker carries a call thread to thread, where a
 * runtime port goes through the browser process both ways (docs/benchmarks.md row 3). A page
 * offers such a port with ServiceWorker.postMessage (protocol: HOST_RPC_CHANNEL); the worker
 * serves it like the page's runtime port (page-rpc.ts). Only the extension's own pages can reach
 * this worker's registration, and the sender's URL is checked anyway.
 */
import { HOST_RPC_CHANNEL } from '../protocol/extension-messages.js';
import { servePageRpc, type HostRequest, type PagePort } from './page-rpc.js';

/** The part of ExtendableMessageEvent used here (the DOM lib has no service-worker types). */
export interface ChannelOffer {
  data: unknown;
  ports: readonly MessagePort[];
  source: { url?: string } | null;
}

interface WorkerScope {
  addEventListener(type: 'message', listener: (event: ChannelOffer) => void): void;
}

/** A MessagePort seen as a runtime port. A closed page's port is just never heard from again. */
export function asPagePort(port: MessagePort): PagePort {
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage: {
      addListener: (listener) => {
        port.addEventListener('message', (e: MessageEvent) => listener(e.data));
        port.start();
      },
    },
    // Chromium fires `close` on an entangled port whose other side went away (where supported).
    onDisconnect: { addListener: (listener) => port.addEventListener('close', () => listener()) },
  };
}

/** Whether this offer is a page's channel to serve; `isExtensionPage` checks the sender's URL. */
export function channelOf(
  event: ChannelOffer,
  isExtensionPage: (url: string | undefined) => boolean,
): MessagePort | null {
  const data = event.data as { type?: unknown } | null;
  if (data?.type !== HOST_RPC_CHANNEL || event.ports.length !== 1) return null;
  if (!isExtensionPage(event.source?.url)) return null;
  return event.ports[0] ?? null;
}

/** Serve the channel an offer carries, if it is one to serve; answers whether it was. */
export function serveChannelOffer(
  event: ChannelOffer,
  isExtensionPage: (url: string | undefined) => boolean,
  request: HostRequest,
): boolean {
  const port = channelOf(event, isExtensionPage);
  if (!port) return false;
  servePageRpc(asPagePort(port), request);
  port.postMessage({ type: HOST_RPC_CHANNEL }); // the page sends its calls here from now on
  return true;
}

/**
 * Serve pages' channels, in a service worker only (Firefox's background is an event page: its
 * pages keep the runtime port). Call at the worker's top level, where its listeners must be added.
 */
export function servePageChannels(
  isExtensionPage: (url: string | undefined) => boolean,
  request: HostRequest,
): void {
  if (!('ServiceWorkerGlobalScope' in globalThis)) return;
  (globalThis as unknown as WorkerScope).addEventListener('message', (event) => {
    serveChannelOffer(event, isExtensionPage, request);
  });
}
