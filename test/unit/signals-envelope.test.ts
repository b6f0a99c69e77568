/** Ed25519 signal frames: keys, sign/verify, tampering, hostile frames; relay↔host frame parsers. */
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { canonicalJson } from '../../src/signals/canonical-json.js';
import {
  generateProviderKeys,
  importPrivateKey,
  importPublicKey,
  publicKeyFromPrivate,
  SignalKeyError,
  SignalValidationError,
  signingInput,
  signSignal,
  verifySignalFrame,
} from '../../src/node/signal-envelope.js';
import {
  decodeAckMessage,
  decodeRelayMessage,
  makeAck,
  parseAck,
  parseRelayFrame,
  RELAY_FRAME_MAX_BYTES,
} from '../../src/signals/types.js';
import { makeSignal } from '../helpers/relay.js';

const KEYS = generateProviderKeys();
const OTHER = generateProviderKeys();

describe('provider keys', () => {
  it('generates a raw 32-byte public key and a PKCS#8 private key, both base64url', () => {
    expect(KEYS.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(KEYS.publicKey, 'base64url')).toHaveLength(32);
    expect(KEYS.privateKey).toMatch(/^[A-Za-z0-9_-]+$/);
    const key = createPrivateKey({
      key: Buffer.from(KEYS.privateKey, 'base64url'),
      format: 'der',
      type: 'pkcs8',
    });
    expect(key.asymmetricKeyType).toBe('ed25519');
    expect(publicKeyFromPrivate(KEYS.privateKey)).toBe(KEYS.publicKey);
    expect(generateProviderKeys().publicKey).not.toBe(KEYS.publicKey);
  });

  it('imports the private key from PEM too, and refuses other key types without echoing them', () => {
    const pem = importPrivateKey(KEYS.privateKey)
      .export({ format: 'pem', type: 'pkcs8' })
      .toString();
    expect(publicKeyFromPrivate(importPrivateKey(`\n${pem}\n`))).toBe(KEYS.publicKey);
    expect(() => importPrivateKey('not a key')).toThrow(SignalKeyError);
    expect(() => importPrivateKey(`${KEYS.privateKey}!`)).toThrow(SignalKeyError);
    try {
      importPrivateKey(KEYS.privateKey.slice(0, 20));
    } catch (e) {
      expect((e as Error).message).not.toContain(KEYS.privateKey.slice(0, 20));
    }
  });

  it('importPublicKey takes exactly 43 base64url characters of an Ed25519 key', () => {
    expect(importPublicKey(KEYS.publicKey).asymmetricKeyType).toBe('ed25519');
    for (const bad of [
      '',
      `${KEYS.publicKey}=`,
      KEYS.publicKey.slice(1),
      'A'.repeat(44),
      `${KEYS.publicKey.slice(0, 42)}+`,
    ])
      expect(() => importPublicKey(bad)).toThrow(SignalKeyError);
    // Non-canonical base64url: the last character carries 2 unused bits that must be zero.
    const last = KEYS.publicKey.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1] as string;
    expect(() => importPublicKey(`${KEYS.publicKey.slice(0, 42)}${sibling}`)).toThrow(
      SignalKeyError,
    );
  });
});

