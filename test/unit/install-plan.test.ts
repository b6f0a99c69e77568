/**
 * The installer's pure half: browser table, manifests, launchers, install/uninstall plans for
 * Linux, macOS and Windows — all against hand-built machines, nothing touches the disk.
 */
import path from 'node:path';
import {
  EXTENSION_ID,
  EXTENSION_ORIGIN,
  FIREFOX_ADDON_ID,
  HOST_NAME,
} from '../../src/protocol/constants.js';
import {
  BROWSER_IDS,
  parseBrowserId,
  type BrowserId,
} from '../../src/native-host/install/browsers.js';
import { PlanError, type InstallContext } from '../../src/native-host/install/context.js';
import { detectBrowsers, sandboxMessage } from '../../src/native-host/install/detect.js';
import { planInstall, planUninstall } from '../../src/native-host/install/plan.js';
import type { HostPaths } from '../../src/native-host/paths.js';

// ---- hand-built machines -------------------------------------------------------------------

function pathsUnder(home: string, platform: NodeJS.Platform): HostPaths {
  const p = platform === 'win32' ? path.win32 : path.posix;
  return {
    home,
    runDir: p.join(home, 'run'),
    socket: platform === 'win32' ? '\\\\.\\pipe\\sentinel-test' : p.join(home, 'run', 'host.sock'),
    logDir: p.join(home, 'logs'),
    serviceLog: p.join(home, 'logs', 'service.log'),
    binDir: p.join(home, 'bin'),
  };
}

interface Machine {
  /** Files and folders that exist (their parents exist too). */
  existing?: string[];
  /** Programs on PATH: name → absolute path. */
  onPath?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
}

function fakeFs(m: Machine, sep: string): Pick<InstallContext, 'exists' | 'which'> {
  const existing = m.existing ?? [];
  return {
    exists: (p) => existing.some((e) => e === p || e.startsWith(p + sep)),
    which: (name) => m.onPath?.[name] ?? null,
  };
}

const NODE = '/usr/bin/node';
const CLI = '/opt/sentinel/dist/host/native-host/cli.js';

function unixCtx(m: Machine = {}, platform: 'linux' | 'darwin' = 'linux'): InstallContext {
  const env = m.env ?? {};
  const homeDir = platform === 'darwin' ? '/Users/ann' : '/home/ann';
  const home =
    env.SENTINEL_HOME ??
    (platform === 'darwin'
      ? '/Users/ann/Library/Application Support/Sentinel Companion'
      : '/home/ann/.local/share/sentinel-companion');
  return {
    platform,
    homeDir,
    env,
    nodePath: NODE,
    cliPath: CLI,
    paths: pathsUnder(home, platform),
    ...fakeFs(m, '/'),
  };
}

const WIN_SENTINEL = 'C:\\Users\\Ann\\AppData\\Roaming\\Sentinel Companion';
const WIN_NODE = 'C:\\Program Files\\nodejs\\node.exe';
const WIN_CLI = 'C:\\Program Files\\Sentinel\\dist\\host\\native-host\\cli.js';

function winCtx(m: Machine = {}): InstallContext {
  return {
    platform: 'win32',
    homeDir: 'C:\\Users\\Ann',
    env: {
      LOCALAPPDATA: 'C:\\Users\\Ann\\AppData\\Local',
      APPDATA: 'C:\\Users\\Ann\\AppData\\Roaming',
      ...m.env,
    },
    nodePath: WIN_NODE,
    cliPath: WIN_CLI,
    paths: pathsUnder(m.env?.SENTINEL_HOME ?? WIN_SENTINEL, 'win32'),
    ...fakeFs(m, '\\'),
  };
}

function planError(fn: () => unknown): PlanError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlanError) return e;
    throw e;
  }
  throw new Error('expected a PlanError');
}

const fileAt = (plan: ReturnType<typeof planInstall>, p: string) => {
  const f = plan.files.find((x) => x.path === p);
  if (!f) throw new Error(`no planned file ${p}; have ${plan.files.map((x) => x.path).join(', ')}`);
  return f;
};

