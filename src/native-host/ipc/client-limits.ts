/**
 * Bounds on the service's IPC socket, so that connecting clients cannot grow its memory without
 * limit (docs/security-model.md, "Resource bounds"):
 *
 * - at most `maxClients` connections at once (default 32). At the limit a new connection takes
 *   the slot of the client whose incomplete frame is oldest (a client mid-frame is being served
 *   nothing); when every client is between frames, the newcomer gets one `SERVICE_UNAVAILABLE`
 *   error frame and is closed. Both are logged (at most one line per second, with counts);
 * - per connection, an incomplete frame is at most MAX_FRAME_BYTES (the codec) and must be
 *   complete within `frameDeadlineMs` (default 10 s), or the connection is closed;
 * - per connection, at most `maxWriteBufferBytes` of answers and notifications (default 8 MiB)
 *   may wait unread; past it the connection is dropped.
 */
import type { Socket } from 'node:net';
import { RpcError, failure } from '../../protocol/jsonrpc.js';
import type { DecodedFrame } from '../../protocol/frame.js';
import type { Logger } from '../log.js';
import { FramedSocket } from './framed-socket.js';

export interface ClientLimits {
  maxClients: number;
  frameDeadlineMs: number;
  maxWriteBufferBytes: number;
}

export const DEFAULT_CLIENT_LIMITS: ClientLimits = {
  maxClients: 32,
  frameDeadlineMs: 10_000,
  maxWriteBufferBytes: 8 * 1024 * 1024,
};

/**
 * The defaults, or SENTINEL_MAX_CLIENTS (1..1024) and SENTINEL_FRAME_DEADLINE_MS (100..60000)
 * when set to a number in range (tests use them; nobody needs to).
 */
export function clientLimitsFromEnv(env: NodeJS.ProcessEnv): ClientLimits {
  const int = (v: string | undefined, min: number, max: number): number | undefined => {
    const n = Number(v);
    return v !== undefined && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
  };
  return {
    ...DEFAULT_CLIENT_LIMITS,
    maxClients: int(env.SENTINEL_MAX_CLIENTS, 1, 1024) ?? DEFAULT_CLIENT_LIMITS.maxClients,
    frameDeadlineMs:
      int(env.SENTINEL_FRAME_DEADLINE_MS, 100, 60_000) ?? DEFAULT_CLIENT_LIMITS.frameDeadlineMs,
  };
}

/** The connected clients, admitted within the limits. Iterates over the live connections. */
export class IpcClients implements Iterable<FramedSocket> {
  private readonly clients = new Set<FramedSocket>();
  private refused = 0;
  private evicted = 0;
  private lastLog = 0;

  constructor(
    readonly limits: ClientLimits,
    private readonly log: Logger,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  [Symbol.iterator](): Iterator<FramedSocket> {
    return this.clients.values();
  }

  /**
   * Admit a new connection: its FramedSocket, or null when it was refused (it then got an error
   * frame and is being closed).
   */
  accept(
    socket: Socket,
    onFrame: (framed: FramedSocket, frame: DecodedFrame) => void,
  ): FramedSocket | null {
    if (this.clients.size >= this.limits.maxClients && !this.evictStalled()) {
      this.refused++;
      const refusal = new FramedSocket(socket, () => undefined);
      socket.on('error', () => undefined);
      refusal.close(
        failure(
          null,
          new RpcError(
            'SERVICE_UNAVAILABLE',
            `the service already serves ${this.limits.maxClients} clients; close one and try again`,
            { limit: this.limits.maxClients },
          ),
        ),
      );
      this.report();
      return null;
    }
    const framed: FramedSocket = new FramedSocket(socket, (frame) => onFrame(framed, frame), {
      frameDeadlineMs: this.limits.frameDeadlineMs,
      maxWriteBufferBytes: this.limits.maxWriteBufferBytes,
      onLimit: (_what, detail) => this.log.warn(`IPC client closed: ${detail}`),
    });
    this.clients.add(framed);
    socket.on('close', () => this.clients.delete(framed));
    return framed;
  }

  /** Close every connection (service stop). */
  destroyAll(): void {
    for (const client of this.clients) client.socket.destroy();
  }

  /** Free the slot of the client whose incomplete frame is oldest; false when none is mid-frame. */
  private evictStalled(): boolean {
    let victim: FramedSocket | null = null;
    for (const c of this.clients) {
      const since = c.incompleteSince;
      if (since !== null && (victim === null || since < victim.incompleteSince!)) victim = c;
    }
    if (!victim) return false;
    this.clients.delete(victim);
    this.evicted++;
    victim.close(
      failure(
        null,
        new RpcError(
          'SERVICE_UNAVAILABLE',
          `closed: the service serves at most ${this.limits.maxClients} clients and this one's frame was incomplete`,
          { limit: this.limits.maxClients },
        ),
      ),
    );
    this.report();
    return true;
  }

  /** One log line per second at most, with what happened since the last one. */
  private report(): void {
    const now = Date.now();
    if (now - this.lastLog < 1000) return;
    this.lastLog = now;
    this.log.warn(
      `IPC: at the ${this.limits.maxClients}-client limit: refused ${this.refused} and closed ${this.evicted} client(s) holding an incomplete frame`,
    );
    this.refused = 0;
    this.evicted = 0;
  }
}
