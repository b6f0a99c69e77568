/**
 * `sentinel-host service install | uninstall`: the systemd unit and launchd plist written for
 * awkward paths, the commands run, the hand-over from a browser-started service, the passphrase
 * file check, the Windows message, and doctor's "service registered" check.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { PlanError, type InstallContext } from '../../src/native-host/install/context.js';
import {
  serviceRegisteredCheck,
  type DoctorDeps,
} from '../../src/native-host/install/doctor/checks.js';
import { diagnose, formatChecks } from '../../src/native-host/install/doctor/doctor.js';
import {
  checkPassphraseFile,
  runServiceInstall,
  runServiceUninstall,
  systemdUnitEnabled,
  type ServiceUnitIo,
} from '../../src/native-host/cli/commands/service-unit.js';
import {
  NOT_REGISTERED_DETAIL,
  parseLaunchdPlist,
  parseSystemdUnit,
  planServiceUnit,
  planServiceUnitRemoval,
  renderSystemdUnit,
  systemdWords,
} from '../../src/native-host/install/autostart/service-unit.js';
import { exists } from '../../src/native-host/install/system.js';
import { hostPaths, type HostPaths } from '../../src/native-host/paths.js';
import { runServiceCommand } from '../../src/native-host/cli/commands/service.js';

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
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  existing?: string[];
  onPath?: Record<string, string>;
  nodePath?: string;
  cliPath?: string;
}

/** Awkward on purpose: spaces, quotes, `$`, `%`, a backslash. */
const NODE = '/opt/$node 5%/v20 (lts)/bin/node';
const CLI = "/srv/100% $ure/Bob's \\apps/dist/host/native-host/cli.js";
const HOME_DIR = { linux: '/home/ann', darwin: '/Users/ann', win32: 'C:\\Users\\Ann' };