describe('signSignal / verifySignalFrame', () => {
  const signal = makeSignal({ id: 'sig_round_trip' });
  const frame = signSignal(signal, KEYS.privateKey, 'k1');

  it('round-trips: the frame carries kid, a base64url signature over canonicalJson(signal)', () => {
    expect(frame).toEqual({ type: 'signal', kid: 'k1', sig: expect.any(String), signal });
    expect(frame.sig).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(signingInput(signal).toString('utf8')).toBe(canonicalJson(signal));
    expect(verifySignalFrame(frame, KEYS.publicKey)).toEqual({
      ok: true,
      signal,
      kid: 'k1',
      signed: canonicalJson(signal),
    });
    expect(verifySignalFrame(frame, importPublicKey(KEYS.publicKey), { kid: 'k1' })).toMatchObject({
      ok: true,
    });
    // Through the wire and back, with members in another order: still valid.
    const wire = JSON.parse(
      JSON.stringify({ ...frame, signal: Object.fromEntries(Object.entries(signal).reverse()) }),
    ) as unknown;
    expect(verifySignalFrame(wire, KEYS.publicKey)).toMatchObject({ ok: true, signal });
  });

  it('verifies with Node directly (an independent check of the signed bytes)', () => {
    const ok = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: KEYS.publicKey },
      format: 'jwk',
    });
    expect(
      verify(null, Buffer.from(canonicalJson(signal)), ok, Buffer.from(frame.sig, 'base64url')),
    ).toBe(true);
  });

  it('a flipped bit anywhere in sig → bad-signature (or malformed when the encoding breaks)', () => {
    const raw = Buffer.from(frame.sig, 'base64url');
    for (let i = 0; i < raw.length; i++) {
      const flipped = Buffer.from(raw);
      flipped[i] = (flipped[i] as number) ^ 0x01;
      const r = verifySignalFrame({ ...frame, sig: flipped.toString('base64url') }, KEYS.publicKey);
      expect(r).toMatchObject({ ok: false, reason: 'bad-signature' });
    }
  });

  it('any change to any field of the signal → bad-signature', () => {
    const changes: Record<string, unknown>[] = [
      { v: 2 },
      { id: 'sig_round_truP' },
      { strategy: 'btc-trenD' },
      { issuedAt: signal.issuedAt + 1 },
      { ttlMs: 30_001 },
      { symbol: 'BTC/USDC' },
      { side: 'sell' },
      { type: 'limit', price: '1' },
      { size: { quote: '51' } },
      { size: { base: '50' } },
      { reduceOnly: true },
      { extra: 1 },
    ];
    for (const change of changes) {
      const r = verifySignalFrame({ ...frame, signal: { ...signal, ...change } }, KEYS.publicKey);
      expect(r, JSON.stringify(change)).toMatchObject({ ok: false, reason: 'bad-signature' });
    }
    const { strategy: _s, ...dropped } = signal;
    expect(verifySignalFrame({ ...frame, signal: dropped }, KEYS.publicKey)).toMatchObject({
      reason: 'bad-signature',
    });
  });

  it('a different kid than the pinned one → bad-signature', () => {
    expect(verifySignalFrame({ ...frame, kid: 'k2' }, KEYS.publicKey, { kid: 'k1' })).toMatchObject(
      {
        ok: false,
        reason: 'bad-signature',
      },
    );
    expect(verifySignalFrame(frame, KEYS.publicKey, { kid: 'K1' })).toMatchObject({
      reason: 'bad-signature',
    });
  });

  it('the wrong pinned key → bad-signature; an unusable pinned key → bad-key', () => {
    expect(verifySignalFrame(frame, OTHER.publicKey)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifySignalFrame(frame, 'nope')).toMatchObject({ ok: false, reason: 'bad-key' });
    expect(verifySignalFrame(frame, importPrivateKey(KEYS.privateKey))).toMatchObject({
      reason: 'bad-key',
    });
  });

  it('verifies the signature before reading the signal: a correctly signed invalid signal gets parseSignal’s reason', () => {
    const key = importPrivateKey(KEYS.privateKey);
    const signedRaw = (s: Record<string, unknown>) => ({
      type: 'signal',
      kid: 'k1',
      sig: sign(null, signingInput(s), key).toString('base64url'),
      signal: s,
    });
    expect(verifySignalFrame(signedRaw({ ...signal, leverage: 10 }), KEYS.publicKey)).toMatchObject(
      {
        ok: false,
        reason: 'unknown-field',
        field: 'leverage',
      },
    );
    expect(
      verifySignalFrame(signedRaw({ ...signal, size: { quote: '0' } }), KEYS.publicKey),
    ).toMatchObject({
      reason: 'bad-size',
    });
    // The same invalid signal, forged: the signature fails first, nothing in it is interpreted.
    const forged = signedRaw({ ...signal, leverage: 10 });
    expect(verifySignalFrame(forged, OTHER.publicKey)).toMatchObject({ reason: 'bad-signature' });
  });

  it('signSignal refuses an invalid signal or kid, and signs the validated copy', () => {
    expect(() => signSignal({ ...signal, size: {} }, KEYS.privateKey, 'k1')).toThrow(
      SignalValidationError,
    );
    try {
      signSignal({ ...signal, leverage: 1 }, KEYS.privateKey, 'k1');
    } catch (e) {
      expect((e as SignalValidationError).reason).toBe('unknown-field');
    }
    expect(() => signSignal(signal, KEYS.privateKey, 'bad kid')).toThrow(TypeError);
    expect(() => signSignal(signal, 'garbage', 'k1')).toThrow(SignalKeyError);
    expect(() => signSignal(signal, importPublicKey(KEYS.publicKey), 'k1')).toThrow(SignalKeyError);
    const withUndefined = { ...signal, ttlMs: undefined };
    const f = signSignal(withUndefined, KEYS.privateKey, 'k1');
    expect('ttlMs' in f.signal).toBe(false);
    expect(verifySignalFrame(JSON.parse(JSON.stringify(f)), KEYS.publicKey)).toMatchObject({
      ok: true,
    });
  });
});

