/**
 * MV3 background (Chrome: the service worker; Firefox: a non-persistent event page running the
 * same module): owns the native port and answers the extension's pages. An open native port keeps
 * it alive (Chrome 105+; Firefox exempts event pages with an open native port from the idle stop,
 * parent/ext-backgroundPage.js). While the host is away it may be stopped between retries; the
 * next page or content script that talks to it wakes it, and it reconnects right here.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import {
  CONTENT_STATUS_PORT,
  HOST_RPC_PORT,
  POPUP_PORT,
  type ContentStatusPush,
  type ExtensionRequest,
  type HostStatus,
  type NotificationPush,
  type RpcReply,
  type SetupTicketReply,
  type StatusPush,
} from '../protocol/extension-messages.js';
import { exchangeForUrl } from '../exchanges/sites.js';
import { contentRequestHandler, contentStatusOf } from './content-requests.js';
import { NativeHostLink } from './native-host-link.js';
import { servePageRpc } from './page-rpc.js';
import { servePageChannels } from './page-channel.js';
import { startNotifier } from './notifier.js';
import { exchangeOfSender, parseContentRequest, senderKind } from './sender-gate.js';
import { SetupTickets, answerClaim } from './setup-tickets.js';

const link = new NativeHostLink((name) => browser.runtime.connectNative(name));
const answerContent = contentRequestHandler(link);
// Browser notifications for live orders, unsafe keys and feeds down (notifier.ts).
startNotifier(link);
/** Nonces for the panel's form frames: memory only (setup-tickets.ts). */
const tickets = new SetupTickets();
// The static address: getURL of the page itself would give its dynamic (use_dynamic_url) one, but
// a framed page reports the static one as its sender URL.
const SETUP_PAGE = `${browser.runtime.getURL('')}src/setup/index.html`;

// A closed tab's tickets can never be claimed by their frame again (no permission needed).
browser.tabs.onRemoved.addListener((tabId: number) => tickets.forgetTab(tabId));

/** The panel registers its form frame before creating it: the tab and exchange come from Chrome. */
function issueTicket(sender: Runtime.MessageSender, rotate: string | null): SetupTicketReply {
  const tabId = sender.tab?.id;
  const exchange = exchangeOfSender(sender.url);
  // Only the top frame: the content script runs there, never in the page's subframes. And only
  // on the API page itself: the content script runs on the whole site (a single-page app). The
  // sender's url is the document's URL at load, so an in-app navigation shows only in the tab's
  // current URL (given to us: the content-script matches are host permissions for these sites).
  if (
    tabId === undefined ||
    sender.frameId !== 0 ||
    !exchange ||
    exchangeForUrl(sender.tab?.url ?? '') !== exchange
  )
    return { ok: false, message: 'Open the Sentinel guide on the exchange’s API page itself.' };
  return { ok: true, nonce: tickets.issue(tabId, { exchange, rotate }) };
}

const kindOf = (sender: Runtime.MessageSender | undefined) =>
  senderKind(sender ?? {}, browser.runtime.id, browser.runtime.getURL(''));

// Chromium: a page's calls thread to thread once it offers a channel (page-channel.ts).
servePageChannels(
  (url) =>
    kindOf({ id: browser.runtime.id, ...(url !== undefined ? { url } : {}) }) === 'extension-page',
  (method, params) => link.request(method, params),
);

browser.runtime.onConnect.addListener((port: Runtime.Port) => {
  if (port.name === CONTENT_STATUS_PORT) {
    // The guide panel's host line: pushed the moment the vault or the connection changes (the
    // cached hello follows vault.changed), never anything beyond ContentStatus. Messages from
    // the content script on this port are ignored.
    if (kindOf(port.sender) !== 'exchange-content-script') {
      port.disconnect();
      return;
    }
    let last = '';
    const pushContent = (status: HostStatus): void => {
      if (status.connection === 'connecting') return; // as content.status: the settled state
      const s = contentStatusOf(status);
      const key = `${s.connection}/${s.vault ?? ''}`;
      if (key === last) return;
      last = key;
      port.postMessage({ type: 'content.status', status: s } satisfies ContentStatusPush);
    };
    pushContent(link.current);
    const off = link.onStatus(pushContent);
    port.onDisconnect.addListener(() => off());
    return;
  }
  // Host calls: only the extension's own pages, as for host.rpc by sendMessage below.
  if (port.name === HOST_RPC_PORT) {
    if (kindOf(port.sender) === 'extension-page')
      servePageRpc(port, (method, params) => link.request(method, params));
    else port.disconnect();
    return;
  }
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
    // The narrow allow-list: the guide panel may ask for the host's state, this machine's public
    // IP and a ticket for its form frame, nothing else — never host.rpc, nothing that carries or
    // returns a secret.
    const req = parseContentRequest(message);
    if (req?.type === 'content.setupTicket')
      return Promise.resolve(issueTicket(sender, req.rotate));
    return req ? answerContent(req) : undefined;
  }
  // Only the extension's own pages may drive the host.
  if (kind !== 'extension-page') return undefined;
  const req = message as ExtensionRequest;
  if (req?.type === 'setup.claim') {
    // Only the form page may claim (it is the one page a web page can frame).
    const framedForm = sender.url?.split(/[?#]/)[0] === SETUP_PAGE;
    return Promise.resolve(
      framedForm
        ? answerClaim(tickets, req, { tabId: sender.tab?.id, frameId: sender.frameId })
        : { ok: false },
    );
  }
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
