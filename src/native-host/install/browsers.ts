/**
 * The browsers the installer knows: where each one reads native-messaging host manifests on
 * every OS, and how to tell that it is installed. Pure data plus path arithmetic — no I/O.
 */
import { HOST_NAME } from '../../protocol/constants.js';
import { pathFor } from './context.js';

export type BrowserId = 'chrome' | 'chromium' | 'edge' | 'brave' | 'vivaldi' | 'firefox';

/** Every supported browser, in the order the installer reports them. */
export const BROWSER_IDS: readonly BrowserId[] = [
  'chrome',
  'chromium',
  'edge',
  'brave',
  'vivaldi',
  'firefox',
];

/** Chromium family manifests carry `allowed_origins`; Firefox manifests `allowed_extensions`. */
export type BrowserFamily = 'chromium' | 'firefox';

/** Where a folder lives on Linux: under $XDG_CONFIG_HOME (default ~/.config) or under ~. */
type LinuxBase = 'config' | 'home';

export interface BrowserInfo {
  id: BrowserId;
  /** Name shown to people. */
  name: string;
  family: BrowserFamily;
  linux: {
    base: LinuxBase;
    /** Native-messaging manifest folder, relative to `base`. */
    manifestDir: string[];
    /** A file the browser writes on first run (not a folder we create ourselves), under `base`. */
    profileMarker: string[];
    /**
     * The same file where newer versions write it, under $XDG_CONFIG_HOME (Firefox 147 and later
     * put new profiles in ~/.config/mozilla/firefox; ~/.mozilla/firefox is kept for old ones).
     */
    xdgProfileMarker?: string[];
    /** Programs on PATH that mean the browser is installed. */
    binaries: string[];
    /** Flatpak application id (~/.var/app/<id>). */
    flatpak: string;
    /** Snap name (~/snap/<name>), when the browser ships as a Snap. */
    snap?: string;
  };
  darwin: {
    /** Manifest folder relative to ~. */
    manifestDir: string[];
    /** First-run file relative to ~. */
    profileMarker: string[];
    /** Bundle name under /Applications or ~/Applications. */
    app: string;
  };
  win32: {
    /**
     * HKCU registry keys (without the host name) whose default value must name the manifest.
     * The first one is the browser's own key.
     */
    registryKeys: string[];
    /** First-run file: base env var and path under it. */
    profileBase: 'LOCALAPPDATA' | 'APPDATA';
    profileMarker: string[];
  };
}

const CHROME_KEY = 'Software\\Google\\Chrome\\NativeMessagingHosts';
const AS = ['Library', 'Application Support'];
const NMH = 'NativeMessagingHosts';
/** Chromium writes this file at the top of its user-data folder on first run. */
const LOCAL_STATE = 'Local State';
/** Firefox lists its profiles here. */
const PROFILES_INI = 'profiles.ini';

