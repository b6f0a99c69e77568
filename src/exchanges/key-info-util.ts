/**
 * Small pure helpers the three key-info parsers share: reading untrusted JSON without guessing, and
 * matching an IP against a whitelist.
 */
import { PERMISSIONS, type KeyInfoResult, type PermissionMap } from './types.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every canonical permission set to `value` (null: "the answer does not say"). */
export function permissionMap(value: boolean | null): PermissionMap {
  return Object.fromEntries(PERMISSIONS.map((p) => [p, value])) as PermissionMap;
}

export function problem(sentence: string): KeyInfoResult {
  return { ok: false, problem: sentence };
}

/** A JSON type name for messages ("a string", "an array", "null", "missing"). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * An ISO date-time string → ms. `undefined` for absent or empty; `NaN` for present but unreadable,
 * so the caller can refuse the answer instead of guessing.
 */
export function parseIsoDate(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return Number.NaN;
  return Date.parse(value);
}

/** "1.2.3.4, 5.6.7.8" or ["1.2.3.4,5.6.7.8"] → ["1.2.3.4", "5.6.7.8"]. */
export function splitIpList(value: string | readonly string[]): string[] {
  const parts = typeof value === 'string' ? [value] : value;
  return parts
    .flatMap((p) => p.split(/[,\s]+/))
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

function ipv4ToNumber(ip: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return null;
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

/**
 * Is `ip` on the whitelist? Exact entries, plus IPv4 CIDR ranges (some exchanges accept them).
 * IPv6 entries are compared as written, case-insensitively.
 */
export function ipListAllows(list: readonly string[], ip: string): boolean {
  const wanted = ip.trim().toLowerCase();
  const wantedNum = ipv4ToNumber(wanted);
  return list.some((entry) => {
    const e = entry.trim().toLowerCase();
    if (e === wanted) return true;
    const cidr = /^([\d.]+)\/(\d{1,2})$/.exec(e);
    if (!cidr || wantedNum === null) return false;
    const base = ipv4ToNumber(cidr[1] ?? '');
    const bits = Number(cidr[2]);
    if (base === null || bits > 32) return false;
    const size = 2 ** (32 - bits);
    return Math.floor(base / size) === Math.floor(wantedNum / size);
  });
}
