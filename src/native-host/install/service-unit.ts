/**
 * Pure planning for `sentinel-host service install | uninstall`: a systemd user unit (Linux) or a
 * launchd agent (macOS) that runs `sentinel-host service run` at login (or at boot, with
 * lingering), and the commands that register it. Nothing is touched here; service-unit-cli.ts
 * carries a plan out with apply.ts. Rendering and parsing live together so doctor reads exactly
 * what install writes.
 */
import { PlanError, pathFor, type InstallContext } from './context.js';
import { shQuote } from './launcher.js';
import type { PlannedCommand, PlannedDir } from './plan.js';
import { sentinelHomeToExport } from './targets.js';

/** The systemd user unit's name. */
export const SYSTEMD_UNIT = 'sentinel-companion.service';
/** The launchd agent's label (and plist file name without .plist). */
export const LAUNCHD_LABEL = 'com.sentinel.companion';
/** The systemd credential service.ts looks for in $CREDENTIALS_DIRECTORY. */
export const PASSPHRASE_CREDENTIAL = 'vault-passphrase';
export const SERVICE_INSTALL_COMMAND = 'sentinel-host service install';
/** `sentinel-host service run` exits with this when another service holds the socket. */
export const ALREADY_RUNNING_EXIT_CODE = 3;

export const NOT_REGISTERED_DETAIL =
  'not registered (the browser starts the service on demand; ' +
  '`sentinel-host service install` runs it at login/boot)';

export type ServiceManager = 'systemd' | 'launchd';

export interface ServiceUnitOptions {
  /** Absolute path of a passphrase file (checked by the CLI): the vault unlocks at start. */
  passphraseFile?: string;
  /** macOS: the user's uid, for launchctl's gui/<uid> domain. */
  uid?: number;
}

export interface ServiceCommand extends PlannedCommand {
  /**
   * This command starts the service: a service already running outside the unit (one the
   * browser started) must be stopped just before it, or the new one exits "already running".
   */
  startsService?: boolean;
}

export interface ServiceUnitPlan {
  manager: ServiceManager;
  /** The unit or plist file. */
  path: string;
  content: string;
  mode: number;
  /** Folders to create first (the file's folder; on macOS also the log folder). */
  dirs: PlannedDir[];
  /** In order; the ones marked startsService come after the running service is stopped. */
  commands: ServiceCommand[];
  /** What to tell the user after (logs, lingering, …). */
  notes: string[];
}

export interface ServiceUnitRemovalPlan {
  manager: ServiceManager;
  path: string;
  /** False: nothing is registered, the plan does nothing. */
  present: boolean;
  /** Stop and unregister, before the file goes. */
  commands: PlannedCommand[];
  /** The file to delete (empty when absent). Never the vault or any data. */
  remove: string[];
  /** After the file is gone (systemd forgets the unit). */
  afterRemove: PlannedCommand[];
  notes: string[];
}

// ---- where -----------------------------------------------------------------------------------

/** The service manager for a platform, or null when `service install` does not support it. */
export function serviceManagerFor(platform: NodeJS.Platform): ServiceManager | null {
  if (platform === 'linux') return 'systemd';
  if (platform === 'darwin') return 'launchd';
  return null;
}

/** ~/.config/systemd/user (honouring an absolute XDG_CONFIG_HOME, as systemd does). */
export function systemdUserDir(ctx: Pick<InstallContext, 'env' | 'homeDir'>): string {
  const xdg = ctx.env.XDG_CONFIG_HOME;
  const config = xdg && xdg.startsWith('/') ? xdg : pathFor('linux').join(ctx.homeDir, '.config');
  return pathFor('linux').join(config, 'systemd', 'user');
}