describe('hostile frames never throw', () => {
  const frame = signSignal(makeSignal(), KEYS.privateKey, 'k1');
  let deep: unknown = {};
  for (let i = 0; i < 50_000; i++) deep = { a: deep };
  const cyclic: Record<string, unknown> = { ...frame.signal };
  cyclic['self'] = cyclic;
  const throwing = new Proxy(
    {},
    {
      get() {
        throw new Error('boom');
      },
      ownKeys() {
        throw new Error('boom');
      },
    },
  );
  const cases: [string, unknown][] = [
    ['null', null],
    ['a number', 42],
    ['a string', 'signal'],
    ['an array', [frame]],
    ['an empty object', {}],
    ['a hello frame', { type: 'hello', relay: 'r', providerKid: 'k1' }],
    ['kid not a string', { ...frame, kid: 5 }],
    ['kid too long', { ...frame, kid: 'k'.repeat(65) }],
    ['sig not a string', { ...frame, sig: [1, 2] }],
    ['sig too short', { ...frame, sig: 'abc' }],
    ['sig with padding', { ...frame, sig: `${frame.sig.slice(0, 84)}==` }],
    ['sig huge', { ...frame, sig: 'A'.repeat(1_000_000) }],
    ['signal missing', { type: 'signal', kid: 'k1', sig: frame.sig }],
    ['signal a string', { ...frame, signal: JSON.stringify(frame.signal) }],
    ['signal an array', { ...frame, signal: [frame.signal] }],
    ['signal deeply nested', { ...frame, signal: deep }],
    [
      'signal huge',
      { ...frame, signal: { ...frame.signal, pad: 'x'.repeat(RELAY_FRAME_MAX_BYTES * 4) } },
    ],
    [
      'signal with many keys',
      {
        ...frame,
        signal: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])),
      },
    ],
    ['signal cyclic', { ...frame, signal: cyclic }],
    ['signal with a lone surrogate', { ...frame, signal: { ...frame.signal, strategy: '\ud800' } }],
    ['signal with a bigint', { ...frame, signal: { ...frame.signal, issuedAt: 1n } }],
    ['signal a proxy that throws', { ...frame, signal: throwing }],
    ['the frame a proxy that throws', throwing],
  ];
  it.each(cases)('%s', (_name, value) => {
    let result: ReturnType<typeof verifySignalFrame> | undefined;
    expect(() => (result = verifySignalFrame(value, KEYS.publicKey))).not.toThrow();
    expect(result).toMatchObject({ ok: false });
    expect(['malformed', 'bad-signature']).toContain((result as { reason: string }).reason);
  });
});

