/**
 * The IPC socket's bounds, in process over real unix sockets: a frame with a UTF-8 byte-order mark
 * is refused (and the text is never echoed); a started frame must be complete within the deadline
 * or the connection is closed, while a slow but steady stream of frames is fine; at the client
 * limit a newcomer takes the slot of a client stuck mid-frame, or is refused with an error frame.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameDecoder, encodeFrame, type DecodedFrame } from '../../src/protocol/frame.js';
import { FramedSocket } from '../../src/native-host/ipc/framed-socket.js';
import {
  DEFAULT_CLIENT_LIMITS,
  IpcClients,
  clientLimitsFromEnv,
} from '../../src/native-host/ipc/client-limits.js';
import type { Logger } from '../../src/native-host/log.js';

const header = (n: number): Buffer => {
  const h = Buffer.alloc(4);
  h.writeUInt32LE(n);
  return h;
};
const raw = (body: Buffer): Buffer => Buffer.concat([header(body.length), body]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('FrameDecoder: byte-order mark', () => {
  const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

  it('refuses a frame that starts with a UTF-8 BOM, without echoing it, and goes on', () => {
    const d = new FrameDecoder();
    const secret =
      '{"jsonrpc":"2.0","id":1,"method":"vault.unlock","params":{"passphrase":"s3cr3t-BOM"}}';
    const out = d.push(
      Buffer.concat([raw(Buffer.concat([BOM, Buffer.from(secret)])), raw(Buffer.from('{"a":1}'))]),
    );
    expect(out).toHaveLength(2);
    const [bad, good] = out as [DecodedFrame, DecodedFrame];
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.kind).toBe('PARSE_ERROR');
    expect(bad.error.fatal).toBe(false);
    expect(bad.error.message).toMatch(/byte-order mark/);
    expect(bad.error.message).not.toContain('s3cr3t');
    expect(good).toEqual({ ok: true, message: { a: 1 } });
  });

  it('refuses a frame that is only a BOM, and one split across chunks', () => {
    const d = new FrameDecoder();
    expect(d.push(raw(BOM))[0]).toMatchObject({ ok: false, error: { kind: 'PARSE_ERROR' } });
    const f = raw(Buffer.concat([BOM, Buffer.from('{}')]));
    expect(d.push(f.subarray(0, 5))).toEqual([]);
    expect(d.push(f.subarray(5))[0]).toMatchObject({ ok: false, error: { kind: 'PARSE_ERROR' } });
  });

  it('still accepts the same characters inside a JSON string', () => {
    const d = new FrameDecoder();
    expect(d.push(raw(Buffer.from('"\uFEFFx"')))).toEqual([{ ok: true, message: '\uFEFFx' }]);
  });
});

let dir: string;
let server: Server | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sc-ipc-'));
});
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
  rmSync(dir, { recursive: true, force: true });
});

/** A unix-socket server handing each accepted socket to `onSocket`; resolves its path. */
async function listen(onSocket: (s: Socket) => void): Promise<string> {
  const path = join(dir, 's.sock');
  server = createServer(onSocket);
  await new Promise<void>((r) => server!.listen(path, r));
  return path;
}

function client(
  path: string,
): Promise<{ socket: Socket; frames: DecodedFrame[]; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const frames: DecodedFrame[] = [];
    const decoder = new FrameDecoder();
    socket.on('data', (c: Buffer) => frames.push(...decoder.push(c)));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('connect', () => resolve({ socket, frames, closed }));
    socket.once('error', reject);
  });
}

