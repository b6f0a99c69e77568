/**
 * Frames between a signal relay and the host (docs/protocol.md, "Signal relay → host"), as WebSocket text
 * messages of JSON:
 *
 *   relay → host   {"type":"hello","relay":"…","providerKid":"k1"}
 *                  {"type":"signal","kid":"k1","sig":"<b64url Ed25519>","signal":{…}}
 *   host → relay   {"type":"ack","id":"<signal id>","status":"executed"|"rejected"|"duplicate"|"dry-run","reason"?:"…"}
 *
 * The parsers check the envelope only and ignore envelope fields they do not know (the protocol
 * may add some); the signal inside a signal frame is NOT trusted here — verifySignalFrame
 * (envelope.ts) checks its signature, then parseSignal its content, which is strict.
 * Pure and runtime-neutral; never throws on hostile input.
 */
import { isPlainObject, SIGNAL_ID_PATTERN, type Signal } from './signal.js';

/** Largest relay → host message, and largest POST /signals body. */
export const RELAY_FRAME_MAX_BYTES = 64 * 1024;
/** Largest host → relay message (an ack is ~100 bytes). */
export const ACK_MAX_BYTES = 4 * 1024;
/** Provider key ids: 1..64 of [A-Za-z0-9_.:-]. */
export const KID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
/** A 64-byte Ed25519 signature in base64url without padding is exactly 86 characters. */
export const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{86}$/;
export const MAX_ACK_REASON_LENGTH = 256;
export const MAX_RELAY_NAME_LENGTH = 128;

export interface HelloFrame {
  type: 'hello';
  /** The relay's self-description (name/version); informational. */
  relay: string;
  /** The kid of the provider this subscription follows. */
  providerKid: string;
}

/** A signal frame whose signature has been verified and whose signal has been parsed. */
export interface SignalFrame {
  type: 'signal';
  kid: string;
  /** base64url (no padding) Ed25519 signature over canonicalJson(signal). */
  sig: string;
  signal: Signal;
}

/** A signal frame as received: envelope checked, `signal` still untrusted. */
export interface UnverifiedSignalFrame {
  type: 'signal';
  kid: string;
  sig: string;
  signal: unknown;
}

export type RelayFrame = HelloFrame | UnverifiedSignalFrame;

export const ACK_STATUSES = ['executed', 'rejected', 'duplicate', 'dry-run'] as const;
export type AckStatus = (typeof ACK_STATUSES)[number];

export interface AckFrame {
  type: 'ack';
  /** The signal's id. */
  id: string;
  status: AckStatus;
  /** Why (rejections); 1..256 characters, no control characters. Never balances or keys. */
  reason?: string;
}

export type FrameResult<T> = { ok: true; frame: T } | { ok: false; message: string };

// eslint-disable-next-line no-control-regex
const PRINTABLE = /^[^\u0000-\u001f\u007f]+$/;

function bad<T>(message: string): FrameResult<T> {
  return { ok: false, message };
}

/** Decode a WebSocket message's bytes as UTF-8 JSON within a size limit. */
export function decodeJsonMessage(
  data: string | Uint8Array | ArrayBuffer | readonly Uint8Array[],
  maxBytes: number,
): { ok: true; value: unknown } | { ok: false; message: string } {
  let text: string;
  try {
    if (typeof data === 'string') {
      // UTF-16 length is a lower bound of the UTF-8 length; check the real size only when close.
      if (data.length > maxBytes || new TextEncoder().encode(data).byteLength > maxBytes)
        return { ok: false, message: `message is over ${maxBytes} bytes` };
      text = data;
    } else {
      const bytes = toBytes(data);
      if (bytes.byteLength > maxBytes)
        return { ok: false, message: `message is over ${maxBytes} bytes` };
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    }
  } catch {
    return { ok: false, message: 'message is not valid UTF-8' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, message: 'message is not valid JSON' };
  }
}