// ---- manifest locations ---------------------------------------------------------------------

const LINUX_DIRS: Record<BrowserId, string> = {
  chrome: '/home/ann/.config/google-chrome/NativeMessagingHosts',
  chromium: '/home/ann/.config/chromium/NativeMessagingHosts',
  edge: '/home/ann/.config/microsoft-edge/NativeMessagingHosts',
  brave: '/home/ann/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts',
  vivaldi: '/home/ann/.config/vivaldi/NativeMessagingHosts',
  firefox: '/home/ann/.mozilla/native-messaging-hosts',
};

const MAC_AS = '/Users/ann/Library/Application Support';
const DARWIN_DIRS: Record<BrowserId, string> = {
  chrome: `${MAC_AS}/Google/Chrome/NativeMessagingHosts`,
  chromium: `${MAC_AS}/Chromium/NativeMessagingHosts`,
  edge: `${MAC_AS}/Microsoft Edge/NativeMessagingHosts`,
  brave: `${MAC_AS}/BraveSoftware/Brave-Browser/NativeMessagingHosts`,
  vivaldi: `${MAC_AS}/Vivaldi/NativeMessagingHosts`,
  firefox: `${MAC_AS}/Mozilla/NativeMessagingHosts`,
};

describe('manifest location per browser', () => {
  it.each(BROWSER_IDS.map((b) => [b, LINUX_DIRS[b]] as const))('linux %s → %s', (browser, dir) => {
    const plan = planInstall({ browsers: [browser] }, unixCtx());
    expect(plan.manifests).toEqual([
      { browser, manifestPath: `${dir}/${HOST_NAME}.json`, registryKeys: [] },
    ]);
    expect(fileAt(plan, `${dir}/${HOST_NAME}.json`).mode).toBe(0o644);
    expect(plan.dirs).toContainEqual({ path: dir, mode: 0o755, enforceMode: false });
    expect(plan.commands).toEqual([]);
  });

  it.each(BROWSER_IDS.map((b) => [b, DARWIN_DIRS[b]] as const))(
    'darwin %s → %s',
    (browser, dir) => {
      const plan = planInstall({ browsers: [browser] }, unixCtx({}, 'darwin'));
      expect(plan.manifests.map((m) => m.manifestPath)).toEqual([`${dir}/${HOST_NAME}.json`]);
    },
  );

  it('follows XDG_CONFIG_HOME for the Chromium family on Linux, not for Firefox', () => {
    const ctx = unixCtx({ env: { XDG_CONFIG_HOME: '/home/ann/cfg' } });
    const plan = planInstall({ browsers: ['chromium', 'firefox'] }, ctx);
    expect(plan.manifests.map((m) => m.manifestPath)).toEqual([
      `/home/ann/cfg/chromium/NativeMessagingHosts/${HOST_NAME}.json`,
      `/home/ann/.mozilla/native-messaging-hosts/${HOST_NAME}.json`,
    ]);
  });

  it('knows the usual spellings of browser names', () => {
    expect(parseBrowserId('Chrome')).toBe('chrome');
    expect(parseBrowserId('google-chrome')).toBe('chrome');
    expect(parseBrowserId('msedge')).toBe('edge');
    expect(parseBrowserId('opera')).toBeNull();
  });
});

// ---- manifest and launcher content ----------------------------------------------------------

