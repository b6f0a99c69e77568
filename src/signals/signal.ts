/**
 * The trading signal a strategy provider pushes (docs/protocol.md, "Signal relay → host") and its strict parser.
 *
 * Strict on purpose: a field this version does not know could change what an order means, so it
 * is refused rather than ignored; v2's fields (signal-v2.ts) are refused in a v1 signal for the
 * same reason. The parser never throws and never echoes a value in its messages, only field
 * names and rules.
 *
 * Pure and runtime-neutral: the relay, the host's feed, risk checks and executor all use it.
 */
import { compareDecimal } from './decimal-text.js';
import {
  Reject,
  decimalAt,
  fail,
  fieldName,
  isPlainObject,
  type SignalRejectReason,
} from './parse-kit.js';
import { parseV2Fields, V2_FIELDS, type SignalV2Fields } from './signal-v2.js';

export {
  DECIMAL_PATTERN,
  MAX_DECIMAL_FRACTION_DIGITS,
  MAX_DECIMAL_INTEGER_DIGITS,
  checkDecimal,
  compareDecimal,
} from './decimal-text.js';
export { SIGNAL_REJECT_REASONS, isPlainObject, type SignalRejectReason } from './parse-kit.js';
export type { MarginMode, SignalV2Fields, Trigger } from './signal-v2.js';

/** The newest version this host reads; v1 signals keep their meaning. */
export const SIGNAL_VERSION = 2;
export const SIGNAL_VERSIONS = [1, 2] as const;
export const DEFAULT_TTL_MS = 60_000;
export const MIN_TTL_MS = 1_000;
export const MAX_TTL_MS = 3_600_000;
/** How far in the future issuedAt may be before a signal counts as 'future' (clock skew). */
export const DEFAULT_SKEW_MS = 5_000;

export const SIGNAL_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const STRATEGY_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
/**
 * ccxt unified symbols: BASE/QUOTE (spot), BASE/QUOTE:SETTLE (swap), …:SETTLE-YYMMDD (future),
 * …:SETTLE-YYMMDD-STRIKE-C|P (option). Currency codes are 1..24 letters and digits.
 */
export const SYMBOL_PATTERN =
  /^[A-Za-z0-9]{1,24}\/[A-Za-z0-9]{1,24}(?::[A-Za-z0-9]{1,24}(?:-\d{6}(?:-\d{1,20}(?:\.\d{1,18})?-[CP])?)?)?$/;

export type Side = 'buy' | 'sell';
export type OrderType = 'market' | 'limit';

/**
 * Exactly one kind, as a positive decimal string; percentages ≤ 100. positionPct (v2) closes that
 * share of the open position and comes only with reduceOnly: true.
 */
export type SignalSize =
  { base: string } | { quote: string } | { balancePct: string } | { positionPct: string };
export type SizeKind = 'base' | 'quote' | 'balancePct' | 'positionPct';

/** A type alias (not an interface) so a Signal is assignable to Record<string, unknown>. */
export type Signal = SignalV2Fields & {
  v: 1 | 2;
  /** Unique per provider; the dedup key. 1..64 of [A-Za-z0-9_-]. */
  id: string;
  /** Routes pick connections by strategy. 1..64 of [A-Za-z0-9_.-]. */
  strategy: string;
  /** ms since the epoch. */
  issuedAt: number;
  /** Lifetime in ms, 1000..3600000; absent means DEFAULT_TTL_MS (use ttlOf()). */
  ttlMs?: number;
  symbol: string;
  side: Side;
  type: OrderType;
  size: SignalSize;
  /**
   * Required for limit orders. On a market order it is the provider's reference price only (the
   * docs/protocol.md example carries one): accepted, never used to price the order.
   */
  price?: string;
  reduceOnly?: boolean;
};

export type ParseSignalResult =
  | { ok: true; signal: Signal }
  | { ok: false; reason: SignalRejectReason; message: string; field?: string };

