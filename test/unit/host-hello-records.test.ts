/** host.hello records an extension's hello once per connection (and client), not at every call. */
import {
  HELLO_REFRESH_MS,
  HelloRecords,
  hostHandlers,
} from '../../src/native-host/service/handlers/host.js';
import type { ServiceContext } from '../../src/native-host/service/handlers/context.js';
import type { CallerInfo } from '../../src/native-host/ipc/rpc-server.js';
import { EXTENSION_HELLOS_SETTING } from '../../src/native-host/service/store/extension-hellos.js';

describe('HelloRecords', () => {
  const t0 = Date.UTC(2026, 11, 1, 12);
  it.each([
    ['the first hello of a connection', [], 'extension', t0, true],
    [
      'the same client again on the same connection',
      [['extension', t0]],
      'extension',
      t0 + 1000,
      false,
    ],
    ['another client on the same connection', [['extension', t0]], undefined, t0 + 1000, true],
    [
      'the same client once the record is stale',
      [['extension', t0]],
      'extension',
      t0 + HELLO_REFRESH_MS,
      true,
    ],
    [
      'the same client just before it is stale',
      [['extension', t0]],
      'extension',
      t0 + HELLO_REFRESH_MS - 1,
      false,
    ],
  ] as const)('%s: due = %s', (_what, before, client, now, due) => {
    const records = new HelloRecords();
    const connection: CallerInfo = { origin: 'chrome-extension://a/' };
    for (const [c, at] of before) records.noted(connection, c, at);
    expect(records.due(connection, client, now)).toBe(due);
  });

  it('a new connection is always recorded, even with the same client and origin', () => {
    const records = new HelloRecords();
    records.noted({ origin: 'chrome-extension://a/' }, 'extension', t0);
    expect(records.due({ origin: 'chrome-extension://a/' }, 'extension', t0 + 1)).toBe(true);
  });
});

describe('host.hello', () => {
  function fakeContext() {
    const settings = new Map<string, string>();
    let writes = 0;
    // Only what host.hello touches; the rest of the context is never read.
    const ctx = {
      startedAt: '2026-12-01T12:00:00.000Z',
      vault: { state: () => 'locked', insecureTestKdf: false },
      db: {
        getSetting: (k: string) => settings.get(k) ?? null,
        setSetting: (k: string, v: string) => {
          writes++;
          settings.set(k, v);
        },
        listConnections: () => [],
      },
      trading: { paused: false },
      log: { debug: () => undefined, warn: () => undefined },
    } as unknown as ServiceContext;
    return { ctx, settings, writes: () => writes };
  }

  it('writes the hello of a bridge connection once, answers every call with it', async () => {
    const { ctx, settings, writes } = fakeContext();
    const hello = hostHandlers(ctx)['host.hello'];
    const bridge: CallerInfo = { origin: 'chrome-extension://a/' };
    const first = await hello({ client: 'extension' }, bridge);
    for (let i = 0; i < 5; i++) await hello({ client: 'extension' }, bridge);
    expect(writes()).toBe(1);
    expect(first.extensions).toMatchObject([
      { origin: 'chrome-extension://a/', client: 'extension' },
    ]);
    expect(JSON.parse(settings.get(EXTENSION_HELLOS_SETTING)!)).toHaveProperty([
      'chrome-extension://a/',
    ]);
    // A new native port (a new bridge connection) says hello: recorded again.
    await hello({ client: 'extension' }, { origin: 'chrome-extension://a/' });
    expect(writes()).toBe(2);
  });

  it('never records a connection without an origin (the CLI, the doctor)', async () => {
    const { ctx, writes } = fakeContext();
    const hello = hostHandlers(ctx)['host.hello'];
    await hello({ client: 'cli' }, {});
    expect(writes()).toBe(0);
  });
});