describe('manifest content', () => {
  it('Chromium family: allowed_origins with the published extension; Firefox: allowed_extensions', () => {
    const plan = planInstall({ browsers: ['chrome', 'firefox'] }, unixCtx());
    const launcher = '/home/ann/.local/share/sentinel-companion/bin/sentinel-native-host';
    expect(plan.launcherPath).toBe(launcher);
    const chrome = JSON.parse(fileAt(plan, `${LINUX_DIRS.chrome}/${HOST_NAME}.json`).content);
    expect(chrome).toEqual({
      name: HOST_NAME,
      description: 'Sentinel Companion native host',
      path: launcher,
      type: 'stdio',
      allowed_origins: [EXTENSION_ORIGIN],
    });
    const firefox = JSON.parse(fileAt(plan, `${LINUX_DIRS.firefox}/${HOST_NAME}.json`).content);
    expect(firefox).toEqual({
      name: HOST_NAME,
      description: 'Sentinel Companion native host',
      path: launcher,
      type: 'stdio',
      allowed_extensions: [FIREFOX_ADDON_ID],
    });
    expect(firefox).not.toHaveProperty('allowed_origins');
  });
});

describe('launcher (Linux/macOS)', () => {
  it('execs node and cli.js by absolute path, mode 0755, private folders 0700', () => {
    const plan = planInstall({ browsers: ['chromium'] }, unixCtx());
    const launcher = fileAt(plan, plan.launcherPath);
    expect(launcher.mode).toBe(0o755);
    expect(launcher.content.startsWith('#!/bin/sh\n')).toBe(true);
    expect(launcher.content).toContain(`exec '${NODE}' '${CLI}' native "$@"\n`);
    expect(launcher.content).not.toContain('SENTINEL_HOME');
    expect(launcher.content).not.toContain('SENTINEL_ALLOWED_ORIGINS');
    expect(plan.dirs).toContainEqual({
      path: '/home/ann/.local/share/sentinel-companion',
      mode: 0o700,
      enforceMode: true,
    });
    expect(plan.dirs).toContainEqual({
      path: '/home/ann/.local/share/sentinel-companion/bin',
      mode: 0o700,
      enforceMode: true,
    });
  });

  it('quotes paths with spaces and single quotes, and exports SENTINEL_HOME when it is set', () => {
    const home = "/home/ann/it's my home/sentinel";
    const ctx: InstallContext = {
      ...unixCtx({ env: { SENTINEL_HOME: home } }),
      nodePath: '/opt/node v20/bin/node',
      cliPath: "/home/ann/Bob's apps/sentinel/cli.js",
    };
    const plan = planInstall({ browsers: ['chromium'] }, ctx);
    expect(plan.launcherPath).toBe(`${home}/bin/sentinel-native-host`);
    const text = fileAt(plan, plan.launcherPath).content;
    expect(text).toContain(`export SENTINEL_HOME='/home/ann/it'\\''s my home/sentinel'\n`);
    expect(text).toContain(
      `exec '/opt/node v20/bin/node' '/home/ann/Bob'\\''s apps/sentinel/cli.js' native "$@"\n`,
    );
  });

  it('exports SENTINEL_HOME when the home came from XDG_DATA_HOME', () => {
    const ctx = unixCtx({ env: { XDG_DATA_HOME: '/data', SENTINEL_HOME: undefined } });
    ctx.paths = pathsUnder('/data/sentinel-companion', 'linux');
    const text = fileAt(
      planInstall({ browsers: ['chromium'] }, ctx),
      '/data/sentinel-companion/bin/sentinel-native-host',
    ).content;
    expect(text).toContain(`export SENTINEL_HOME='/data/sentinel-companion'\n`);
  });
});

// ---- flags ----------------------------------------------------------------------------------

