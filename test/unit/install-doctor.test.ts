/**
 * Install for real into a temporary HOME, run the launcher, then let doctor follow the chain —
 * and break each link in turn to see exactly that check fail with its fix.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXTENSION_ORIGIN, FIREFOX_ADDON_ID, HOST_NAME } from '../../src/protocol/constants.js';
import { applyInstallPlan, applyUninstallPlan } from '../../src/native-host/install/apply.js';
import type { InstallContext } from '../../src/native-host/install/context.js';
import {
  diagnose,
  doctorExitCode,
  formatChecks,
  type CallService,
  type DoctorCheck,
  type DoctorDeps,
} from '../../src/native-host/install/doctor/doctor.js';
import { planInstall, planUninstall } from '../../src/native-host/install/plan.js';
import { exists, isExecutable, readText } from '../../src/native-host/install/system.js';
import { hostPaths } from '../../src/native-host/paths.js';
import type { Mock } from 'vitest';

const posixOnly = process.platform === 'win32' ? describe.skip : describe;

let root: string;
let ctx: InstallContext;
let hello: Mock<CallService>;
let deps: DoctorDeps;

const mode = (p: string) => statSync(p).mode & 0o777;
const chromiumManifest = () =>
  join(ctx.homeDir, '.config', 'chromium', 'NativeMessagingHosts', `${HOST_NAME}.json`);
const firefoxManifest = () =>
  join(ctx.homeDir, '.mozilla', 'native-messaging-hosts', `${HOST_NAME}.json`);
const launcherPath = () => join(ctx.paths.binDir, 'sentinel-native-host');

function only(checks: DoctorCheck[], id: DoctorCheck['id'], browser?: string): DoctorCheck {
  const found = checks.filter(
    (c) => c.id === id && (browser === undefined || c.browser === browser),
  );
  expect(found).toHaveLength(1);
  return found[0] as DoctorCheck;
}

function failing(checks: DoctorCheck[]): string[] {
  return checks.filter((c) => !c.ok).map((c) => (c.browser ? `${c.id}:${c.browser}` : c.id));
}

/** A machine rooted in a temp folder: HOME, SENTINEL_HOME and a stand-in cli.js with awkward names. */
function makeContext(): InstallContext {
  root = mkdtempSync(join(tmpdir(), 'sentinel-install-'));
  const homeDir = join(root, 'home');
  const sentinelHome = join(root, "it's home");
  const cliDir = join(root, "Bob's apps", 'dist', 'host', 'native-host');
  mkdirSync(homeDir, { recursive: true });
  mkdirSync(cliDir, { recursive: true });
  const cliPath = join(cliDir, 'cli.js');
  // Reports what the browser-started process would see.
  writeFileSync(
    cliPath,
    'process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), home: process.env.SENTINEL_HOME ?? null, origins: process.env.SENTINEL_ALLOWED_ORIGINS ?? null }));\n',
  );
  const env = { SENTINEL_HOME: sentinelHome };
  return {
    platform: 'linux',
    homeDir,
    env,
    nodePath: process.execPath,
    cliPath,
    paths: hostPaths(env, 'linux'),
    exists,
    which: () => null,
  };
}

