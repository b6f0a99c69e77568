/**
 * The trading signal a strategy provider pushes (docs/protocol.md, "Signal relay → host") and its strict parser.
 *
 * Strict on purpose: a field this version does not know (say a future "leverage") could change
 * what an order means, so it is refused rather than ignored. The parser never throws and never
 * echoes a value in its messages, only field names and rules.
 *
 * Pure and runtime-neutral: the relay, the host's feed, risk checks and executor all use it.
 */

export const SIGNAL_VERSION = 1;
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
/** Decimal strings: digits, optionally a point and digits. No sign, exponent or spaces. */
export const DECIMAL_PATTERN = /^\d+(\.\d+)?$/;
export const MAX_DECIMAL_INTEGER_DIGITS = 24;
export const MAX_DECIMAL_FRACTION_DIGITS = 18;

export type Side = 'buy' | 'sell';
export type OrderType = 'market' | 'limit';

/** Exactly one of the three, as a positive decimal string; balancePct ≤ 100. */
export type SignalSize = { base: string } | { quote: string } | { balancePct: string };
export type SizeKind = 'base' | 'quote' | 'balancePct';

/** A type alias (not an interface) so a Signal is assignable to Record<string, unknown>. */
export type Signal = {
  v: 1;
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

export const SIGNAL_REJECT_REASONS = [
  /** Not a JSON object, or a field of the wrong JSON type. */
  'malformed',
  /** A field this version does not know (top level or inside size). */
  'unknown-field',
  /** A required field is absent. */
  'missing-field',
  /** `v` is a number other than 1. */
  'unsupported-version',
  /** Right type, wrong value: id / strategy / symbol pattern, issuedAt, ttlMs bounds, side, type. */
  'invalid-field',
  /** size has not exactly one of base/quote/balancePct, or an amount is not a positive decimal, or balancePct > 100. */
  'bad-size',
  /** price missing on a limit order, or not a positive decimal. */
  'bad-price',
] as const;
export type SignalRejectReason = (typeof SIGNAL_REJECT_REASONS)[number];

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
]);
const REQUIRED = ['v', 'id', 'strategy', 'issuedAt', 'symbol', 'side', 'type', 'size'] as const;
const SIZE_KINDS: readonly SizeKind[] = ['base', 'quote', 'balancePct'];

class Reject {
  constructor(
    readonly reason: SignalRejectReason,
    readonly field: string | undefined,
    readonly message: string,
  ) {}
}

function fail(reason: SignalRejectReason, field: string | undefined, message: string): never {
  throw new Reject(reason, field, message);
}

/** Field names in messages: printable, bounded (a hostile name must not flood a log line). */
function fieldName(name: string): string {
  const clean = name.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(clean.length > 40 ? `${clean.slice(0, 40)}…` : clean);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

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

function str(o: Record<string, unknown>, field: string): string {
  const v = o[field];
  if (typeof v !== 'string') fail('malformed', field, `${field} must be a string`);
  return v as string;
}

function parseSize(value: unknown): SignalSize {
  if (!isPlainObject(value))
    return fail('malformed', 'size', 'size must be an object like {"quote": "50"}');
  for (const key of Object.keys(value))
    if (!(SIZE_KINDS as readonly string[]).includes(key))
      fail('unknown-field', `size.${key}`, `size has an unknown field ${fieldName(key)}`);
  const present = SIZE_KINDS.filter((k) => value[k] !== undefined);
  if (present.length !== 1)
    fail('bad-size', 'size', 'size must have exactly one of base, quote, balancePct');
  const kind = present[0] as SizeKind;
  const amount = value[kind];
  if (typeof amount !== 'string')
    return fail('malformed', `size.${kind}`, `size.${kind} must be a decimal string`);
  const problem = checkDecimal(amount);
  if (problem) fail('bad-size', `size.${kind}`, `size.${kind} ${problem}`);
  if (kind === 'balancePct' && compareDecimal(amount, '100') > 0)
    fail('bad-size', 'size.balancePct', 'size.balancePct must be at most 100');
  return { [kind]: amount } as SignalSize;
}

function parse(value: unknown): Signal {
  if (!isPlainObject(value)) return fail('malformed', undefined, 'a signal must be a JSON object');
  for (const key of Object.keys(value))
    if (!FIELDS.has(key)) fail('unknown-field', key, `unknown field ${fieldName(key)}`);
  for (const key of REQUIRED)
    if (value[key] === undefined) fail('missing-field', key, `${key} is required`);

  const v = value['v'];
  if (typeof v !== 'number') fail('malformed', 'v', 'v must be the number 1');
  if (v !== SIGNAL_VERSION)
    fail('unsupported-version', 'v', `signal version is not supported (this host speaks v1)`);

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

  const size = parseSize(value['size']);

  const price = value['price'];
  if (price !== undefined) {
    if (typeof price !== 'string') fail('malformed', 'price', 'price must be a decimal string');
    const problem = checkDecimal(price as string);
    if (problem) fail('bad-price', 'price', `price ${problem}`);
  } else if (type === 'limit') {
    fail('bad-price', 'price', 'price is required on a limit order');
  }

  const reduceOnly = value['reduceOnly'];
  if (reduceOnly !== undefined && typeof reduceOnly !== 'boolean')
    fail('malformed', 'reduceOnly', 'reduceOnly must be true or false');

  const signal: Signal = {
    v: 1,
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
  return signal;
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
