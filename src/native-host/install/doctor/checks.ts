/**
 * The individual doctor checks: one manifest, one launcher, the extension origin, the service.
 * Each returns DoctorCheck values; a failing one carries the fix it was given.
 */
import { EXTENSION_ORIGIN, FIREFOX_ADDON_ID, HOST_NAME } from '../../../protocol/constants.js';
import type { HostPaths } from '../../paths.js';
import { BROWSERS, type BrowserId } from '../browsers.js';
import { pathFor, type InstallContext } from '../context.js';
import { parseLauncher } from '../launcher.js';
import { expectedAddons, expectedOrigins } from '../manifest.js';
import {
  NOT_REGISTERED_DETAIL,
  SERVICE_INSTALL_COMMAND,
  SYSTEMD_UNIT,
  parseServiceUnit,
  serviceManagerFor,
  serviceUnitPath,
  shellArg,
} from '../autostart/service-unit.js';
import { sentinelHomeToExport, type TargetOptions } from '../targets.js';
import { errorMessage } from '../../../lib/error-text.js';

/**
 * src/native-host/ipc/client.ts's callServiceRaw, injected: the doctor reads whatever the running
 * service answers (it may be an older version), so it takes the untyped call.
 */
export type CallService = (
  paths: HostPaths,
  method: string,
  params: unknown,
  opts?: { timeoutMs?: number },
) => Promise<unknown>;

export interface DoctorDeps {
  callService: CallService;
  /** File contents, or null when unreadable. */
  readFile(p: string): string | null;
  isExecutable(p: string): boolean;
  /** Windows: default value of a registry key, or null. Without it the registry is not checked. */
  readRegistryDefault?(key: string): Promise<string | null>;
  /**
   * Linux: `systemctl --user is-enabled UNIT` — true/false, null when systemctl cannot tell.
   * Without it, whether the registered unit is enabled is not reported.
   */
  serviceEnabled?(unit: string): Promise<boolean | null>;
  /** The absolute path of dist/extension named in fixes (default: this project's). */
  extensionDir?: string;
}

export type CheckId =
  | 'browsers'
  | 'sandbox'
  | 'manifest-present'
  | 'registry'
  | 'manifest-valid'
  | 'allowed-origin'
  | 'launcher'
  | 'launcher-node'
  | 'launcher-cli'
  | 'launcher-home'
  | 'service'
  | 'extension-connected'
  | 'service-registered';

export interface DoctorCheck {
  id: CheckId;
  browser?: BrowserId;
  ok: boolean;
  title: string;
  detail: string;
  /** The command (or, for sandboxed browsers, the step) that fixes a failing check. */
  fix?: string;
}

export const SERVICE_START_COMMAND = 'sentinel-host service start';

/** A check; `fix` is kept only when it failed. */
export function check(
  id: CheckId,
  ok: boolean,
  title: string,
  detail: string,
  fix: string,
  browser?: BrowserId,
): DoctorCheck {
  return { id, ...(browser ? { browser } : {}), ok, title, detail, ...(ok ? {} : { fix }) };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a manifest; returns it, or the reason it is not a usable Sentinel manifest. */
export function readManifest(text: string | null): Record<string, unknown> | string {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text ?? '');
  } catch (e) {
    return `not valid JSON: ${errorMessage(e)}`;
  }
  if (!isRecord(manifest)) return 'not a JSON object';
  const problems: string[] = [];
  if (manifest.name !== HOST_NAME) {
    problems.push(`"name" is ${JSON.stringify(manifest.name)}, not "${HOST_NAME}"`);
  }
  if (manifest.type !== 'stdio') {
    problems.push(`"type" is ${JSON.stringify(manifest.type)}, not "stdio"`);
  }
  if (typeof manifest.path !== 'string') problems.push('"path" is missing');
  return problems.length > 0 ? problems.join('; ') : manifest;
}

/** Checks of the launcher file one or more manifests point to. */
export function launcherChecks(
  launcher: string,
  ctx: InstallContext,
  deps: DoctorDeps,
  fix: string,
): DoctorCheck[] {
  const p = pathFor(ctx.platform);
  const title = `launcher ${launcher}`;
  const broken = !p.isAbsolute(launcher)
    ? 'the manifest "path" is not absolute'
    : !ctx.exists(launcher)
      ? 'the launcher file does not exist'
      : !deps.isExecutable(launcher)
        ? 'the launcher is not executable'
        : null;
  if (broken) return [check('launcher', false, title, broken, fix)];
  const out = [check('launcher', true, title, 'present and executable', fix)];
  const parsed = parseLauncher(ctx.platform, deps.readFile(launcher) ?? '');

  const node = parsed.nodePath;
  const nodeProblem = !node
    ? 'no node command found in the launcher'
    : !p.isAbsolute(node)
      ? `${node} is not an absolute path`
      : !ctx.exists(node)
        ? `${node} does not exist (node moved or was upgraded?)`
        : !deps.isExecutable(node)
          ? `${node} is not executable`
          : null;
  out.push(
    check('launcher-node', !nodeProblem, 'launcher runs node', nodeProblem ?? `${node}`, fix),
  );

  const cli = parsed.cliPath;
  const cliProblem = !cli
    ? 'no cli.js found in the launcher'
    : !ctx.exists(cli)
      ? `${cli} does not exist`
      : null;
  out.push(
    check('launcher-cli', !cliProblem, 'launcher runs sentinel-host', cliProblem ?? `${cli}`, fix),
  );

  const exported = parsed.env.SENTINEL_HOME;
  const expected = sentinelHomeToExport(ctx);
  const homeDetail =
    exported === expected
      ? (exported ?? `default (${ctx.paths.home})`)
      : `the bridge would use ${exported ?? 'the default home'}, this shell uses ${ctx.paths.home}`;
  out.push(check('launcher-home', exported === expected, 'launcher home', homeDetail, fix));
  return out;
}

