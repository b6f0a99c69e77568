/**
 * Ed25519 signing and verification of signal frames (docs/protocol.md, the relay's frames).
 *
 * The signature covers the RFC 8785 canonical JSON (UTF-8) of the frame's `signal` object.
 * Keys travel as text: the public key as its raw 32 bytes in base64url (what a subscription
 * pins), the private key as PKCS#8 DER in base64url (what `keygen` writes to a 0600 file).
 *
 * Node only (node:crypto), so it lives outside the pure src/signals: the host, the relay and
 * the dev harness import it; the extension never does.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { canonicalJson } from '../signals/canonical-json.js';
import {
  isPlainObject,
  parseSignal,
  type Signal,
  type SignalRejectReason,
} from '../signals/signal.js';
import { KID_PATTERN, SIGNATURE_PATTERN, type SignalFrame } from '../signals/types.js';
import { errorMessage } from '../lib/error-text.js';

/** Largest canonical signal accepted for verification (a real one is ~300 bytes). */
export const MAX_SIGNAL_JSON_BYTES = 8 * 1024;
/** A signal is a flat object with one nested `size` object. */
const SIGNAL_MAX_DEPTH = 4;
const PUBLIC_KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export class SignalKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignalKeyError';
  }
}

export interface ProviderKeys {
  /** Raw 32-byte Ed25519 public key, base64url without padding (43 characters). */
  publicKey: string;
  /** PKCS#8 DER private key, base64url without padding. Keep it in a 0600 file. */
  privateKey: string;
}

export function generateProviderKeys(): ProviderKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: exportPublicKey(publicKey),
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url'),
  };
}

/** Strict base64url: only the alphabet, no padding, and the canonical encoding of its bytes. */
function decodeB64url(text: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

function exportPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string')
    throw new SignalKeyError('not an Ed25519 key');
  return jwk.x;
}

/** Import a pinned public key (raw 32 bytes, base64url). Throws SignalKeyError. */
export function importPublicKey(publicKey: string): KeyObject {
  if (
    typeof publicKey !== 'string' ||
    !PUBLIC_KEY_PATTERN.test(publicKey) ||
    decodeB64url(publicKey)?.length !== 32
  )
    throw new SignalKeyError(
      'a provider public key is 32 bytes of Ed25519 key in base64url (43 characters)',
    );
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
  } catch {
    throw new SignalKeyError('the provider public key is not a valid Ed25519 key');
  }
}

/**
 * Import a private key: PKCS#8 DER in base64url (what generateProviderKeys/keygen produce), or a
 * PEM "PRIVATE KEY" block. Surrounding whitespace is ignored. Throws SignalKeyError; the message
 * never contains the key.
 */
