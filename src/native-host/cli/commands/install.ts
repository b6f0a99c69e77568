/**
 * `sentinel-host install | uninstall | doctor`: flag parsing, the real machine, and printing.
 * The main CLI calls these with the arguments after the subcommand and uses the returned exit
 * code: 0 success, 1 something to fix, 2 bad usage.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { applyInstallPlan, applyUninstallPlan } from '../../install/apply.js';
import { BROWSER_IDS, parseBrowserId, type BrowserId } from '../../install/browsers.js';
import { PlanError, type InstallContext } from '../../install/context.js';
import {
  diagnose,
  doctorExitCode,
  formatChecks,
  type CallService,
  type DoctorDeps,
} from '../../install/doctor/doctor.js';
import { planInstall, planUninstall } from '../../install/plan.js';
import { isExecutable, readRegistryDefault, readText, realContext } from '../../install/system.js';
import type { TargetOptions } from '../../install/targets.js';
import { consoleIo, type CliIo } from '../io.js';
import { errorMessage } from '../../../lib/error-text.js';

export { consoleIo, type CliIo } from '../io.js';

const NAMES = BROWSER_IDS.join(', ');

const USAGE: Record<'install' | 'uninstall' | 'doctor', string> = {
  install: `Usage: sentinel-host install [--browser NAME]... [--user-data-dir DIR] [--extension-id ID]... [--dry-run]

Registers the Sentinel host with your browsers: writes one launcher and a native-messaging
manifest per browser (on Windows also a registry entry under HKCU).

  --browser NAME        ${NAMES} (repeatable; default: every browser found)
  --user-data-dir DIR   a Chromium profile started with --user-data-dir=DIR: write the manifest
                        to DIR/NativeMessagingHosts/ (default browser: chromium)
  --extension-id ID     allow this extension id instead of the published one (repeatable;
                        a Firefox add-on id, name@domain, replaces Firefox's built-in one)
  --dry-run             print what would be done, change nothing`,
  uninstall: `Usage: sentinel-host uninstall [--browser NAME]... [--user-data-dir DIR] [--dry-run]

Removes the manifests (and registry entries) install wrote; the launcher goes once no browser
uses it. Your vault and settings are not touched.

  --browser NAME        ${NAMES} (repeatable; default: all)
  --user-data-dir DIR   remove DIR/NativeMessagingHosts/ manifest only
  --dry-run             print what would be done, change nothing`,
  doctor: `Usage: sentinel-host doctor [--browser NAME]... [--user-data-dir DIR] [--extension-id ID]...

Checks every link between the browser and the Sentinel service and prints the fix for each
broken one. Exit code 0 only when everything passes.

  --browser NAME        ${NAMES} (repeatable; default: browsers found or installed for)
  --user-data-dir DIR   check DIR/NativeMessagingHosts/ instead
  --extension-id ID     expect this extension id instead of the published one (repeatable;
                        give the same ids you gave install)`,
};

type Command = keyof typeof USAGE;

interface Parsed {
  help: boolean;
  dryRun: boolean;
  options: TargetOptions;
}

function parse(command: Command, argv: string[], cwd: string): Parsed {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      browser: { type: 'string', multiple: true },
      'user-data-dir': { type: 'string' },
      ...(command === 'uninstall' ? {} : { 'extension-id': { type: 'string', multiple: true } }),
      ...(command === 'doctor' ? {} : { 'dry-run': { type: 'boolean' } }),
      help: { type: 'boolean', short: 'h' },
    },
  });
  const browsers: BrowserId[] = [];
  for (const name of (values.browser as string[] | undefined) ?? []) {
    const id = parseBrowserId(name);
    if (!id) throw new PlanError(`Unknown browser "${name}". Valid names: ${NAMES}.`);
    if (!browsers.includes(id)) browsers.push(id);
  }
  const udd = values['user-data-dir'] as string | undefined;
  const ids = values['extension-id'] as string[] | undefined;
  return {
    help: values.help === true,
    dryRun: values['dry-run'] === true,
    options: {
      ...(browsers.length > 0 ? { browsers } : {}),
      ...(udd !== undefined ? { userDataDir: udd === '' ? udd : path.resolve(cwd, udd) } : {}),
      ...(ids && ids.length > 0 ? { extensionIds: ids } : {}),
    },
  };
}

/** Runs one subcommand with uniform error handling. */
async function main(
  command: Command,
  argv: string[],
  io: CliIo,
  body: (parsed: Parsed, ctx: InstallContext) => Promise<number>,
): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(command, argv, io.cwd ?? process.cwd());
  } catch (e) {
    io.stderr(`sentinel-host ${command}: ${errorMessage(e)}`);
    io.stderr(`Run \`sentinel-host ${command} --help\` for the flags.`);
    return 2;
  }
  if (parsed.help) {
    io.stdout(USAGE[command]);
    return 0;
  }
  try {
    return await body(parsed, io.ctx ?? realContext());
  } catch (e) {
    io.stderr(`sentinel-host ${command}: ${errorMessage(e)}`);
    return e instanceof PlanError ? e.exitCode : 1;
  }
}

/** `installed` hears the browsers registered after a real (not dry-run) install succeeded (setup). */
export function runInstall(
  argv: string[],
  io: CliIo = consoleIo,
  installed?: (browsers: readonly BrowserId[]) => void,
): Promise<number> {
  return main('install', argv, io, async ({ options, dryRun }, ctx) => {
    const plan = planInstall(options, ctx);
    for (const w of plan.warnings) io.stdout(`Warning: ${w}`);
    io.stdout(dryRun ? 'Would install:' : 'Installing:');
    for (const line of plan.summary) io.stdout(`  ${line}`);
    if (dryRun) return 0;
    const result = await applyInstallPlan(plan, io.run);
    for (const e of result.errors) io.stderr(`Error: ${e}`);
    if (!result.ok) return 1;
    if (installed) {
      installed(plan.browsers); // setup prints the next steps itself
      io.stdout('Done.');
      return 0;
    }
    io.stdout(
      'Done. Reload the Sentinel Companion extension, then check with: sentinel-host doctor',
    );
    return 0;
  });
}

export function runUninstall(argv: string[], io: CliIo = consoleIo): Promise<number> {
  return main('uninstall', argv, io, async ({ options, dryRun }, ctx) => {
    const plan = planUninstall(options, ctx);
    io.stdout(dryRun ? 'Would uninstall:' : 'Uninstalling:');
    for (const line of plan.summary) io.stdout(`  ${line}`);
    if (dryRun) return 0;
    const result = await applyUninstallPlan(plan, io.run);
    for (const e of result.errors) io.stderr(`Error: ${e}`);
    if (!result.ok) return 1;
    io.stdout('Done. Your vault and settings were not touched.');
    return 0;
  });
}

export function runDoctor(argv: string[], io: CliIo = consoleIo): Promise<number> {
  return main('doctor', argv, io, async ({ options }, ctx) => {
    const callService: CallService =
      io.callService ??
      (async (...args) => {
        // Loaded only here: install and uninstall never need the IPC client.
        const { callServiceRaw: real } = await import('../../ipc/client.js');
        return real(...args);
      });
    const deps: DoctorDeps = {
      callService,
      readFile: readText,
      isExecutable: (p) => isExecutable(p, ctx.platform),
      ...(ctx.platform === 'win32' && process.platform === 'win32' ? { readRegistryDefault } : {}),
    };
    const checks = await diagnose(options, ctx, deps);
    for (const line of formatChecks(checks)) io.stdout(line);
    return doctorExitCode(checks);
  });
}
