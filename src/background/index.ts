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
import { contentRequestHandler } from './content-requests.js';
import { NativeHostLink } from './native-host-link.js';
import type { NotificationPush } from './page-messages.js';
import { parseContentRequest, senderKind } from './sender-gate.js';

const link = new NativeHostLink((name) => browser.runtime.connectNative(name));
const answerContent = contentRequestHandler(link);

const kindOf = (sender: Runtime.MessageSender | undefined) =>
  senderKind(sender ?? {}, browser.runtime.id, browser.runtime.getURL(''));

browser.runtime.onConnect.addListener((port: Runtime.Port) => {
  // Status and notifications (connection labels, audits) are for the extension's own pages only.
  if (port.name !== POPUP_PORT || kindOf(port.sender) !== 'extension-page') return;
  const push = (status: HostStatus): void =>
    port.postMessage({ type: 'host.status', status } satisfies StatusPush);
  push(link.current);
  const offStatus = link.onStatus(push);
  // Open pages refresh on connection.audited / trading.changed / vault.changed without polling.
  const offNotify = link.onNotification((n) =>
    port.postMessage({
      type: 'host.notification',
      method: n.method,
      params: n.params,
    } satisfies NotificationPush),
  );
  port.onDisconnect.addListener(() => {
    offStatus();
    offNotify();
  });
});

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  const kind = kindOf(sender);
  if (kind === 'exchange-content-script') {
    // The narrow allow-list: the guide panel may ask for the host's state and this machine's
    // public IP, nothing else — never host.rpc, nothing that carries or returns a secret.
    const req = parseContentRequest(message);
    return req ? answerContent(req) : undefined;
  }
  // Only the extension's own pages may drive the host.
  if (kind !== 'extension-page') return undefined;
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
