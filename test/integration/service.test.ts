/** The real service process over its real unix socket. */
import { spawn } from 'node:child_process';
import { statSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  FrameReader,
  CLI,
  cleanupHome,
  connectSocket,
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

const homes: string[] = [];
function newHome(): string {
  const h = tempHome();
  homes.push(h);
  return h;
}

beforeAll(requireBuiltHost);
afterEach(async () => {
  await Promise.all(homes.splice(0).map(cleanupHome));
});

async function startService(home: string): Promise<{ pid: number }> {
  const r = await runCli(['service', 'start'], hostEnv(home));
  expect(r.code, r.stderr).toBe(0);
  const status = await runCli(['status', '--json'], hostEnv(home));
  return { pid: (JSON.parse(status.stdout) as { service: { pid: number } }).service.pid };
}

describe('sentinel-host service', () => {
  it('answers host.hello with version, protocol 1, vault state, pid and start time', async () => {
    const home = newHome();
    const { pid } = await startService(home);
    const r = await runCli(['status', '--json'], hostEnv(home));
    const hello = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(hello).toMatchObject({
      version: '0.1.0',
      protocol: 1,
      vault: 'absent',
      trading: { paused: false },
    });
    expect(hello.service).toMatchObject({ pid });
    expect(Date.parse((hello.service as { startedAt: string }).startedAt)).toBeGreaterThan(
      Date.now() - 60_000,
    );
    expect(isAlive(pid)).toBe(true);
  });

  it('keeps its socket 0600 inside 0700 folders', async () => {
    const home = newHome();
    await startService(home);
    expect(statSync(join(home, 'run')).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, 'run', 'host.sock')).mode & 0o777).toBe(0o600);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, 'logs', 'service.log')).mode & 0o777).toBe(0o600);
  });

  it('tightens a run folder that others could read', async () => {
    const home = newHome();
    mkdirSync(join(home, 'run'), { recursive: true });
    chmodSync(join(home, 'run'), 0o755);
    await startService(home);
    expect(statSync(join(home, 'run')).mode & 0o777).toBe(0o700);
  });

  it('a second service for the same user says so and exits non-zero', async () => {
    const home = newHome();
    const { pid } = await startService(home);
    const second = await runCli(['service'], hostEnv(home));
    expect(second.code).toBe(3);
    expect(second.stderr).toContain('already running');
    expect(second.stderr).toContain(`pid ${pid}`);
    expect(isAlive(pid)).toBe(true);
  });

  it('two services started at the same moment: exactly one wins', async () => {
    const home = newHome();
    const env = hostEnv(home);
    const children = [0, 1, 2].map(() =>
      spawn(process.execPath, [CLI, 'service'], { env, stdio: 'ignore' }),
    );
    // Losers exit on their own with 3; the winner keeps running.
    const results = await Promise.all(
      children.map((c) => exited(c, 4000).catch(() => 'running' as const)),
    );
    expect(results.filter((r) => r === 'running')).toHaveLength(1);
    expect(results.filter((r) => r === 3)).toHaveLength(2);
    const status = await runCli(['status', '--json'], env);
    const winner = children.find((c) => c.exitCode === null);
    expect(JSON.parse(status.stdout).service.pid).toBe(winner?.pid);
  });

  it('replaces a socket file left by a crashed service', async () => {
    const home = newHome();
    const { pid } = await startService(home);
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    expect(statSync(join(home, 'run', 'host.sock')).isSocket()).toBe(true); // stale file remains
    const { pid: next } = await startService(home);
    expect(next).not.toBe(pid);
  });

  it('answers garbage with errors and stays up', async () => {
    const home = newHome();
    const { pid } = await startService(home);
    const socket = await connectSocket(join(home, 'run', 'host.sock'));
    const reader = new FrameReader(socket);
    socket.write(rawFrame('{not json'));
    socket.write(rawFrame(Buffer.from([0xff, 0xfe, 0x00])));
    socket.write(rawFrame('[1,2]'));
    socket.write(rawFrame('{"jsonrpc":"2.0","id":5,"method":"no.such"}'));
    socket.write(rawFrame('{"jsonrpc":"2.0","id":6,"method":"host.hello","params":"x"}'));
    socket.write(rawFrame('{"jsonrpc":"2.0","id":7,"method":"host.hello","params":{"client":5}}'));
    socket.write(encodeFrame({ jsonrpc: '2.0', id: 8, method: 'host.hello', params: {} }));
    const reasons = [];
    for (let i = 0; i < 7; i++) {
      const m = await reader.message();
      reasons.push([
        m.id,
        (m.error as { data?: { reason?: string } } | undefined)?.data?.reason ?? 'ok',
      ]);
    }
    expect(reasons).toEqual([
      [null, 'PARSE_ERROR'],
      [null, 'PARSE_ERROR'],
      [null, 'INVALID_REQUEST'],
      [5, 'METHOD_NOT_FOUND'],
      [6, 'INVALID_REQUEST'],
      [7, 'INVALID_PARAMS'],
      [8, 'ok'],
    ]);
    // A length over the limit cannot be resynchronised: the service answers, then hangs up.
    socket.write(lengthPrefix(0x7fffffff));
    const tooLarge = await reader.message();
    expect((tooLarge.error as { data: { reason: string } }).data.reason).toBe('MESSAGE_TOO_LARGE');
    expect(await reader.next()).toBeNull();
    // A frame cut off by a hang-up changes nothing either.
    const s2 = await connectSocket(join(home, 'run', 'host.sock'));
    s2.end(Buffer.concat([lengthPrefix(100), Buffer.from('{"jsonrpc"')]));
    await new Promise((r) => s2.once('close', r));
    expect(isAlive(pid)).toBe(true);
    expect((await runCli(['status'], hostEnv(home))).code).toBe(0);
  });

  it('refuses to share a socket path something else is listening on', async () => {
    const home = newHome();
    mkdirSync(join(home, 'run'), { recursive: true, mode: 0o700 });
    const squatter = createServer(() => undefined);
    await new Promise<void>((r) => squatter.listen(join(home, 'run', 'host.sock'), r));
    try {
      const r = await runCli(['service'], hostEnv(home));
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('already running');
    } finally {
      squatter.close();
    }
  });

  it('status without a service says how to start it', async () => {
    const home = newHome();
    writeFileSync(join(home, 'placeholder'), '');
    const r = await runCli(['status'], hostEnv(home));
    expect(r.code).toBe(3);
    // Written as it runs from here: this test starts dist/host/native-host/main.js with node.
    expect(r.stderr).toMatch(/node \S*main\.js service start/);
  });
});