describe('relay ↔ host frames', () => {
  const frame = signSignal(makeSignal(), KEYS.privateKey, 'k1');

  it('parseRelayFrame reads hello and signal frames and ignores unknown envelope fields', () => {
    expect(
      parseRelayFrame({ type: 'hello', relay: 'sentinel-relay', providerKid: 'k1', motd: 'hi' }),
    ).toEqual({
      ok: true,
      frame: { type: 'hello', relay: 'sentinel-relay', providerKid: 'k1' },
    });
    expect(parseRelayFrame({ ...frame, seq: 7 })).toEqual({ ok: true, frame });
  });

  it('parseRelayFrame refuses what is not a well-formed hello or signal frame', () => {
    const bad: unknown[] = [
      null,
      [],
      'hello',
      { type: 'ack', id: 'x', status: 'executed' },
      { type: 'hello', relay: '', providerKid: 'k1' },
      { type: 'hello', relay: 'r'.repeat(129), providerKid: 'k1' },
      { type: 'hello', relay: 'r\n', providerKid: 'k1' },
      { type: 'hello', relay: 'r', providerKid: 'k 1' },
      { ...frame, kid: '' },
      { ...frame, sig: 'short' },
      { ...frame, signal: 'text' },
      { ...frame, signal: null },
    ];
    for (const v of bad) expect(parseRelayFrame(v), JSON.stringify(v)).toMatchObject({ ok: false });
  });

  it('decodeRelayMessage handles strings, buffers, fragments, bad UTF-8, bad JSON and size', () => {
    const text = JSON.stringify(frame);
    expect(decodeRelayMessage(text)).toMatchObject({ ok: true });
    expect(decodeRelayMessage(Buffer.from(text))).toMatchObject({ ok: true });
    const bytes = Buffer.from(text);
    expect(decodeRelayMessage([bytes.subarray(0, 10), bytes.subarray(10)])).toMatchObject({
      ok: true,
    });
    expect(
      decodeRelayMessage(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)),
    ).toMatchObject({
      ok: true,
    });
    expect(decodeRelayMessage(Buffer.from([0x7b, 0xff, 0x7d]))).toEqual({
      ok: false,
      message: 'message is not valid UTF-8',
    });
    expect(decodeRelayMessage('{"type":')).toEqual({
      ok: false,
      message: 'message is not valid JSON',
    });
    expect(decodeRelayMessage('x'.repeat(RELAY_FRAME_MAX_BYTES + 1))).toMatchObject({ ok: false });
    expect(decodeRelayMessage(`"${'é'.repeat(RELAY_FRAME_MAX_BYTES / 2)}"`)).toMatchObject({
      ok: false,
    });
    expect(() => decodeRelayMessage('['.repeat(1_000_000))).not.toThrow();
  });

  it('parseAck / decodeAckMessage / makeAck', () => {
    expect(parseAck({ type: 'ack', id: 'sig_1', status: 'executed' })).toEqual({
      ok: true,
      frame: { type: 'ack', id: 'sig_1', status: 'executed' },
    });
    expect(
      decodeAckMessage('{"type":"ack","id":"s","status":"rejected","reason":"expired","x":1}'),
    ).toEqual({
      ok: true,
      frame: { type: 'ack', id: 's', status: 'rejected', reason: 'expired' },
    });
    for (const bad of [
      { type: 'ack', id: 's', status: 'done' },
      { type: 'ack', id: 'bad id', status: 'executed' },
      { type: 'ack', id: 's', status: 'rejected', reason: '' },
      { type: 'ack', id: 's', status: 'rejected', reason: 'x'.repeat(257) },
      { type: 'ack', id: 's', status: 'rejected', reason: 'a\u0000b' },
      { type: 'nack', id: 's', status: 'executed' },
      [],
    ])
      expect(parseAck(bad), JSON.stringify(bad)).toMatchObject({ ok: false });
    expect(decodeAckMessage('x'.repeat(5000))).toMatchObject({ ok: false });
    for (const status of ['executed', 'rejected', 'duplicate', 'dry-run'] as const)
      expect(makeAck('s1', status).status).toBe(status);
    expect(makeAck('s1', 'rejected', `line\nbreak ${'y'.repeat(400)}`).reason).toMatch(
      /^line break y+$/,
    );
    expect(makeAck('s1', 'rejected', 'y'.repeat(400)).reason).toHaveLength(256);
    expect(makeAck('s1', 'rejected', '\n')).toEqual({ type: 'ack', id: 's1', status: 'rejected' });
    expect(() => makeAck('bad id', 'executed')).toThrow(TypeError);
  });
});
