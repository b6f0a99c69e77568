/**
 * Planning `sentinel-host service install | uninstall`: the file to write, the folders, and the
 * systemctl/launchctl commands, in order. Nothing is touched here.
 */
import { PlanError, pathFor, type InstallContext } from '../context.js';
import type { PlannedCommand } from '../plan.js';
import {
  LAUNCHD_LABEL,
  PASSPHRASE_CREDENTIAL,
  SYSTEMD_UNIT,
  serviceManagerFor,
  serviceUnitPath,
  type ServiceSpec,
  type ServiceUnitOptions,
  type ServiceUnitPlan,
  type ServiceUnitRemovalPlan,
} from './common.js';
import { renderLaunchdPlist } from './launchd.js';
import { renderSystemdUnit } from './systemd.js';
import { sentinelHomeToExport } from '../targets.js';

/** Control characters (line breaks above all) cannot be written into a one-line setting. */
function rejectControl(value: string, what: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(value)) {
    throw new PlanError(
      `${what} contains a line break or another control character, which cannot go into a ` +
        `service file: ${JSON.stringify(value)}`,
      1,
    );
  }
}

// ---- Windows and others ------------------------------------------------------------------------

/** The message for platforms without `service install`: how to do it by hand. */
export function unsupportedPlatformMessage(
  ctx: InstallContext,
  options: Pick<ServiceUnitOptions, 'passphraseFile'> = {},
): string {
  const home = sentinelHomeToExport(ctx);
  if (ctx.platform === 'win32') {
    const q = (s: string): string => `"${s}"`;
    const args = [
      q(ctx.cliPath),
      'service',
      'run',
      ...(options.passphraseFile ? ['--passphrase-file', q(options.passphraseFile)] : []),
    ].join(' ');
    return [
      '`sentinel-host service install` is not supported on Windows yet. The browser still starts',
      'the service on demand. To run it at logon without the browser, create a task in',
      'Task Scheduler (Create Task…, trigger "At log on" for your user) whose action starts:',
      `  Program:   ${ctx.nodePath}`,
      `  Arguments: ${args}`,
      'that is, the command line:',
      `  ${q(ctx.nodePath)} ${args}`,
      ...(home ? [`and set SENTINEL_HOME for your user first: setx SENTINEL_HOME ${q(home)}`] : []),
    ].join('\n');
  }
  return (
    `\`sentinel-host service install\` supports systemd (Linux) and launchd (macOS), not ` +
    `${ctx.platform}. Have your init system run: ${ctx.nodePath} ${ctx.cliPath} service run` +
    (home ? ` with SENTINEL_HOME=${home}` : '')
  );
}

// ---- plans -----------------------------------------------------------------------------------

function checkAbsolute(ctx: InstallContext, what: string, file: string): void {
  if (!pathFor(ctx.platform).isAbsolute(file)) {
    throw new PlanError(`The ${what} path must be absolute: ${file}`, 1);
  }
}

function serviceSpec(ctx: InstallContext, options: ServiceUnitOptions): ServiceSpec {
  checkAbsolute(ctx, 'node', ctx.nodePath);
  checkAbsolute(ctx, 'cli.js', ctx.cliPath);
  const sentinelHome = sentinelHomeToExport(ctx);
  if (sentinelHome !== undefined) checkAbsolute(ctx, 'SENTINEL_HOME', sentinelHome);
  if (options.passphraseFile !== undefined) {
    checkAbsolute(ctx, 'passphrase file', options.passphraseFile);
  }
  const spec: ServiceSpec = { nodePath: ctx.nodePath, cliPath: ctx.cliPath };
  if (sentinelHome !== undefined) spec.sentinelHome = sentinelHome;
  if (options.passphraseFile !== undefined) spec.passphraseFile = options.passphraseFile;
  const names: Record<keyof ServiceSpec, string> = {
    nodePath: 'The node path',
    cliPath: 'The cli.js path',
    sentinelHome: 'SENTINEL_HOME',
    passphraseFile: 'The passphrase file path',
  };
  for (const key of Object.keys(spec) as (keyof ServiceSpec)[]) {
    rejectControl(spec[key] as string, names[key]);
  }
  return spec;
}

const systemctl = (...args: string[]): PlannedCommand => ({
  command: 'systemctl',
  args: ['--user', ...args],
});

/** Restarts the unit (install's hand-over when the browser restarted its own service meanwhile). */
export function systemdRestartCommand(): PlannedCommand {
  return systemctl('restart', SYSTEMD_UNIT);
}

function launchdDomain(options: ServiceUnitOptions): string {
  if (options.uid === undefined) throw new Error('planning a launchd agent needs the uid');
  return `gui/${options.uid}`;
}