posixOnly('install into a temp HOME, then doctor', () => {
  beforeEach(async () => {
    ctx = makeContext();
    hello = vi.fn<CallService>(async () => ({
      version: '0.1.0',
      protocol: 1,
      service: { pid: 4242 },
      extensions: [
        { origin: EXTENSION_ORIGIN, lastHelloAt: '2026-12-01T15:00:00.000Z', client: 'extension' },
      ],
    }));
    deps = {
      callService: hello,
      readFile: readText,
      isExecutable,
      extensionDir: '/work/sentinel/dist/extension',
    };
    const result = await applyInstallPlan(planInstall({ browsers: ['chromium', 'firefox'] }, ctx));
    expect(result.errors).toEqual([]);
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes files and folders with the right modes', () => {
    expect(mode(launcherPath())).toBe(0o755);
    expect(mode(chromiumManifest())).toBe(0o644);
    expect(mode(firefoxManifest())).toBe(0o644);
    expect(mode(ctx.paths.home)).toBe(0o700);
    expect(mode(ctx.paths.binDir)).toBe(0o700);
    expect(mode(join(ctx.homeDir, '.config', 'chromium', 'NativeMessagingHosts'))).toBe(0o755);
    // Folders we had to create above it stay private.
    expect(mode(join(ctx.homeDir, '.config'))).toBe(0o700);
    expect(JSON.parse(readFileSync(chromiumManifest(), 'utf8')).path).toBe(launcherPath());
  });

  it('the launcher runs node on cli.js with the browser arguments and SENTINEL_HOME, from an empty environment', () => {
    const run = spawnSync(launcherPath(), [EXTENSION_ORIGIN], {
      env: {},
      cwd: ctx.paths.binDir,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      argv: ['native', EXTENSION_ORIGIN],
      home: ctx.paths.home,
      origins: null,
    });
  });

  it('everything passes, and the service answer is shown', async () => {
    const checks = await diagnose({}, ctx, deps);
    expect(failing(checks)).toEqual([]);
    expect(doctorExitCode(checks)).toBe(0);
    expect(checks.map((c) => c.id)).toEqual([
      'manifest-present',
      'manifest-valid',
      'allowed-origin',
      'launcher',
      'launcher-node',
      'launcher-cli',
      'launcher-home',
      'manifest-present',
      'manifest-valid',
      'allowed-origin',
      'service',
      'extension-connected',
      'service-registered',
    ]);
    expect(only(checks, 'service').detail).toBe('version 0.1.0, pid 4242');
    expect(only(checks, 'extension-connected').detail).toBe(
      `${EXTENSION_ORIGIN} last said hello at 2026-12-01T15:00:00.000Z (extension)`,
    );
    expect(hello).toHaveBeenCalledWith(
      ctx.paths,
      'host.hello',
      { client: 'doctor' },
      { timeoutMs: 3000 },
    );
    expect(formatChecks(checks).at(-1)).toBe('All checks passed.');
  });

  it('a deleted manifest fails "manifest present" with the install command', async () => {
    unlinkSync(chromiumManifest());
    const checks = await diagnose({ browsers: ['chromium'] }, ctx, deps);
    expect(failing(checks)).toEqual(['manifest-present:chromium']);
    expect(only(checks, 'manifest-present')).toMatchObject({
      ok: false,
      detail: `${chromiumManifest()} is missing`,
      fix: 'sentinel-host install --browser chromium',
    });
    expect(doctorExitCode(checks)).toBe(1);
  });

  it('a launcher without the execute bit fails "launcher"', async () => {
    chmodSync(launcherPath(), 0o644);
    const checks = await diagnose({}, ctx, deps);
    expect(failing(checks)).toEqual(['launcher']);
    expect(only(checks, 'launcher')).toMatchObject({
      detail: 'the launcher is not executable',
      fix: 'sentinel-host install --browser chromium',
    });
  });

  it('a launcher pointing to a missing node fails "launcher-node"', async () => {
    const text = readFileSync(launcherPath(), 'utf8');
    writeFileSync(
      launcherPath(),
      text.replace(`'${process.execPath}'`, "'/nowhere/node v18/bin/node'"),
    );
    const checks = await diagnose({ browsers: ['firefox'] }, ctx, deps);
    expect(failing(checks)).toEqual(['launcher-node']);
    expect(only(checks, 'launcher-node')).toMatchObject({
      detail: '/nowhere/node v18/bin/node does not exist (node moved or was upgraded?)',
      fix: 'sentinel-host install --browser firefox',
    });
  });

  it('a missing cli.js fails "launcher-cli"', async () => {
    unlinkSync(ctx.cliPath);
    const checks = await diagnose({}, ctx, deps);
    expect(failing(checks)).toEqual(['launcher-cli']);
  });

  it('another extension in allowed_origins fails "allowed-origin" for that browser only', async () => {
    const m = JSON.parse(readFileSync(chromiumManifest(), 'utf8'));
    m.allowed_origins = ['chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/'];
    writeFileSync(chromiumManifest(), JSON.stringify(m));
    const checks = await diagnose({}, ctx, deps);
    expect(failing(checks)).toEqual(['allowed-origin:chromium']);
    expect(only(checks, 'allowed-origin', 'chromium')).toMatchObject({
      detail: `allowed_origins lacks ${EXTENSION_ORIGIN}`,
      fix: 'sentinel-host install --browser chromium',
    });
  });

  it('Firefox without the add-on id fails "allowed-origin"', async () => {
    const m = JSON.parse(readFileSync(firefoxManifest(), 'utf8'));
    m.allowed_extensions = ['someone-else@example.org'];
    writeFileSync(firefoxManifest(), JSON.stringify(m));
    const checks = await diagnose({}, ctx, deps);
    expect(failing(checks)).toEqual(['allowed-origin:firefox']);
    expect(only(checks, 'allowed-origin', 'firefox').detail).toBe(
      `allowed_extensions lacks ${FIREFOX_ADDON_ID}`,
    );
  });

  it('--extension-id: doctor expects those ids, in the manifest and in the bridge allowlist', async () => {
    const id = 'abcdefghijklmnopabcdefghijklmnop';
    const withId = await diagnose({ browsers: ['chromium'], extensionIds: [id] }, ctx, deps);
    expect(failing(withId)).toEqual(['allowed-origin:chromium']);
    expect(only(withId, 'allowed-origin').fix).toBe(
      `sentinel-host install --browser chromium --extension-id ${id}`,
    );

    await applyInstallPlan(planInstall({ browsers: ['chromium'], extensionIds: [id] }, ctx));
    expect(
      failing(await diagnose({ browsers: ['chromium'], extensionIds: [id] }, ctx, deps)),
    ).toEqual([]);
    // The launcher now serves only that id: the published extension would be refused.
    const plain = await diagnose({ browsers: ['chromium'] }, ctx, deps);
    expect(only(plain, 'allowed-origin').detail).toBe(`allowed_origins lacks ${EXTENSION_ORIGIN}`);
  });

  it('a manifest that is not JSON, or has the wrong name, fails "manifest-valid"', async () => {
    writeFileSync(chromiumManifest(), '{ not json');
    let checks = await diagnose({ browsers: ['chromium'] }, ctx, deps);
    expect(failing(checks)).toEqual(['manifest-valid:chromium']);
    expect(only(checks, 'manifest-valid').detail).toMatch(/not valid JSON/);

    writeFileSync(
      chromiumManifest(),
      JSON.stringify({ name: 'com.other', type: 'stdio', path: launcherPath() }),
    );
    checks = await diagnose({ browsers: ['chromium'] }, ctx, deps);
    expect(only(checks, 'manifest-valid').detail).toContain(
      `"name" is "com.other", not "${HOST_NAME}"`,
    );
  });

  it('a different SENTINEL_HOME in this shell fails "launcher-home"', async () => {
    const other = {
      ...ctx,
      env: { SENTINEL_HOME: join(root, 'other') },
      paths: hostPaths({ SENTINEL_HOME: join(root, 'other') }, 'linux'),
    };
    const checks = await diagnose({ browsers: ['chromium'] }, other, deps);
    expect(failing(checks)).toEqual(['launcher-home']);
  });

  it('an unreachable service fails "service" with `sentinel-host service start`', async () => {
    deps.callService = async () => {
      throw new Error('the Sentinel service is not running (ENOENT)');
    };
    const checks = await diagnose({}, ctx, deps);
    // Whether an extension connected cannot be told either.
    expect(failing(checks)).toEqual(['service', 'extension-connected']);
    expect(only(checks, 'extension-connected').detail).toMatch(/^cannot tell: the service/);
    expect(only(checks, 'service')).toMatchObject({
      detail: `${ctx.paths.socket}: the Sentinel service is not running (ENOENT)`,
      fix: 'sentinel-host service start',
    });
    expect(formatChecks(checks)).toContain('       fix: sentinel-host service start');
  });

  it('no extension ever connected: a failing check that says to load dist/extension and match the id, never "All checks passed"', async () => {
    hello.mockResolvedValue({
      version: '0.1.0',
      protocol: 1,
      service: { pid: 4242 },
      extensions: [],
    });
    const checks = await diagnose({}, ctx, deps);
    expect(failing(checks)).toEqual(['extension-connected']);
    const c = only(checks, 'extension-connected');
    expect(c.detail).toBe('no extension has ever connected to this host');
    expect(c.fix).toContain('load the unpacked extension from /work/sentinel/dist/extension');
    expect(c.fix).toContain('chrome://extensions → Developer mode → Load unpacked');
    expect(c.fix).toContain('open the Sentinel Companion popup once');
    expect(c.fix).toContain(`allowed_origins (${EXTENSION_ORIGIN})`);
    expect(doctorExitCode(checks)).toBe(1);
    const text = formatChecks(checks);
    expect(text).not.toContain('All checks passed.');
    expect(text).toContain(
      '[FAIL] extension connected: no extension has ever connected to this host',
    );
    expect(text.at(-1)).toBe('1 check(s) failed.');
  });

  it('with Firefox among the browsers, the fix also says how to load dist/firefox', async () => {
    hello.mockResolvedValue({
      version: '0.1.0',
      protocol: 1,
      service: { pid: 4242 },
      extensions: [],
    });
    const checks = await diagnose({ browsers: ['firefox'] }, ctx, deps);
    const fix = only(checks, 'extension-connected').fix;
    expect(fix).toContain(
      'In Firefox: about:debugging → This Firefox → Load Temporary Add-on → /work/sentinel/dist/firefox/manifest.json',
    );
    expect(fix).toContain(`allowed add-on: ${FIREFOX_ADDON_ID}`);
  });

  it('names the ids expected by --extension-id in the fix', async () => {
    hello.mockResolvedValue({
      version: '0.1.0',
      protocol: 1,
      service: { pid: 4242 },
      extensions: [],
    });
    const id = 'abcdefghijklmnopabcdefghijklmnop';
    const checks = await diagnose({ browsers: ['chromium'], extensionIds: [id] }, ctx, deps);
    expect(only(checks, 'extension-connected').fix).toContain(
      `allowed_origins (chrome-extension://${id}/)`,
    );
  });

  it('an older service without `extensions` fails the check: cannot tell', async () => {
    hello.mockResolvedValue({ version: '0.0.9', protocol: 1, service: { pid: 4242 } });
    const checks = await diagnose({}, ctx, deps);
    expect(failing(checks)).toEqual(['extension-connected']);
    expect(only(checks, 'extension-connected').detail).toMatch(/does not report connections/);
  });

  it('several extensions: each origin with when it last said hello', async () => {
    hello.mockResolvedValue({
      version: '0.1.0',
      protocol: 1,
      service: { pid: 4242 },
      extensions: [
        { origin: 'chrome-extension://bbbb/', lastHelloAt: '2026-12-01T15:10:00.000Z' },
        { origin: EXTENSION_ORIGIN, lastHelloAt: '2026-11-30T09:00:00.000Z', client: 'extension' },
      ],
    });
    const checks = await diagnose({}, ctx, deps);
    expect(failing(checks)).toEqual([]);
    expect(only(checks, 'extension-connected').detail).toBe(
      'chrome-extension://bbbb/ last said hello at 2026-12-01T15:10:00.000Z; ' +
        `${EXTENSION_ORIGIN} last said hello at 2026-11-30T09:00:00.000Z (extension)`,
    );
  });

  it('a Snap browser is a failing check that says why, by name', async () => {
    mkdirSync(join(ctx.homeDir, 'snap', 'chromium'), { recursive: true });
    const checks = await diagnose({}, ctx, deps);
    expect(failing(checks)).toEqual(['sandbox:chromium']);
    expect(only(checks, 'sandbox').detail).toBe(
      "Chromium installed as a Snap cannot start programs outside its sandbox, so it cannot reach the Sentinel host. Install Chromium from your distribution's .deb/.rpm or from the vendor, or use another browser.",
    );
  });

  it('uninstall removes what install wrote; doctor then says to install', async () => {
    const result = await applyUninstallPlan(planUninstall({}, ctx));
    expect(result.errors).toEqual([]);
    expect(exists(chromiumManifest())).toBe(false);
    expect(exists(firefoxManifest())).toBe(false);
    expect(exists(launcherPath())).toBe(false);
    const checks = await diagnose({}, ctx, deps);
    expect(only(checks, 'browsers')).toMatchObject({
      ok: false,
      fix: 'sentinel-host install --browser chromium',
    });
  });
});
