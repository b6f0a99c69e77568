/** Who the browser says is calling the bridge: argv as Chromium and Firefox pass it. */
import { allowedOrigins, callerFromArgs } from '../../src/native-host/bridge/bridge.js';
import { EXTENSION_ORIGIN, FIREFOX_ADDON_ID } from '../../src/protocol/constants.js';

describe('callerFromArgs', () => {
  it('Chromium: the origin, with or without the Windows --parent-window flag', () => {
    expect(callerFromArgs([EXTENSION_ORIGIN])).toEqual({
      origin: EXTENSION_ORIGIN,
      browser: 'chromium',
    });
    expect(callerFromArgs([EXTENSION_ORIGIN, '--parent-window=0'])).toEqual({
      origin: EXTENSION_ORIGIN,
      browser: 'chromium',
    });
  });

  it('Firefox: [manifest path, add-on id] (NativeMessaging.sys.mjs), on Linux and Windows', () => {
    for (const manifest of [
      '/home/ann/.mozilla/native-messaging-hosts/com.sentinel.companion.json',
      'C:\\Users\\Ann\\AppData\\Roaming\\Sentinel Companion\\native-messaging\\firefox\\com.sentinel.companion.json',
    ])
      expect(callerFromArgs([manifest, FIREFOX_ADDON_ID])).toEqual({
        origin: FIREFOX_ADDON_ID,
        browser: 'firefox',
      });
  });

  it('anything else is unknown, and an empty argv names no caller', () => {
    expect(callerFromArgs(['something'])).toEqual({ origin: 'something', browser: 'unknown' });
    expect(callerFromArgs([])).toEqual({ origin: '', browser: 'unknown' });
  });
});

describe('allowedOrigins', () => {
  it('by default the published extension and the built-in Firefox add-on', () => {
    expect([...allowedOrigins({})]).toEqual([EXTENSION_ORIGIN, FIREFOX_ADDON_ID]);
  });

  it('the launcher’s SENTINEL_ALLOWED_ORIGINS replaces them (install --extension-id)', () => {
    const env = { SENTINEL_ALLOWED_ORIGINS: `${EXTENSION_ORIGIN} fork@example.org` };
    expect([...allowedOrigins(env)]).toEqual([EXTENSION_ORIGIN, 'fork@example.org']);
  });
});
