/**
 * Which browsers a command acts on and where their manifests go. Shared by install, uninstall
 * and doctor so the three always agree on paths.
 */
import {
  BROWSER_IDS,
  BROWSERS,
  MANIFEST_FILE,
  manifestDirFor,
  registryKeysFor,
  type BrowserId,
} from './browsers.js';
import { PlanError, pathFor, type InstallContext } from './context.js';
import { shQuote } from './launcher.js';

/** The flags install, uninstall and doctor share. */
export interface TargetOptions {
  /** From repeated `--browser NAME`. */
  browsers?: BrowserId[];
  /** `--user-data-dir DIR`: the manifest goes to DIR/NativeMessagingHosts/ (Chromium family). */
  userDataDir?: string;
  /** `--extension-id ID`, repeatable: replaces the published extension id in allowed_origins. */
  extensionIds?: string[];
}

export interface Target {
  browser: BrowserId;
  /** Absolute path of the manifest file. */
  manifestPath: string;
  /** Windows only: full HKCU keys whose default value must be manifestPath. */
  registryKeys: string[];
}

/** The manifest location for one browser (honouring --user-data-dir). */
export function targetFor(browser: BrowserId, ctx: InstallContext, userDataDir?: string): Target {
  const p = pathFor(ctx.platform);
  if (userDataDir) {
    return {
      browser,
      manifestPath: p.join(userDataDir, 'NativeMessagingHosts', MANIFEST_FILE),
      registryKeys: [],
    };
  }
  if (ctx.platform === 'win32') {
    return {
      browser,
      manifestPath: p.join(ctx.paths.home, 'native-messaging', browser, MANIFEST_FILE),
      registryKeys: registryKeysFor(browser),
    };
  }
  return {
    browser,
    manifestPath: p.join(manifestDirFor(browser, ctx), MANIFEST_FILE),
    registryKeys: [],
  };
}

/**
 * Checks the --user-data-dir combination and returns the one browser it applies to, or null
 * when --user-data-dir was not given.
 */
export function userDataDirBrowser(options: TargetOptions, ctx: InstallContext): BrowserId | null {
  const dir = options.userDataDir;
  if (dir === undefined) return null;
  if (ctx.platform === 'win32') {
    throw new PlanError(
      '--user-data-dir is not supported on Windows: Chromium on Windows finds hosts through the ' +
        'registry, whatever the profile folder. Run the command without --user-data-dir.',
    );
  }
  if (dir === '' || !pathFor(ctx.platform).isAbsolute(dir)) {
    throw new PlanError(`--user-data-dir must be an absolute folder path (got "${dir}").`);
  }
  const browsers =
    options.browsers && options.browsers.length > 0 ? options.browsers : ['chromium' as const];
  const unique = [...new Set(browsers)];
  if (unique.some((b) => BROWSERS[b].family !== 'chromium')) {
    throw new PlanError(
      '--user-data-dir works only for Chromium-family browsers (chrome, chromium, edge, brave, ' +
        'vivaldi); Firefox reads ~/.mozilla/native-messaging-hosts whatever the profile.',
    );
  }
  if (unique.length > 1) {
    throw new PlanError(
      '--user-data-dir names one profile folder: pass at most one --browser with it.',
    );
  }
  return unique[0] as BrowserId;
}

/**
 * SENTINEL_HOME for the launcher to export: whenever the home was chosen through the
 * environment (SENTINEL_HOME, or XDG_DATA_HOME on Linux), which the browser may not pass on.
 */
export function sentinelHomeToExport(ctx: InstallContext): string | undefined {
  if (ctx.env.SENTINEL_HOME) return ctx.paths.home;
  const xdg = ctx.env.XDG_DATA_HOME;
  if (ctx.platform !== 'win32' && ctx.platform !== 'darwin' && xdg && xdg.startsWith('/')) {
    return ctx.paths.home;
  }
  return undefined;
}

function quoteArg(platform: NodeJS.Platform, s: string): string {
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(s)) return s;
  return platform === 'win32' ? `"${s}"` : shQuote(s);
}

/** The exact command that (re)installs for one browser with the same flags, for `fix` lines. */
export function installCommand(
  platform: NodeJS.Platform,
  browser: BrowserId,
  options: TargetOptions,
): string {
  const parts = ['sentinel-host', 'install', '--browser', browser];
  if (options.userDataDir) parts.push('--user-data-dir', quoteArg(platform, options.userDataDir));
  for (const id of options.extensionIds ?? []) parts.push('--extension-id', id);
  return parts.join(' ');
}

/** Browsers whose manifest file is present in its default location. */
export function browsersWithManifest(ctx: InstallContext): BrowserId[] {
  return BROWSER_IDS.filter((b) => ctx.exists(targetFor(b, ctx).manifestPath));
}
