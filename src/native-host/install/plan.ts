/**
 * Pure planning for `sentinel-host install` and `uninstall`: from flags and a description of the
 * machine to the exact files, folders and commands — nothing is touched here (apply.ts does it).
 */
import { BROWSER_IDS, BROWSERS, type BrowserId } from './browsers.js';
import { PlanError, pathFor, type InstallContext } from './context.js';
import { detectBrowsers, sandboxWarnings } from './detect.js';
import { launcherPathFor, renderLauncher } from './launcher.js';
import {
  expectedAddons,
  expectedOrigins,
  manifestText,
  renderManifest,
  validateExtensionIds,
} from './manifest.js';
import {
  browsersWithManifest,
  sentinelHomeToExport,
  targetFor,
  userDataDirBrowser,
  type Target,
  type TargetOptions,
} from './targets.js';

export type InstallOptions = TargetOptions;
export type UninstallOptions = Pick<TargetOptions, 'browsers' | 'userDataDir'>;

export interface PlannedDir {
  path: string;
  mode: number;
  /** chmod even when the folder already exists (our own private folders). */
  enforceMode: boolean;
}

export interface PlannedFile {
  path: string;
  content: string;
  mode: number;
}

export interface PlannedCommand {
  command: string;
  args: string[];
  /** A failure is expected and harmless (deleting a registry key that is not there). */
  ignoreFailure?: boolean;
}

export interface InstallPlan {
  browsers: BrowserId[];
  launcherPath: string;
  manifests: Target[];
  dirs: PlannedDir[];
  files: PlannedFile[];
  commands: PlannedCommand[];
  warnings: string[];
  summary: string[];
}

export interface UninstallPlan {
  browsers: BrowserId[];
  /** Files to delete (missing ones are fine). */
  remove: string[];
  commands: PlannedCommand[];
  summary: string[];
}

export function regAdd(key: string, manifestPath: string): PlannedCommand {
  return { command: 'reg', args: ['add', key, '/ve', '/t', 'REG_SZ', '/d', manifestPath, '/f'] };
}

export function regDelete(key: string): PlannedCommand {
  return { command: 'reg', args: ['delete', key, '/f'], ignoreFailure: true };
}

const VALID_NAMES = BROWSER_IDS.join(', ');

/** The browsers install targets, with Flatpak/Snap warnings. */
function chooseInstallBrowsers(
  options: InstallOptions,
  ctx: InstallContext,
): { browsers: BrowserId[]; warnings: string[] } {
  const udd = userDataDirBrowser(options, ctx);
  if (udd) return { browsers: [udd], warnings: [] };
  const detections = detectBrowsers(ctx);
  if (options.browsers && options.browsers.length > 0) {
    const chosen = new Set(options.browsers);
    const browsers = BROWSER_IDS.filter((b) => chosen.has(b));
    return { browsers, warnings: sandboxWarnings(detections.filter((d) => chosen.has(d.id))) };
  }
  const warnings = sandboxWarnings(detections);
  // Every browser found, plus any installed for before (so a re-install refreshes them all).
  const found = new Set([
    ...detections.filter((d) => d.native).map((d) => d.id),
    ...browsersWithManifest(ctx),
  ]);
  const browsers = BROWSER_IDS.filter((b) => found.has(b));
  if (browsers.length === 0) {
    const why = warnings.length > 0 ? `\n${warnings.join('\n')}` : '';
    throw new PlanError(
      'No supported browser that can start the Sentinel host was found ' +
        `(looked for ${BROWSER_IDS.map((b) => BROWSERS[b].name).join(', ')}).${why}\n` +
        'Pass --browser NAME to install for a browser anyway, e.g. ' +
        `\`sentinel-host install --browser chromium\`. Valid names: ${VALID_NAMES}.`,
      1,
    );
  }
  return { browsers, warnings };
}

/**
 * Each registry key once, pointing at the manifest of the browser the key belongs to (its first
 * key) when that browser is in the set, else at the first browser sharing it.
 */
function registryAssignments(targets: readonly Target[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const primaryPass of [true, false]) {
    for (const t of targets) {
      t.registryKeys.forEach((key, i) => {
        if ((i === 0) === primaryPass && !out.has(key)) out.set(key, t.manifestPath);
      });
    }
  }
  return out;
}

