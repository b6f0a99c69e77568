/**
 * `sentinel-host doctor`: follows the chain a browser follows — manifest (and registry entry on
 * Windows), launcher, node, cli.js, allowed origin — then asks the service for hello (and whether
 * an extension ever connected through the bridge) and looks at the unit `sentinel-host service
 * install` registers. Every failing check names the command that
 * fixes it. File reads go through `deps`.
 */
import { BROWSER_IDS, BROWSERS, type BrowserId } from '../browsers.js';
import type { InstallContext } from '../context.js';
import { detectBrowsers, sandboxMessage, type Detection } from '../detect.js';
import {
  askHello,
  check,
  extensionConnectedCheck,
  launcherChecks,
  originCheck,
  readManifest,
  serviceCheck,
  serviceRegisteredCheck,
  type DoctorCheck,
  type DoctorDeps,
} from './checks.js';
import { parseLauncher } from '../launcher.js';
import { extensionDir, firefoxDirBeside } from '../extension-dir.js';
import { systemdUnitEnabled } from '../../cli/commands/service-unit.js';
import {
  browsersWithManifest,
  installCommand,
  targetFor,
  userDataDirBrowser,
  type TargetOptions,
} from '../targets.js';

export {
  SERVICE_START_COMMAND,
  type CallService,
  type CheckId,
  type DoctorCheck,
  type DoctorDeps,
} from './checks.js';

/** Which browsers to examine, plus the detections that decide sandbox reports. */
function chooseBrowsers(
  options: TargetOptions,
  ctx: InstallContext,
): { browsers: BrowserId[]; sandboxed: Detection[] } {
  const udd = userDataDirBrowser(options, ctx);
  if (udd) return { browsers: [udd], sandboxed: [] };
  const detections = detectBrowsers(ctx);
  const chosen = new Set<BrowserId>(
    options.browsers && options.browsers.length > 0
      ? options.browsers
      : [...browsersWithManifest(ctx), ...detections.filter((d) => d.native).map((d) => d.id)],
  );
  const explicit = Boolean(options.browsers && options.browsers.length > 0);
  return {
    browsers: BROWSER_IDS.filter((b) => chosen.has(b)),
    sandboxed: detections.filter((d) => d.sandboxed.length > 0 && (!explicit || chosen.has(d.id))),
  };
}

function sandboxChecks(sandboxed: readonly Detection[]): DoctorCheck[] {
  return sandboxed.flatMap((d) =>
    d.sandboxed.map((s) => {
      const name = BROWSERS[d.id].name;
      const fix = `Install ${name} from your distribution's .deb/.rpm or from the vendor, or use another browser.`;
      const title = `${name} (${s.kind}: ${s.evidence})`;
      return check('sandbox', false, title, sandboxMessage(d.id, s.kind), fix, d.id);
    }),
  );
}

/** Manifest, registry and origin checks for one browser; returns the launcher it names. */
async function browserChecks(
  browser: BrowserId,
  options: TargetOptions,
  ctx: InstallContext,
  deps: DoctorDeps,
  out: DoctorCheck[],
): Promise<string | null> {
  const name = BROWSERS[browser].name;
  const fix = installCommand(ctx.platform, browser, options);
  const target = targetFor(browser, ctx, options.userDataDir);
  const file = target.manifestPath;
  const present = ctx.exists(file);
  out.push(
    check(
      'manifest-present',
      present,
      `${name}: manifest present`,
      present ? file : `${file} is missing`,
      fix,
      browser,
    ),
  );
  if (!present) return null;

  if (deps.readRegistryDefault) {
    for (const key of target.registryKeys) {
      const value = await deps.readRegistryDefault(key);
      const ok = value !== null && ctx.exists(value);
      const detail =
        value === null
          ? `${key} is not set`
          : ok
            ? `${key} -> ${value}`
            : `${key} names ${value}, which does not exist`;
      out.push(check('registry', ok, `${name}: registry entry`, detail, fix, browser));
    }
  }

  const manifest = readManifest(deps.readFile(file));
  const valid = typeof manifest !== 'string';
  const validDetail = valid ? `${file}: name and type are right` : `${file}: ${manifest}`;
  out.push(check('manifest-valid', valid, `${name}: manifest valid`, validDetail, fix, browser));
  if (!valid) return null;

  const launcher = manifest.path as string;
  const launcherEnv = parseLauncher(ctx.platform, deps.readFile(launcher) ?? '').env;
  out.push(originCheck(browser, manifest, launcherEnv, options, fix));
  return launcher;
}

export async function diagnose(
  options: TargetOptions,
  ctx: InstallContext,
  deps: DoctorDeps,
): Promise<DoctorCheck[]> {
  const { browsers, sandboxed } = chooseBrowsers(options, ctx);
  const checks = sandboxChecks(sandboxed);
  if (browsers.length === 0) {
    const detail = `no supported browser found (${BROWSER_IDS.join(', ')}) and no Sentinel manifest installed`;
    checks.push(
      check(
        'browsers',
        false,
        'a browser to connect',
        detail,
        'sentinel-host install --browser chromium',
      ),
    );
  }
  const launchersSeen = new Set<string>();
  for (const browser of browsers) {
    const launcher = await browserChecks(browser, options, ctx, deps, checks);
    if (launcher !== null && !launchersSeen.has(launcher)) {
      launchersSeen.add(launcher);
      checks.push(
        ...launcherChecks(launcher, ctx, deps, installCommand(ctx.platform, browser, options)),
      );
    }
  }
  const hello = await askHello(ctx, deps);
  checks.push(serviceCheck(ctx, hello));
  const dir = deps.extensionDir ?? extensionDir();
  const firefoxDir = browsers.includes('firefox') ? firefoxDirBeside(dir) : undefined;
  checks.push(extensionConnectedCheck(hello, dir, options, firefoxDir));
  // Ask the real systemctl only about the real machine, and only when no fake was given.
  const serviceEnabled =
    deps.serviceEnabled ??
    (ctx.platform === 'linux' && process.platform === 'linux'
      ? (unit: string) => systemdUnitEnabled(unit)
      : undefined);
  checks.push(
    await serviceRegisteredCheck(ctx, serviceEnabled ? { ...deps, serviceEnabled } : deps),
  );
  return checks;
}

export function doctorExitCode(checks: readonly DoctorCheck[]): 0 | 1 {
  return checks.every((c) => c.ok) ? 0 : 1;
}

/** Human lines for the terminal: `[ok]`/`[FAIL]`, then detail and fix. */
export function formatChecks(checks: readonly DoctorCheck[]): string[] {
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${c.ok ? '[ok]  ' : '[FAIL]'} ${c.title}: ${c.detail}`);
    if (!c.ok && c.fix) lines.push(`       fix: ${c.fix}`);
  }
  const failed = checks.filter((c) => !c.ok).length;
  lines.push(failed === 0 ? 'All checks passed.' : `${failed} check(s) failed.`);
  return lines;
}
