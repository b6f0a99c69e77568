/**
 * `sentinel-host service install | uninstall`: flag parsing, the real machine, and printing.
 * Planning is in service-unit.ts; files are written and commands run by apply.ts. Returns the
 * exit code: 0 success, 1 something to fix (or an unsupported platform), 2 bad usage.
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cliName } from '../command-name.js';
import {
  applyInstallPlan,
  applyUninstallPlan,
  runCommand,
  type ApplyResult,
  type RunCommand,
} from '../../install/apply.js';
import { PlanError, type InstallContext } from '../../install/context.js';
import type { InstallPlan, PlannedCommand, UninstallPlan } from '../../install/plan.js';
import {
  SYSTEMD_UNIT,
  planServiceUnit,
  planServiceUnitRemoval,
  serviceManagerFor,
  shellArg,
  systemdRestartCommand,
  unsupportedPlatformMessage,
  type ServiceUnitPlan,
} from '../../install/autostart/service-unit.js';
import { consoleIo, type CliIo } from '../io.js';
import { realContext } from '../../install/system.js';
import { errorMessage } from '../../../lib/error-text.js';

/** What the commands touch; tests replace parts of it. */
export interface ServiceUnitIo extends Pick<CliIo, 'stdout' | 'stderr' | 'ctx' | 'run' | 'cwd'> {
  /** macOS: for launchctl's gui/<uid> domain (default: process.getuid()). */
  uid?: number;
  /** The pid of the service answering on the socket now, or null. */
  runningPid?: () => Promise<number | null>;
  /** Stop the running service (service-cli's `service stop`); returns its exit code. */
  stopRunning?: () => Promise<number>;
  /**
   * Is this pid the unit's own process? null when that cannot be told. Default: on Linux, its
   * /proc/<pid>/cgroup names the unit.
   */
  runsUnderUnit?: (pid: number) => boolean | null;
  /** Waiting between polls; tests make it instant. */
  sleep?: (ms: number) => Promise<void>;
  /** How long to wait for the started service to answer (default 10 s). */
  startTimeoutMs?: number;
}

const defaultIo: ServiceUnitIo = consoleIo;

const USAGE = {
  install: `Usage: ${cliName()} service install [--passphrase-file FILE] [--dry-run]

Runs the Sentinel service without the browser, at login (and at boot with lingering):
writes a systemd user unit (Linux: ~/.config/systemd/user/${SYSTEMD_UNIT})
or a launchd agent (macOS: ~/Library/LaunchAgents/com.sentinel.companion.plist) and starts
it. A service the browser started is stopped first so the service manager can take over.

  --passphrase-file FILE  unlock the vault at start from this file's first line; it must be
                          private to you (chmod 600). Linux passes it as the systemd
                          credential "vault-passphrase".
  --dry-run               print what would be written and run, change nothing`,
  uninstall: `Usage: ${cliName()} service uninstall [--dry-run]

Stops and removes the unit or agent \`service install\` wrote. Your vault and data are not
touched; the browser starts the service on demand again.

  --dry-run               print what would be done, change nothing`,
};

type Command = keyof typeof USAGE;

interface Parsed {
  help: boolean;
  dryRun: boolean;
  passphraseFile?: string;
}

function parse(command: Command, argv: string[]): Parsed {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      ...(command === 'install' ? { 'passphrase-file': { type: 'string' as const } } : {}),
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const file = values['passphrase-file'] as string | undefined;
  if (file === '') throw new PlanError('--passphrase-file needs a file path.');
  return {
    help: values.help === true,
    dryRun: values['dry-run'] === true,
    ...(file !== undefined ? { passphraseFile: file } : {}),
  };
}

/** Runs one subcommand with uniform error handling. */
async function main(
  command: Command,
  argv: string[],
  io: ServiceUnitIo,
  body: (parsed: Parsed, ctx: InstallContext) => Promise<number>,
): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(command, argv);
  } catch (e) {
    io.stderr(`${cliName()} service ${command}: ${errorMessage(e)}`);
    io.stderr(`Run \`${cliName()} service ${command} --help\` for the flags.`);
    return 2;
  }
  if (parsed.help) {
    io.stdout(USAGE[command]);
    return 0;
  }
  try {
    return await body(parsed, io.ctx ?? realContext());
  } catch (e) {
    io.stderr(`${cliName()} service ${command}: ${errorMessage(e)}`);
    return e instanceof PlanError ? e.exitCode : 1;
  }
}

// ---- the real machine ------------------------------------------------------------------------

/**
 * The passphrase file must be a regular file only this user can read or change: the service
 * manager reads it at every start. Throws PlanError (exit 1) with the fix.
 */
