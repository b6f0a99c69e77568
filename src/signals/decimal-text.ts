/**
 * Decimal strings as signals and routes carry them ("50", "0.001"): the accepted form and an exact
 * comparison. Text only: the host's arithmetic on them lives in src/lib/decimal.ts. Pure.
 */

/** Decimal strings: digits, optionally a point and digits. No sign, exponent or spaces. */
export const DECIMAL_PATTERN = /^\d+(\.\d+)?$/;
export const MAX_DECIMAL_INTEGER_DIGITS = 24;
export const MAX_DECIMAL_FRACTION_DIGITS = 18;

/**
 * A positive decimal string within the length limits, or a description of what is wrong.
 * Exported for the host's limits (Route.maxOrderQuote and friends use the same form).
 */
export function checkDecimal(value: string): string | null {
  if (!DECIMAL_PATTERN.test(value)) return 'must be a decimal string like "50" or "0.001"';
  const [int, frac = ''] = value.split('.') as [string, string?];
  if (int.length > MAX_DECIMAL_INTEGER_DIGITS || frac.length > MAX_DECIMAL_FRACTION_DIGITS)
    return `must have at most ${MAX_DECIMAL_INTEGER_DIGITS} digits before the point and ${MAX_DECIMAL_FRACTION_DIGITS} after`;
  if (!/[1-9]/.test(value)) return 'must be greater than zero';
  return null;
}

/**
 * Compare two non-negative decimal strings (DECIMAL_PATTERN) exactly: -1, 0 or 1.
 * "1.50" equals "1.5"; leading zeros are ignored.
 */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const split = (s: string): [string, string] => {
    const [int = '', frac = ''] = s.split('.');
    return [int.replace(/^0+/, ''), frac.replace(/0+$/, '')];
  };
  const [ai, af] = split(a);
  const [bi, bf] = split(b);
  if (ai.length !== bi.length) return ai.length < bi.length ? -1 : 1;
  if (ai !== bi) return ai < bi ? -1 : 1;
  const width = Math.max(af.length, bf.length);
  const ap = af.padEnd(width, '0');
  const bp = bf.padEnd(width, '0');
  if (ap === bp) return 0;
  return ap < bp ? -1 : 1;
}
