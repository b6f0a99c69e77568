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

/** a × b rounded up to the last unit: a worth computed with it is never understated. */
export function mulCeil(a: Dec, b: Dec): Dec {
  const p = a * b;
  const q = p / SCALE;
  return p % SCALE > 0n ? q + 1n : q;
}

/** The largest multiple of step that is ≤ value (value ≥ 0, step > 0). */
export function floorToStep(value: Dec, step: Dec): Dec {
  return step > 0n ? (value / step) * step : value;
}

/** The smallest multiple of step that is ≥ value (value ≥ 0, step > 0). */
export function ceilToStep(value: Dec, step: Dec): Dec {
  if (step <= 0n) return value;
  const down = (value / step) * step;
  return down === value ? value : down + step;
}

/**
 * Significant digits of a value ("0.00012" → 2, "97000.5" → 6, "100" → 1). ccxt takes prices and
 * amounts as JavaScript numbers: a decimal of at most 15 significant digits survives that trip
 * exactly (IEEE 754 double: 15 decimal digits round-trip), anything longer may not.
 */
export function significantDigits(value: Dec): number {
  const digits = (value < 0n ? -value : value).toString().replace(/0+$/, '');
  return digits === '' ? 0 : digits.length;
}

/** The most significant digits a value sent to ccxt may have (see significantDigits). */
export const MAX_SENDABLE_DIGITS = 15;

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