export function checkPassphraseFile(
  file: string,
  platform: NodeJS.Platform = process.platform,
): void {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PlanError(
      `--passphrase-file ${file}: ${code === 'ENOENT' ? 'no such file' : errorMessage(e)}`,
      1,
    );
  }
  if (!st.isFile()) throw new PlanError(`--passphrase-file ${file} is not a regular file.`, 1);
  if (platform !== 'win32' && (st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    throw new PlanError(
      `--passphrase-file ${file} can be read or changed by other users (mode ${mode}). ` +
        `Make it private first: chmod 600 ${shellArg(file)}`,
      1,
    );
  }
  try {
    accessSync(file, constants.R_OK);
  } catch {
    throw new PlanError(`--passphrase-file ${file} is not readable by you.`, 1);
  }
}

/** `systemctl --user is-enabled`: true/false, or null when systemctl could not tell. */
export async function systemdUnitEnabled(
  unit: string = SYSTEMD_UNIT,
  run: RunCommand = runCommand,
): Promise<boolean | null> {
  try {
    await run('systemctl', ['--user', 'is-enabled', '--quiet', unit]);
    return true;
  } catch (e) {
    // A plain non-zero exit (disabled, static, …) has no stderr; anything else is systemctl
    // failing to answer (no user bus, not installed).
    return errorMessage(e).startsWith('Command failed') ? false : null;
  }
}

/** Linux: the process runs in the unit's cgroup, i.e. systemd started it. */
function runsUnderSystemdUnit(pid: number): boolean | null {
  try {
    return readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(`/${SYSTEMD_UNIT}`);
  } catch {
    return null;
  }
}

interface Machine {
  run: RunCommand;
  runningPid: () => Promise<number | null>;
  stopRunning: () => Promise<number>;
  runsUnderUnit: (pid: number) => boolean | null;
  sleep: (ms: number) => Promise<void>;
}

function machine(io: ServiceUnitIo, ctx: InstallContext): Machine {
  const native = ctx.platform === process.platform;
  return {
    run: io.run ?? runCommand,
    runningPid:
      io.runningPid ??
      (async () => {
        try {
          const { callService } = await import('../../ipc/client.js');
          const hello = await callService(
            ctx.paths,
            'host.hello',
            { client: 'cli' },
            { timeoutMs: 2000 },
          );
          return hello.service.pid;
        } catch {
          return null;
        }
      }),
    stopRunning:
      io.stopRunning ??
      (async () => {
        const { stopService } = await import('../stop-service.js');
        return stopService(ctx.paths);
      }),
    runsUnderUnit:
      io.runsUnderUnit ?? (native && ctx.platform === 'linux' ? runsUnderSystemdUnit : () => null),
    sleep: io.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
  };
}

// ---- printing and applying -------------------------------------------------------------------

function commandLine(c: PlannedCommand): string {
  return [c.command, ...c.args].map(shellArg).join(' ');
}

function managerName(plan: Pick<ServiceUnitPlan, 'manager'>): string {
  return plan.manager === 'systemd' ? 'systemd' : 'launchd';
}

/** apply.ts's InstallPlan for one file, its folders and the commands that go before the start. */
function filePlan(plan: ServiceUnitPlan, commands: PlannedCommand[]): InstallPlan {
  return {
    browsers: [],
    launcherPath: plan.path,
    manifests: [],
    dirs: plan.dirs,
    files: [{ path: plan.path, content: plan.content, mode: plan.mode }],
    commands,
    warnings: [],
    summary: [],
  };
}

/** apply.ts's runner for commands alone (an UninstallPlan that removes nothing). */
function commandsPlan(commands: PlannedCommand[], remove: string[] = []): UninstallPlan {
  return { browsers: [], remove, commands, summary: [] };
}

function reportErrors(io: ServiceUnitIo, result: ApplyResult): boolean {
  for (const e of result.errors) io.stderr(`Error: ${e}`);
  return result.ok;
}

/** The pid answering on the socket, polled until timeoutMs; null if none answered. */
async function waitForService(m: Machine, timeoutMs: number): Promise<number | null> {
  const step = 200;
  for (let waited = 0; ; waited += step) {
    const pid = await m.runningPid();
    if (pid !== null || waited >= timeoutMs) return pid;
    await m.sleep(step);
  }
}

function logsHint(plan: ServiceUnitPlan, ctx: InstallContext): string {
  return plan.manager === 'systemd'
    ? 'journalctl --user -u sentinel-companion'
    : `${ctx.paths.serviceLog}`;
}

