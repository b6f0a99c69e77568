/** Bearer tokens: hashed at start, compared in constant time, never logged. */
import { createHash, timingSafeEqual } from 'node:crypto';

export const TOKEN_PATTERN = /^[\x21-\x7e]{16,512}$/;

export const hashToken = (token: string): Buffer =>
  createHash('sha256').update(token, 'utf8').digest();

/** The entry whose token matches, comparing every entry in constant time. */
export function findByToken<T extends { tokenHash: Buffer }>(
  list: T[],
  token: string | null,
): T | null {
  if (token === null) return null;
  const h = hashToken(token);
  let found: T | null = null;
  for (const entry of list) if (timingSafeEqual(entry.tokenHash, h)) found ??= entry;
  return found;
}

export function bearer(header: string | undefined): string | null {
  if (typeof header !== 'string') return null;
  const m = /^Bearer +([\x21-\x7e]+) *$/i.exec(header);
  return m ? (m[1] as string) : null;
}
