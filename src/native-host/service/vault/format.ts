/**
 * The vault file's bytes. Layout (all integers little-endian):
 *
 *   magic "SNTLVLT" 0x01          8 bytes
 *   header length, header JSON    4 + n bytes   {"v":1,"kdf":{name,N,r,p},"salt":b64}
 *   wrapped data key              12 nonce + 32 ciphertext + 16 tag   (AAD: everything before it)
 *   secrets                       12 nonce + 16 tag + 4 length + ciphertext (AAD: everything before it)
 *   checksum                      32 bytes SHA-256 of everything before it
 *
 * The checksum tells damage (truncation, a flipped byte, a foreign file) from a wrong passphrase
 * without any key: both would otherwise only show as a failed GCM tag. It is not a security
 * measure — the GCM tags and AAD chain are: a change anywhere fails one of them.
 */
import { createHash } from 'node:crypto';
import { KEY_BYTES, NONCE_BYTES, TAG_BYTES, type Sealed, type ScryptParams } from './crypto.js';

export const MAGIC = Buffer.from([0x53, 0x4e, 0x54, 0x4c, 0x56, 0x4c, 0x54, 0x01]); // "SNTLVLT\x01"
const CHECKSUM_BYTES = 32;
const MAX_HEADER_BYTES = 4096;

export interface VaultHeader {
  v: 1;
  kdf: ScryptParams;
  salt: string;
}

export interface VaultFile {
  header: VaultHeader;
  /** Bytes authenticated by the wrapped key: magic + header. */
  headerBytes: Buffer;
  wrappedKey: Sealed;
  /** Bytes authenticated by the secrets: everything up to the secrets. */
  prefixBytes: Buffer;
  secrets: Sealed;
}

export class VaultFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultFormatError';
  }
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

export function encodeHeader(header: VaultHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  return Buffer.concat([MAGIC, u32(json.length), json]);
}

export function encodeWrappedKey(headerBytes: Buffer, wrapped: Sealed): Buffer {
  return Buffer.concat([headerBytes, wrapped.nonce, wrapped.ciphertext, wrapped.tag]);
}

export function encodeFile(prefixBytes: Buffer, secrets: Sealed): Buffer {
  const body = Buffer.concat([
    prefixBytes,
    secrets.nonce,
    secrets.tag,
    u32(secrets.ciphertext.length),
    secrets.ciphertext,
  ]);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

function isScrypt(k: unknown): k is ScryptParams {
  if (typeof k !== 'object' || k === null) return false;
  const o = k as Record<string, unknown>;
  const pow2 = typeof o.N === 'number' && o.N >= 2 && Number.isInteger(Math.log2(o.N));
  return (
    o.name === 'scrypt' &&
    pow2 &&
    Number.isInteger(o.r) &&
    Number.isInteger(o.p) &&
    (o.r as number) > 0 &&
    (o.p as number) > 0
  );
}

export function decodeFile(bytes: Buffer): VaultFile {
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new VaultFormatError('not a Sentinel vault file (unknown format)');
  }
  if (bytes.length < MAGIC.length + 4 + CHECKSUM_BYTES)
    throw new VaultFormatError('the file is truncated');
  const body = bytes.subarray(0, bytes.length - CHECKSUM_BYTES);
  const checksum = bytes.subarray(bytes.length - CHECKSUM_BYTES);
  if (!createHash('sha256').update(body).digest().equals(checksum)) {
    throw new VaultFormatError('the file is damaged (checksum mismatch: truncated or changed)');
  }
  let at = MAGIC.length;
  const headerLen = body.readUInt32LE(at);
  at += 4;
  if (headerLen > MAX_HEADER_BYTES || at + headerLen > body.length)
    throw new VaultFormatError('the header is damaged');
  let header: unknown;
  try {
    header = JSON.parse(body.subarray(at, at + headerLen).toString('utf8'));
  } catch {
    throw new VaultFormatError('the header is damaged');
  }
  const h = header as Partial<VaultHeader>;
  if (h.v !== 1)
    throw new VaultFormatError(
      `unsupported vault version ${String(h.v)}; update Sentinel Companion`,
    );
  if (!isScrypt(h.kdf) || typeof h.salt !== 'string')
    throw new VaultFormatError('the header is damaged');
  at += headerLen;
  const headerBytes = body.subarray(0, at);
  const take = (n: number): Buffer => {
    if (at + n > body.length) throw new VaultFormatError('the file is truncated');
    const part = body.subarray(at, at + n);
    at += n;
    return part;
  };
  const wrappedKey: Sealed = {
    nonce: take(NONCE_BYTES),
    ciphertext: take(KEY_BYTES),
    tag: take(TAG_BYTES),
  };
  const prefixBytes = body.subarray(0, at);
  const nonce = take(NONCE_BYTES);
  const tag = take(TAG_BYTES);
  const len = take(4).readUInt32LE(0);
  const ciphertext = take(len);
  if (at !== body.length) throw new VaultFormatError('unexpected bytes after the secrets');
  return {
    header: h as VaultHeader,
    headerBytes,
    wrappedKey,
    prefixBytes,
    secrets: { nonce, ciphertext, tag },
  };
}