export function importPrivateKey(privateKey: string): KeyObject {
  const text = typeof privateKey === 'string' ? privateKey.trim() : '';
  let key: KeyObject;
  try {
    if (text.startsWith('-----BEGIN')) {
      key = createPrivateKey({ key: text, format: 'pem' });
    } else {
      const der = decodeB64url(text);
      if (!der || der.length === 0) throw new Error('not base64url');
      key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    }
  } catch {
    throw new SignalKeyError('the private key is not PKCS#8 (base64url DER or PEM)');
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new SignalKeyError('the private key is not an Ed25519 key');
  return key;
}

/** The raw base64url public key belonging to a private key. */
export function publicKeyFromPrivate(privateKey: string | KeyObject): string {
  const key = typeof privateKey === 'string' ? importPrivateKey(privateKey) : privateKey;
  return exportPublicKey(createPublicKey(key));
}

/** The text a signature covers: the signal's canonical JSON (throws CanonicalJsonError). */
export function signedText(signal: unknown): string {
  return canonicalJson(signal, { maxDepth: SIGNAL_MAX_DEPTH });
}

/** The exact bytes a signature covers: signedText(signal) as UTF-8. */
export function signingInput(signal: unknown): Buffer {
  return Buffer.from(signedText(signal), 'utf8');
}

/** signSignal refused the signal; `reason` is parseSignal's. */
export class SignalValidationError extends TypeError {
  readonly reason: SignalRejectReason;
  constructor(reason: SignalRejectReason, message: string) {
    super(message);
    this.name = 'SignalValidationError';
    this.reason = reason;
  }
}

/**
 * Sign a signal. The signal is validated first (parseSignal) and the validated copy is signed
 * and carried, so what is signed is exactly what travels. Throws TypeError for an invalid signal
 * or kid (message names the rule) and SignalKeyError for an unusable key.
 */
export function signSignal(
  signal: unknown,
  privateKey: string | KeyObject,
  kid: string,
): SignalFrame {
  if (typeof kid !== 'string' || !KID_PATTERN.test(kid))
    throw new TypeError('kid must be 1..64 of [A-Za-z0-9_.:-]');
  const parsed = parseSignal(signal);
  if (!parsed.ok) throw new SignalValidationError(parsed.reason, parsed.message);
  const key = typeof privateKey === 'string' ? importPrivateKey(privateKey) : privateKey;
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519')
    throw new SignalKeyError('signing needs an Ed25519 private key');
  const sig = sign(null, signingInput(parsed.signal), key).toString('base64url');
  return { type: 'signal', kid, sig, signal: parsed.signal };
}

export type VerifyRejectReason =
  | SignalRejectReason
  /** The signature does not verify under the pinned key, or the frame's kid is not the expected one. */
  | 'bad-signature'
  /** The pinned key itself is unusable (a caller/configuration problem, not the frame's). */
  | 'bad-key';

export type VerifyResult =
  /** `signed`: the canonical JSON the signature covers (the signal's record keeps it as is). */
  | { ok: true; signal: Signal; kid: string; signed: string }
  | { ok: false; reason: VerifyRejectReason; message: string; field?: string };

export interface VerifyOptions {
  /**
   * The kid the frame must carry (from the subscription or the relay's hello). The kid is not
   * covered by the signature, so a mismatch is reported as 'bad-signature'.
   */
  kid?: string;
}

/**
 * Verify a signal frame received from a relay against the pinned provider key. The signature is
 * checked over the canonical JSON of the received `signal` object BEFORE anything in it is
 * interpreted; only then is the signal parsed (strictly). Never throws.
 *
 * Order of checks: envelope shape ('malformed') → kid ('bad-signature' when options.kid differs)
 * → size/depth of the signal ('malformed') → signature ('bad-signature') → parseSignal's reasons.
 */
export function verifySignalFrame(
  frame: unknown,
  pinnedPublicKey: string | KeyObject,
  options: VerifyOptions = {},
): VerifyResult {
  try {
    return verifyUnsafe(frame, pinnedPublicKey, options);
  } catch {
    // Every path above is guarded; this is the last line for the "never throws" promise.
    return { ok: false, reason: 'malformed', message: 'the frame could not be read' };
  }
}

function verifyUnsafe(
  frame: unknown,
  pinnedPublicKey: string | KeyObject,
  options: VerifyOptions,
): VerifyResult {
  let key: KeyObject;
  try {
    key = typeof pinnedPublicKey === 'string' ? importPublicKey(pinnedPublicKey) : pinnedPublicKey;
  } catch (e) {
    return { ok: false, reason: 'bad-key', message: errorMessage(e) };
  }
  if (key.type !== 'public' || key.asymmetricKeyType !== 'ed25519')
    return { ok: false, reason: 'bad-key', message: 'the pinned key is not an Ed25519 public key' };

  if (!isPlainObject(frame))
    return { ok: false, reason: 'malformed', message: 'a signal frame must be a JSON object' };
  const { type, kid, sig, signal } = frame;
  if (type !== 'signal')
    return { ok: false, reason: 'malformed', message: 'frame type must be "signal"' };
  if (typeof kid !== 'string' || !KID_PATTERN.test(kid))
    return { ok: false, reason: 'malformed', message: 'kid must be 1..64 of [A-Za-z0-9_.:-]' };
  if (typeof sig !== 'string' || !SIGNATURE_PATTERN.test(sig))
    return { ok: false, reason: 'malformed', message: 'sig must be 86 characters of base64url' };
  const sigBytes = decodeB64url(sig);
  if (!sigBytes || sigBytes.length !== 64)
    return {
      ok: false,
      reason: 'malformed',
      message: 'sig is not a canonical base64url signature',
    };
  if (options.kid !== undefined && kid !== options.kid)
    return {
      ok: false,
      reason: 'bad-signature',
      message: 'the frame is signed under another kid than the pinned provider key',
    };
  if (!isPlainObject(signal))
    return { ok: false, reason: 'malformed', message: 'signal must be a JSON object' };

  let signed: string;
  let input: Buffer;
  try {
    signed = signedText(signal);
    input = Buffer.from(signed, 'utf8');
  } catch {
    return {
      ok: false,
      reason: 'malformed',
      message: 'signal has no canonical JSON form (too deep, lone surrogate or non-JSON value)',
    };
  }
  if (input.byteLength > MAX_SIGNAL_JSON_BYTES)
    return {
      ok: false,
      reason: 'malformed',
      message: `signal is over ${MAX_SIGNAL_JSON_BYTES} bytes`,
    };

  let valid = false;
  try {
    valid = verify(null, input, key, sigBytes);
  } catch {
    valid = false;
  }
  if (!valid)
    return {
      ok: false,
      reason: 'bad-signature',
      message: 'the signature does not verify under the pinned provider key',
    };

  const parsed = parseSignal(signal);
  if (!parsed.ok) return parsed;
  return { ok: true, signal: parsed.signal, kid, signed };
}