/** Where the unit (Linux) or plist (macOS) lives; null on other platforms. */
export function serviceUnitPath(
  ctx: Pick<InstallContext, 'platform' | 'env' | 'homeDir'>,
): string | null {
  const manager = serviceManagerFor(ctx.platform);
  if (manager === 'systemd') return pathFor('linux').join(systemdUserDir(ctx), SYSTEMD_UNIT);
  if (manager === 'launchd') {
    return pathFor('darwin').join(ctx.homeDir, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`);
  }
  return null;
}

/** A word for a POSIX shell command line shown to the user: quoted only when needed. */
export function shellArg(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : shQuote(s);
}

// ---- systemd ---------------------------------------------------------------------------------

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

const escapeQuoted = (s: string): string => s.replace(/[\\"]/g, (c) => `\\${c}`);
const escapeSpecifiers = (s: string): string => s.replace(/%/g, '%%');

/**
 * One ExecStart= word, per systemd.syntax(7)/systemd.service(5): double quotes, `\` and `"`
 * backslash-escaped, `%` doubled (specifiers). `$` is doubled in arguments (variable
 * expansion), but not in the executable path, which systemd never expands.
 */
export function systemdExecWord(s: string, executable = false): string {
  let out = escapeSpecifiers(escapeQuoted(s));
  if (!executable) out = out.replace(/\$/g, () => '$$');
  return `"${out}"`;
}

/** `"NAME=value"` for Environment=: quoted and %-escaped; `$` has no meaning there. */
export function systemdEnvironment(name: string, value: string): string {
  return `"${escapeSpecifiers(escapeQuoted(`${name}=${value}`))}"`;
}

/**
 * The path part of LoadCredential=ID:PATH: systemd takes the rest of the line as is (after
 * specifier expansion), so no quoting — and nothing that quoting would be needed for.
 */
function credentialPath(file: string): string {
  if (/["'\\]/.test(file) || file.trim() !== file) {
    throw new PlanError(
      `The passphrase file path cannot go into a systemd unit as it is (quotes, backslashes or ` +
        `surrounding spaces): ${file}. Move the file to a plainer path.`,
      1,
    );
  }
  return escapeSpecifiers(file);
}

export interface ServiceSpec {
  nodePath: string;
  cliPath: string;
  /** Exported as SENTINEL_HOME so the service uses the same home as the browser's bridge. */
  sentinelHome?: string;
  passphraseFile?: string;
}

export function renderSystemdUnit(spec: ServiceSpec): string {
  // systemd refuses these in the executable's path ("contains special characters"), quoted or not.
  if (/["'\\]/.test(spec.nodePath)) {
    throw new PlanError(
      `systemd cannot run a node whose path has quotes or backslashes: ${spec.nodePath}. ` +
        'Install node in a plainer folder and run the command with it.',
      1,
    );
  }
  const exec = [
    systemdExecWord(spec.nodePath, true),
    systemdExecWord(spec.cliPath),
    'service',
    'run',
  ].join(' ');
  const lines = [
    '# Written by `sentinel-host service install`; remove with `sentinel-host service uninstall`.',
    '[Unit]',
    'Description=Sentinel Companion host service',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${exec}`,
    ...(spec.sentinelHome
      ? [`Environment=${systemdEnvironment('SENTINEL_HOME', spec.sentinelHome)}`]
      : []),
    // The service reads $CREDENTIALS_DIRECTORY/vault-passphrase at start (service.ts).
    ...(spec.passphraseFile
      ? [`LoadCredential=${PASSPHRASE_CREDENTIAL}:${credentialPath(spec.passphraseFile)}`]
      : []),
    'Restart=on-failure',
    'RestartSec=5',
    // "Already running" (another instance holds the socket): retrying every 5 s would not help.
    `RestartPreventExitStatus=${ALREADY_RUNNING_EXIT_CODE}`,
    'UMask=0077',
    'NoNewPrivileges=yes',
    '',
    '[Install]',
    'WantedBy=default.target',
  ];
  return lines.join('\n') + '\n';
}

/** Splits a systemd setting into words: "…" and '…' with C escapes, backslash escapes outside. */
export function systemdWords(value: string): string[] {
  const words: string[] = [];
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', s: ' ' };
  let cur: string | null = null;
  let quote: string | null = null;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\' && i + 1 < value.length) {
      const next = value[++i] as string;
      cur = (cur ?? '') + (escapes[next] ?? next);
    } else if (quote) {
      if (c === quote) quote = null;
      else cur = (cur ?? '') + c;
    } else if (c === '"' || c === "'") {
      quote = c;
      cur = cur ?? '';
    } else if (c === ' ' || c === '\t') {
      if (cur !== null) words.push(cur);
      cur = null;
    } else {
      cur = (cur ?? '') + c;
    }
  }
  if (cur !== null) words.push(cur);
  return words;
}

/** What doctor needs back from a unit or plist. */
export interface ParsedServiceUnit {
  nodePath?: string;
  cliPath?: string;
  /** The arguments after cli.js (`service run …`). */
  args: string[];
  env: Record<string, string>;
  passphraseFile?: string;
}

const unescapeSpecifiers = (s: string): string => s.replace(/%%/g, '%');

/** Reads back a unit written by renderSystemdUnit (or hand-edited in the same shape). */
export function parseSystemdUnit(text: string): ParsedServiceUnit {
  const out: ParsedServiceUnit = { args: [], env: {} };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const eq = line.indexOf('=');
    if (line.startsWith('#') || line.startsWith(';') || eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === 'ExecStart') {
      const words = systemdWords(value).map(unescapeSpecifiers);
      // Strip systemd's prefixes (-, @, :, +, !) from the executable.
      if (words[0] !== undefined) out.nodePath = words[0].replace(/^[-@:+!]+/, '');
      if (words[1] !== undefined) out.cliPath = words[1].replace(/\$\$/g, '$');
      out.args = words.slice(2).map((w) => w.replace(/\$\$/g, '$'));
    } else if (key === 'Environment') {
      for (const word of systemdWords(value).map(unescapeSpecifiers)) {
        const i = word.indexOf('=');
        if (i > 0) out.env[word.slice(0, i)] = word.slice(i + 1);
      }
    } else if (key === 'LoadCredential') {
      const i = value.indexOf(':');
      if (i > 0 && value.slice(0, i) === PASSPHRASE_CREDENTIAL) {
        out.passphraseFile = unescapeSpecifiers(value.slice(i + 1));
      }
    }
  }
  return out;
}

// ---- launchd ---------------------------------------------------------------------------------

export function xmlEscape(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

function xmlUnescape(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#x[0-9a-f]+|#\d+);/gi, (_m, e: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[e] !== undefined) return named[e];
    const hex = e[1] === 'x' || e[1] === 'X';
    return String.fromCodePoint(parseInt(e.slice(hex ? 2 : 1), hex ? 16 : 10));
  });
}

export interface LaunchdSpec extends ServiceSpec {
  /** StandardOutPath and StandardErrorPath. */
  logPath: string;
}

/** The launchd agent: runs at load (login), restarted when it exits with an error. */
export function renderLaunchdPlist(spec: LaunchdSpec): string {
  const str = (s: string): string => `<string>${xmlEscape(s)}</string>`;
  const args = [
    spec.nodePath,
    spec.cliPath,
    'service',
    'run',
    ...(spec.passphraseFile ? ['--passphrase-file', spec.passphraseFile] : []),
  ];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<!-- Written by `sentinel-host service install`; remove with `sentinel-host service uninstall`. -->',
    '<plist version="1.0">',
    '<dict>',
    '  <key>Label</key>',
    `  ${str(LAUNCHD_LABEL)}`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...args.map((a) => `    ${str(a)}`),
    '  </array>',
    ...(spec.sentinelHome
      ? [
          '  <key>EnvironmentVariables</key>',
          '  <dict>',
          '    <key>SENTINEL_HOME</key>',
          `    ${str(spec.sentinelHome)}`,
          '  </dict>',
        ]
      : []),
    '  <key>RunAtLoad</key>',
    '  <true/>',
    '  <key>KeepAlive</key>',
    '  <dict>',
    '    <key>SuccessfulExit</key>',
    '    <false/>',
    '  </dict>',
    '  <key>StandardOutPath</key>',
    `  ${str(spec.logPath)}`,
    '  <key>StandardErrorPath</key>',
    `  ${str(spec.logPath)}`,
    '  <key>ProcessType</key>',
    `  ${str('Background')}`,
    '</dict>',
    '</plist>',
  ];
  return lines.join('\n') + '\n';
}

/** Reads back a plist written by renderLaunchdPlist (ProgramArguments, EnvironmentVariables). */
export function parseLaunchdPlist(text: string): ParsedServiceUnit {
  const out: ParsedServiceUnit = { args: [], env: {} };
  const strings = (block: string): string[] =>
    [...block.matchAll(/<string>([\s\S]*?)<\/string>/g)].map((m) => xmlUnescape(m[1] as string));
  const program = /<key>\s*ProgramArguments\s*<\/key>\s*<array>([\s\S]*?)<\/array>/.exec(text);
  if (program) {
    const args = strings(program[1] as string);
    out.nodePath = args[0];
    out.cliPath = args[1];
    out.args = args.slice(2);
    const i = out.args.indexOf('--passphrase-file');
    if (i >= 0 && out.args[i + 1] !== undefined) out.passphraseFile = out.args[i + 1];
  }
  const env = /<key>\s*EnvironmentVariables\s*<\/key>\s*<dict>([\s\S]*?)<\/dict>/.exec(text);
  if (env) {
    for (const m of (env[1] as string).matchAll(
      /<key>([\s\S]*?)<\/key>\s*<string>([\s\S]*?)<\/string>/g,
    )) {
      out.env[xmlUnescape(m[1] as string)] = xmlUnescape(m[2] as string);
    }
  }
  return out;
}

export function parseServiceUnit(manager: ServiceManager, text: string): ParsedServiceUnit {
  return manager === 'systemd' ? parseSystemdUnit(text) : parseLaunchdPlist(text);
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
