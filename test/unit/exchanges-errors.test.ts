import { EXCHANGE_IDS, KEY_REJECTED_KINDS, PROFILES } from '../../src/exchanges/index.js';
import type { ErrorKind } from '../../src/exchanges/index.js';

describe('explainError', () => {
  it.each([
    ['binance', -2015, 'invalid-key'],
    ['binance', '-2014', 'invalid-key'],
    ['binance', -2008, 'invalid-key'],
    ['binance', -1022, 'bad-signature'],
    ['binance', -1021, 'clock-skew'],
    ['binance', -1002, 'permission-denied'],
    ['binance', -1003, 'rate-limited'],
    ['binance', -1006, 'unknown-outcome'],
    ['binance', -1007, 'unknown-outcome'],
    ['bybit', 10003, 'invalid-key'],
    ['bybit', 10004, 'bad-signature'],
    ['bybit', 10005, 'permission-denied'],
    ['bybit', '10010', 'ip-not-allowed'],
    ['bybit', 10002, 'clock-skew'],
    ['bybit', 33004, 'invalid-key'],
    ['bybit', 10006, 'rate-limited'],
    ['bybit', 10000, 'unknown-outcome'],
    ['bybit', 170146, 'unknown-outcome'],
    ['bybit', 110072, 'duplicate-order'],
    ['bybit', 170141, 'duplicate-order'],
    ['okx', '50111', 'invalid-key'],
    ['okx', '50113', 'bad-signature'],
    ['okx', '50105', 'bad-passphrase'],
    ['okx', 50110, 'ip-not-allowed'],
    ['okx', '50102', 'clock-skew'],
    ['okx', '50120', 'permission-denied'],
    ['okx', '50101', 'wrong-environment'],
    ['okx', '50004', 'unknown-outcome'],
    ['okx', '51016', 'duplicate-order'],
  ] as const)('%s %s → %s', (ex, code, kind) => {
    const e = PROFILES[ex].explainError(code);
    expect(e.kind).toBe(kind);
    expect(e.message.length).toBeGreaterThan(40);
  });

  it('Binance -2010 is a duplicate only when the message says so', () => {
    expect(PROFILES.binance.explainError(-2010, 'Duplicate order sent.').kind).toBe(
      'duplicate-order',
    );
    expect(PROFILES.binance.explainError(-2010, 'Account has insufficient balance').kind).toBe(
      'other',
    );
    expect(PROFILES.binance.explainError(-2010).kind).toBe('other');
  });

  it('IP messages say what to do next, with the exchange’s page', () => {
    for (const [ex, code] of [
      ['bybit', 10010],
      ['okx', 50110],
    ] as const) {
      const m = PROFILES[ex].explainError(code).message;
      expect(m).toContain("Add this machine's IP (shown in the setup panel)");
      expect(m).toContain(`${PROFILES[ex].name}'s`);
      expect(m).toContain('or create a new key');
    }
    expect(PROFILES.binance.explainError(-2015).message).toContain("this machine's IP");
    expect(PROFILES.okx.explainError(50105).message).toContain('not your OKX login password');
    expect(PROFILES.okx.explainError(50101).message).toMatch(/demo/);
    expect(PROFILES.binance.explainError(-1021).message).toContain('NTP');
  });

  it('an unknown code gets an honest answer and echoes only a number', () => {
    const e = PROFILES.okx.explainError('99999');
    expect(e.kind).toBe('other');
    expect(e.message).toContain('error code 99999');
    const odd = PROFILES.bybit.explainError('sk-Sup3rS3cretValue');
    expect(odd.kind).toBe('other');
    expect(odd.message).not.toContain('Sup3rS3cret');
  });

  it.each(EXCHANGE_IDS)('%s: data lists agree with the table', (ex) => {
    const p = PROFILES[ex];
    for (const c of p.unknownOutcomeCodes) expect(p.explainError(c).kind).toBe('unknown-outcome');
    for (const c of p.duplicateOrderCodes) {
      expect(p.errors.some((e) => e.code === c && e.kind === 'duplicate-order')).toBe(true);
    }
    const kinds = new Set<ErrorKind>(p.errors.map((e) => e.kind));
    for (const k of ['invalid-key', 'bad-signature', 'clock-skew', 'permission-denied'] as const) {
      expect(kinds.has(k)).toBe(true);
    }
    for (const e of p.errors) {
      expect(e.message).not.toMatch(/\$\{|undefined|null/);
      expect(e.code).toMatch(/^-?\d+$/);
    }
  });

  it('names the key-rejected kinds', () => {
    expect(KEY_REJECTED_KINDS).toContain('ip-not-allowed');
    expect(KEY_REJECTED_KINDS).not.toContain('unknown-outcome');
  });
});
