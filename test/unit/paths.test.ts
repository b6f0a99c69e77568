import { defaultHome, hostPaths } from '../../src/native-host/paths.js';

describe('host paths', () => {
  it('SENTINEL_HOME decides where everything lives', () => {
    const p = hostPaths({ SENTINEL_HOME: '/tmp/sh' }, 'linux');
    expect(p).toMatchObject({
      home: '/tmp/sh',
      runDir: '/tmp/sh/run',
      socket: '/tmp/sh/run/host.sock',
      logDir: '/tmp/sh/logs',
      serviceLog: '/tmp/sh/logs/service.log',
    });
  });

  it('defaults to the OS per-user data folder', () => {
    expect(defaultHome('linux', {}, '/home/u')).toBe('/home/u/.local/share/sentinel-companion');
    expect(defaultHome('linux', { XDG_DATA_HOME: '/data' }, '/home/u')).toBe(
      '/data/sentinel-companion',
    );
    expect(defaultHome('darwin', {}, '/Users/u')).toBe(
      '/Users/u/Library/Application Support/Sentinel Companion',
    );
    expect(
      defaultHome('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u'),
    ).toMatch(/Sentinel Companion$/);
  });

  it('Windows uses a named pipe per home', () => {
    const a = hostPaths({ SENTINEL_HOME: 'C:\\a' }, 'win32').socket;
    const b = hostPaths({ SENTINEL_HOME: 'C:\\b' }, 'win32').socket;
    expect(a).toMatch(/^\\\\\.\\pipe\\sentinel-companion-[0-9a-f]{16}$/);
    expect(a).not.toBe(b);
  });

  it('refuses a home too deep for a unix socket, saying what to do', () => {
    expect(() => hostPaths({ SENTINEL_HOME: `/tmp/${'x'.repeat(120)}` }, 'linux')).toThrow(
      /Set SENTINEL_HOME to a shorter folder/,
    );
  });
});
