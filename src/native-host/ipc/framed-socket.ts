/**
 * A net.Socket speaking length-prefixed JSON frames: the service's side of each IPC connection
 * and the CLI's client side. Same codec as native messaging (src/protocol/frame.ts).
 *
 * The service's side is bounded (ipc/client-limits.ts): a frame that was started must be complete
 * within `frameDeadlineMs`, or the connection gets a fatal error and is closed; and a peer that
 * does not read its answers is dropped once `maxWriteBufferBytes` wait to be sent to it.
 */
import type { Socket } from 'node:net';
import { FrameDecoder, FrameError, encodeFrame, type DecodedFrame } from '../../protocol/frame.js';
import { MAX_FRAME_BYTES } from '../../protocol/constants.js';

export interface FramedSocketOptions {
  maxBytes?: number;
  /** Time allowed from a frame's first byte to its last; unset: no deadline. */
  frameDeadlineMs?: number;
  /** Bytes allowed to wait in the socket's write buffer; past it the socket is destroyed. */
  maxWriteBufferBytes?: number;
  /** Told when a limit closed the connection (for the service's log). */
  onLimit?(what: 'frame-deadline' | 'write-buffer', detail: string): void;
}

/** Time a fatal error frame gets to reach the peer before the socket is destroyed. */
const CLOSE_GRACE_MS = 1000;

export class FramedSocket {
  readonly socket: Socket;
  private readonly decoder: FrameDecoder;
  private readonly opts: FramedSocketOptions;
  private deadline: NodeJS.Timeout | null = null;
  private frameStartedAt: number | null = null;
  private stalled = false;

  constructor(
    socket: Socket,
    onFrame: (frame: DecodedFrame) => void,
    options: number | FramedSocketOptions = {},
  ) {
    this.socket = socket;
    this.opts = typeof options === 'number' ? { maxBytes: options } : options;
    this.decoder = new FrameDecoder(this.opts.maxBytes ?? MAX_FRAME_BYTES);
    socket.on('data', (chunk: Buffer) => {
      if (this.stalled) return;
      const frames = this.decoder.push(chunk);
      for (const frame of frames) onFrame(frame);
      this.watchDeadline(onFrame, frames.length > 0);
    });
    socket.on('end', () => {
      this.clearDeadline();
      if (this.stalled) return;
      const truncated = this.decoder.end();
      if (truncated) onFrame({ ok: false, error: truncated });
    });
    socket.on('close', () => this.clearDeadline());
  }

  /** When the frame being received started (ms since the epoch); null between frames. */
  get incompleteSince(): number | null {
    return this.frameStartedAt;
  }

  /** Bytes of an incomplete frame held for this connection. */
  get pendingBytes(): number {
    return this.decoder.pendingBytes;
  }

  /** Write one message; returns false if the socket is gone. Throws FrameError if too large. */
  send(message: unknown): boolean {
    if (this.socket.destroyed || !this.socket.writable) return false;
    this.socket.write(encodeFrame(message));
    const cap = this.opts.maxWriteBufferBytes;
    if (cap !== undefined && this.socket.writableLength > cap) {
      this.opts.onLimit?.(
        'write-buffer',
        `${this.socket.writableLength} bytes of answers wait unread (limit ${cap})`,
      );
      this.socket.destroy();
      return false;
    }
    return true;
  }

  /** Send `message` (if any), end the stream, and destroy the socket if the peer lingers. */
  close(message?: unknown): void {
    this.stalled = true; // read nothing more; drop what an incomplete frame held
    this.decoder.end();
    this.clearDeadline();
    if (this.socket.destroyed) return;
    this.socket.pause(); // what the peer still sends stays in the kernel, not in our memory
    if (message !== undefined && this.socket.writable) this.socket.end(encodeFrame(message));
    else this.socket.end();
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  /** `completed`: this chunk finished a frame, so any bytes left start a new one. */
  private watchDeadline(onFrame: (frame: DecodedFrame) => void, completed: boolean): void {
    const ms = this.opts.frameDeadlineMs;
    if (this.decoder.pendingBytes === 0 || this.decoder.failure) {
      this.clearDeadline();
      return;
    }
    // Each frame gets its own deadline from its first byte; frames completed since keep none.
    if (this.frameStartedAt !== null && !completed) return;
    this.clearDeadline();
    this.frameStartedAt = Date.now();
    if (ms === undefined) return;
    this.deadline = setTimeout(() => {
      this.deadline = null;
      this.stalled = true;
      this.socket.pause();
      const held = this.decoder.pendingBytes;
      this.decoder.end(); // drop the partial frame's bytes now
      this.opts.onLimit?.(
        'frame-deadline',
        `a frame was started ${ms} ms ago and is still incomplete (${held} bytes)`,
      );
      onFrame({
        ok: false,
        error: new FrameError(
          'TRUNCATED',
          `a frame was started and not completed within ${ms} ms; closing the connection`,
          true,
        ),
      });
      setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
    }, ms);
    this.deadline.unref();
  }

  private clearDeadline(): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = null;
    this.frameStartedAt = null;
  }
}
