/** `sentinel-host install | uninstall | doctor` as the main CLI calls them: flags, output, exit codes. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIREFOX_ADDON_ID, HOST_NAME } from '../../src/protocol/constants.js';
import {
  runDoctor,
  runInstall,
  runUninstall,
  type CliIo,
} from '../../src/native-host/cli/commands/install.js';
import { runSetup } from '../../src/native-host/cli/commands/setup.js';
import type { InstallContext } from '../../src/native-host/install/context.js';
import { exists } from '../../src/native-host/install/system.js';
import { hostPaths } from '../../src/native-host/paths.js';

let root: string;
let ctx: InstallContext;
let out: string[];
let err: string[];
let io: CliIo;

const manifestPath = () =>
  join(ctx.homeDir, '.config', 'chromium', 'NativeMessagingHosts', `${HOST_NAME}.json`);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sentinel-install-cli-'));
  const homeDir = join(root, 'home');
  mkdirSync(homeDir);
  const cliPath = join(root, 'cli.js');
  writeFileSync(cliPath, '');
  const env = { SENTINEL_HOME: join(root, 'sh') };
  ctx = {
    platform: 'linux',
    homeDir,
    env,
    nodePath: process.execPath,
    cliPath,
    paths: hostPaths(env, 'linux'),
    exists,
    which: () => null,
  };
  out = [];
  err = [];
  io = {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    ctx,
    callService: async () => ({
      version: '9.9.9',
      service: { pid: 7 },
      extensions: [{ origin: 'chrome-extension://x/', lastHelloAt: '2026-12-01T15:00:00.000Z' }],
    }),
    run: async () => {
      throw new Error('no commands expected on Linux');
    },
    cwd: root,
  };
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('flag errors', () => {
  it.each([
    ['install', runInstall],
    ['uninstall', runUninstall],
    ['doctor', runDoctor],
  ] as const)('%s: an unknown flag gives exit 2 and a clear message', async (name, run) => {
    expect(await run(['--frobnicate'], io)).toBe(2);
    expect(err.join('\n')).toMatch(new RegExp(`^sentinel-host ${name}: .*--frobnicate`));
    expect(err.join('\n')).toContain(`sentinel-host ${name} --help`);
    expect(out).toEqual([]);
  });

  it('an unknown browser lists the valid names', async () => {
    expect(await runInstall(['--browser', 'opera'], io)).toBe(2);
    expect(err[0]).toBe(
      'sentinel-host install: Unknown browser "opera". Valid names: chrome, chromium, edge, brave, vivaldi, firefox.',
    );
  });

  it('a bad --extension-id gives exit 2', async () => {
    expect(await runInstall(['--browser', 'chromium', '--extension-id', 'xyz'], io)).toBe(2);
    expect(err[0]).toContain('--extension-id "xyz" is not a Chromium extension id');
    expect(exists(manifestPath())).toBe(false);
  });

  it('no browser found gives exit 1 and says to pass --browser', async () => {
    expect(await runInstall([], io)).toBe(1);
    expect(err[0]).toContain('Pass --browser NAME');
  });

  it('--help prints the usage and exits 0', async () => {
    expect(await runInstall(['--help'], io)).toBe(0);
    expect(out[0]).toMatch(/^Usage: sentinel-host install/);
    expect(out.join('\n')).toContain('--user-data-dir DIR');
  });
});

describe('install → doctor → uninstall', () => {
  it('runs the whole cycle with a clear summary', async () => {
    expect(await runInstall(['--browser', 'chromium', '--dry-run'], io)).toBe(0);
    expect(out[0]).toBe('Would install:');
    expect(exists(manifestPath())).toBe(false);

    out.length = 0;
    expect(await runInstall(['--browser', 'chromium'], io)).toBe(0);
    expect(err).toEqual([]);
    expect(out).toContain(`  Chromium: ${manifestPath()}`);
    expect(out.at(-1)).toContain('sentinel-host doctor');
    expect(exists(manifestPath())).toBe(true);

    out.length = 0;
    expect(await runDoctor([], io)).toBe(0);
    expect(out).toContain('[ok]   service reachable: version 9.9.9, pid 7');
    expect(out).toContain(
      '[ok]   extension connected: chrome-extension://x/ last said hello at 2026-12-01T15:00:00.000Z',
    );
    expect(out.at(-1)).toBe('All checks passed.');

    // A service no extension ever said hello to: not "All checks passed".
    out.length = 0;
    io.callService = async () => ({ version: '9.9.9', service: { pid: 7 }, extensions: [] });
    expect(await runDoctor([], io)).toBe(1);
    expect(out).toContain(
      '[FAIL] extension connected: no extension has ever connected to this host',
    );
    expect(out.at(-1)).toBe('1 check(s) failed.');

    out.length = 0;
    expect(await runUninstall([], io)).toBe(0);
    expect(exists(manifestPath())).toBe(false);
    expect(exists(join(ctx.paths.binDir, 'sentinel-native-host'))).toBe(false);

    out.length = 0;
    expect(await runDoctor(['--browser', 'chromium'], io)).toBe(1);
    expect(out).toContain('       fix: sentinel-host install --browser chromium');
  });

  it('--user-data-dir is resolved against the current folder', async () => {
    expect(await runInstall(['--user-data-dir', 'profile'], io)).toBe(0);
    expect(exists(join(root, 'profile', 'NativeMessagingHosts', `${HOST_NAME}.json`))).toBe(true);
    out.length = 0;
    expect(await runDoctor(['--user-data-dir', 'profile'], io)).toBe(0);
    expect(await runUninstall(['--user-data-dir', 'profile'], io)).toBe(0);
    expect(exists(join(root, 'profile', 'NativeMessagingHosts', `${HOST_NAME}.json`))).toBe(false);
  });

  it('doctor reports a service that does not answer, with the command to start it', async () => {
    await runInstall(['--browser', 'chromium'], io);
    out.length = 0;
    io.callService = async () => {
      throw new Error('not running');
    };
    expect(await runDoctor([], io)).toBe(1);
    expect(out).toContain('       fix: sentinel-host service start');
  });

  it('setup: installs, starts the service, then prints the next steps for the browsers registered and the vault', async () => {
    let starts = 0;
    io.callService = async (_paths, method) => {
      expect(method).toBe('host.hello');
      return { version: '9.9.9', vault: 'locked', extensions: [] };
    };
    const setup = {
      startService: async () => (starts += 1) && 0,
      extensionDir: root,
      cli: 'node bin/sentinel-host.js',
    };
    writeFileSync(join(root, 'manifest.json'), '{}');
    expect(await runSetup(['--browser', 'chromium'], io, setup)).toBe(0);
    expect(starts).toBe(1);
    expect(err).toEqual([]);
    expect(exists(manifestPath())).toBe(true);
    const at = out.indexOf('Next steps:');
    expect(at).toBeGreaterThan(0);
    expect(out.slice(at)).toEqual([
      'Next steps:',
      expect.stringMatching(/^ {2}1\. Load the extension\. In Chromium \(registered just now\)/),
      `     ${root}`,
      expect.stringMatching(/^ {2}2\. Open the Sentinel Companion popup/),
      '  3. Your vault already exists (locked): unlock it in the popup; no need to create one.',
      expect.stringMatching(/^ {2}4\. Connect a key/),
      'Then check every link with: node bin/sentinel-host.js doctor',
    ]);
  });

  it('setup --dry-run prints no next steps', async () => {
    const setup = { startService: async () => 0, extensionDir: root };
    expect(await runSetup(['--browser', 'chromium', '--dry-run'], io, setup)).toBe(0);
    expect(out).not.toContain('Next steps:');
  });
});

describe('Firefox', () => {
  const firefoxManifestPath = () =>
    join(ctx.homeDir, '.mozilla', 'native-messaging-hosts', `${HOST_NAME}.json`);

  it('setup --browser firefox registers the built-in add-on, starts the service, says how to load dist/firefox', async () => {
    let starts = 0;
    const dist = join(root, 'dist', 'extension');
    const setup = { startService: async () => (starts++, 0), extensionDir: dist };
    expect(await runSetup(['--browser', 'firefox'], io, setup)).toBe(0);
    expect(starts).toBe(1);
    expect(err).toEqual([]);
    const manifest = JSON.parse(readFileSync(firefoxManifestPath(), 'utf8'));
    expect(manifest.allowed_extensions).toEqual([FIREFOX_ADDON_ID]);
    expect(manifest).not.toHaveProperty('allowed_origins');
    expect(out).toContain(
      `     In Firefox: about:debugging → This Firefox → Load Temporary Add-on → ${join(root, 'dist', 'firefox', 'manifest.json')}`,
    );
  });

  it('install --extension-id with a Firefox add-on id allows that add-on; doctor expects it', async () => {
    const argv = ['--browser', 'firefox', '--extension-id', 'fork@example.org'];
    expect(await runInstall(argv, io)).toBe(0);
    const manifest = JSON.parse(readFileSync(firefoxManifestPath(), 'utf8'));
    expect(manifest.allowed_extensions).toEqual(['fork@example.org']);
    out = [];
    await runDoctor(argv, io);
    expect(out).toContain('[ok]   Firefox: add-on allowed: fork@example.org');
    out = [];
    await runDoctor(['--browser', 'firefox'], io);
    expect(out).toContain(
      `[FAIL] Firefox: add-on allowed: allowed_extensions lacks ${FIREFOX_ADDON_ID}`,
    );
  });
});
