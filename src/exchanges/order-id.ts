/**
 * The client order id of the order a signal becomes on one connection. Derived, not random: a
 * restart or a retry after an unknown outcome computes the same id and can look the order up by it
 * (Binance origClientOrderId, Bybit orderLinkId, OKX clOrdId) instead of placing it twice.
 *
 * Pure and synchronous, so the extension can import it too; the hash is a parameter because Web
 * Crypto is async-only and `node:crypto` is not available in the extension. The host passes
 * `(bytes) => createHash('sha256').update(bytes).digest()`.
 */

export type Sha256 = (bytes: Uint8Array) => Uint8Array;

/** Valid on all three exchanges: OKX's clOrdId is the strictest (1–32 letters and digits). */
export const CLIENT_ORDER_ID_PATTERN = /^[A-Za-z0-9]{1,32}$/;

const PREFIX = 'sc';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 22 digest bytes = 176 bits, which fit in 30 base62 digits (62^30 ≈ 2^178.6): "sc" + 30 = 32. */
const DIGEST_BYTES = 22;
const DIGITS = 30;
const UTF8 = new TextEncoder();

/**
 * `sc` + 30 base62 characters of SHA-256(len(signalId) ":" signalId connectionId). The length
 * prefix keeps ("ab", "c") and ("a", "bc") apart. 176 bits make a collision between any two of a
 * billion orders about 1 in 10^35.
 */
export function deriveClientOrderId(
  signalId: string,
  connectionId: string,
  sha256: Sha256,
): string {
  if (signalId.length === 0 || connectionId.length === 0) {
    throw new Error('deriveClientOrderId needs a non-empty signal id and connection id');
  }
  const input = UTF8.encode(`${signalId.length}:${signalId}${connectionId}`);
  const digest = sha256(input);
  if (digest.length !== 32) {
    throw new Error(`deriveClientOrderId needs a SHA-256 digest (32 bytes), got ${digest.length}`);
  }
  // The first DIGEST_BYTES bytes as one big-endian number, written in base 62 (most significant
  // digit first, zero-padded to DIGITS). Long division over 16-bit limbs in plain numbers: the
  // same digits as BigInt arithmetic (the unit test compares them), at a fraction of its cost on
  // the signal path. Each step's remainder × 65536 + limb stays below 2^22: exact in a double.
  const limbs = new Array<number>(DIGEST_BYTES / 2);
  for (let i = 0; i < limbs.length; i++) limbs[i] = (digest[2 * i]! << 8) | digest[2 * i + 1]!;
  const digits = new Array<string>(DIGITS);
  for (let d = DIGITS - 1; d >= 0; d--) {
    let remainder = 0;
    for (let i = 0; i < limbs.length; i++) {
      const value = remainder * 0x10000 + limbs[i]!;
      limbs[i] = Math.floor(value / 62);
      remainder = value % 62;
    }
    digits[d] = ALPHABET.charAt(remainder);
  }
  return PREFIX + digits.join('');
}