describe('--user-data-dir and --extension-id', () => {
  const ID_A = 'abcdefghijklmnopabcdefghijklmnop';
  const ID_B = 'ppppppppppppppppaaaaaaaaaaaaaaaa';

  it('--user-data-dir writes DIR/NativeMessagingHosts/ and defaults to chromium', () => {
    const plan = planInstall({ userDataDir: '/tmp/profile one' }, unixCtx());
    expect(plan.browsers).toEqual(['chromium']);
    expect(plan.manifests.map((m) => m.manifestPath)).toEqual([
      `/tmp/profile one/NativeMessagingHosts/${HOST_NAME}.json`,
    ]);
    expect(plan.dirs).toContainEqual({
      path: '/tmp/profile one/NativeMessagingHosts',
      mode: 0o755,
      enforceMode: false,
    });
    expect(plan.warnings).toEqual([]);
  });

  it('--user-data-dir refuses Firefox, several browsers and relative paths', () => {
    expect(
      planError(() => planInstall({ userDataDir: '/p', browsers: ['firefox'] }, unixCtx())).message,
    ).toMatch(/Chromium-family/);
    expect(
      planError(() => planInstall({ userDataDir: '/p', browsers: ['chrome', 'edge'] }, unixCtx()))
        .message,
    ).toMatch(/at most one --browser/);
    expect(planError(() => planInstall({ userDataDir: 'rel/p' }, unixCtx())).message).toMatch(
      /absolute/,
    );
    expect(planError(() => planInstall({ userDataDir: 'C:\\p' }, winCtx())).message).toMatch(
      /not supported on Windows/,
    );
  });

  it('--extension-id replaces the published id in allowed_origins and in the launcher', () => {
    const plan = planInstall({ browsers: ['chromium'], extensionIds: [ID_A, ID_B] }, unixCtx());
    const manifest = JSON.parse(fileAt(plan, `${LINUX_DIRS.chromium}/${HOST_NAME}.json`).content);
    expect(manifest.allowed_origins).toEqual([
      `chrome-extension://${ID_A}/`,
      `chrome-extension://${ID_B}/`,
    ]);
    expect(fileAt(plan, plan.launcherPath).content).toContain(
      `export SENTINEL_ALLOWED_ORIGINS='chrome-extension://${ID_A}/ chrome-extension://${ID_B}/'\n`,
    );
  });

  it('--extension-id keeps the Firefox add-on allowed when Firefox is a target', () => {
    const plan = planInstall(
      { browsers: ['chromium', 'firefox'], extensionIds: [ID_A] },
      unixCtx(),
    );
    expect(fileAt(plan, plan.launcherPath).content).toContain(
      `export SENTINEL_ALLOWED_ORIGINS='chrome-extension://${ID_A}/ ${FIREFOX_ADDON_ID}'\n`,
    );
    const ff = JSON.parse(fileAt(plan, `${LINUX_DIRS.firefox}/${HOST_NAME}.json`).content);
    expect(ff.allowed_extensions).toEqual([FIREFOX_ADDON_ID]);
  });

  it('--extension-id takes Firefox add-on ids too: each replaces the default of its own browsers', () => {
    const fork = 'fork@example.org';
    const guid = '{0f8e1a52-7c2b-4a6e-9d11-3b5c7e9f0a12}';
    const plan = planInstall(
      { browsers: ['chromium', 'firefox'], extensionIds: [fork, guid] },
      unixCtx(),
    );
    const ff = JSON.parse(fileAt(plan, `${LINUX_DIRS.firefox}/${HOST_NAME}.json`).content);
    expect(ff.allowed_extensions).toEqual([fork, guid]);
    const cr = JSON.parse(fileAt(plan, `${LINUX_DIRS.chromium}/${HOST_NAME}.json`).content);
    expect(cr.allowed_origins).toEqual([EXTENSION_ORIGIN]);
    expect(fileAt(plan, plan.launcherPath).content).toContain(
      `export SENTINEL_ALLOWED_ORIGINS='${EXTENSION_ORIGIN} ${fork} ${guid}'\n`,
    );
  });

  it.each([
    ['too short', 'abcdefghijklmnop'],
    ['letters past p', 'abcdefghijklmnopqrstuvwxyzabcdef'],
    ['upper case', EXTENSION_ID.toUpperCase()],
    ['a whole origin', EXTENSION_ORIGIN],
  ])('--extension-id rejects %s with a clear error', (_what, id) => {
    const err = planError(() =>
      planInstall({ browsers: ['chromium'], extensionIds: [id] }, unixCtx()),
    );
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(`--extension-id "${id}"`);
    expect(err.message).toContain('exactly 32 letters from a to p');
  });
});

