import { createHash } from 'node:crypto';
import {
  CLIENT_ORDER_ID_PATTERN,
  EXCHANGE_IDS,
  PROFILES,
  deriveClientOrderId,
} from '../../src/exchanges/index.js';

const sha256 = (bytes: Uint8Array): Uint8Array => createHash('sha256').update(bytes).digest();

describe('deriveClientOrderId', () => {
  it('is deterministic', () => {
    const a = deriveClientOrderId('sig_01JD7', 'c_abc', sha256);
    expect(deriveClientOrderId('sig_01JD7', 'c_abc', sha256)).toBe(a);
    expect(a).toMatch(/^sc[0-9A-Za-z]{30}$/);
  });

  it('gives an id valid on Binance, Bybit and OKX', () => {
    const id = deriveClientOrderId('sig_ünïcødé-∞', 'c_x', sha256);
    expect(id).toMatch(CLIENT_ORDER_ID_PATTERN);
    expect(id).toHaveLength(32);
    for (const ex of EXCHANGE_IDS) {
      const rule = PROFILES[ex].clientOrderId;
      expect(rule.pattern.test(id)).toBe(true);
      expect(id.length).toBeLessThanOrEqual(rule.maxLength);
    }
  });

  it('keeps the two inputs apart', () => {
    expect(deriveClientOrderId('ab', 'c', sha256)).not.toBe(deriveClientOrderId('a', 'bc', sha256));
    expect(deriveClientOrderId('s', 'c1', sha256)).not.toBe(deriveClientOrderId('s', 'c2', sha256));
  });

  it('is distinct over 100k (signal, connection) pairs', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      for (const c of ['c_1', 'c_2']) {
        const id = deriveClientOrderId(`sig_${i}`, c, sha256);
        expect(id.length).toBe(32);
        seen.add(id);
      }
    }
    expect(seen.size).toBe(100_000);
    for (const id of [...seen].slice(0, 1000)) expect(id).toMatch(CLIENT_ORDER_ID_PATTERN);
  });

  it('keeps the ids it has always derived (journaled orders are looked up by them)', () => {
    const known: [string, string, string][] = [
      ['sig_01JD7', 'c_abc', 'sc3UJEDqpyXIynBf8PYjurixd1Emy0Nc'],
      ['P/sig_1', 'c1', 'sc3piocUGFv0fbsXyNaaBo1ZGtfLVNY8'],
      ['sig_ünïcødé-∞', 'c_x', 'sc24R5HPDvgy64GGb28mewIIYuOSjNCK'],
      ['a', 'b', 'sc4jHUyJj5Hiv3EA0f2J57XKV1o1nh0x'],
      ['ab', 'c', 'sc4YsQl34wxgQ8ByvD6RDvevHMtVJDIb'],
      ['a', 'bc', 'sc9q1NR6pTgNtqABqHimGlwnBWxDmBxZ'],
    ];
    for (const [signal, connection, id] of known)
      expect(deriveClientOrderId(signal, connection, sha256)).toBe(id);
    expect(deriveClientOrderId('x', 'y', () => new Uint8Array(32).fill(255))).toBe(
      'scA2kL32r9ku6HrcANr3ayRQDYSUT3Z1',
    );
    expect(deriveClientOrderId('x', 'y', () => new Uint8Array(32))).toBe(`sc${'0'.repeat(30)}`);
  });

  it('writes the first 22 digest bytes in base 62 exactly as BigInt arithmetic does', () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    const reference = (digest: Uint8Array): string => {
      let n = 0n;
      for (const byte of digest.subarray(0, 22)) n = (n << 8n) | BigInt(byte);
      let digits = '';
      for (let i = 0; i < 30; i++) {
        digits = alphabet.charAt(Number(n % 62n)) + digits;
        n /= 62n;
      }
      return `sc${digits}`;
    };
    for (let i = 0; i < 2_000; i++) {
      const digest = sha256(new TextEncoder().encode(`digest ${i}`));
      // Every few rounds, long runs of 0x00 / 0xff bytes (carries and borrows at the limbs' edges).
      if (i % 7 === 0) digest.fill(i % 2 ? 0xff : 0x00, i % 22, (i % 22) + 9);
      expect(deriveClientOrderId('s', 'c', () => digest)).toBe(reference(digest));
    }
  });

  it('refuses empty ids and a wrong hash', () => {
    expect(() => deriveClientOrderId('', 'c', sha256)).toThrow(/non-empty/);
    expect(() => deriveClientOrderId('s', '', sha256)).toThrow(/non-empty/);
    expect(() => deriveClientOrderId('s', 'c', () => new Uint8Array(20))).toThrow(/32 bytes/);
  });
});