/** What `sentinel-host service install` writes and runs. Throws PlanError where unsupported. */
export function planServiceUnit(
  ctx: InstallContext,
  options: ServiceUnitOptions = {},
): ServiceUnitPlan {
  const manager = serviceManagerFor(ctx.platform);
  const file = serviceUnitPath(ctx);
  if (!manager || !file) throw new PlanError(unsupportedPlatformMessage(ctx, options), 1);
  const spec = serviceSpec(ctx, options);
  const p = pathFor(ctx.platform);

  if (manager === 'systemd') {
    if (!ctx.which('systemctl')) {
      throw new PlanError(
        'systemctl was not found: `sentinel-host service install` needs systemd. Without it, ' +
          `have your init system run: ${ctx.nodePath} ${ctx.cliPath} service run`,
        1,
      );
    }
    const notes = [
      `Status: systemctl --user status ${SYSTEMD_UNIT}`,
      'Logs:   journalctl --user -u sentinel-companion',
      'On a server without a login session (a VPS), user services start at boot only with ' +
        'lingering: loginctl enable-linger $USER',
    ];
    if (ctx.env.XDG_CONFIG_HOME && ctx.env.XDG_CONFIG_HOME.startsWith('/')) {
      notes.push(
        `The unit goes under XDG_CONFIG_HOME (${ctx.env.XDG_CONFIG_HOME}): systemd's user ` +
          'manager must see the same XDG_CONFIG_HOME to find it.',
      );
    }
    if (spec.passphraseFile) {
      notes.push(
        `The vault unlocks at start from ${spec.passphraseFile} (systemd credential ` +
          `"${PASSPHRASE_CREDENTIAL}"); keep that file, private (chmod 600), where it is.`,
      );
    }
    return {
      manager,
      path: file,
      content: renderSystemdUnit(spec),
      mode: 0o644,
      dirs: [{ path: p.dirname(file), mode: 0o755, enforceMode: false }],
      commands: [
        systemctl('daemon-reload'),
        { ...systemctl('enable', '--now', SYSTEMD_UNIT), startsService: true },
      ],
      notes,
    };
  }

  const domain = launchdDomain(options);
  const notes = [
    `Status: launchctl print ${domain}/${LAUNCHD_LABEL}`,
    `Logs:   ${ctx.paths.serviceLog}`,
    'The agent runs while you are logged in, from login on.',
  ];
  if (spec.passphraseFile) {
    notes.push(
      `The vault unlocks at start from ${spec.passphraseFile}; keep that file, private ` +
        '(chmod 600), where it is.',
    );
  }
  return {
    manager,
    path: file,
    content: renderLaunchdPlist({ ...spec, logPath: ctx.paths.serviceLog }),
    mode: 0o644,
    dirs: [
      { path: p.dirname(file), mode: 0o755, enforceMode: false },
      // launchd opens the log file itself but does not create its folder.
      { path: ctx.paths.home, mode: 0o700, enforceMode: true },
      { path: ctx.paths.logDir, mode: 0o700, enforceMode: true },
    ],
    commands: [
      // A re-install replaces the loaded agent: unload the old one (not loaded is fine).
      {
        command: 'launchctl',
        args: ['bootout', `${domain}/${LAUNCHD_LABEL}`],
        ignoreFailure: true,
      },
      { command: 'launchctl', args: ['bootstrap', domain, file], startsService: true },
    ],
    notes,
  };
}

/** What `sentinel-host service uninstall` runs and removes: only the unit file, never data. */
export function planServiceUnitRemoval(
  ctx: InstallContext,
  options: Pick<ServiceUnitOptions, 'uid'> = {},
): ServiceUnitRemovalPlan {
  const manager = serviceManagerFor(ctx.platform);
  const file = serviceUnitPath(ctx);
  if (!manager || !file) {
    throw new PlanError(
      `\`sentinel-host service uninstall\` is not supported on ${ctx.platform === 'win32' ? 'Windows' : ctx.platform}: ` +
        '`service install` never registers anything there. Remove a task you created by hand ' +
        'in Task Scheduler (or your init system).',
      1,
    );
  }
  const present = ctx.exists(file);
  const notes = present
    ? ['The browser starts the service on demand again. Your vault and data were not touched.']
    : [`Nothing to remove: ${file} does not exist.`];
  if (!present) {
    return { manager, path: file, present, commands: [], remove: [], afterRemove: [], notes };
  }
  if (manager === 'systemd') {
    return {
      manager,
      path: file,
      present,
      // Not enabled or not loaded is fine: the file goes anyway.
      commands: [{ ...systemctl('disable', '--now', SYSTEMD_UNIT), ignoreFailure: true }],
      remove: [file],
      afterRemove: [systemctl('daemon-reload')],
      notes,
    };
  }
  return {
    manager,
    path: file,
    present,
    commands: [
      {
        command: 'launchctl',
        args: ['bootout', `${launchdDomain(options)}/${LAUNCHD_LABEL}`],
        ignoreFailure: true,
      },
    ],
    remove: [file],
    afterRemove: [],
    notes,
  };
}