// ---- detection ------------------------------------------------------------------------------

describe('browser detection', () => {
  it('installs for every browser found (first-run file or program on PATH), only those', () => {
    // ~/.config/chromium/NativeMessagingHosts alone is our own doing, not a sign of Chromium.
    const ctx = unixCtx({
      existing: [
        '/home/ann/.config/google-chrome/Local State',
        `${LINUX_DIRS.chromium}/${HOST_NAME}.json`,
      ],
      onPath: { firefox: '/usr/bin/firefox' },
    });
    expect(
      detectBrowsers(ctx)
        .filter((d) => d.native)
        .map((d) => d.id),
    ).toEqual(['chrome', 'firefox']);
    // A browser installed for before is refreshed too.
    expect(planInstall({}, ctx).browsers).toEqual(['chrome', 'chromium', 'firefox']);
  });

  it.each([
    ["Debian's Firefox ESR program", { onPath: { 'firefox-esr': '/usr/bin/firefox-esr' } }],
    ['a Firefox release program', { onPath: { firefox: '/usr/bin/firefox' } }],
    [
      'an ESR or release profile in ~/.mozilla',
      { existing: ['/home/ann/.mozilla/firefox/profiles.ini'] },
    ],
    // Firefox 147+ puts new profiles under XDG_CONFIG_HOME (default ~/.config).
    [
      'a profile in ~/.config/mozilla',
      { existing: ['/home/ann/.config/mozilla/firefox/profiles.ini'] },
    ],
    [
      'a profile under $XDG_CONFIG_HOME',
      { existing: ['/xdg/mozilla/firefox/profiles.ini'], env: { XDG_CONFIG_HOME: '/xdg' } },
    ],
  ] as [string, Machine][])(
    'Firefox is found by %s; its manifest goes to ~/.mozilla',
    (_what, m) => {
      const ctx = unixCtx(m);
      const plan = planInstall({}, ctx);
      expect(plan.browsers).toEqual(['firefox']);
      // Firefox 153 ESR still reads only ~/.mozilla/native-messaging-hosts (checked in
      // test/e2e/firefox-popup.e2e.test.ts: a manifest under ~/.config/mozilla is not found).
      expect(plan.manifests.map((t) => t.manifestPath)).toEqual([
        `/home/ann/.mozilla/native-messaging-hosts/${HOST_NAME}.json`,
      ]);
    },
  );

  it('macOS: an app bundle in /Applications counts', () => {
    const ctx = unixCtx({ existing: ['/Applications/Brave Browser.app'] }, 'darwin');
    expect(planInstall({}, ctx).browsers).toEqual(['brave']);
  });

  it('Windows: the profile folder under LocalAppData / AppData counts', () => {
    const ctx = winCtx({
      existing: [
        'C:\\Users\\Ann\\AppData\\Local\\Microsoft\\Edge\\User Data\\Local State',
        'C:\\Users\\Ann\\AppData\\Roaming\\Mozilla\\Firefox\\profiles.ini',
      ],
    });
    expect(planInstall({}, ctx).browsers).toEqual(['edge', 'firefox']);
  });

  it('"no browser detected" tells to pass --browser and lists the names', () => {
    const err = planError(() => planInstall({}, unixCtx()));
    expect(err.exitCode).toBe(1);
    expect(err.message).toContain('No supported browser');
    expect(err.message).toContain('--browser');
    expect(err.message).toContain('chrome, chromium, edge, brave, vivaldi, firefox');
  });

  it('a Snap or Flatpak browser is named in a plain warning and gets no manifest by default', () => {
    const ctx = unixCtx({
      existing: [
        '/home/ann/snap/chromium/common',
        '/home/ann/.var/app/com.google.Chrome',
        '/home/ann/.mozilla/firefox/profiles.ini',
      ],
    });
    const plan = planInstall({}, ctx);
    expect(plan.browsers).toEqual(['firefox']);
    expect(plan.warnings).toEqual([
      "Google Chrome installed as a Flatpak cannot start programs outside its sandbox, so it cannot reach the Sentinel host. Install Google Chrome from your distribution's .deb/.rpm or from the vendor, or use another browser.",
      "Chromium installed as a Snap cannot start programs outside its sandbox, so it cannot reach the Sentinel host. Install Chromium from your distribution's .deb/.rpm or from the vendor, or use another browser.",
    ]);
  });

  it('only sandboxed browsers: the error carries the explanation, never a silent failure', () => {
    const ctx = unixCtx({ onPath: { chromium: '/snap/bin/chromium' } });
    expect(detectBrowsers(ctx).find((d) => d.id === 'chromium')).toMatchObject({
      native: false,
      sandboxed: [{ kind: 'Snap', evidence: '/snap/bin/chromium' }],
    });
    const err = planError(() => planInstall({}, ctx));
    expect(err.message).toContain(sandboxMessage('chromium', 'Snap'));
  });

  it('--browser for a sandboxed browser still installs, with the warning', () => {
    const ctx = unixCtx({ existing: ['/home/ann/.var/app/org.mozilla.firefox'] });
    const plan = planInstall({ browsers: ['firefox'] }, ctx);
    expect(plan.browsers).toEqual(['firefox']);
    expect(plan.warnings).toEqual([sandboxMessage('firefox', 'Flatpak')]);
    expect(plan.warnings[0]).toMatch(/^Firefox installed as a Flatpak cannot start programs/);
  });
});

