/**
 * The extension API for the pages and the content script, without webextension-polyfill (about
 * 3 KiB gzip in everything that loads it). Firefox's `browser` is promise-based already, and
 * Chrome 116+ (manifest.json's minimum) returns promises from the chrome.* calls used here
 * (storage.local.get/set, tabs.create); ports and getURL need none. What the polyfill 0.12 did
 * beyond that, sendMessage keeps (node_modules/webextension-polyfill/dist/browser-polyfill.js,
 * wrappedSendMessageCallback): a message no listener answered resolves to undefined instead of
 * failing with Chrome's "The message port closed before a response was received.", and a
 * rejection of the background's promise-returning onMessage listener, which arrives as
 * `{ __mozWebExtensionPolyfillReject__, message }`, rejects again. The background keeps the
 * polyfill: it answers onMessage with promises, which Chrome's own listeners cannot do.
 */
import type { Runtime, Storage, Tabs } from 'webextension-polyfill';

export interface ExtensionApi {
  runtime: Pick<Runtime.Static, 'id' | 'getURL'> & {
    connect(connectInfo: Runtime.ConnectConnectInfoType): Runtime.Port;
    sendMessage(message: unknown): Promise<unknown>;
  };
  storage: Pick<Storage.Static, 'local' | 'onChanged'>;
  tabs: Pick<Tabs.Static, 'create'>;
}

/** Chrome's callback form of runtime.sendMessage, the one the polyfill wrapped. */
interface ChromeRuntime {
  id: string;
  lastError?: { message?: string };
  sendMessage(message: unknown, callback: (reply: unknown) => void): void;
}

const NO_RESPONSE = 'The message port closed before a response was received.';

/** Whether a reply is the background polyfill's stand-in for a rejected promise. */
function rejection(reply: unknown): { message: string } | null {
  if (typeof reply !== 'object' || reply === null) return null;
  const r = reply as { __mozWebExtensionPolyfillReject__?: unknown; message?: unknown };
  return r.__mozWebExtensionPolyfillReject__ ? { message: String(r.message) } : null;
}

/** runtime.sendMessage on Chrome, answered as the polyfill answered it. */
export function chromeSendMessage(runtime: ChromeRuntime, message: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    runtime.sendMessage(message, (reply) => {
      const error = runtime.lastError;
      if (error) {
        if (error.message === NO_RESPONSE) resolve(undefined);
        else reject(new Error(error.message));
        return;
      }
      const rejected = rejection(reply);
      if (rejected) reject(new Error(rejected.message));
      else resolve(reply);
    });
  });
}

/**
 * The API of this browser: Firefox's `browser` when it is the extension API (the polyfill's own
 * test: runtime.id set; a page element with id="browser" is not), otherwise Chrome's `chrome`.
 */
export function extensionApi(scope: { browser?: unknown; chrome?: unknown }): ExtensionApi {
  const firefox = scope.browser as ExtensionApi | undefined;
  if (firefox?.runtime?.id) return firefox;
  const chrome = scope.chrome as ExtensionApi & {
    runtime: ExtensionApi['runtime'] & ChromeRuntime;
  };
  return {
    runtime: {
      get id() {
        return chrome.runtime.id;
      },
      getURL: (path) => chrome.runtime.getURL(path),
      connect: (info) => chrome.runtime.connect(info),
      sendMessage: (message) => chromeSendMessage(chrome.runtime, message),
    },
    // Read when used: importing this module outside an extension (unit tests) must not throw.
    get storage() {
      return chrome.storage;
    },
    get tabs() {
      return chrome.tabs;
    },
  };
}

export const browser: ExtensionApi = extensionApi(
  globalThis as { browser?: unknown; chrome?: unknown },
);
