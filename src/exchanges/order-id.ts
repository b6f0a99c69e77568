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
  const input = new TextEncoder().encode(`${signalId.length}:${signalId}${connectionId}`);
  const digest = sha256(input);
  if (digest.length !== 32) {
    throw new Error(`deriveClientOrderId needs a SHA-256 digest (32 bytes), got ${digest.length}`);
  }
  let n = 0n;
  for (const byte of digest.subarray(0, DIGEST_BYTES)) n = (n << 8n) | BigInt(byte);
  let digits = '';
  for (let i = 0; i < DIGITS; i++) {
    digits = ALPHABET.charAt(Number(n % 62n)) + digits;
    n /= 62n;
  }
  return PREFIX + digits;
}