// ---- Windows --------------------------------------------------------------------------------

describe('Windows install', () => {
  const key = (base: string) => `HKCU\\${base}\\NativeMessagingHosts\\${HOST_NAME}`;
  const manifestOf = (b: BrowserId) => `${WIN_SENTINEL}\\native-messaging\\${b}\\${HOST_NAME}.json`;
  const regAdd = (k: string, m: string) => ({
    command: 'reg',
    args: ['add', k, '/ve', '/t', 'REG_SZ', '/d', m, '/f'],
  });

  it('writes the manifest under SENTINEL_HOME and registers it with exact reg add arguments', () => {
    const plan = planInstall({ browsers: ['chrome', 'chromium', 'edge', 'firefox'] }, winCtx());
    expect(plan.manifests.map((m) => m.manifestPath)).toEqual(
      ['chrome', 'chromium', 'edge', 'firefox'].map((b) => manifestOf(b as BrowserId)),
    );
    expect(plan.commands).toEqual([
      regAdd(key('Software\\Google\\Chrome'), manifestOf('chrome')),
      regAdd(key('Software\\Chromium'), manifestOf('chromium')),
      regAdd(key('Software\\Microsoft\\Edge'), manifestOf('edge')),
      regAdd(key('Software\\Mozilla'), manifestOf('firefox')),
    ]);
    const manifest = JSON.parse(fileAt(plan, manifestOf('chrome')).content);
    expect(manifest.path).toBe(`${WIN_SENTINEL}\\bin\\sentinel-native-host.cmd`);
  });

  it("Vivaldi uses Chrome's key; Brave its own key plus Chrome's; a shared key is written once", () => {
    expect(planInstall({ browsers: ['vivaldi'] }, winCtx()).commands).toEqual([
      regAdd(key('Software\\Google\\Chrome'), manifestOf('vivaldi')),
    ]);
    expect(planInstall({ browsers: ['brave'] }, winCtx()).commands).toEqual([
      regAdd(key('Software\\BraveSoftware\\Brave-Browser'), manifestOf('brave')),
      regAdd(key('Software\\Google\\Chrome'), manifestOf('brave')),
    ]);
    expect(planInstall({ browsers: ['chrome', 'brave', 'vivaldi'] }, winCtx()).commands).toEqual([
      regAdd(key('Software\\Google\\Chrome'), manifestOf('chrome')),
      regAdd(key('Software\\BraveSoftware\\Brave-Browser'), manifestOf('brave')),
    ]);
  });

  it('the .cmd launcher names node.exe and cli.js in quotes and sets the variables', () => {
    const ctx = winCtx({ env: { SENTINEL_HOME: 'D:\\Sentinel 100%' } });
    const plan = planInstall({ browsers: ['edge'], extensionIds: [EXTENSION_ID] }, ctx);
    expect(plan.launcherPath).toBe('D:\\Sentinel 100%\\bin\\sentinel-native-host.cmd');
    expect(fileAt(plan, plan.launcherPath).content).toBe(
      [
        '@echo off',
        'rem Sentinel Companion native-messaging launcher, written by `sentinel-host install`.',
        'set "SENTINEL_HOME=D:\\Sentinel 100%%"',
        `set "SENTINEL_ALLOWED_ORIGINS=${EXTENSION_ORIGIN}"`,
        `"${WIN_NODE}" "${WIN_CLI}" native %*`,
        '',
      ].join('\r\n'),
    );
  });
});

