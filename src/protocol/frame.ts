/**
 * Chrome native-messaging framing: a 32-bit little-endian byte length, then that many bytes of
 * UTF-8 JSON. The service's IPC socket uses the same framing, so the bridge can relay bytes.
 *
 * Pure and runtime-neutral (Uint8Array, DataView, TextEncoder/TextDecoder): the extension, the
 * bridge, the service and the CLI all use this one module.
 */
import { MAX_FRAME_BYTES } from './constants.js';

export type FrameErrorKind =
  /** The length prefix announces more than the limit. The stream cannot be resynchronised. */
  | 'MESSAGE_TOO_LARGE'
  /** The frame's bytes are not valid UTF-8, or not valid JSON, or empty. The stream goes on. */
  | 'PARSE_ERROR'
  /** The stream ended in the middle of a frame. */
  | 'TRUNCATED';

export class FrameError extends Error {
  readonly kind: FrameErrorKind;
  /** True when no further frame can be read from this stream. */
  readonly fatal: boolean;
  constructor(kind: FrameErrorKind, message: string, fatal: boolean) {
    super(message);
    this.name = 'FrameError';
    this.kind = kind;
    this.fatal = fatal;
  }
}

export type DecodedFrame = { ok: true; message: unknown } | { ok: false; error: FrameError };

const HEADER_BYTES = 4;
const encoder = new TextEncoder();

/** Encode one message as a frame. Throws FrameError MESSAGE_TOO_LARGE past the limit. */
export function encodeFrame(message: unknown, maxBytes: number = MAX_FRAME_BYTES): Uint8Array {
  const json = JSON.stringify(message);
  if (json === undefined) {
    throw new TypeError('encodeFrame: the message has no JSON form');
  }
  const body = encoder.encode(json);
  if (body.byteLength > maxBytes) {
    throw new FrameError(
      'MESSAGE_TOO_LARGE',
      `message of ${body.byteLength} bytes is over the ${maxBytes}-byte frame limit`,
      false,
    );
  }
  const frame = new Uint8Array(HEADER_BYTES + body.byteLength);
  new DataView(frame.buffer).setUint32(0, body.byteLength, true);
  frame.set(body, HEADER_BYTES);
  return frame;
}

/**
 * Streaming decoder: feed it chunks as they arrive (any split, several frames per chunk) and it
 * returns every complete frame, decoded, in order. Bad frames come back as typed errors, never
 * as exceptions; after a fatal error the decoder stays failed and ignores further input.
 */
export class FrameDecoder {
  private readonly maxBytes: number;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private buffer: Uint8Array = new Uint8Array(0);
  /**
   * Chunks received after `buffer` while a frame of known length is incomplete: joined once, when
   * the frame is complete, not at every chunk (a 1 MiB frame in 64 KiB chunks would otherwise
   * copy ~8 MiB).
   */
  private waiting: Uint8Array[] = [];
  private waitingBytes = 0;
  /** Total bytes `buffer` must reach for its first frame to be complete; 0 = not known yet. */
  private needed = 0;
  private failed: FrameError | null = null;

  constructor(maxBytes: number = MAX_FRAME_BYTES) {
    this.maxBytes = maxBytes;
  }

  /** Bytes received but not yet part of a complete frame. */
  get pendingBytes(): number {
    return this.buffer.byteLength + this.waitingBytes;
  }

  get failure(): FrameError | null {
    return this.failed;
  }

  push(chunk: Uint8Array): DecodedFrame[] {
    if (this.failed) return [];
    if (this.needed > 0) {
      this.waiting.push(chunk);
      this.waitingBytes += chunk.byteLength;
      if (this.buffer.byteLength + this.waitingBytes < this.needed) return [];
      this.buffer = concat(this.buffer, ...this.waiting);
      this.waiting = [];
      this.waitingBytes = 0;
    } else {
      this.buffer = this.buffer.byteLength === 0 ? chunk : concat(this.buffer, chunk);
    }
    this.needed = 0;
    const out: DecodedFrame[] = [];
    let offset = 0;
    while (this.buffer.byteLength - offset >= HEADER_BYTES) {
      const view = new DataView(this.buffer.buffer, this.buffer.byteOffset + offset, HEADER_BYTES);
      const length = view.getUint32(0, true);
      if (length > this.maxBytes) {
        this.failed = new FrameError(
          'MESSAGE_TOO_LARGE',
          `frame announces ${length} bytes, over the ${this.maxBytes}-byte limit`,
          true,
        );
        this.buffer = new Uint8Array(0);
        out.push({ ok: false, error: this.failed });
        return out;
      }
      if (this.buffer.byteLength - offset - HEADER_BYTES < length) {
        this.needed = HEADER_BYTES + length;
        break;
      }
      const start = offset + HEADER_BYTES;
      out.push(this.decodeBody(this.buffer.subarray(start, start + length)));
      offset = start + length;
    }
    // Copy the remainder so a large consumed chunk is not kept alive by a small tail.
    this.buffer = offset === 0 ? this.buffer : this.buffer.slice(offset);
    return out;
  }

  /** Call when the stream ends: reports a frame cut off in the middle. */
  end(): FrameError | null {
    if (this.failed) return null;
    const pending = this.pendingBytes;
    if (pending === 0) return null;
    this.buffer = new Uint8Array(0);
    this.waiting = [];
    this.waitingBytes = 0;
    this.needed = 0;
    this.failed = new FrameError(
      'TRUNCATED',
      `stream ended inside a frame (${pending} bytes of an incomplete frame)`,
      true,
    );
    return this.failed;
  }

  private decodeBody(body: Uint8Array): DecodedFrame {
    if (body.byteLength === 0) {
      return {
        ok: false,
        error: new FrameError('PARSE_ERROR', 'empty frame: expected JSON', false),
      };
    }
    // A byte-order mark is not JSON (RFC 8259 §8.1): refused, not silently stripped.
    if (body.byteLength >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
      return {
        ok: false,
        error: new FrameError(
          'PARSE_ERROR',
          'frame starts with a UTF-8 byte-order mark: send JSON without one',
          false,
        ),
      };
    }
    let text: string;
    try {
      text = this.utf8.decode(body);
    } catch {
      return { ok: false, error: new FrameError('PARSE_ERROR', 'frame is not valid UTF-8', false) };
    }
    try {
      return { ok: true, message: JSON.parse(text) as unknown };
    } catch {
      // V8's JSON.parse message quotes the input; the input may hold a secret, so say no more.
      return { ok: false, error: new FrameError('PARSE_ERROR', 'frame is not valid JSON', false) };
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.byteLength;
  }
  return joined;
}
