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
  const parts: string[] = [];

  const str = (s: string, where: string): void => {
    if (LONE_SURROGATE.test(s))
      throw new CanonicalJsonError(`${where}: string has a lone surrogate`);
    parts.push(JSON.stringify(s));
  };

  const walk = (v: unknown, where: string, depth: number): void => {
    switch (typeof v) {
      case 'string':
        str(v, where);
        return;
      case 'number':
        if (!Number.isFinite(v)) throw new CanonicalJsonError(`${where}: ${v} has no JSON form`);
        parts.push(JSON.stringify(v));
        return;
      case 'boolean':
        parts.push(v ? 'true' : 'false');
        return;
      case 'object':
        break;
      default:
        throw new CanonicalJsonError(`${where}: a ${typeof v} has no JSON form`);
    }
    if (v === null) {
      parts.push('null');
      return;
    }
    if (depth > maxDepth) throw new CanonicalJsonError(`${where}: nested deeper than ${maxDepth}`);
    if (open.has(v)) throw new CanonicalJsonError(`${where}: cyclic structure`);
    open.add(v);
    if (Array.isArray(v)) {
      if (Object.getPrototypeOf(v) !== Array.prototype)
        throw new CanonicalJsonError(`${where}: not a plain array`);
      parts.push('[');
      for (let i = 0; i < v.length; i++) {
        if (i > 0) parts.push(',');
        // Holes and undefined: JSON.stringify would silently write null, changing the value.
        if (!(i in v) || v[i] === undefined)
          throw new CanonicalJsonError(`${where}[${i}]: undefined inside an array`);
        walk(v[i], `${where}[${i}]`, depth + 1);
      }
      parts.push(']');
    } else {
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null)
        throw new CanonicalJsonError(`${where}: not a plain object`);
      if (Object.getOwnPropertySymbols(v).length > 0)
        throw new CanonicalJsonError(`${where}: object has symbol keys`);
      const record = v as Record<string, unknown>;
      // Default sort: by UTF-16 code units, locale-independent — exactly RFC 8785 §3.2.3.
      const keys = Object.keys(record).sort();
      parts.push('{');
      let first = true;
      for (const key of keys) {
        const member = record[key];
        if (member === undefined) continue;
        if (!first) parts.push(',');
        first = false;
        str(key, `${where} key`);
        parts.push(':');
        walk(member, `${where}.${key}`, depth + 1);
      }
      parts.push('}');
    }
    open.delete(v);
  };

  walk(value, '$', 1);
  return parts.join('');
}