describe('FramedSocket: the partial-frame deadline', () => {
  it('closes a connection whose started frame stalls, with a fatal error, and frees its bytes', async () => {
    const seen: DecodedFrame[] = [];
    const limits: string[] = [];
    let framed: FramedSocket | null = null;
    const path = await listen((s) => {
      framed = new FramedSocket(s, (f) => seen.push(f), {
        frameDeadlineMs: 300,
        onLimit: (what, detail) => limits.push(`${what}: ${detail}`),
      });
    });
    const c = await client(path);
    const started = Date.now();
    c.socket.write(Buffer.concat([header(100_000), Buffer.alloc(50_000, 0x20)]));
    await sleep(150);
    expect(framed!.pendingBytes).toBeGreaterThan(0);
    expect(seen).toEqual([]);
    await c.closed; // the service side destroys the socket
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(300);
    expect(took).toBeLessThan(3000);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ ok: false, error: { kind: 'TRUNCATED', fatal: true } });
    expect(!seen[0]!.ok && seen[0]!.error.message).toMatch(/not completed within 300 ms/);
    expect(limits[0]).toMatch(/^frame-deadline: .*\(50004 bytes\)/);
    expect(framed!.pendingBytes).toBe(0);
  });

  it('gives each frame its own deadline: a slow but steady stream of frames is served', async () => {
    const seen: DecodedFrame[] = [];
    const path = await listen((s) => {
      new FramedSocket(s, (f) => seen.push(f), { frameDeadlineMs: 300 });
    });
    const c = await client(path);
    // 8 frames over ~1.6 s, each written in two halves 100 ms apart: no single frame takes 300 ms.
    for (let i = 0; i < 8; i++) {
      const f = Buffer.from(encodeFrame({ i }));
      c.socket.write(f.subarray(0, 5));
      await sleep(100);
      c.socket.write(f.subarray(5));
      await sleep(100);
    }
    await sleep(100);
    expect(seen.map((f) => (f.ok ? f.message : f.error.kind))).toEqual(
      Array.from({ length: 8 }, (_, i) => ({ i })),
    );
    expect(c.socket.destroyed).toBe(false);
    c.socket.destroy();
  });

  it('no deadline unless asked (the CLI side)', async () => {
    const seen: DecodedFrame[] = [];
    const path = await listen((s) => {
      new FramedSocket(s, (f) => seen.push(f));
    });
    const c = await client(path);
    c.socket.write(header(10));
    await sleep(400);
    expect(c.socket.destroyed).toBe(false);
    c.socket.write('{"ok":true}'.slice(0, 10));
    await sleep(50);
    expect(seen).toHaveLength(1);
    c.socket.destroy();
  });
});

describe('IpcClients: the client limit', () => {
  const logger = (lines: string[]): Logger => ({
    debug: () => undefined,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(m),
    error: (m) => lines.push(m),
  });

  it('reads its limits from the defaults or the environment, in range only', () => {
    expect(clientLimitsFromEnv({})).toEqual(DEFAULT_CLIENT_LIMITS);
    expect(DEFAULT_CLIENT_LIMITS.maxClients).toBe(32);
    expect(DEFAULT_CLIENT_LIMITS.frameDeadlineMs).toBe(10_000);
    expect(
      clientLimitsFromEnv({ SENTINEL_MAX_CLIENTS: '4', SENTINEL_FRAME_DEADLINE_MS: '500' }),
    ).toMatchObject({
      maxClients: 4,
      frameDeadlineMs: 500,
    });
    expect(
      clientLimitsFromEnv({ SENTINEL_MAX_CLIENTS: '0', SENTINEL_FRAME_DEADLINE_MS: '1e9' }),
    ).toEqual(DEFAULT_CLIENT_LIMITS);
  });

  it('refuses the client past the limit with an error frame; a stalled client yields its slot', async () => {
    const lines: string[] = [];
    const clients = new IpcClients({ ...DEFAULT_CLIENT_LIMITS, maxClients: 3 }, logger(lines));
    const path = await listen((s) => {
      clients.accept(s, (framed, frame) => {
        if (frame.ok) framed.send({ echo: frame.message });
      });
    });
    const idle = await Promise.all([client(path), client(path), client(path)]);
    await sleep(50);
    expect(clients.size).toBe(3);

    // Everyone between frames: the fourth is refused with one error frame and closed.
    const fourth = await client(path);
    await fourth.closed;
    expect(fourth.frames).toHaveLength(1);
    expect(fourth.frames[0]).toMatchObject({
      ok: true,
      message: { id: null, error: { data: { reason: 'SERVICE_UNAVAILABLE', limit: 3 } } },
    });
    expect(clients.size).toBe(3);
    expect(lines.join('\n')).toMatch(/at the 3-client limit: refused 1/);

    // One client stalls mid-frame: a newcomer takes its slot and is served.
    idle[1]!.socket.write(Buffer.concat([header(1000), Buffer.alloc(10, 0x20)]));
    await sleep(50);
    const fifth = await client(path);
    fifth.socket.write(encodeFrame({ hi: 5 }));
    await idle[1]!.closed;
    expect(idle[1]!.frames[0]).toMatchObject({
      ok: true,
      message: { error: { data: { reason: 'SERVICE_UNAVAILABLE' } } },
    });
    for (let i = 0; i < 50 && fifth.frames.length === 0; i++) await sleep(20);
    expect(fifth.frames[0]).toEqual({ ok: true, message: { echo: { hi: 5 } } });
    expect(clients.size).toBe(3);

    // The clients that kept to the protocol are still served.
    idle[0]!.socket.write(encodeFrame({ hi: 0 }));
    for (let i = 0; i < 50 && idle[0]!.frames.length === 0; i++) await sleep(20);
    expect(idle[0]!.frames[0]).toEqual({ ok: true, message: { echo: { hi: 0 } } });
    for (const c of [...idle, fifth]) c.socket.destroy();
    clients.destroyAll();
  });
});
