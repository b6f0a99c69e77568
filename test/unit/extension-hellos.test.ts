/** The last hello per extension origin (state DB settings) and the bridge's first frame. */
import {
  EXTENSION_HELLOS_SETTING,
  extensionHellos,
  recordExtensionHello,
} from '../../src/native-host/service/store/extension-hellos.js';
import { bridgeCaller } from '../../src/native-host/service/service.js';

function memorySettings() {
  const m = new Map<string, string>();
  return {
    m,
    getSetting: (k: string) => m.get(k) ?? null,
    setSetting: (k: string, v: string) => void m.set(k, v),
  };
}

describe('extension hellos', () => {
  it('keeps the last hello per origin, most recent first, with no more than origin, time and client', () => {
    const db = memorySettings();
    expect(extensionHellos(db)).toEqual([]);
    recordExtensionHello(
      db,
      'chrome-extension://a/',
      'extension',
      new Date('2026-12-01T10:00:00Z'),
    );
    recordExtensionHello(db, 'chrome-extension://b/', undefined, new Date('2026-12-01T11:00:00Z'));
    recordExtensionHello(db, 'chrome-extension://a/', 'popup', new Date('2026-12-01T12:00:00Z'));
    expect(extensionHellos(db)).toEqual([
      { origin: 'chrome-extension://a/', lastHelloAt: '2026-12-01T12:00:00.000Z', client: 'popup' },
      { origin: 'chrome-extension://b/', lastHelloAt: '2026-12-01T11:00:00.000Z' },
    ]);
    expect([...db.m.keys()]).toEqual([EXTENSION_HELLOS_SETTING]);
  });

  it('a damaged value reads as none and is replaced at the next hello; at most 16 origins', () => {
    const db = memorySettings();
    db.setSetting(EXTENSION_HELLOS_SETTING, '{not json');
    expect(extensionHellos(db)).toEqual([]);
    for (let i = 0; i < 20; i++)
      recordExtensionHello(db, `o${i}`, undefined, new Date(Date.UTC(2026, 0, 1, 0, i)));
    const all = extensionHellos(db);
    expect(all).toHaveLength(16);
    expect(all[0]?.origin).toBe('o19');
  });
});

describe("the bridge's first frame", () => {
  const frame = (message: unknown) => ({ ok: true as const, message });
  it('names the origin only as a bridge.caller notification with a string origin', () => {
    const origin = 'chrome-extension://accinggnclbnniddladpeaeijoblkmhg/';
    expect(
      bridgeCaller(frame({ jsonrpc: '2.0', method: 'bridge.caller', params: { origin } })),
    ).toBe(origin);
    expect(
      bridgeCaller(frame({ jsonrpc: '2.0', id: 1, method: 'bridge.caller', params: { origin } })),
    ).toBeNull();
    expect(
      bridgeCaller(frame({ jsonrpc: '2.0', method: 'host.hello', params: { origin } })),
    ).toBeNull();
    expect(bridgeCaller(frame({ jsonrpc: '2.0', method: 'bridge.caller', params: {} }))).toBeNull();
    expect(bridgeCaller(frame(null))).toBeNull();
    expect(bridgeCaller(frame('bridge.caller'))).toBeNull();
  });
});