export const BROWSERS: Readonly<Record<BrowserId, BrowserInfo>> = {
  chrome: {
    id: 'chrome',
    name: 'Google Chrome',
    family: 'chromium',
    linux: {
      base: 'config',
      manifestDir: ['google-chrome', NMH],
      profileMarker: ['google-chrome', LOCAL_STATE],
      binaries: ['google-chrome', 'google-chrome-stable'],
      flatpak: 'com.google.Chrome',
    },
    darwin: {
      manifestDir: [...AS, 'Google', 'Chrome', NMH],
      profileMarker: [...AS, 'Google', 'Chrome', LOCAL_STATE],
      app: 'Google Chrome.app',
    },
    win32: {
      registryKeys: [CHROME_KEY],
      profileBase: 'LOCALAPPDATA',
      profileMarker: ['Google', 'Chrome', 'User Data', LOCAL_STATE],
    },
  },
  chromium: {
    id: 'chromium',
    name: 'Chromium',
    family: 'chromium',
    linux: {
      base: 'config',
      manifestDir: ['chromium', NMH],
      profileMarker: ['chromium', LOCAL_STATE],
      binaries: ['chromium', 'chromium-browser'],
      flatpak: 'org.chromium.Chromium',
      snap: 'chromium',
    },
    darwin: {
      manifestDir: [...AS, 'Chromium', NMH],
      profileMarker: [...AS, 'Chromium', LOCAL_STATE],
      app: 'Chromium.app',
    },
    win32: {
      // Chromium-branded builds read this key first, then fall back to Chrome's
      // (chrome/browser/extensions/api/messaging/native_process_launcher_win.cc).
      registryKeys: ['Software\\Chromium\\NativeMessagingHosts'],
      profileBase: 'LOCALAPPDATA',
      profileMarker: ['Chromium', 'User Data', LOCAL_STATE],
    },
  },
  edge: {
    id: 'edge',
    name: 'Microsoft Edge',
    family: 'chromium',
    linux: {
      base: 'config',
      manifestDir: ['microsoft-edge', NMH],
      profileMarker: ['microsoft-edge', LOCAL_STATE],
      binaries: ['microsoft-edge', 'microsoft-edge-stable'],
      flatpak: 'com.microsoft.Edge',
    },
    darwin: {
      manifestDir: [...AS, 'Microsoft Edge', NMH],
      profileMarker: [...AS, 'Microsoft Edge', LOCAL_STATE],
      app: 'Microsoft Edge.app',
    },
    win32: {
      registryKeys: ['Software\\Microsoft\\Edge\\NativeMessagingHosts'],
      profileBase: 'LOCALAPPDATA',
      profileMarker: ['Microsoft', 'Edge', 'User Data', LOCAL_STATE],
    },
  },
  brave: {
    id: 'brave',
    name: 'Brave',
    family: 'chromium',
    linux: {
      base: 'config',
      manifestDir: ['BraveSoftware', 'Brave-Browser', NMH],
      profileMarker: ['BraveSoftware', 'Brave-Browser', LOCAL_STATE],
      binaries: ['brave-browser', 'brave'],
      flatpak: 'com.brave.Browser',
      snap: 'brave',
    },
    darwin: {
      manifestDir: [...AS, 'BraveSoftware', 'Brave-Browser', NMH],
      profileMarker: [...AS, 'BraveSoftware', 'Brave-Browser', LOCAL_STATE],
      app: 'Brave Browser.app',
    },
    win32: {
      // Brave's own key is what Brave-aware installers write; we could not confirm from
      // Brave's sources that Brave reads it. Upstream Chromium always falls back to Chrome's
      // key, so we register that one too (doctor and uninstall treat it as shared).
      registryKeys: ['Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts', CHROME_KEY],
      profileBase: 'LOCALAPPDATA',
      profileMarker: ['BraveSoftware', 'Brave-Browser', 'User Data', LOCAL_STATE],
    },
  },
  vivaldi: {
    id: 'vivaldi',
    name: 'Vivaldi',
    family: 'chromium',
    linux: {
      base: 'config',
      manifestDir: ['vivaldi', NMH],
      profileMarker: ['vivaldi', LOCAL_STATE],
      binaries: ['vivaldi', 'vivaldi-stable'],
      flatpak: 'com.vivaldi.Vivaldi',
    },
    darwin: {
      manifestDir: [...AS, 'Vivaldi', NMH],
      profileMarker: [...AS, 'Vivaldi', LOCAL_STATE],
      app: 'Vivaldi.app',
    },
    win32: {
      // Vivaldi on Windows has no key of its own: it reads Google Chrome's
      // (keepassxreboot/keepassxc-browser#48; KeePassXC registers Vivaldi under Chrome's key).
      registryKeys: [CHROME_KEY],
      profileBase: 'LOCALAPPDATA',
      profileMarker: ['Vivaldi', 'User Data', LOCAL_STATE],
    },
  },
  firefox: {
    id: 'firefox',
    name: 'Firefox',
    family: 'firefox',
    linux: {
      base: 'home',
      manifestDir: ['.mozilla', 'native-messaging-hosts'],
      profileMarker: ['.mozilla', 'firefox', PROFILES_INI],
      xdgProfileMarker: ['mozilla', 'firefox', PROFILES_INI],
      // Debian ships Firefox ESR as firefox-esr; Mozilla's packages and other distributions as
      // firefox. Both read the same native-messaging folder, ~/.mozilla/native-messaging-hosts.
      binaries: ['firefox', 'firefox-esr'],
      flatpak: 'org.mozilla.firefox',
      snap: 'firefox',
    },
    darwin: {
      manifestDir: [...AS, 'Mozilla', NMH],
      profileMarker: [...AS, 'Firefox', PROFILES_INI],
      app: 'Firefox.app',
    },
    win32: {
      registryKeys: ['Software\\Mozilla\\NativeMessagingHosts'],
      profileBase: 'APPDATA',
      profileMarker: ['Mozilla', 'Firefox', PROFILES_INI],
    },
  },
};