/** The extension (or Firefox add-on) is allowed by the manifest and by the launcher. */
export function originCheck(
  browser: BrowserId,
  manifest: Record<string, unknown>,
  launcherEnv: Record<string, string>,
  options: TargetOptions,
  fix: string,
): DoctorCheck {
  const name = BROWSERS[browser].name;
  const firefox = BROWSERS[browser].family === 'firefox';
  const want = firefox
    ? expectedAddons(options.extensionIds)
    : expectedOrigins(options.extensionIds);
  const key = firefox ? 'allowed_extensions' : 'allowed_origins';
  const raw = manifest[key];
  const list: unknown[] = Array.isArray(raw) ? raw : [];
  const missing = want.filter((o) => !list.includes(o));
  // The bridge serves SENTINEL_ALLOWED_ORIGINS when the launcher sets it, else the published
  // extension and the Firefox add-on (bridge.ts allowedOrigins).
  const envList = launcherEnv.SENTINEL_ALLOWED_ORIGINS?.split(/\s+/).filter((s) => s !== '');
  const bridgeServes =
    envList && envList.length > 0 ? envList : [EXTENSION_ORIGIN, FIREFOX_ADDON_ID];
  const refused = want.filter((o) => !bridgeServes.includes(o));
  const detail =
    missing.length > 0
      ? `${key} lacks ${missing.join(' ')}`
      : refused.length > 0
        ? `the launcher's bridge would refuse ${refused.join(' ')} ` +
          `(SENTINEL_ALLOWED_ORIGINS: ${envList ? envList.join(' ') : 'not set'})`
        : want.join(' ');
  const ok = missing.length === 0 && refused.length === 0;
  const title = `${name}: ${firefox ? 'add-on' : 'extension'} allowed`;
  return check('allowed-origin', ok, title, detail, fix, browser);
}

/** host.hello from the running service, or the error that kept it from answering. */
export type HelloAnswer = { ok: true; hello: unknown } | { ok: false; error: unknown };

export async function askHello(ctx: InstallContext, deps: DoctorDeps): Promise<HelloAnswer> {
  try {
    const hello = await deps.callService(
      ctx.paths,
      'host.hello',
      { client: 'doctor' },
      { timeoutMs: 3000 },
    );
    return { ok: true, hello };
  } catch (error) {
    return { ok: false, error };
  }
}

export function serviceCheck(ctx: InstallContext, answer: HelloAnswer): DoctorCheck {
  const title = 'service reachable';
  if (!answer.ok) {
    const detail = `${ctx.paths.socket}: ${errorMessage(answer.error)}`;
    return check('service', false, title, detail, SERVICE_START_COMMAND);
  }
  const hello = answer.hello;
  const bits: string[] = [];
  if (isRecord(hello)) {
    if (hello.version !== undefined) bits.push(`version ${String(hello.version)}`);
    const pid = isRecord(hello.service) ? hello.service.pid : undefined;
    if (pid !== undefined) bits.push(`pid ${String(pid)}`);
  }
  const detail = bits.length > 0 ? bits.join(', ') : 'answered host.hello';
  if (isRecord(hello) && hello.insecureTestKdf === true) {
    // A test service (SENTINEL_TEST_KDF in a test home) has no business on a user's machine.
    const why = `${detail}; it runs with the INSECURE TEST KDF: its vault is a test vault, never for real keys`;
    const fix = `sentinel-host service stop, then start it without SENTINEL_TEST_KDF`;
    return check('service', false, title, why, fix);
  }
  return check('service', true, title, detail, SERVICE_START_COMMAND);
}

/** The fix when no extension has said hello: load it, open it, match the id. */
export function extensionFix(
  extensionDir: string,
  allowed: readonly string[],
  firefox?: { dir: string; addons: readonly string[] },
): string {
  const chromium =
    `load the unpacked extension from ${extensionDir} (chrome://extensions → Developer mode → ` +
    `Load unpacked) and open the Sentinel Companion popup once; if it still does not connect, ` +
    `check that the extension's id on chrome://extensions matches the installed manifest's ` +
    `allowed_origins (${allowed.join(' ')}), else: sentinel-host install --extension-id ID`;
  if (!firefox) return chromium;
  return (
    `${chromium}. In Firefox: about:debugging → This Firefox → Load Temporary Add-on → ` +
    `${firefox.dir}/manifest.json, then open the popup once (allowed add-on: ` +
    `${firefox.addons.join(' ')})`
  );
}