// ---- uninstall ------------------------------------------------------------------------------

describe('uninstall plan', () => {
  const launcher = '/home/ann/.local/share/sentinel-companion/bin/sentinel-native-host';
  const m = (b: BrowserId) => `${LINUX_DIRS[b]}/${HOST_NAME}.json`;

  it('removes every manifest present and then the launcher', () => {
    const ctx = unixCtx({ existing: [m('chrome'), m('firefox'), launcher] });
    const plan = planUninstall({}, ctx);
    expect(plan.remove).toEqual([m('chrome'), m('firefox'), launcher]);
    expect(plan.commands).toEqual([]);
  });

  it('keeps the launcher while another browser still uses it', () => {
    const ctx = unixCtx({ existing: [m('chrome'), m('firefox'), launcher] });
    const plan = planUninstall({ browsers: ['chrome'] }, ctx);
    expect(plan.remove).toEqual([m('chrome')]);
    expect(plan.summary.join('\n')).toContain(`Keep ${launcher} (still used by firefox)`);
  });

  it('--user-data-dir removes only that manifest', () => {
    const custom = `/tmp/prof/NativeMessagingHosts/${HOST_NAME}.json`;
    const plan = planUninstall(
      { userDataDir: '/tmp/prof' },
      unixCtx({ existing: [custom, launcher] }),
    );
    expect(plan.remove).toEqual([custom]);
  });

  it('Windows: reg delete for each key, re-pointing a key another kept browser shares', () => {
    const chromeManifest = `${WIN_SENTINEL}\\native-messaging\\chrome\\${HOST_NAME}.json`;
    const braveManifest = `${WIN_SENTINEL}\\native-messaging\\brave\\${HOST_NAME}.json`;
    const ctx = winCtx({ existing: [chromeManifest, braveManifest] });
    const plan = planUninstall({ browsers: ['brave'] }, ctx);
    expect(plan.remove).toEqual([braveManifest]);
    expect(plan.commands).toEqual([
      {
        command: 'reg',
        args: [
          'delete',
          `HKCU\\Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts\\${HOST_NAME}`,
          '/f',
        ],
        ignoreFailure: true,
      },
      {
        command: 'reg',
        args: [
          'add',
          `HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\${HOST_NAME}`,
          '/ve',
          '/t',
          'REG_SZ',
          '/d',
          chromeManifest,
          '/f',
        ],
      },
    ]);
    const all = planUninstall({}, ctx);
    expect(all.commands.map((c) => c.args.slice(0, 2))).toEqual([
      ['delete', `HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\${HOST_NAME}`],
      ['delete', `HKCU\\Software\\Chromium\\NativeMessagingHosts\\${HOST_NAME}`],
      ['delete', `HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\${HOST_NAME}`],
      [
        'delete',
        `HKCU\\Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts\\${HOST_NAME}`,
      ],
      ['delete', `HKCU\\Software\\Mozilla\\NativeMessagingHosts\\${HOST_NAME}`],
    ]);
  });
});
