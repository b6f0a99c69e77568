import { FrameDecoder, FrameError, encodeFrame } from '../../src/protocol/frame.js';
import { MAX_FRAME_BYTES } from '../../src/protocol/constants.js';

function header(length: number): Uint8Array {
  const h = new Uint8Array(4);
  new DataView(h.buffer).setUint32(0, length, true);
  return h;
}

function rawFrame(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out.set(header(body.length));
  out.set(body, 4);
  return out;
}

function join(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const messages = (frames: ReturnType<FrameDecoder['push']>): unknown[] =>
  frames.map((f) => (f.ok ? f.message : f.error.kind));

describe('encodeFrame', () => {
  it('writes a 32-bit little-endian length then UTF-8 JSON', () => {
    const frame = encodeFrame({ a: 'é' });
    const body = new TextEncoder().encode('{"a":"é"}');
    expect([...frame.subarray(0, 4)]).toEqual([body.length, 0, 0, 0]);
    expect(new TextDecoder().decode(frame.subarray(4))).toBe('{"a":"é"}');
  });

  it('refuses a message over the limit with a typed error', () => {
    const big = { s: 'x'.repeat(MAX_FRAME_BYTES) };
    expect(() => encodeFrame(big)).toThrow(FrameError);
    try {
      encodeFrame(big);
    } catch (err) {
      expect((err as FrameError).kind).toBe('MESSAGE_TOO_LARGE');
    }
  });

  it('accepts exactly the limit', () => {
    // {"s":"…"} has 8 bytes of punctuation around the string
    const frame = encodeFrame({ s: 'x'.repeat(MAX_FRAME_BYTES - 8) });
    expect(frame.length).toBe(MAX_FRAME_BYTES + 4);
  });
});

describe('FrameDecoder', () => {
  it('round-trips several frames in one chunk', () => {
    const d = new FrameDecoder();
    const chunk = join(encodeFrame({ n: 1 }), encodeFrame({ n: 2 }), encodeFrame([3]));
    expect(messages(d.push(chunk))).toEqual([{ n: 1 }, { n: 2 }, [3]]);
    expect(d.pendingBytes).toBe(0);
  });

  it('reassembles frames split at every possible byte boundary', () => {
    const stream = join(encodeFrame({ hello: 'wörld', n: 1 }), encodeFrame({ n: 2 }));
    for (let cut = 0; cut <= stream.length; cut++) {
      const d = new FrameDecoder();
      const got = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      expect(messages(got)).toEqual([{ hello: 'wörld', n: 1 }, { n: 2 }]);
    }
  });

  it('reassembles a stream fed one byte at a time', () => {
    const stream = join(encodeFrame({ a: 1 }), encodeFrame({ b: [1, 2, 3] }));
    const d = new FrameDecoder();
    const got = [];
    for (const byte of stream) got.push(...d.push(Uint8Array.of(byte)));
    expect(messages(got)).toEqual([{ a: 1 }, { b: [1, 2, 3] }]);
  });

  it('keeps a partial frame pending and reports it as truncated at the end', () => {
    const d = new FrameDecoder();
    const frame = encodeFrame({ a: 1 });
    expect(d.push(frame.subarray(0, 6))).toEqual([]);
    expect(d.pendingBytes).toBe(6);
    const err = d.end();
    expect(err?.kind).toBe('TRUNCATED');
    expect(err?.fatal).toBe(true);
  });

  it('a clean end reports nothing', () => {
    const d = new FrameDecoder();
    d.push(encodeFrame({ a: 1 }));
    expect(d.end()).toBeNull();
  });

  it('a length over the limit is fatal and stops decoding, without waiting for the body', () => {
    const d = new FrameDecoder(1024);
    const out = d.push(join(header(1025), encodeFrame({ after: true })));
    expect(out).toHaveLength(1);
    const [first] = out;
    expect(first?.ok).toBe(false);
    if (first && !first.ok) {
      expect(first.error.kind).toBe('MESSAGE_TOO_LARGE');
      expect(first.error.fatal).toBe(true);
    }
    expect(d.push(encodeFrame({ more: 1 }))).toEqual([]);
    expect(d.failure?.kind).toBe('MESSAGE_TOO_LARGE');
  });

  it('a 4 GiB length prefix is refused at once (no hang waiting for 4 GiB)', () => {
    const d = new FrameDecoder();
    expect(messages(d.push(Uint8Array.of(0xff, 0xff, 0xff, 0xff)))).toEqual(['MESSAGE_TOO_LARGE']);
  });

  it('invalid UTF-8 is a PARSE_ERROR and the next frame still decodes', () => {
    const d = new FrameDecoder();
    const out = d.push(
      join(rawFrame(Uint8Array.of(0x22, 0xc3, 0x28, 0x22)), encodeFrame({ ok: 1 })),
    );
    expect(messages(out)).toEqual(['PARSE_ERROR', { ok: 1 }]);
    const bad = out[0];
    expect(bad && !bad.ok && bad.error.fatal).toBe(false);
    expect(bad && !bad.ok && bad.error.message).toMatch(/UTF-8/);
  });

  it('invalid JSON is a PARSE_ERROR that does not echo the input', () => {
    const d = new FrameDecoder();
    const out = d.push(
      join(rawFrame(new TextEncoder().encode('{"secret":"hunter2"')), encodeFrame(7)),
    );
    expect(messages(out)).toEqual(['PARSE_ERROR', 7]);
    const bad = out[0];
    expect(bad && !bad.ok && bad.error.message).not.toContain('hunter2');
  });

  it('an empty frame is a PARSE_ERROR', () => {
    const d = new FrameDecoder();
    expect(messages(d.push(join(header(0), encodeFrame(null))))).toEqual(['PARSE_ERROR', null]);
  });

  it('does not keep a large consumed chunk alive through a small tail', () => {
    const d = new FrameDecoder();
    const big = encodeFrame({ s: 'x'.repeat(100_000) });
    d.push(join(big, Uint8Array.of(5, 0)));
    expect(d.pendingBytes).toBe(2);
  });
});
