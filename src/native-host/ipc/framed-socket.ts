/**
 * A net.Socket speaking length-prefixed JSON frames: the service's side of each IPC connection
 * and the CLI's client side. Same codec as native messaging (src/protocol/frame.ts).
 */
import type { Socket } from 'node:net';
import { FrameDecoder, encodeFrame, type DecodedFrame } from '../../protocol/frame.js';
import { MAX_FRAME_BYTES } from '../../protocol/constants.js';

export class FramedSocket {
  readonly socket: Socket;
  private readonly decoder: FrameDecoder;

  constructor(socket: Socket, onFrame: (frame: DecodedFrame) => void, maxBytes = MAX_FRAME_BYTES) {
    this.socket = socket;
    this.decoder = new FrameDecoder(maxBytes);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) onFrame(frame);
    });
    socket.on('end', () => {
      const truncated = this.decoder.end();
      if (truncated) onFrame({ ok: false, error: truncated });
    });
  }

  /** Write one message; returns false if the socket is gone. Throws FrameError if too large. */
  send(message: unknown): boolean {
    if (this.socket.destroyed || !this.socket.writable) return false;
    this.socket.write(encodeFrame(message));
    return true;
  }
}
