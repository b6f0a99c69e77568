/**
 * MV3 service worker: owns the native port and answers the extension's pages. An open native
 * port keeps the worker alive (Chrome 105+); when the worker is recycled it reconnects on wake.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import {
  POPUP_PORT,
  type ExtensionRequest,
  type HostStatus,
  type RpcReply,
  type StatusPush,
} from '../protocol/extension-messages.js';
import { NativeHostLink } from './native-host-link.js';

const link = new NativeHostLink((name) => browser.runtime.connectNative(name));

browser.runtime.onConnect.addListener((port: Runtime.Port) => {
  if (port.name !== POPUP_PORT) return;
  const push = (status: HostStatus): void =>
    port.postMessage({ type: 'host.status', status } satisfies StatusPush);
  push(link.current);
  const off = link.onStatus(push);
  port.onDisconnect.addListener(off);
});

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  // Only the extension's own pages may drive the host, never a content script on a web page.
  if (sender.id !== browser.runtime.id || !sender.url?.startsWith(browser.runtime.getURL('')))
    return undefined;
  const req = message as ExtensionRequest;
  if (req?.type === 'host.status') {
    if (req.reconnect && link.current.connection === 'disconnected') link.connect();
    return link.settled(5000);
  }
  if (req?.type === 'host.rpc' && typeof req.method === 'string') {
    return link.request(req.method, req.params) satisfies Promise<RpcReply>;
  }
  return undefined;
});

link.connect();