export function runServiceInstall(argv: string[], io: ServiceUnitIo = defaultIo): Promise<number> {
  return main('install', argv, io, async ({ passphraseFile, dryRun }, ctx) => {
    const file =
      passphraseFile !== undefined
        ? path.resolve(io.cwd ?? process.cwd(), passphraseFile)
        : undefined;
    if (!serviceManagerFor(ctx.platform)) {
      throw new PlanError(
        unsupportedPlatformMessage(ctx, file !== undefined ? { passphraseFile: file } : {}),
        1,
      );
    }
    if (file !== undefined) checkPassphraseFile(file, ctx.platform);
    const uid = io.uid ?? process.getuid?.();
    const plan = planServiceUnit(ctx, {
      ...(file !== undefined ? { passphraseFile: file } : {}),
      ...(uid !== undefined ? { uid } : {}),
    });
    const m = machine(io, ctx);
    const running = await m.runningPid();
    const name = managerName(plan);

    io.stdout(dryRun ? `Would install the ${name} service:` : `Installing the ${name} service:`);
    io.stdout(`  Write ${plan.path} (mode ${plan.mode.toString(8).padStart(4, '0')}):`);
    for (const line of plan.content.trimEnd().split('\n')) io.stdout(`    ${line}`.trimEnd());
    for (const c of plan.commands) {
      if (c.startsService && running !== null) {
        io.stdout(`  Stop the service running now (pid ${running}) so ${name} can run it`);
      }
      io.stdout(`  Run: ${commandLine(c)}`);
    }
    if (dryRun) {
      for (const note of plan.notes) io.stdout(note);
      return 0;
    }

    const first = plan.commands.findIndex((c) => c.startsService);
    const before = first < 0 ? plan.commands : plan.commands.slice(0, first);
    const start = first < 0 ? [] : plan.commands.slice(first);
    if (!reportErrors(io, await applyInstallPlan(filePlan(plan, before), m.run))) return 1;
    // A service the browser started holds the socket: the new one would exit "already running".
    if (running !== null) {
      io.stdout(`Stopping the service running now (pid ${running}) so ${name} can run it…`);
      if ((await m.stopRunning()) !== 0) {
        io.stderr(
          `Error: could not stop pid ${running}; stop it, then run \`${cliName()} service install\` again.`,
        );
        return 1;
      }
    }
    if (!reportErrors(io, await applyUninstallPlan(commandsPlan(start), m.run))) return 1;

    const timeoutMs = io.startTimeoutMs ?? 10_000;
    let pid = await waitForService(m, timeoutMs);
    if (plan.manager === 'systemd' && pid !== null && m.runsUnderUnit(pid) === false) {
      // The browser reconnected and started its own service between the stop and the start:
      // hand over once more.
      io.stdout(`pid ${pid} answers but was not started by ${name}; handing over to ${name}…`);
      if ((await m.stopRunning()) === 0) {
        reportErrors(io, await applyUninstallPlan(commandsPlan([systemdRestartCommand()]), m.run));
        pid = await waitForService(m, timeoutMs);
      }
      if (pid !== null && m.runsUnderUnit(pid) === false) {
        io.stderr(
          `Warning: the service running now (pid ${pid}) was not started by ${name}; ${name} ` +
            `takes over at the next login, or now with: ${cliName()} service stop && ` +
            `systemctl --user restart ${SYSTEMD_UNIT}`,
        );
      }
    }
    if (pid === null) {
      io.stderr(
        `Error: the service was registered but did not answer within ${Math.round(timeoutMs / 1000)} s; ` +
          `see ${logsHint(plan, ctx)}`,
      );
      for (const note of plan.notes) io.stdout(note);
      return 1;
    }
    io.stdout(`Done. The service runs under ${name} (pid ${pid}) and starts at login.`);
    for (const note of plan.notes) io.stdout(note);
    return 0;
  });
}

export function runServiceUninstall(
  argv: string[],
  io: ServiceUnitIo = defaultIo,
): Promise<number> {
  return main('uninstall', argv, io, async ({ dryRun }, ctx) => {
    const uid = io.uid ?? process.getuid?.();
    const plan = planServiceUnitRemoval(ctx, uid !== undefined ? { uid } : {});
    io.stdout(dryRun ? 'Would uninstall the service:' : 'Uninstalling the service:');
    if (!plan.present) {
      for (const note of plan.notes) io.stdout(`  ${note}`);
      return 0;
    }
    for (const c of plan.commands) io.stdout(`  Run: ${commandLine(c)}`);
    for (const f of plan.remove) io.stdout(`  Remove ${f}`);
    for (const c of plan.afterRemove) io.stdout(`  Run: ${commandLine(c)}`);
    if (dryRun) return 0;
    const run = io.run ?? runCommand;
    if (
      !reportErrors(io, await applyUninstallPlan(commandsPlan(plan.commands, plan.remove), run))
    ) {
      return 1;
    }
    if (!reportErrors(io, await applyUninstallPlan(commandsPlan(plan.afterRemove), run))) return 1;
    io.stdout(`Done. ${plan.notes.join(' ')}`);
    return 0;
  });
}