export function planInstall(options: InstallOptions, ctx: InstallContext): InstallPlan {
  const extensionIds = options.extensionIds?.length
    ? validateExtensionIds(options.extensionIds)
    : undefined;
  const { browsers, warnings } = chooseInstallBrowsers(options, ctx);
  const p = pathFor(ctx.platform);
  for (const [what, file] of [
    ['node', ctx.nodePath],
    ['cli.js', ctx.cliPath],
  ] as const) {
    if (!p.isAbsolute(file)) throw new PlanError(`The ${what} path must be absolute: ${file}`, 1);
  }

  const launcherPath = launcherPathFor(ctx.platform, ctx.paths.binDir);
  const launcher = renderLauncher(ctx.platform, {
    nodePath: ctx.nodePath,
    cliPath: ctx.cliPath,
    sentinelHome: sentinelHomeToExport(ctx),
    // The bridge then serves only these callers: the Chromium ids (given, or the published one),
    // plus Firefox's add-ons (given, or the built-in one) when Firefox is a target.
    allowedOrigins: extensionIds
      ? [
          ...expectedOrigins(extensionIds),
          ...(browsers.includes('firefox') ? expectedAddons(extensionIds) : []),
        ]
      : undefined,
  });
  const targets = browsers.map((b) => targetFor(b, ctx, options.userDataDir));

  const dirs: PlannedDir[] = [
    { path: ctx.paths.home, mode: 0o700, enforceMode: true },
    { path: ctx.paths.binDir, mode: 0o700, enforceMode: true },
  ];
  const files: PlannedFile[] = [{ path: launcherPath, content: launcher, mode: 0o755 }];
  const summary = [`Launcher: ${launcherPath}`, `  runs: ${ctx.nodePath} ${ctx.cliPath} native`];
  for (const t of targets) {
    const dir = p.dirname(t.manifestPath);
    if (!dirs.some((d) => d.path === dir))
      dirs.push({ path: dir, mode: 0o755, enforceMode: false });
    const manifest = renderManifest(t.browser, launcherPath, extensionIds);
    files.push({ path: t.manifestPath, content: manifestText(manifest), mode: 0o644 });
    const allowed = manifest.allowed_origins ?? manifest.allowed_extensions ?? [];
    summary.push(
      `${BROWSERS[t.browser].name}: ${t.manifestPath}`,
      `  allows: ${allowed.join(' ')}`,
    );
  }

  const commands: PlannedCommand[] = [];
  for (const [key, manifestPath] of registryAssignments(targets)) {
    commands.push(regAdd(key, manifestPath));
    summary.push(`Registry: ${key} -> ${manifestPath}`);
  }
  return { browsers, launcherPath, manifests: targets, dirs, files, commands, warnings, summary };
}

export function planUninstall(options: UninstallOptions, ctx: InstallContext): UninstallPlan {
  const udd = userDataDirBrowser(options, ctx);
  const chosen = new Set<BrowserId>(
    udd ? [udd] : options.browsers?.length ? options.browsers : BROWSER_IDS,
  );
  const browsers = BROWSER_IDS.filter((b) => chosen.has(b));
  const targets = browsers.map((b) => targetFor(b, ctx, options.userDataDir));
  const remove = targets.filter((t) => ctx.exists(t.manifestPath)).map((t) => t.manifestPath);
  const summary = remove.map((f) => `Remove ${f}`);

  // The launcher goes only when no manifest we know of still points to it.
  const launcherPath = launcherPathFor(ctx.platform, ctx.paths.binDir);
  const remaining = udd
    ? ['(custom --user-data-dir)']
    : browsersWithManifest(ctx).filter((b) => !chosen.has(b));
  if (remaining.length === 0) {
    if (ctx.exists(launcherPath)) {
      remove.push(launcherPath);
      summary.push(`Remove ${launcherPath}`);
    }
  } else {
    summary.push(`Keep ${launcherPath} (still used by ${remaining.join(', ')})`);
  }

  // Windows: delete each key, unless a browser we keep reads the same key (Chrome's key is
  // shared by Vivaldi and Brave) — then point it at that browser's manifest instead.
  const commands: PlannedCommand[] = [];
  const done = new Set<string>();
  for (const t of targets) {
    for (const key of t.registryKeys) {
      if (done.has(key)) continue;
      done.add(key);
      const keeper = BROWSER_IDS.filter((b) => !chosen.has(b))
        .map((b) => targetFor(b, ctx))
        .find((k) => k.registryKeys.includes(key) && ctx.exists(k.manifestPath));
      if (keeper) {
        commands.push(regAdd(key, keeper.manifestPath));
        summary.push(
          `Registry: ${key} now -> ${keeper.manifestPath} (${BROWSERS[keeper.browser].name})`,
        );
      } else {
        commands.push(regDelete(key));
        summary.push(`Registry: delete ${key}`);
      }
    }
  }
  if (remove.length === 0 && commands.length === 0) {
    summary.push(`Nothing to remove for ${browsers.map((b) => BROWSERS[b].name).join(', ')}.`);
  }
  return { browsers, remove, commands, summary };
}
