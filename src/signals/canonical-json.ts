/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the exact bytes a signal's Ed25519 signature covers.
 *
 * - object members sorted by their names' UTF-16 code units (what Array.prototype.sort does by
 *   default), recursively; array order kept;
 * - no whitespace;
 * - numbers as ECMAScript's Number::toString (JSON.stringify's output; -0 becomes 0);
 * - strings escaped exactly as JSON.stringify does (\b \t \n \f \r \" \\, other controls as
 *   lower-case \u00XX, everything else literal).
 *
 * Refused, with a CanonicalJsonError: non-finite numbers, bigint, undefined / functions / symbols
 * inside arrays, lone surrogates (RFC 8785 §3.1: I-JSON strings), cycles, anything but plain
 * objects and arrays (Date, Map, class instances, boxed primitives…), nesting past `maxDepth`.
 * Object members whose value is undefined are left out, as JSON.stringify does, so an optional
 * field set to undefined canonicalises like an absent one.
 *
 * Pure and runtime-neutral.
 */

export class CanonicalJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CanonicalJsonError';
  }
}

export interface CanonicalJsonOptions {
  /** Deepest nesting of objects/arrays accepted (the top-level value is depth 1). Default 512. */
  maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 512;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function canonicalJson(value: unknown, options: CanonicalJsonOptions = {}): string {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const open = new Set<object>();
  // Where the walk is, as member names and indexes: the "$.a[2]" text of an error message is
  // built only when one is thrown (this runs for every signal frame received).
  const path: (string | number)[] = [];
  const where = (): string => {
    let text = '$';
    for (const step of path) text += typeof step === 'number' ? `[${step}]` : `.${step}`;
    return text;
  };
  const fail = (problem: string): never => {
    throw new CanonicalJsonError(`${where()}: ${problem}`);
  };
  let out = '';

  const str = (s: string, isKey: boolean): void => {
    if (LONE_SURROGATE.test(s))
      throw new CanonicalJsonError(`${where()}${isKey ? ' key' : ''}: string has a lone surrogate`);
    out += JSON.stringify(s);
  };

  const walk = (v: unknown, depth: number): void => {
    switch (typeof v) {
      case 'string':
        str(v, false);
        return;
      case 'number':
        if (!Number.isFinite(v)) fail(`${v} has no JSON form`);
        out += JSON.stringify(v);
        return;
      case 'boolean':
        out += v ? 'true' : 'false';
        return;
      case 'object':
        break;
      default:
        return fail(`a ${typeof v} has no JSON form`);
    }
    if (v === null) {
      out += 'null';
      return;
    }
    if (depth > maxDepth) fail(`nested deeper than ${maxDepth}`);
    if (open.has(v)) fail('cyclic structure');
    open.add(v);
    if (Array.isArray(v)) {
      if (Object.getPrototypeOf(v) !== Array.prototype) fail('not a plain array');
      out += '[';
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out += ',';
        path.push(i);
        // Holes and undefined: JSON.stringify would silently write null, changing the value.
        if (!(i in v) || v[i] === undefined) fail('undefined inside an array');
        walk(v[i], depth + 1);
        path.pop();
      }
      out += ']';
    } else {
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) fail('not a plain object');
      if (Object.getOwnPropertySymbols(v).length > 0) fail('object has symbol keys');
      const record = v as Record<string, unknown>;
      // Default sort: by UTF-16 code units, locale-independent — exactly RFC 8785 §3.2.3.
      const keys = Object.keys(record).sort();
      out += '{';
      let first = true;
      for (const key of keys) {
        const member = record[key];
        if (member === undefined) continue;
        if (!first) out += ',';
        first = false;
        str(key, true);
        out += ':';
        path.push(key);
        walk(member, depth + 1);
        path.pop();
      }
      out += '}';
    }
    open.delete(v);
  };

  walk(value, 1);
  return out;
}