const FIELDS = new Set([
  'v',
  'id',
  'strategy',
  'issuedAt',
  'ttlMs',
  'symbol',
  'side',
  'type',
  'size',
  'price',
  'reduceOnly',
  ...V2_FIELDS,
]);
const REQUIRED = ['v', 'id', 'strategy', 'issuedAt', 'symbol', 'side', 'type', 'size'] as const;
const SIZE_KINDS: readonly SizeKind[] = ['base', 'quote', 'balancePct', 'positionPct'];

function str(o: Record<string, unknown>, field: string): string {
  const v = o[field];
  if (typeof v !== 'string') fail('malformed', field, `${field} must be a string`);
  return v as string;
}

function parseSize(value: unknown, version: 1 | 2): SignalSize {
  if (!isPlainObject(value))
    return fail('malformed', 'size', 'size must be an object like {"quote": "50"}');
  const kinds = version === 1 ? SIZE_KINDS.filter((k) => k !== 'positionPct') : SIZE_KINDS;
  for (const key of Object.keys(value))
    if (!(kinds as readonly string[]).includes(key))
      fail('unknown-field', `size.${key}`, `size has an unknown field ${fieldName(key)}`);
  const present = kinds.filter((k) => value[k] !== undefined);
  if (present.length !== 1)
    fail('bad-size', 'size', `size must have exactly one of ${kinds.join(', ')}`);
  const kind = present[0] as SizeKind;
  const amount = decimalAt(value[kind], `size.${kind}`, 'bad-size');
  if ((kind === 'balancePct' || kind === 'positionPct') && compareDecimal(amount, '100') > 0)
    fail('bad-size', `size.${kind}`, `size.${kind} must be at most 100`);
  return { [kind]: amount } as SignalSize;
}

function parse(value: unknown): Signal {
  if (!isPlainObject(value)) return fail('malformed', undefined, 'a signal must be a JSON object');
  for (const key of Object.keys(value))
    if (!FIELDS.has(key)) fail('unknown-field', key, `unknown field ${fieldName(key)}`);
  for (const key of REQUIRED)
    if (value[key] === undefined) fail('missing-field', key, `${key} is required`);

  const v = value['v'];
  if (typeof v !== 'number') fail('malformed', 'v', 'v must be the number 1 or 2');
  if (!(SIGNAL_VERSIONS as readonly unknown[]).includes(v))
    fail(
      'unsupported-version',
      'v',
      `signal version is not supported (this host speaks v1 and v2)`,
    );
  const version = v as 1 | 2;
  if (version === 1)
    for (const key of V2_FIELDS)
      if (value[key] !== undefined)
        fail(
          'unknown-field',
          key,
          `unknown field ${fieldName(key)} in a v1 signal (it needs "v": 2)`,
        );

  const id = str(value, 'id');
  if (!SIGNAL_ID_PATTERN.test(id)) fail('invalid-field', 'id', 'id must be 1..64 of [A-Za-z0-9_-]');

  const strategy = str(value, 'strategy');
  if (!STRATEGY_PATTERN.test(strategy))
    fail('invalid-field', 'strategy', 'strategy must be 1..64 of [A-Za-z0-9_.-]');

  const issuedAt = value['issuedAt'];
  if (typeof issuedAt !== 'number') fail('malformed', 'issuedAt', 'issuedAt must be a number');
  if (!Number.isSafeInteger(issuedAt) || (issuedAt as number) <= 0)
    fail('invalid-field', 'issuedAt', 'issuedAt must be a positive integer (ms since the epoch)');

  const ttlMs = value['ttlMs'];
  if (ttlMs !== undefined) {
    if (typeof ttlMs !== 'number') fail('malformed', 'ttlMs', 'ttlMs must be a number');
    if (
      !Number.isInteger(ttlMs) ||
      (ttlMs as number) < MIN_TTL_MS ||
      (ttlMs as number) > MAX_TTL_MS
    )
      fail(
        'invalid-field',
        'ttlMs',
        `ttlMs must be an integer from ${MIN_TTL_MS} to ${MAX_TTL_MS}`,
      );
  }

  const symbol = str(value, 'symbol');
  if (symbol.length > 96 || !SYMBOL_PATTERN.test(symbol))
    fail(
      'invalid-field',
      'symbol',
      'symbol must be a ccxt unified symbol like "BTC/USDT" or "BTC/USDT:USDT"',
    );

  const side = str(value, 'side');
  if (side !== 'buy' && side !== 'sell')
    fail('invalid-field', 'side', 'side must be "buy" or "sell"');

  const type = str(value, 'type');
  if (type !== 'market' && type !== 'limit')
    fail('invalid-field', 'type', 'type must be "market" or "limit"');

  const size = parseSize(value['size'], version);

  const price = value['price'];
  if (price !== undefined) {
    decimalAt(price, 'price', 'bad-price');
  } else if (type === 'limit') {
    fail('bad-price', 'price', 'price is required on a limit order');
  }

  const reduceOnly = value['reduceOnly'];
  if (reduceOnly !== undefined && typeof reduceOnly !== 'boolean')
    fail('malformed', 'reduceOnly', 'reduceOnly must be true or false');
  if ('positionPct' in size && reduceOnly !== true)
    fail(
      'bad-size',
      'size.positionPct',
      'size.positionPct closes a share of the open position and needs "reduceOnly": true',
    );
  const v2 = parseV2Fields(value);

  const signal: Signal = {
    v: version,
    id,
    strategy,
    issuedAt: issuedAt as number,
    symbol,
    side: side as Side,
    type: type as OrderType,
    size,
  };
  if (ttlMs !== undefined) signal.ttlMs = ttlMs as number;
  if (price !== undefined) signal.price = price as string;
  if (reduceOnly !== undefined) signal.reduceOnly = reduceOnly as boolean;
  return { ...signal, ...v2 };
}

