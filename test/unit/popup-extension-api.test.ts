/**
 * The pages' extension API without webextension-polyfill (src/ui/extension-api.ts): Firefox's
 * `browser` as is, Chrome's `chrome` with runtime.sendMessage answered as the polyfill answered
 * it (no answer → undefined; the background polyfill's rejection marker → a rejection).
 */
import { extensionApi } from '../../src/ui/extension-api.js';

interface FakeChrome {
  runtime: {
    id: string;
    lastError?: { message?: string };
    sendMessage(message: unknown, callback: (reply: unknown) => void): void;
    getURL(path: string): string;
    connect(info: { name?: string }): unknown;
  };
  storage: { local: string };
  tabs: { create: string };
}

/** A chrome.* whose sendMessage answers with `reply` and sets lastError for the callback only. */
function fakeChrome(reply: unknown, lastError?: string): FakeChrome {
  const chrome: FakeChrome = {
    runtime: {
      id: 'abc',
      sendMessage(_message, callback) {
        queueMicrotask(() => {
          if (lastError !== undefined) chrome.runtime.lastError = { message: lastError };
          callback(reply);
          delete chrome.runtime.lastError;
        });
      },
      getURL: (path) => `chrome-extension://abc/${path}`,
      connect: (info) => ({ name: info.name }),
    },
    storage: { local: 'chrome.storage.local' },
    tabs: { create: 'chrome.tabs.create' },
  };
  return chrome;
}

describe('extensionApi', () => {
  it("uses Firefox's browser as it is", () => {
    const browser = { runtime: { id: 'sentinel@example' } };
    expect(extensionApi({ browser, chrome: fakeChrome(null) })).toBe(browser);
  });

  it('takes chrome when `browser` is not the extension API (a page element with that id)', async () => {
    const chrome = fakeChrome({ ok: true });
    const api = extensionApi({ browser: { tagName: 'DIV' }, chrome });
    expect(api.runtime.id).toBe('abc');
    expect(api.runtime.getURL('src/setup/index.html')).toBe(
      'chrome-extension://abc/src/setup/index.html',
    );
    expect(api.runtime.connect({ name: 'popup' })).toEqual({ name: 'popup' });
    expect(api.storage).toBe(chrome.storage);
    expect(api.tabs).toBe(chrome.tabs);
    await expect(api.runtime.sendMessage({ type: 'host.status' })).resolves.toEqual({ ok: true });
  });

  it('does not touch chrome.* until used (imports outside an extension do not throw)', () => {
    const api = extensionApi({});
    expect(() => api.runtime.sendMessage).not.toThrow();
    expect(() => api.storage).toThrow(TypeError);
  });

  it.each([
    [
      'a message no listener answered resolves to undefined',
      fakeChrome(undefined, 'The message port closed before a response was received.'),
      undefined,
    ],
    [
      'an answer resolves to itself',
      fakeChrome({ ok: false, message: 'x' }),
      { ok: false, message: 'x' },
    ],
    ['a falsy answer resolves to itself', fakeChrome(0), 0],
  ])('%s', async (_what, chrome, expected) => {
    await expect(extensionApi({ chrome }).runtime.sendMessage({})).resolves.toEqual(expected);
  });

  it.each([
    [
      "the background polyfill's rejection marker",
      fakeChrome({ __mozWebExtensionPolyfillReject__: true, message: 'host gone' }),
      'host gone',
    ],
    [
      'any other lastError',
      fakeChrome(undefined, 'Could not establish connection. Receiving end does not exist.'),
      'Could not establish connection. Receiving end does not exist.',
    ],
  ])('%s rejects with its message', async (_what, chrome, message) => {
    await expect(extensionApi({ chrome }).runtime.sendMessage({})).rejects.toThrow(message);
  });
});
