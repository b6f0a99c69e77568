/**
 * The feed's WebSocket client (feeds/feed-client.ts) against a loopback server that would accept
 * compression: none is offered (every ~300-byte frame would go through zlib), frames reach
 * onFrame parsed, and acks go back on the same socket.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { FeedClient } from '../../src/native-host/service/feeds/feed-client.js';

let server: WebSocketServer;
let client: FeedClient | undefined;
afterEach(async () => {
  client?.stop();
  client = undefined;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function serve(): Promise<{
  url: string;
  connected: Promise<{ socket: WebSocket; request: IncomingMessage }>;
}> {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const connected = new Promise<{ socket: WebSocket; request: IncomingMessage }>((resolve) =>
    server.once('connection', (socket, request) => resolve({ socket, request })),
  );
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/feed`, connected };
}

describe('FeedClient', () => {
  it('offers no compression, hands frames on parsed and sends acks back', async () => {
    const { url, connected } = await serve();
    const frames: unknown[] = [];
    client = new FeedClient({
      subscriptionId: 'sub1',
      url,
      token: 'subscriber-token',
      onStatus: () => undefined,
      onFrame: (frame, ack) => {
        frames.push(frame);
        ack({ type: 'ack', id: 'sig1', status: 'executed' });
      },
    });
    client.start();
    const { socket, request } = await connected;
    expect(request.headers['sec-websocket-extensions']).toBeUndefined();
    expect(request.headers.authorization).toBe('Bearer subscriber-token');
    expect(socket.extensions).toBe('');
    const acked = new Promise<string>((resolve) =>
      socket.once('message', (data: Buffer) => resolve(data.toString())),
    );
    socket.send(JSON.stringify({ type: 'signal', kid: 'k1' }));
    expect(JSON.parse(await acked)).toEqual({ type: 'ack', id: 'sig1', status: 'executed' });
    expect(frames).toEqual([{ type: 'signal', kid: 'k1' }]);
  });
});
