/**
 * A relay the host has no reason to trust: a bare WebSocket server that sends the subscriber
 * whatever it is given, checking nothing. It shows that the host verifies every signal itself
 * (the reference relay would have refused a forged frame before the host ever saw it).
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Scope } from './scope.js';
import { until } from './scope.js';

export interface RawRelay {
  url: string;
  /** Acks the host sent back, parsed. */
  acks: Record<string, unknown>[];
  connected(): Promise<void>;
  send(frame: unknown): void;
}

export async function startRawRelay(scope: Scope): Promise<RawRelay> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  scope.defer('close the untrusted relay', () => {
    for (const c of wss.clients) c.terminate();
    return new Promise<void>((r) => wss.close(() => r()));
  });
  const acks: Record<string, unknown>[] = [];
  let socket: WebSocket | undefined;
  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (d) => {
      try {
        acks.push(JSON.parse(d.toString()) as Record<string, unknown>);
      } catch {
        // not an ack: ignore
      }
    });
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/feed`,
    acks,
    async connected() {
      await until(() => socket, 15_000, 'the host to connect to the untrusted relay');
    },
    send(frame) {
      socket!.send(JSON.stringify(frame));
    },
  };
}