/**
 * Whether an extension ever said hello through the bridge (host.hello's `extensions`, recorded
 * by the service per origin): which one and when. None yet fails, with how to get there.
 */
export function extensionConnectedCheck(
  answer: HelloAnswer,
  extensionDir: string,
  options: TargetOptions,
  /** dist/firefox, when Firefox is one of the browsers checked. */
  firefoxDir?: string,
): DoctorCheck {
  const id = 'extension-connected';
  const title = 'extension connected';
  const fix = extensionFix(
    extensionDir,
    expectedOrigins(options.extensionIds),
    firefoxDir ? { dir: firefoxDir, addons: expectedAddons(options.extensionIds) } : undefined,
  );
  if (!answer.ok) {
    const detail = 'cannot tell: the service did not answer (see "service reachable")';
    return check(id, false, title, detail, `${SERVICE_START_COMMAND}, then ${fix}`);
  }
  const raw = isRecord(answer.hello) ? answer.hello.extensions : undefined;
  if (!Array.isArray(raw)) {
    const detail =
      'cannot tell: the running service does not report connections (an older version?)';
    return check(
      id,
      false,
      title,
      detail,
      `sentinel-host service stop; ${SERVICE_START_COMMAND}; then ${fix}`,
    );
  }
  const seen = raw.filter(
    (h): h is { origin: string; lastHelloAt: string; client?: unknown } =>
      isRecord(h) && typeof h.origin === 'string' && typeof h.lastHelloAt === 'string',
  );
  if (seen.length === 0) {
    const detail = 'no extension has ever connected to this host';
    return check(id, false, title, detail, fix);
  }
  const detail = seen
    .map(
      (h) =>
        `${h.origin} last said hello at ${h.lastHelloAt}` +
        (typeof h.client === 'string' ? ` (${h.client})` : ''),
    )
    .join('; ');
  return check(id, true, title, detail, fix);
}

/**
 * The systemd user unit (Linux) or launchd agent (macOS) of `sentinel-host service install`.
 * Not registered passes (the browser starts the service on demand); a registered one fails when
 * it would run a node or cli.js that is gone, or another home than this shell's.
 */
export async function serviceRegisteredCheck(
  ctx: InstallContext,
  deps: DoctorDeps,
): Promise<DoctorCheck> {
  const id = 'service-registered';
  const title = 'service registered';
  const manager = serviceManagerFor(ctx.platform);
  const file = serviceUnitPath(ctx);
  if (!manager || !file) {
    const detail = 'not registered (the browser starts the service on demand)';
    return check(id, true, title, detail, SERVICE_INSTALL_COMMAND);
  }
  if (!ctx.exists(file))
    return check(id, true, title, NOT_REGISTERED_DETAIL, SERVICE_INSTALL_COMMAND);

  const text = deps.readFile(file);
  const unit = text === null ? null : parseServiceUnit(manager, text);
  // Re-installing keeps the passphrase file the unit had.
  const fix = unit?.passphraseFile
    ? `${SERVICE_INSTALL_COMMAND} --passphrase-file ${shellArg(unit.passphraseFile)}`
    : SERVICE_INSTALL_COMMAND;
  const p = pathFor(ctx.platform);
  const node = unit?.nodePath;
  const cli = unit?.cliPath;
  const expectedHome = sentinelHomeToExport(ctx);
  const unitHome = unit?.env.SENTINEL_HOME;
  const problem =
    unit === null
      ? `${file} cannot be read`
      : !node
        ? `${file} names no program to run`
        : !p.isAbsolute(node) || !ctx.exists(node)
          ? `${file} runs ${node}, which no longer exists (node moved or was upgraded?)`
          : !deps.isExecutable(node)
            ? `${file} runs ${node}, which is not executable`
            : !cli || !p.isAbsolute(cli) || !ctx.exists(cli)
              ? `${file} runs ${cli ?? 'no cli.js'}, which no longer exists`
              : unitHome !== expectedHome
                ? `${file} runs the service with ${unitHome ?? 'the default home'}, ` +
                  `this shell uses ${ctx.paths.home}`
                : null;
  if (problem) return check(id, false, title, problem, fix);

  let detail = file;
  if (manager === 'systemd' && deps.serviceEnabled) {
    const enabled = await deps.serviceEnabled(SYSTEMD_UNIT);
    detail +=
      enabled === true
        ? ' (enabled)'
        : enabled === false
          ? ` (not enabled, so it does not start at login: systemctl --user enable --now ${SYSTEMD_UNIT})`
          : ' (systemctl --user could not tell whether it is enabled)';
  }
  return check(id, true, title, detail, fix);
}