function fakeCtx(m: Machine = {}): InstallContext {
  const platform = m.platform ?? 'linux';
  const env = m.env ?? {};
  const homeDir = HOME_DIR[platform as keyof typeof HOME_DIR];
  const home =
    env.SENTINEL_HOME ??
    (platform === 'darwin'
      ? '/Users/ann/Library/Application Support/Sentinel Companion'
      : platform === 'win32'
        ? 'C:\\Users\\Ann\\AppData\\Roaming\\Sentinel Companion'
        : '/home/ann/.local/share/sentinel-companion');
  const existing = m.existing ?? [];
  const onPath = m.onPath ?? { systemctl: '/usr/bin/systemctl' };
  return {
    platform,
    homeDir,
    env,
    nodePath: m.nodePath ?? NODE,
    cliPath: m.cliPath ?? CLI,
    paths: pathsUnder(home, platform),
    exists: (p) => existing.some((e) => e === p || e.startsWith(p + '/')),
    which: (name) => onPath[name] ?? null,
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

const UNIT = '/home/ann/.config/systemd/user/sentinel-companion.service';
const PLIST = '/Users/ann/Library/LaunchAgents/com.sentinel.companion.plist';
const SENTINEL_HOME = `/data/ann's "$HOME" 50%`;

// ---- systemd ---------------------------------------------------------------------------------

describe('systemd user unit (Linux)', () => {
  it('quotes ExecStart and Environment per systemd, adds the credential, and enables it', () => {
    const plan = planServiceUnit(fakeCtx({ env: { SENTINEL_HOME } }), {
      passphraseFile: '/home/ann/secrets 100%/vault pass',
    });
    expect(plan.manager).toBe('systemd');
    expect(plan.path).toBe(UNIT);
    expect(plan.mode).toBe(0o644);
    expect(plan.content).toBe(
      [
        '# Written by `sentinel-host service install`; remove with `sentinel-host service uninstall`.',
        '[Unit]',
        'Description=Sentinel Companion host service',
        '',
        '[Service]',
        'Type=simple',
        // The executable is never $-expanded by systemd; the arguments are.
        'ExecStart="/opt/$node 5%%/v20 (lts)/bin/node" ' +
          '"/srv/100%% $$ure/Bob\'s \\\\apps/dist/host/native-host/cli.js" service run',
        // Environment= does not expand $ at all.
        'Environment="SENTINEL_HOME=/data/ann\'s \\"$HOME\\" 50%%"',
        'LoadCredential=vault-passphrase:/home/ann/secrets 100%%/vault pass',
        'Restart=on-failure',
        'RestartSec=5',
        'RestartPreventExitStatus=3',
        'UMask=0077',
        'NoNewPrivileges=yes',
        '',
        '[Install]',
        'WantedBy=default.target',
        '',
      ].join('\n'),
    );
    expect(plan.dirs).toEqual([
      { path: '/home/ann/.config/systemd/user', mode: 0o755, enforceMode: false },
    ]);
    expect(plan.commands).toEqual([
      { command: 'systemctl', args: ['--user', 'daemon-reload'] },
      {
        command: 'systemctl',
        args: ['--user', 'enable', '--now', 'sentinel-companion.service'],
        startsService: true,
      },
    ]);
    expect(plan.notes).toContain('Logs:   journalctl --user -u sentinel-companion');
    expect(plan.notes.join('\n')).toContain('loginctl enable-linger $USER');
    expect(plan.notes.join('\n')).toContain('/home/ann/secrets 100%/vault pass');
  });

  it('reads back exactly what it wrote', () => {
    const plan = planServiceUnit(fakeCtx({ env: { SENTINEL_HOME } }), {
      passphraseFile: '/home/ann/secrets 100%/vault pass',
    });
    expect(parseSystemdUnit(plan.content)).toEqual({
      nodePath: NODE,
      cliPath: CLI,
      args: ['service', 'run'],
      env: { SENTINEL_HOME },
      passphraseFile: '/home/ann/secrets 100%/vault pass',
    });
    expect(systemdWords(`"a b" 'c "d"' e\\ f "g\\"h"`)).toEqual(['a b', 'c "d"', 'e f', 'g"h']);
  });

  it('without SENTINEL_HOME or a passphrase file: no Environment= and no LoadCredential=', () => {
    const { content } = planServiceUnit(fakeCtx());
    expect(content).not.toContain('Environment=');
    expect(content).not.toContain('LoadCredential=');
    expect(content).toContain('ExecStart=');
  });

  it('a home chosen through XDG_DATA_HOME is passed on too (as the launcher does)', () => {
    const { content } = planServiceUnit(fakeCtx({ env: { XDG_DATA_HOME: '/xdg/data' } }));
    // fakeCtx keeps the default home; what matters is that it is exported.
    expect(content).toContain(
      'Environment="SENTINEL_HOME=/home/ann/.local/share/sentinel-companion"',
    );
  });

  it('honours an absolute XDG_CONFIG_HOME, ignores a relative one', () => {
    const plan = planServiceUnit(fakeCtx({ env: { XDG_CONFIG_HOME: '/cfg/ann' } }));
    expect(plan.path).toBe('/cfg/ann/systemd/user/sentinel-companion.service');
    expect(plan.dirs[0]?.path).toBe('/cfg/ann/systemd/user');
    expect(plan.notes.join('\n')).toContain('XDG_CONFIG_HOME (/cfg/ann)');
    expect(planServiceUnit(fakeCtx({ env: { XDG_CONFIG_HOME: 'cfg' } })).path).toBe(UNIT);
  });

  it('refuses without systemctl, with relative paths, or with line breaks', () => {
    expect(planError(() => planServiceUnit(fakeCtx({ onPath: {} }))).message).toMatch(
      /systemctl was not found/,
    );
    expect(planError(() => planServiceUnit(fakeCtx({ nodePath: 'node' }))).message).toBe(
      'The node path must be absolute: node',
    );
    const e = planError(() => planServiceUnit(fakeCtx({ env: { SENTINEL_HOME: '/a\nb' } })));
    expect(e.message).toMatch(/^SENTINEL_HOME contains a line break/);
    expect(e.exitCode).toBe(1);
    expect(
      planError(() => planServiceUnit(fakeCtx(), { passphraseFile: '/home/ann/"pass"' })).message,
    ).toMatch(/cannot go into a systemd unit/);
    // systemd refuses quotes and backslashes in the executable's path, however quoted.
    expect(planError(() => planServiceUnit(fakeCtx({ nodePath: "/opt/Bob's/node" }))).message).toBe(
      "systemd cannot run a node whose path has quotes or backslashes: /opt/Bob's/node. " +
        'Install node in a plainer folder and run the command with it.',
    );
    // launchd has no such limit.
    expect(
      planServiceUnit(fakeCtx({ platform: 'darwin', nodePath: "/opt/Bob's/node" }), { uid: 1 })
        .content,
    ).toContain('<string>/opt/Bob&apos;s/node</string>');
  });

  // systemd's own parser: a wrongly escaped executable is "not executable", ours is accepted.
  it('systemd-analyze verify accepts the unit', () => {
    const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
    if (analyze.status !== 0) {
      throw new Error(
        "systemd-analyze is missing: install Debian's systemd package (apt-get install -y systemd)",
      );
    }
    const dir = mkdtempSync(join(tmpdir(), 'sentinel-unit-'));
    try {
      const nodeDir = join(dir, '$node 5% (x)');
      mkdirSync(nodeDir);
      const node = join(nodeDir, 'node');
      writeFileSync(node, '#!/bin/sh\n', { mode: 0o755 });
      const unit = join(dir, 'sentinel-companion.service');
      const verify = (content: string) => {
        writeFileSync(unit, content);
        return spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
      };
      const spec = { nodePath: node, cliPath: join(dir, `100% $x "q" \\ it's`, 'cli.js') };
      // Control: escaping the executable's `$` as in arguments names a file that does not exist.
      const control = verify(renderSystemdUnit(spec).replace('/$node', () => '/$$node'));
      expect(control.stderr).toMatch(/not executable/); // proves verify looks at the executable
      const result = verify(renderSystemdUnit({ ...spec, sentinelHome: SENTINEL_HOME }));
      expect(result.stderr).not.toMatch(/sentinel-companion|not executable|Invalid|Failed to/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- launchd ---------------------------------------------------------------------------------

describe('launchd agent (macOS)', () => {
  const darwin = (m: Machine = {}) => fakeCtx({ platform: 'darwin', onPath: {}, ...m });

  it('writes an escaped plist and bootstraps it in gui/<uid>', () => {
    const plan = planServiceUnit(darwin({ env: { SENTINEL_HOME: '/Volumes/A&B <x>' } }), {
      uid: 501,
      passphraseFile: "/Users/ann/Bob's pass",
    });
    expect(plan.manager).toBe('launchd');
    expect(plan.path).toBe(PLIST);
    expect(plan.mode).toBe(0o644);
    expect(plan.content).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
        '<!-- Written by `sentinel-host service install`; remove with `sentinel-host service uninstall`. -->',
        '<plist version="1.0">',
        '<dict>',
        '  <key>Label</key>',
        '  <string>com.sentinel.companion</string>',
        '  <key>ProgramArguments</key>',
        '  <array>',
        '    <string>/opt/$node 5%/v20 (lts)/bin/node</string>',
        '    <string>/srv/100% $ure/Bob&apos;s \\apps/dist/host/native-host/cli.js</string>',
        '    <string>service</string>',
        '    <string>run</string>',
        '    <string>--passphrase-file</string>',
        '    <string>/Users/ann/Bob&apos;s pass</string>',
        '  </array>',
        '  <key>EnvironmentVariables</key>',
        '  <dict>',
        '    <key>SENTINEL_HOME</key>',
        '    <string>/Volumes/A&amp;B &lt;x&gt;</string>',
        '  </dict>',
        '  <key>RunAtLoad</key>',
        '  <true/>',
        '  <key>KeepAlive</key>',
        '  <dict>',
        '    <key>SuccessfulExit</key>',
        '    <false/>',
        '  </dict>',
        '  <key>StandardOutPath</key>',
        '  <string>/Volumes/A&amp;B &lt;x&gt;/logs/service.log</string>',
        '  <key>StandardErrorPath</key>',
        '  <string>/Volumes/A&amp;B &lt;x&gt;/logs/service.log</string>',
        '  <key>ProcessType</key>',
        '  <string>Background</string>',
        '</dict>',
        '</plist>',
        '',
      ].join('\n'),
    );
    expect(plan.commands).toEqual([
      {
        command: 'launchctl',
        args: ['bootout', 'gui/501/com.sentinel.companion'],
        ignoreFailure: true,
      },
      { command: 'launchctl', args: ['bootstrap', 'gui/501', PLIST], startsService: true },
    ]);
    expect(plan.dirs).toEqual([
      { path: '/Users/ann/Library/LaunchAgents', mode: 0o755, enforceMode: false },
      { path: '/Volumes/A&B <x>', mode: 0o700, enforceMode: true },
      { path: '/Volumes/A&B <x>/logs', mode: 0o700, enforceMode: true },
    ]);
    expect(plan.notes).toContain('Logs:   /Volumes/A&B <x>/logs/service.log');
    expect(parseLaunchdPlist(plan.content)).toEqual({
      nodePath: NODE,
      cliPath: CLI,
      args: ['service', 'run', '--passphrase-file', "/Users/ann/Bob's pass"],
      env: { SENTINEL_HOME: '/Volumes/A&B <x>' },
      passphraseFile: "/Users/ann/Bob's pass",
    });
  });

  it('without SENTINEL_HOME: no EnvironmentVariables, logs in the default home', () => {
    const { content } = planServiceUnit(darwin(), { uid: 501 });
    expect(content).not.toContain('EnvironmentVariables');
    expect(content).toContain(
      '<string>/Users/ann/Library/Application Support/Sentinel Companion/logs/service.log</string>',
    );
  });
});

describe('sentinel-host service install on macOS (dry run)', () => {
  it('shows the plist and the launchctl commands, quoted for a shell', async () => {
    const ctx = { ...fakeCtx({ platform: 'darwin', onPath: {} }), homeDir: '/Users/Ann Lee' };
    const out: string[] = [];
    const run = vi.fn(async () => {});
    const io: ServiceUnitIo = {
      stdout: (l) => out.push(l),
      stderr: (l) => out.push(`ERR ${l}`),
      ctx,
      uid: 501,
      run,
      runningPid: async () => 777,
    };
    expect(await runServiceInstall(['--dry-run'], io)).toBe(0);
    expect(run).not.toHaveBeenCalled();
    const plist = '/Users/Ann Lee/Library/LaunchAgents/com.sentinel.companion.plist';
    expect(out[0]).toBe('Would install the launchd service:');
    expect(out).toContain(`  Write ${plist} (mode 0644):`);
    expect(out).toContain('      <key>ProgramArguments</key>');
    expect(out).toContain('  Run: launchctl bootout gui/501/com.sentinel.companion');
    expect(out).toContain('  Stop the service running now (pid 777) so launchd can run it');
    expect(out).toContain(`  Run: launchctl bootstrap gui/501 '${plist}'`);
  });
});

// ---- Windows ---------------------------------------------------------------------------------

describe('Windows', () => {
  const win = () =>
    fakeCtx({
      platform: 'win32',
      env: { SENTINEL_HOME: 'D:\\Sentinel' },
      nodePath: 'C:\\Program Files\\nodejs\\node.exe',
      cliPath: 'C:\\Sentinel\\dist\\host\\native-host\\cli.js',
    });

  it('is not supported: exit 1 with the Task Scheduler command line', async () => {
    const e = planError(() => planServiceUnit(win()));
    expect(e.exitCode).toBe(1);
    expect(e.message).toContain('not supported on Windows yet');
    expect(e.message).toContain('Task Scheduler');
    expect(e.message).toContain(
      '"C:\\Program Files\\nodejs\\node.exe" "C:\\Sentinel\\dist\\host\\native-host\\cli.js" service run',
    );
    expect(e.message).toContain('setx SENTINEL_HOME "D:\\Sentinel"');

    const out: string[] = [];
    const err: string[] = [];
    const io: ServiceUnitIo = {
      stdout: (l) => out.push(l),
      stderr: (l) => err.push(l),
      ctx: win(),
    };
    expect(await runServiceInstall([], io)).toBe(1);
    expect(err.join('\n')).toContain('Task Scheduler');
    expect(await runServiceUninstall([], io)).toBe(1);
    expect(err.at(-1)).toMatch(/not supported on Windows/);
  });
});

// ---- removal plans ---------------------------------------------------------------------------

describe('uninstall plans', () => {
  it('Linux: disable --now, remove the unit, daemon-reload; nothing when absent', () => {
    const plan = planServiceUnitRemoval(fakeCtx({ existing: [UNIT] }));
    expect(plan).toMatchObject({
      present: true,
      path: UNIT,
      commands: [
        {
          command: 'systemctl',
          args: ['--user', 'disable', '--now', 'sentinel-companion.service'],
          ignoreFailure: true,
        },
      ],
      remove: [UNIT],
      afterRemove: [{ command: 'systemctl', args: ['--user', 'daemon-reload'] }],
    });
    const none = planServiceUnitRemoval(fakeCtx());
    expect(none).toMatchObject({ present: false, commands: [], remove: [], afterRemove: [] });
    expect(none.notes).toEqual([`Nothing to remove: ${UNIT} does not exist.`]);
  });

  it('macOS: bootout, remove the plist', () => {
    const ctx = fakeCtx({ platform: 'darwin', existing: [PLIST] });
    expect(planServiceUnitRemoval(ctx, { uid: 501 })).toMatchObject({
      present: true,
      commands: [
        {
          command: 'launchctl',
          args: ['bootout', 'gui/501/com.sentinel.companion'],
          ignoreFailure: true,
        },
      ],
      remove: [PLIST],
      afterRemove: [],
    });
  });
});

// ---- the passphrase file ---------------------------------------------------------------------

describe('the passphrase file check (real files, POSIX modes)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sentinel-pass-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a private file, refuses group/world access with the chmod to run', () => {
    const file = join(dir, "vault pass'");
    writeFileSync(file, 'correct horse\n', { mode: 0o600 });
    chmodSync(file, 0o600);
    expect(() => checkPassphraseFile(file, 'linux')).not.toThrow();
    for (const mode of [0o640, 0o604, 0o620]) {
      chmodSync(file, mode);
      const e = planError(() => checkPassphraseFile(file, 'linux'));
      expect(e.exitCode).toBe(1);
      expect(e.message).toBe(
        `--passphrase-file ${file} can be read or changed by other users (mode 0${mode.toString(8)}). ` +
          `Make it private first: chmod 600 '${dir}/vault pass'\\'''`,
      );
    }
  });

  it('refuses a missing file and a folder', () => {
    expect(planError(() => checkPassphraseFile(join(dir, 'nope'))).message).toBe(
      `--passphrase-file ${join(dir, 'nope')}: no such file`,
    );
    expect(planError(() => checkPassphraseFile(dir)).message).toBe(
      `--passphrase-file ${dir} is not a regular file.`,
    );
  });
});

// ---- the CLI, against a temp HOME ------------------------------------------------------------

describe('sentinel-host service install | uninstall', () => {
  let root: string;
  let ctx: InstallContext;
  let out: string[];
  let err: string[];
  let events: string[];
  let answering: number | null;
  let io: ServiceUnitIo;
  const unitPath = () =>
    join(ctx.homeDir, '.config', 'systemd', 'user', 'sentinel-companion.service');

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sentinel-svc-'));
    const homeDir = join(root, 'home');
    mkdirSync(homeDir);
    const env = { SENTINEL_HOME: join(root, 'sh') };
    ctx = {
      platform: 'linux',
      homeDir,
      env,
      nodePath: process.execPath,
      cliPath: join(root, 'cli.js'),
      paths: hostPaths(env, 'linux'),
      exists,
      which: (name) => (name === 'systemctl' ? '/usr/bin/systemctl' : null),
    };
    writeFileSync(ctx.cliPath, '');
    out = [];
    err = [];
    events = [];
    answering = 4242; // a service the browser started
    io = {
      stdout: (l) => out.push(l),
      stderr: (l) => err.push(l),
      ctx,
      cwd: root,
      uid: 1000,
      run: async (command, args) => {
        events.push(`${command} ${args.join(' ')}`);
        if (args.includes('enable') || args.includes('restart')) answering = 5555;
        if (args.includes('disable')) answering = null;
      },
      runningPid: async () => answering,
      stopRunning: async () => {
        events.push(`stop ${answering}`);
        answering = null;
        return 0;
      },
      runsUnderUnit: (pid) => pid === 5555,
      sleep: async () => {},
      startTimeoutMs: 1000,
    };
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('--dry-run prints the unit and the commands, and changes nothing', async () => {
    expect(await runServiceInstall(['--dry-run'], io)).toBe(0);
    expect(err).toEqual([]);
    expect(exists(unitPath())).toBe(false);
    expect(events).toEqual([]);
    expect(out[0]).toBe('Would install the systemd service:');
    expect(out).toContain(`  Write ${unitPath()} (mode 0644):`);
    expect(out).toContain(`    Environment="SENTINEL_HOME=${ctx.paths.home}"`);
    expect(out.slice(-6, -3)).toEqual([
      '  Run: systemctl --user daemon-reload',
      '  Stop the service running now (pid 4242) so systemd can run it',
      '  Run: systemctl --user enable --now sentinel-companion.service',
    ]);
    expect(out.at(-1)).toContain('loginctl enable-linger $USER');
  });

  it('writes the unit, stops the browser-started service, then enables the unit', async () => {
    expect(await runServiceInstall([], io)).toBe(0);
    expect(err).toEqual([]);
    expect(events).toEqual([
      'systemctl --user daemon-reload',
      'stop 4242',
      'systemctl --user enable --now sentinel-companion.service',
    ]);
    expect(statSync(unitPath()).mode & 0o777).toBe(0o644);
    const unit = parseSystemdUnit(readFileSync(unitPath(), 'utf8'));
    expect(unit).toMatchObject({
      nodePath: process.execPath,
      cliPath: ctx.cliPath,
      args: ['service', 'run'],
      env: { SENTINEL_HOME: ctx.paths.home },
    });
    expect(out).toContain('Done. The service runs under systemd (pid 5555) and starts at login.');
    expect(out).toContain('Logs:   journalctl --user -u sentinel-companion');
  });

  it('hands over once more when the browser restarted its own service meanwhile', async () => {
    let starts = 0;
    io.run = async (command, args) => {
      events.push(`${command} ${args.join(' ')}`);
      // The first start loses the race: the browser's new service (6666) holds the socket.
      if (args.includes('enable')) answering = ++starts === 1 ? 6666 : 5555;
      if (args.includes('restart')) answering = 5555;
    };
    expect(await runServiceInstall([], io)).toBe(0);
    expect(events).toEqual([
      'systemctl --user daemon-reload',
      'stop 4242',
      'systemctl --user enable --now sentinel-companion.service',
      'stop 6666',
      'systemctl --user restart sentinel-companion.service',
    ]);
    expect(out).toContain(
      'pid 6666 answers but was not started by systemd; handing over to systemd…',
    );
    expect(out).toContain('Done. The service runs under systemd (pid 5555) and starts at login.');
  });

  it('nothing running: no stop; a service that never answers is an error with the logs', async () => {
    answering = null;
    io.run = async (command, args) => {
      events.push(`${command} ${args.join(' ')}`);
    };
    expect(await runServiceInstall([], io)).toBe(1);
    expect(events).toEqual([
      'systemctl --user daemon-reload',
      'systemctl --user enable --now sentinel-companion.service',
    ]);
    expect(err.join('\n')).toContain('see journalctl --user -u sentinel-companion');
  });

  it('a failing systemctl stops the install before the service is touched', async () => {
    io.run = async () => {
      throw new Error('Failed to connect to bus: No medium found');
    };
    expect(await runServiceInstall([], io)).toBe(1);
    expect(err).toEqual([
      'Error: systemctl --user daemon-reload failed: Failed to connect to bus: No medium found',
    ]);
    expect(events).toEqual([]); // not stopped
  });

  it('--passphrase-file: resolved against the cwd, must be private, becomes LoadCredential', async () => {
    const file = join(root, 'pass');
    writeFileSync(file, 'correct horse\n');
    chmodSync(file, 0o644);
    expect(await runServiceInstall(['--passphrase-file', 'pass'], io)).toBe(1);
    expect(err.join('\n')).toContain(`(mode 0644). Make it private first: chmod 600 ${file}`);
    expect(exists(unitPath())).toBe(false);

    chmodSync(file, 0o600);
    err.length = 0;
    expect(await runServiceInstall(['--passphrase-file', 'pass'], io)).toBe(0);
    expect(err).toEqual([]);
    expect(readFileSync(unitPath(), 'utf8')).toContain(`LoadCredential=vault-passphrase:${file}\n`);
  });

  it('bad flags are usage errors', async () => {
    expect(await runServiceInstall(['--browser', 'x'], io)).toBe(2);
    expect(await runServiceUninstall(['--passphrase-file', 'x'], io)).toBe(2);
    expect(err.at(-1)).toBe('Run `sentinel-host service uninstall --help` for the flags.');
  });

  it('uninstall disables and removes the unit, keeps the data, and is idempotent', async () => {
    await runServiceInstall([], io);
    const vault = join(ctx.paths.home, 'vault.json');
    mkdirSync(ctx.paths.home, { recursive: true });
    writeFileSync(vault, '{}');
    events.length = 0;
    out.length = 0;

    expect(await runServiceUninstall(['--dry-run'], io)).toBe(0);
    expect(exists(unitPath())).toBe(true);
    expect(events).toEqual([]);
    expect(out).toEqual([
      'Would uninstall the service:',
      '  Run: systemctl --user disable --now sentinel-companion.service',
      `  Remove ${unitPath()}`,
      '  Run: systemctl --user daemon-reload',
    ]);

    expect(await runServiceUninstall([], io)).toBe(0);
    expect(err).toEqual([]);
    expect(events).toEqual([
      'systemctl --user disable --now sentinel-companion.service',
      'systemctl --user daemon-reload',
    ]);
    expect(exists(unitPath())).toBe(false);
    expect(exists(vault)).toBe(true);
    expect(out.at(-1)).toMatch(/^Done\. The browser starts the service on demand again/);

    events.length = 0;
    out.length = 0;
    expect(await runServiceUninstall([], io)).toBe(0);
    expect(events).toEqual([]);
    expect(out).toEqual([
      'Uninstalling the service:',
      `  Nothing to remove: ${unitPath()} does not exist.`,
    ]);
  });
});

// ---- doctor ----------------------------------------------------------------------------------

describe('doctor: service registered', () => {
  const NODE_OK = '/usr/bin/node';
  const CLI_OK = '/opt/sentinel/dist/host/native-host/cli.js';

  function doctorDeps(files: Record<string, string>, enabled?: boolean | null): DoctorDeps {
    return {
      callService: async () => ({ version: '0.1.0', service: { pid: 7 } }),
      readFile: (p) => files[p] ?? null,
      isExecutable: (p) => p === NODE_OK,
      ...(enabled !== undefined ? { serviceEnabled: vi.fn(async () => enabled) } : {}),
    };
  }

  function unitFor(ctx: InstallContext, passphraseFile?: string): string {
    return planServiceUnit(ctx, passphraseFile ? { passphraseFile } : {}).content;
  }

  it('not registered passes, with how to register', async () => {
    const ctx = fakeCtx({ nodePath: NODE_OK, cliPath: CLI_OK, existing: [NODE_OK, CLI_OK] });
    const c = await serviceRegisteredCheck(ctx, doctorDeps({}, true));
    expect(c).toEqual({
      id: 'service-registered',
      ok: true,
      title: 'service registered',
      detail: NOT_REGISTERED_DETAIL,
    });
    expect(NOT_REGISTERED_DETAIL).toBe(
      'not registered (the browser starts the service on demand; `sentinel-host service install` runs it at login/boot)',
    );
    // …and is part of doctor's output, in the usual format.
    const checks = await diagnose({}, ctx, doctorDeps({}));
    expect(checks.at(-1)?.id).toBe('service-registered');
    expect(formatChecks(checks)).toContain(`[ok]   service registered: ${NOT_REGISTERED_DETAIL}`);
  });

  it('registered: passes with the unit and whether systemd has it enabled', async () => {
    const ctx = fakeCtx({ nodePath: NODE_OK, cliPath: CLI_OK, existing: [NODE_OK, CLI_OK, UNIT] });
    const deps = doctorDeps({ [UNIT]: unitFor(ctx) }, true);
    expect(await serviceRegisteredCheck(ctx, deps)).toMatchObject({
      ok: true,
      detail: `${UNIT} (enabled)`,
    });
    expect(deps.serviceEnabled).toHaveBeenCalledWith('sentinel-companion.service');
    const disabled = await serviceRegisteredCheck(ctx, doctorDeps({ [UNIT]: unitFor(ctx) }, false));
    expect(disabled.ok).toBe(true);
    expect(disabled.detail).toContain('not enabled');
    expect((await serviceRegisteredCheck(ctx, doctorDeps({ [UNIT]: unitFor(ctx) }))).detail).toBe(
      UNIT,
    );
  });

  it('macOS: the plist is found', async () => {
    const ctx = fakeCtx({
      platform: 'darwin',
      nodePath: NODE_OK,
      cliPath: CLI_OK,
      existing: [NODE_OK, CLI_OK, PLIST],
    });
    const plist = planServiceUnit(ctx, { uid: 501 }).content;
    expect(await serviceRegisteredCheck(ctx, doctorDeps({ [PLIST]: plist }))).toMatchObject({
      ok: true,
      detail: PLIST,
    });
  });

  it('a unit whose node or cli.js is gone fails, with the install command (keeping the passphrase file)', async () => {
    const written = fakeCtx({ nodePath: '/old/node v18/bin/node', cliPath: CLI_OK });
    const unit = unitFor(written, '/home/ann/my pass');
    const ctx = fakeCtx({ nodePath: NODE_OK, cliPath: CLI_OK, existing: [NODE_OK, CLI_OK, UNIT] });
    const c = await serviceRegisteredCheck(ctx, doctorDeps({ [UNIT]: unit }, true));
    expect(c).toEqual({
      id: 'service-registered',
      ok: false,
      title: 'service registered',
      detail: `${UNIT} runs /old/node v18/bin/node, which no longer exists (node moved or was upgraded?)`,
      fix: "sentinel-host service install --passphrase-file '/home/ann/my pass'",
    });

    const movedCli = fakeCtx({ nodePath: NODE_OK, cliPath: '/gone/cli.js' });
    const c2 = await serviceRegisteredCheck(ctx, doctorDeps({ [UNIT]: unitFor(movedCli) }));
    expect(c2).toMatchObject({
      ok: false,
      detail: `${UNIT} runs /gone/cli.js, which no longer exists`,
      fix: 'sentinel-host service install',
    });
    expect(formatChecks([c2])).toContain('       fix: sentinel-host service install');
  });

  it('a unit for another SENTINEL_HOME fails', async () => {
    const other = fakeCtx({
      nodePath: NODE_OK,
      cliPath: CLI_OK,
      env: { SENTINEL_HOME: '/elsewhere' },
    });
    const ctx = fakeCtx({ nodePath: NODE_OK, cliPath: CLI_OK, existing: [NODE_OK, CLI_OK, UNIT] });
    const c = await serviceRegisteredCheck(ctx, doctorDeps({ [UNIT]: unitFor(other) }));
    expect(c).toMatchObject({
      ok: false,
      detail: `${UNIT} runs the service with /elsewhere, this shell uses ${ctx.paths.home}`,
    });
  });

  it('systemctl is-enabled: exit 0 → true, plain non-zero → false, other failures → null', async () => {
    const calls: string[][] = [];
    expect(
      await systemdUnitEnabled('x.service', async (_c, args) => {
        calls.push(args);
      }),
    ).toBe(true);
    expect(calls).toEqual([['--user', 'is-enabled', '--quiet', 'x.service']]);
    expect(
      await systemdUnitEnabled('x.service', async () => {
        throw new Error('Command failed: systemctl --user is-enabled --quiet x.service');
      }),
    ).toBe(false);
    expect(
      await systemdUnitEnabled('x.service', async () => {
        throw new Error('Failed to connect to bus: No medium found');
      }),
    ).toBeNull();
  });
});

// ---- routing in service-cli ------------------------------------------------------------------

describe('sentinel-host service routing', () => {
  function capture(stream: NodeJS.WriteStream): { text: () => string; restore: () => void } {
    const chunks: string[] = [];
    const spy = vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
    return { text: () => chunks.join(''), restore: () => spy.mockRestore() };
  }

  it('lists install and uninstall in help and in the unknown-subcommand message', async () => {
    const stdout = capture(process.stdout);
    const stderr = capture(process.stderr);
    try {
      expect(await runServiceCommand(['help'])).toBe(0);
      expect(await runServiceCommand(['bogus'])).toBe(2);
      expect(await runServiceCommand(['install', '--help'])).toBe(0);
    } finally {
      stdout.restore();
      stderr.restore();
    }
    expect(stdout.text()).toContain('install [--passphrase-file FILE] [--dry-run]');
    expect(stdout.text()).toContain('uninstall [--dry-run]');
    expect(stdout.text()).toContain('Usage: sentinel-host service install');
    expect(stderr.text()).toContain(
      'unknown subcommand "bogus" (run, start, stop, install, uninstall)',
    );
  });
});
