/**
 * The relay CLI: keygen, sign, publish, serve — in-process through runRelayCli, and once end to
 * end as real processes (the compiled dist/tools/signal-relay/main.js: `npm run build` first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runRelayCli, type RelayCliIo } from '../../tools/signal-relay/main.js';
import type { Relay } from '../../tools/signal-relay/server.js';
import { publicKeyFromPrivate, verifySignalFrame } from '../../src/node/signal-envelope.js';
import { canonicalJson } from '../../src/signals/canonical-json.js';
import { connectFeed, makeSignal, PROVIDER_TOKEN, SUBSCRIBER_TOKEN } from '../helpers/relay.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface Captured {
  io: Partial<RelayCliIo>;
  out: () => string;
  err: () => string;
}

function capture(extra: Partial<RelayCliIo> = {}): Captured {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: (t) => void (out += t),
      stderr: (t) => void (err += t),
      readStdin: () => Promise.reject(new Error('no stdin in this test')),
      ...extra,
    },
    out: () => out,
    err: () => err,
  };
}

describe('relay CLI in-process', () => {
  let dir: string;
  let keyFile: string;
  let publicKey: string;
  let relay: Relay;
  let stopServe: (why: string) => void;
  let served: Promise<number>;
  let serveOut: Captured;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relaycli-'));
    keyFile = join(dir, 'provider.key');
    const c = capture();
    expect(await runRelayCli(['keygen', '--out', keyFile], c.io)).toBe(0);
    publicKey = c.out().trim();
    const config = {
      name: 'test-relay',
      providers: [{ token: PROVIDER_TOKEN, kid: 'k1', privateKeyFile: 'provider.key' }],
      subscribers: [{ token: SUBSCRIBER_TOKEN, providerKid: 'k1', name: 'alice' }],
    };
    writeFileSync(join(dir, 'relay.json'), JSON.stringify(config), { mode: 0o600 });
    const ready = new Promise<Relay>((r) => {
      serveOut = capture({
        untilStop: () => new Promise<string>((s) => (stopServe = s)),
        onReady: r,
      });
    });
    served = runRelayCli(['serve', '--config', join(dir, 'relay.json')], serveOut!.io);
    relay = await ready;
  });
  afterAll(async () => {
    stopServe?.('test end');
    await served;
    rmSync(dir, { recursive: true, force: true });
  });

  it('keygen prints the public key and writes the private key 0600, never to stdout', async () => {
    expect(publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const privateKey = readFileSync(keyFile, 'utf8').trim();
    expect(publicKeyFromPrivate(privateKey)).toBe(publicKey);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    // A second keygen refuses to overwrite; --force replaces.
    const again = capture();
    expect(await runRelayCli(['keygen', '--out', keyFile], again.io)).toBe(2);
    expect(again.err()).toMatch(/exists/);
    const other = join(dir, 'other.key');
    const forced = capture();
    expect(await runRelayCli(['keygen', '--out', other], forced.io)).toBe(0);
    expect(await runRelayCli(['keygen', '--out', other, '--force'], forced.io)).toBe(0);
    expect(forced.out()).not.toContain(readFileSync(other, 'utf8').trim());
    expect(forced.err()).not.toContain(readFileSync(other, 'utf8').trim());
  });

  it('serve prints one JSON line {url, wsUrl} and uses the config (name, keys by file)', () => {
    const lines = serveOut.out().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toEqual({ url: relay.url, wsUrl: relay.wsUrl });
    expect(serveOut.err()).toContain('relay: listening on');
    expect(serveOut.err()).not.toContain('warning');
  });

  it('sign prints a frame that verifies under the keygen public key', async () => {
    const signal = makeSignal();
    const c = capture();
    expect(
      await runRelayCli(
        ['sign', '--key', keyFile, '--kid', 'k1', '--signal', JSON.stringify(signal)],
        c.io,
      ),
    ).toBe(0);
    expect(verifySignalFrame(JSON.parse(c.out()), publicKey, { kid: 'k1' })).toEqual({
      ok: true,
      signal,
      kid: 'k1',
      signed: canonicalJson(signal),
    });
  });

  it('publish: signed with the key file, and --unsigned (the relay signs); subscribers get both', async () => {
    const feed = await connectFeed(relay.wsUrl, SUBSCRIBER_TOKEN);
    try {
      expect(await feed.next()).toEqual({ type: 'hello', relay: 'test-relay', providerKid: 'k1' });
      const signed = makeSignal();
      const c = capture();
      const code = await runRelayCli(
        [
          'publish',
          '--url',
          relay.url,
          '--token',
          PROVIDER_TOKEN,
          '--key',
          keyFile,
          '--kid',
          'k1',
          '--signal',
          JSON.stringify(signed),
        ],
        c.io,
      );
      expect({ code, err: c.err() }).toEqual({ code: 0, err: '' });
      expect(JSON.parse(c.out())).toEqual({ id: signed.id, delivered: 1 });
      expect(verifySignalFrame(await feed.next(), publicKey)).toEqual({
        ok: true,
        signal: signed,
        kid: 'k1',
        signed: canonicalJson(signed),
      });

      const bare = makeSignal({ side: 'sell' });
      const tokenFile = join(dir, 'token');
      writeFileSync(tokenFile, `${PROVIDER_TOKEN}\n`, { mode: 0o600 });
      const u = capture({ readStdin: () => Promise.resolve(JSON.stringify(bare)) });
      expect(
        await runRelayCli(
          [
            'publish',
            `--url=${relay.url}/signals`,
            '--token-file',
            tokenFile,
            '--unsigned',
            '--signal',
            '-',
          ],
          u.io,
        ),
      ).toBe(0);
      expect(JSON.parse(u.out())).toEqual({ id: bare.id, delivered: 1 });
      expect(verifySignalFrame(await feed.next(), publicKey)).toMatchObject({
        ok: true,
        signal: bare,
      });
    } finally {
      await feed.close();
    }
  });

  it('publish: exit 1 with the relay answer when refused; exit 2 for bad input, before any request', async () => {
    const refused = capture();
    expect(
      await runRelayCli(
        [
          'publish',
          '--url',
          relay.url,
          '--token',
          'wrong-token-0123456789',
          '--unsigned',
          '--signal',
          JSON.stringify(makeSignal()),
        ],
        refused.io,
      ),
    ).toBe(1);
    expect(JSON.parse(refused.out())).toMatchObject({ reason: 'unauthorized' });
    expect(refused.err()).toContain('HTTP 401');

    const incomplete = { ...makeSignal() } as Record<string, unknown>;
    delete incomplete['issuedAt'];
    let requests = 0;
    const counting = (): Promise<Response> => {
      requests++;
      return Promise.reject(new Error('unexpected'));
    };
    const usage: [string[], RegExp][] = [
      [
        [
          'publish',
          '--url',
          relay.url,
          '--token',
          PROVIDER_TOKEN,
          '--key',
          keyFile,
          '--kid',
          'k1',
          '--signal',
          JSON.stringify(incomplete),
        ],
        /missing-field.*issuedAt/,
      ],
      [
        [
          'publish',
          '--url',
          relay.url,
          '--token',
          PROVIDER_TOKEN,
          '--key',
          keyFile,
          '--signal',
          '{}',
        ],
        /--key FILE --kid K/,
      ],
      [
        [
          'publish',
          '--url',
          relay.url,
          '--token',
          PROVIDER_TOKEN,
          '--unsigned',
          '--kid',
          'k1',
          '--signal',
          '{}',
        ],
        /cannot be combined/,
      ],
      [['publish', '--url', relay.url, '--unsigned', '--signal', '{}'], /--token/],
      [
        ['publish', '--url', 'ftp://x', '--token', PROVIDER_TOKEN, '--unsigned', '--signal', '{}'],
        /http/,
      ],
      [
        [
          'publish',
          '--url',
          relay.url,
          '--token',
          PROVIDER_TOKEN,
          '--unsigned',
          '--signal',
          '{nope',
        ],
        /not valid JSON/,
      ],
      [
        [
          'publish',
          '--url',
          relay.url,
          '--token',
          PROVIDER_TOKEN,
          '--key',
          join(dir, 'missing.key'),
          '--kid',
          'k1',
          '--signal',
          '{}',
        ],
        /cannot read key file/,
      ],
      [
        [
          'publish',
          '--url',
          relay.url,
          '--token',
          PROVIDER_TOKEN,
          '--key',
          join(dir, 'relay.json'),
          '--kid',
          'k1',
          '--signal',
          '{}',
        ],
        /PKCS#8/,
      ],
      [['publish', '--bogus', 'x'], /unknown option --bogus/],
      [
        ['sign', '--key', keyFile, '--kid', 'bad kid', '--signal', JSON.stringify(makeSignal())],
        /kid must be/,
      ],
      [['keygen'], /--out is required/],
      [['serve'], /--config is required/],
      [['serve', '--config', join(dir, 'nope.json')], /cannot read config/],
      [['frobnicate'], /unknown command/],
      [[], /no command given/],
    ];
    for (const [argv, message] of usage) {
      const c = capture({ fetch: counting as typeof fetch });
      expect(await runRelayCli(argv, c.io), argv.join(' ')).toBe(2);
      expect(c.err()).toMatch(message);
      expect(c.err()).not.toContain(PROVIDER_TOKEN);
    }
    expect(requests).toBe(0);
  });

  it('serve refuses bad configs with exit 2 and warns about readable key and config files', async () => {
    const write = (name: string, value: unknown, mode = 0o600) => {
      const p = join(dir, name);
      writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value), { mode });
      return p;
    };
    const good = {
      providers: [{ token: PROVIDER_TOKEN, kid: 'k1', privateKeyFile: 'provider.key' }],
      subscribers: [],
    };
    const bad: [unknown, RegExp][] = [
      ['{not json', /not valid JSON/],
      [{ ...good, prot: 1 }, /unknown setting "prot"/],
      [{ ...good, port: 'x' }, /port must be/],
      [{ ...good, providers: [] }, /providers must be a non-empty array/],
      [
        { ...good, providers: [{ ...good.providers[0], privateKey: 'inline' }] },
        /unknown setting "privateKey"/,
      ],
      [
        { ...good, providers: [{ token: 'short', kid: 'k1', privateKeyFile: 'provider.key' }] },
        /token must be/,
      ],
      [
        {
          ...good,
          providers: [{ token: PROVIDER_TOKEN, kid: 'k1', privateKeyFile: 'absent.key' }],
        },
        /cannot read private key file/,
      ],
    ];
    for (const [i, [config, message]] of bad.entries()) {
      const c = capture({ untilStop: () => new Promise(() => undefined) });
      expect(await runRelayCli(['serve', '--config', write(`bad${i}.json`, config)], c.io)).toBe(2);
      expect(c.err()).toMatch(message);
    }
    const loose = capture({ untilStop: () => Promise.resolve('test') });
    expect(
      await runRelayCli(['serve', '--config', write('loose.json', good, 0o644)], loose.io),
    ).toBe(0);
    expect(loose.err()).toMatch(/warning: .*loose\.json holds tokens but is readable/);
    expect(loose.out()).toMatch(/^\{"url":"http:\/\/127\.0\.0\.1:\d+","wsUrl":/);
  });
});

describe('relay CLI as processes', () => {
  let dir: string;
  let script: string;
  const children: ChildProcess[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'relaycli-proc-'));
    script = join(ROOT, 'dist/tools/signal-relay/main.js');
    if (!existsSync(script))
      throw new Error(`${script} is missing: run "npm run build" (npm test does it first)`);
  });
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  function run(
    args: string[],
    input?: string,
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(input ?? '');
    return new Promise((r) => child.on('close', (code) => r({ code, stdout, stderr })));
  }

  it('keygen → serve → publish → a subscriber receives it; SIGTERM stops the relay cleanly', async () => {
    const keyFile = join(dir, 'k1.key');
    const keygen = await run(['keygen', '--out', keyFile]);
    expect(keygen.code).toBe(0);
    const publicKey = keygen.stdout.trim();
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(keygen.stdout).not.toContain(readFileSync(keyFile, 'utf8').trim());

    const config = join(dir, 'relay.json');
    writeFileSync(
      config,
      JSON.stringify({
        providers: [{ token: PROVIDER_TOKEN, kid: 'k1', privateKeyFile: 'k1.key' }],
        subscribers: [{ token: SUBSCRIBER_TOKEN, providerKid: 'k1' }],
      }),
      { mode: 0o600 },
    );
    const serve = spawn(process.execPath, [script, 'serve', '--config', config], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(serve);
    let stdout = '';
    let stderr = '';
    serve.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => serve.on('exit', (code) => r(code)));
    const ready = await new Promise<{ url: string; wsUrl: string }>((resolveReady, reject) => {
      serve.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('\n'))
          resolveReady(
            JSON.parse(stdout.split('\n')[0] as string) as { url: string; wsUrl: string },
          );
      });
      serve.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
    });
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const feed = await connectFeed(ready.wsUrl, SUBSCRIBER_TOKEN);
    expect(await feed.next()).toMatchObject({ type: 'hello', providerKid: 'k1' });
    const signal = makeSignal();
    const published = await run(
      [
        'publish',
        '--url',
        ready.url,
        '--token',
        PROVIDER_TOKEN,
        '--key',
        keyFile,
        '--kid',
        'k1',
        '--signal',
        '-',
      ],
      JSON.stringify(signal),
    );
    expect({ code: published.code, stderr: published.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(published.stdout)).toEqual({ id: signal.id, delivered: 1 });
    expect(verifySignalFrame(await feed.next(), publicKey, { kid: 'k1' })).toEqual({
      ok: true,
      signal,
      kid: 'k1',
      signed: canonicalJson(signal),
    });
    feed.send({ type: 'ack', id: signal.id, status: 'dry-run' });
    await new Promise((r) => setTimeout(r, 100));

    serve.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect((await feed.closed).code).toBe(1006);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('SIGTERM');
    expect(stderr).toContain(`ack from subscriber-1: ${signal.id} dry-run`);
    for (const secret of [PROVIDER_TOKEN, SUBSCRIBER_TOKEN, readFileSync(keyFile, 'utf8').trim()])
      expect(stderr + stdout).not.toContain(secret);
  });
});
