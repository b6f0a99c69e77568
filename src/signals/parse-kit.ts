/**
 * What the signal parser's parts share: the one way a field is refused, and safe field names in
 * messages. A parser part throws Reject; parseSignal turns it into a result and never throws.
 */
import { checkDecimal } from './decimal-text.js';

export const SIGNAL_REJECT_REASONS = [
  /** Not a JSON object, or a field of the wrong JSON type. */
  'malformed',
  /** A field this version does not know (top level or inside size), or a v2 field in a v1 signal. */
  'unknown-field',
  /** A required field is absent. */
  'missing-field',
  /** `v` is a number other than 1 or 2. */
  'unsupported-version',
  /** Right type, wrong value: id / strategy / symbol pattern, issuedAt, ttlMs bounds, side, type, leverage, marginMode. */
  'invalid-field',
  /** size has not exactly one of its kinds, an amount is not a positive decimal, a percentage > 100, positionPct without reduceOnly. */
  'bad-size',
  /** price missing on a limit order, or a price or trigger price not a positive decimal. */
  'bad-price',
] as const;
export type SignalRejectReason = (typeof SIGNAL_REJECT_REASONS)[number];

export class Reject {
  constructor(
    readonly reason: SignalRejectReason,
    readonly field: string | undefined,
    readonly message: string,
  ) {}
}

export function fail(
  reason: SignalRejectReason,
  field: string | undefined,
  message: string,
): never {
  throw new Reject(reason, field, message);
}

/** Field names in messages: printable, bounded (a hostile name must not flood a log line). */
export function fieldName(name: string): string {
  const clean = name.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(clean.length > 40 ? `${clean.slice(0, 40)}…` : clean);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A positive decimal string at `field`, or a Reject with `reason` naming the rule broken. */
export function decimalAt(value: unknown, field: string, reason: 'bad-size' | 'bad-price'): string {
  if (typeof value !== 'string') fail('malformed', field, `${field} must be a decimal string`);
  const problem = checkDecimal(value as string);
  if (problem) fail(reason, field, `${field} ${problem}`);
  return value as string;
}
