/**
 * The bridge started exactly as Chromium starts it: the launcher named in the installed host
 * manifest, argv = [origin], cwd = the launcher's folder, framed stdin/stdout.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  FrameReader,
  cleanupHome,
  exited,
  hostEnv,
  isAlive,
  lengthPrefix,
  rawFrame,
  requireBuiltHost,
  runCli,
  tempHome,
} from '../helpers/host.js';
import { encodeFrame } from '../../src/protocol/frame.js';
import { EXTENSION_ORIGIN, HOST_NAME } from '../../src/protocol/constants.js';

let home: string;
let profile: string;
let launcher: string;
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(requireBuiltHost);
beforeEach(async () => {
  home = tempHome();
  profile = mkdtempSync(join(tmpdir(), 'sc-profile-'));
  const r = await runCli(
    ['install', '--browser', 'chromium', '--user-data-dir', profile],
    hostEnv(home),
  );
  expect(r.code, r.stderr).toBe(0);
  const manifest = JSON.parse(
    readFileSync(join(profile, 'NativeMessagingHosts', `${HOST_NAME}.json`), 'utf8'),
  );
  launcher = manifest.path as string;
  expect(manifest.allowed_origins).toEqual([EXTENSION_ORIGIN]);
});
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await cleanupHome(home);
  rmSync(profile, { recursive: true, force: true });
});

/** Chromium's way: the launcher with the origin as its only argument, in the launcher's folder. */
function startLikeChromium(origin: string): {
  child: ChildProcessWithoutNullStreams;
  reader: FrameReader;
  stderr: () => string;
} {
  // A browser's environment, minus what would point the host at our SENTINEL_HOME: the
  // launcher written by the installer has to carry that itself.
  const env = { ...process.env };
  delete env.SENTINEL_HOME;
  const child = spawn(launcher, [origin], {
    cwd: dirname(launcher),
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { child, reader: new FrameReader(child.stdout), stderr: () => err };
}

const hello = (id: number) =>
  encodeFrame({ jsonrpc: '2.0', id, method: 'host.hello', params: { client: 'test' } });

describe('sentinel-host native (the bridge)', () => {
  it('starts the service when none runs and answers host.hello', async () => {
    const { child, reader } = startLikeChromium(EXTENSION_ORIGIN);
    child.stdin.write(hello(1));
    const m = await reader.message(15_000);
    expect(m).toMatchObject({ jsonrpc: '2.0', id: 1, result: { protocol: 1, vault: 'absent' } });
    const pid = (m.result as { service: { pid: number } }).service.pid;
    expect(pid).not.toBe(child.pid);
    // Closing the port (stdin) ends the bridge; the service it started keeps running.
    child.stdin.end();
    expect(await exited(child)).toBe(0);
    expect(isAlive(pid)).toBe(true);
    const status = await runCli(['status', '--json'], hostEnv(home));
    expect(JSON.parse(status.stdout).service.pid).toBe(pid);
  });

  it('relays to an already running service, several requests in one write', async () => {
    await runCli(['service', 'start'], hostEnv(home));
    const { child, reader } = startLikeChromium(EXTENSION_ORIGIN);
    child.stdin.write(Buffer.concat([hello(1), hello(2), hello(3)]));
    const ids = [
      (await reader.message()).id,
      (await reader.message()).id,
      (await reader.message()).id,
    ];
    expect(ids).toEqual([1, 2, 3]);
    child.stdin.end();
    expect(await exited(child)).toBe(0);
  });

  it('refuses another origin with FORBIDDEN_ORIGIN and starts nothing', async () => {
    const { child, reader } = startLikeChromium(
      'chrome-extension://abcdefghijklmnopabcdefghijklmnop/',
    );
    child.stdin.write(hello(1));
    const m = await reader.message();
    expect(m).toMatchObject({ id: null, error: { data: { reason: 'FORBIDDEN_ORIGIN' } } });
    expect(await exited(child)).toBe(1);
    expect((await runCli(['status'], hostEnv(home))).code).toBe(3); // no service was started
  });

  it('refuses a caller that names no origin', async () => {
    const { child, reader } = startLikeChromium('');
    const m = await reader.message();
    expect(m).toMatchObject({ error: { data: { reason: 'FORBIDDEN_ORIGIN' } } });
    expect(await exited(child)).toBe(1);
  });

  it('garbage frames get errors; the stream goes on; the service stays up', async () => {
    const { child, reader } = startLikeChromium(EXTENSION_ORIGIN);
    child.stdin.write(
      Buffer.concat([
        rawFrame('}{'),
        rawFrame(Buffer.from([0xc3, 0x28])),
        rawFrame('"just a string"'),
        hello(9),
      ]),
    );
    const reasons = [];
    for (let i = 0; i < 3; i++)
      reasons.push(((await reader.message()).error as { data: { reason: string } }).data.reason);
    expect(reasons).toEqual(['PARSE_ERROR', 'PARSE_ERROR', 'INVALID_REQUEST']);
    const ok = await reader.message();
    expect(ok).toMatchObject({ id: 9, result: { protocol: 1 } });
    const pid = (ok.result as { service: { pid: number } }).service.pid;

    // An impossible length: answered with MESSAGE_TOO_LARGE, then the bridge exits cleanly.
    child.stdin.write(lengthPrefix(0xffffffff));
    const big = await reader.message();
    expect(big).toMatchObject({ error: { data: { reason: 'MESSAGE_TOO_LARGE' } } });
    expect(await exited(child)).toBe(0);
    expect(isAlive(pid)).toBe(true);

    // A new bridge reaches the same service.
    const again = startLikeChromium(EXTENSION_ORIGIN);
    again.child.stdin.write(hello(1));
    expect(
      ((await again.reader.message()).result as { service: { pid: number } }).service.pid,
    ).toBe(pid);
    again.child.stdin.end();
  });

  it('records the hello of the origin the browser named (not one the page names); doctor reports it', async () => {
    await runCli(['service', 'start'], hostEnv(home));
    const doctor = () =>
      runCli(['doctor', '--browser', 'chromium', '--user-data-dir', profile], hostEnv(home));
    // The CLI's own hellos (service start, status) are no extension.
    const before = await doctor();
    expect(before.stdout).toContain(
      '[FAIL] extension connected: no extension has ever connected to this host',
    );
    expect(before.stdout).toContain('Load unpacked');
    expect(before.stdout).not.toContain('All checks passed');
    expect(before.code).toBe(1);

    const { child, reader } = startLikeChromium(EXTENSION_ORIGIN);
    // A page trying to name another origin: after the bridge's own first frame, an unknown method.
    const spoof = { origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/' };
    child.stdin.write(
      Buffer.concat([
        encodeFrame({ jsonrpc: '2.0', method: 'bridge.caller', params: spoof }),
        encodeFrame({
          jsonrpc: '2.0',
          id: 1,
          method: 'host.hello',
          params: { client: 'extension' },
        }),
      ]),
    );
    const m = await reader.message(15_000);
    const extensions = (m.result as { extensions: { origin: string; client?: string }[] })
      .extensions;
    expect(extensions).toHaveLength(1);
    expect(extensions[0]).toMatchObject({ origin: EXTENSION_ORIGIN, client: 'extension' });
    child.stdin.end();
    expect(await exited(child)).toBe(0);

    const after = await doctor();
    expect(after.stdout).toMatch(
      new RegExp(
        `\\[ok\\] +extension connected: ${EXTENSION_ORIGIN.replace(/[.]/g, '\\.')} last said hello at \\d{4}-\\d\\d-\\d\\dT[^ ]+ \\(extension\\)`,
      ),
    );
    expect(after.stdout).not.toContain('abcdefghijklmnop');
  });

  it('writes nothing but frames on stdout: logs go to stderr', async () => {
    const { child, reader, stderr } = startLikeChromium(EXTENSION_ORIGIN);
    child.stdin.write(hello(1));
    await reader.message(15_000);
    child.stdin.end();
    await exited(child);
    expect(reader.decoder.failure).toBeNull();
    expect(reader.decoder.pendingBytes).toBe(0);
    expect(stderr()).toContain('started the service');
  });
});
