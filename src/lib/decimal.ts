/**
 * Exact decimal arithmetic for prices, quantities and balances: values are bigint counts of
 * 10^-12 units, so tick/step checks never suffer from binary floating point.
 */

export const DECIMALS = 12;
const SCALE = 10n ** BigInt(DECIMALS);

export type Dec = bigint;

/** Parses "123.45" (no exponent, at most 12 decimals); undefined when malformed. */
export function parseDec(text: string | number | undefined | null): Dec | undefined {
  if (text === undefined || text === null) return undefined;
  const s = typeof text === 'number' ? numberText(text) : text.trim();
  const m = /^(-)?(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = m[3] ?? '';
  if (frac.replace(/0+$/, '').length > DECIMALS) return undefined;
  const units =
    BigInt(m[2] || '0') * SCALE + BigInt((frac + '0'.repeat(DECIMALS)).slice(0, DECIMALS));
  return m[1] ? -units : units;
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) return 'x';
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

/** Plain text without trailing zeros ("0.001", "65000"). */
export function fmt(value: Dec): string {
  const neg = value < 0n;
  const abs = neg ? -value : value;
  const int = abs / SCALE;
  const frac = (abs % SCALE).toString().padStart(DECIMALS, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${int}${frac ? '.' + frac : ''}`;
}

/** Fixed number of decimals, truncated ("0.00100000"). */
export function fmtFixed(value: Dec, places: number): string {
  const neg = value < 0n;
  const abs = neg ? -value : value;
  const int = abs / SCALE;
  const frac = (abs % SCALE).toString().padStart(DECIMALS, '0').slice(0, places);
  return `${neg ? '-' : ''}${int}${places > 0 ? '.' + frac : ''}`;
}

export function mul(a: Dec, b: Dec): Dec {
  return (a * b) / SCALE;
}

/** a / b truncated to `step` (a multiple of step, rounded down). */
export function divToStep(a: Dec, b: Dec, step: Dec): Dec {
  if (b === 0n) return 0n;
  const raw = (a * SCALE) / b;
  return step > 0n ? (raw / step) * step : raw;
}

export function isMultiple(value: Dec, step: Dec): boolean {
  return step === 0n || value % step === 0n;
}

export function min(a: Dec, b: Dec): Dec {
  return a < b ? a : b;
}

export const ZERO: Dec = 0n;

/** Convenience for literals in tables: dec('0.01'). Throws on a malformed literal. */
export function dec(text: string): Dec {
  const v = parseDec(text);
  if (v === undefined) throw new Error(`bad decimal literal ${text}`);
  return v;
}
