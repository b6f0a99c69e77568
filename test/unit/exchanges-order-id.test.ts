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

  it('refuses empty ids and a wrong hash', () => {
    expect(() => deriveClientOrderId('', 'c', sha256)).toThrow(/non-empty/);
    expect(() => deriveClientOrderId('s', '', sha256)).toThrow(/non-empty/);
    expect(() => deriveClientOrderId('s', 'c', () => new Uint8Array(20))).toThrow(/32 bytes/);
  });
});