/**
 * Validate an untrusted value as a Signal. Returns a fresh object holding exactly the fields
 * received (no defaults filled in: the signature covers what was sent). Never throws.
 */
export function parseSignal(value: unknown): ParseSignalResult {
  try {
    return { ok: true, signal: parse(value) };
  } catch (e) {
    if (e instanceof Reject) {
      const out: ParseSignalResult = { ok: false, reason: e.reason, message: e.message };
      if (e.field !== undefined) out.field = e.field;
      return out;
    }
    // Getters or proxies on a caller's object could throw anything; JSON input cannot.
    return { ok: false, reason: 'malformed', message: 'the signal could not be read' };
  }
}

/** The signal's lifetime: ttlMs, or DEFAULT_TTL_MS when absent. */
export function ttlOf(signal: Pick<Signal, 'ttlMs'>): number {
  return signal.ttlMs ?? DEFAULT_TTL_MS;
}

/** The first instant (ms) at which the signal is expired: issuedAt + ttl. */
export function expiresAt(signal: Pick<Signal, 'issuedAt' | 'ttlMs'>): number {
  return signal.issuedAt + ttlOf(signal);
}

export type Freshness = 'fresh' | 'expired' | 'future';

/**
 * 'future' when issued more than skewMs after nowMs (the provider's clock is ahead, or the
 * signal is forged to live long); 'expired' once nowMs ≥ issuedAt + ttl (no skew allowance on
 * this side: a stale signal is never executed); otherwise 'fresh'.
 */
export function freshness(
  signal: Pick<Signal, 'issuedAt' | 'ttlMs'>,
  nowMs: number,
  skewMs: number = DEFAULT_SKEW_MS,
): Freshness {
  if (signal.issuedAt > nowMs + skewMs) return 'future';
  if (nowMs >= expiresAt(signal)) return 'expired';
  return 'fresh';
}

/** The kind and amount of a size: {kind: 'quote', amount: '50'}. */
export function sizeOf(size: SignalSize): { kind: SizeKind; amount: string } {
  for (const kind of SIZE_KINDS) {
    const amount = (size as Record<string, string | undefined>)[kind];
    if (amount !== undefined) return { kind, amount };
  }
  throw new TypeError('size has none of base, quote, balancePct');
}