function toBytes(data: Uint8Array | ArrayBuffer | readonly Uint8Array[]): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  const total = data.reduce((n, c) => n + c.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of data) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** A frame from the relay (hello or signal); used by the host's feed client. */
export function parseRelayFrame(value: unknown): FrameResult<RelayFrame> {
  if (!isPlainObject(value)) return bad('frame must be a JSON object');
  const type = value['type'];
  if (type === 'hello') {
    const { relay, providerKid } = value;
    if (
      typeof relay !== 'string' ||
      relay.length === 0 ||
      relay.length > MAX_RELAY_NAME_LENGTH ||
      !PRINTABLE.test(relay)
    )
      return bad(`hello.relay must be 1..${MAX_RELAY_NAME_LENGTH} printable characters`);
    if (typeof providerKid !== 'string' || !KID_PATTERN.test(providerKid))
      return bad('hello.providerKid must be 1..64 of [A-Za-z0-9_.:-]');
    return { ok: true, frame: { type: 'hello', relay, providerKid } };
  }
  if (type === 'signal') {
    const { kid, sig, signal } = value;
    if (typeof kid !== 'string' || !KID_PATTERN.test(kid))
      return bad('signal frame: kid must be 1..64 of [A-Za-z0-9_.:-]');
    if (typeof sig !== 'string' || !SIGNATURE_PATTERN.test(sig))
      return bad('signal frame: sig must be an Ed25519 signature in base64url (86 characters)');
    if (!isPlainObject(signal)) return bad('signal frame: signal must be a JSON object');
    return { ok: true, frame: { type: 'signal', kid, sig, signal } };
  }
  return bad('frame type must be "hello" or "signal"');
}

/** decodeJsonMessage + parseRelayFrame, with the relay→host size limit. */
export function decodeRelayMessage(
  data: string | Uint8Array | ArrayBuffer | readonly Uint8Array[],
): FrameResult<RelayFrame> {
  const decoded = decodeJsonMessage(data, RELAY_FRAME_MAX_BYTES);
  return decoded.ok ? parseRelayFrame(decoded.value) : bad(decoded.message);
}

/** An ack from the host; used by the relay. */
export function parseAck(value: unknown): FrameResult<AckFrame> {
  if (!isPlainObject(value)) return bad('ack must be a JSON object');
  if (value['type'] !== 'ack') return bad('frame type must be "ack"');
  const { id, status, reason } = value;
  if (typeof id !== 'string' || !SIGNAL_ID_PATTERN.test(id))
    return bad('ack.id must be a signal id (1..64 of [A-Za-z0-9_-])');
  if (typeof status !== 'string' || !(ACK_STATUSES as readonly string[]).includes(status))
    return bad(`ack.status must be one of ${ACK_STATUSES.join(', ')}`);
  const frame: AckFrame = { type: 'ack', id, status: status as AckStatus };
  if (reason !== undefined) {
    if (
      typeof reason !== 'string' ||
      reason.length === 0 ||
      reason.length > MAX_ACK_REASON_LENGTH ||
      !PRINTABLE.test(reason)
    )
      return bad(`ack.reason must be 1..${MAX_ACK_REASON_LENGTH} printable characters`);
    frame.reason = reason;
  }
  return { ok: true, frame };
}

/** decodeJsonMessage + parseAck, with the host→relay size limit. */
export function decodeAckMessage(
  data: string | Uint8Array | ArrayBuffer | readonly Uint8Array[],
): FrameResult<AckFrame> {
  const decoded = decodeJsonMessage(data, ACK_MAX_BYTES);
  return decoded.ok ? parseAck(decoded.value) : bad(decoded.message);
}

/**
 * Build an ack (the host sends JSON.stringify of it). The reason is cleaned to fit the wire
 * rules (control characters replaced, cut to 256 characters, dropped when empty). Throws
 * TypeError on an invalid id or status — a programming error on the sending side.
 */
export function makeAck(id: string, status: AckStatus, reason?: string): AckFrame {
  const frame: AckFrame = { type: 'ack', id, status };
  if (reason !== undefined) {
    // eslint-disable-next-line no-control-regex
    const clean = reason.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
    if (clean.length > 0) frame.reason = clean.slice(0, MAX_ACK_REASON_LENGTH);
  }
  const checked = parseAck(frame);
  if (!checked.ok) throw new TypeError(checked.message);
  return checked.frame;
}