/** Other names people type for a browser (`--browser google-chrome`). */
const ALIASES: Readonly<Record<string, BrowserId>> = {
  'google-chrome': 'chrome',
  'microsoft-edge': 'edge',
  msedge: 'edge',
  'brave-browser': 'brave',
  mozilla: 'firefox',
};

/** The browser id a user typed, or null when it names no supported browser. */
export function parseBrowserId(name: string): BrowserId | null {
  const n = name.trim().toLowerCase();
  if ((BROWSER_IDS as readonly string[]).includes(n)) return n as BrowserId;
  return ALIASES[n] ?? null;
}

/** What a path helper needs to know about the machine. */
export interface LocationContext {
  platform: NodeJS.Platform;
  homeDir: string;
  env: NodeJS.ProcessEnv;
}

/** $XDG_CONFIG_HOME when it is an absolute path, else ~/.config (as Chromium resolves it). */
export function linuxConfigHome(ctx: LocationContext): string {
  const xdg = ctx.env.XDG_CONFIG_HOME;
  return xdg && xdg.startsWith('/') ? xdg : pathFor('linux').join(ctx.homeDir, '.config');
}

function linuxBase(ctx: LocationContext, base: LinuxBase): string {
  return base === 'config' ? linuxConfigHome(ctx) : ctx.homeDir;
}

/**
 * The folder a browser reads user-level host manifests from on Linux and macOS.
 * Windows has no such folder (the registry names the manifest): throws there.
 */
export function manifestDirFor(id: BrowserId, ctx: LocationContext): string {
  const b = BROWSERS[id];
  const p = pathFor(ctx.platform);
  if (ctx.platform === 'darwin') return p.join(ctx.homeDir, ...b.darwin.manifestDir);
  if (ctx.platform === 'win32') {
    throw new Error(
      'On Windows the registry, not a folder, tells the browser where the manifest is',
    );
  }
  return p.join(linuxBase(ctx, b.linux.base), ...b.linux.manifestDir);
}

/**
 * A file the browser itself writes in its user-data folder on first run. Not the folder alone:
 * installing a manifest creates ~/.config/<browser>/ and must not make the browser look installed.
 */
export function profileMarkerFor(id: BrowserId, ctx: LocationContext): string {
  const b = BROWSERS[id];
  const p = pathFor(ctx.platform);
  if (ctx.platform === 'darwin') return p.join(ctx.homeDir, ...b.darwin.profileMarker);
  if (ctx.platform === 'win32') {
    const fallback =
      b.win32.profileBase === 'APPDATA'
        ? p.join(ctx.homeDir, 'AppData', 'Roaming')
        : p.join(ctx.homeDir, 'AppData', 'Local');
    return p.join(ctx.env[b.win32.profileBase] ?? fallback, ...b.win32.profileMarker);
  }
  return p.join(linuxBase(ctx, b.linux.base), ...b.linux.profileMarker);
}

/** Every first-run file that shows the browser was used here (Linux: legacy and XDG places). */
export function profileMarkersFor(id: BrowserId, ctx: LocationContext): string[] {
  const xdg = BROWSERS[id].linux.xdgProfileMarker;
  const first = profileMarkerFor(id, ctx);
  if (ctx.platform === 'darwin' || ctx.platform === 'win32' || !xdg) return [first];
  return [first, pathFor('linux').join(linuxConfigHome(ctx), ...xdg)];
}

/** Full HKCU key paths (`HKCU\Software\…\com.sentinel.companion`) for a browser. */
export function registryKeysFor(id: BrowserId): string[] {
  return BROWSERS[id].win32.registryKeys.map((k) => `HKCU\\${k}\\${HOST_NAME}`);
}

/** The file name every manifest has. */
export const MANIFEST_FILE = `${HOST_NAME}.json`;
