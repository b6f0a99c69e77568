/**
 * The WebSocket side: GET /feed upgrades (subscriber token), hello then the replay of buffered
 * signals still fresh, acks recorded, and pings that drop dead connections.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ACK_MAX_BYTES, decodeAckMessage, type HelloFrame } from '../../src/signals/types.js';
import type { RecordedAck } from './relay-api.js';
import type { Provider, Subscriber } from './relay-config.js';
import { prune, sendTo, type Client, type RelayState } from './relay-state.js';
import { bearer, findByToken } from './relay-tokens.js';

const MAX_ACKS_PER_SUBSCRIBER = 10_000;

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  const body = `${text}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.once('finish', () => socket.destroy());
}

export interface Feed {
  wss: WebSocketServer;
  pinger: NodeJS.Timeout;
}

/** Serves /feed upgrades on `server` and starts the pinger (unref'd). */
export function attachFeed(server: Server, state: RelayState): Feed {
  const { clients, log, name, now, pingIntervalMs, providers, subscribers } = state;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: ACK_MAX_BYTES,
    clientTracking: false,
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const path = new URL(req.url ?? '/', 'http://relay').pathname;
    if (path !== '/feed') return refuseUpgrade(socket, 404, 'Not Found');
    const subscriber = findByToken(subscribers, bearer(req.headers.authorization));
    if (!subscriber) {
      log('relay: feed connection refused: unknown token');
      return refuseUpgrade(socket, 401, 'Unauthorized');
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, subscriber, req));
  });

  function onConnection(ws: WebSocket, subscriber: Subscriber, req: IncomingMessage): void {
    const client: Client = {
      ws,
      subscriber,
      connectedAt: now(),
      remoteAddress: req.socket.remoteAddress ?? '',
      alive: true,
    };
    clients.add(client);
    const provider = providers.find((p) => p.kid === subscriber.providerKid) as Provider;
    const hello: HelloFrame = { type: 'hello', relay: name, providerKid: provider.kid };
    ws.send(JSON.stringify(hello));
    prune(state, provider);
    const replay = [...provider.buffer].sort(
      (a, b) => a.frame.signal.issuedAt - b.frame.signal.issuedAt,
    );
    for (const b of replay) sendTo(state, client, b.text);
    log(
      `relay: ${subscriber.name} connected (provider ${provider.kid}), replayed ${replay.length}`,
    );

    ws.on('pong', () => (client.alive = true));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        ws.close(1003, 'text frames only');
        return;
      }
      const ack = decodeAckMessage(data);
      if (!ack.ok) {
        log(`relay: ${subscriber.name} sent an invalid frame (${ack.message}); closing`);
        ws.close(1008, 'acks only');
        return;
      }
      const record: RecordedAck = {
        subscriber: subscriber.name,
        providerKid: subscriber.providerKid,
        at: now(),
        id: ack.frame.id,
        status: ack.frame.status,
      };
      if (ack.frame.reason !== undefined) record.reason = ack.frame.reason;
      subscriber.acks.push(record);
      if (subscriber.acks.length > MAX_ACKS_PER_SUBSCRIBER) subscriber.acks.shift();
      log(`relay: ack from ${subscriber.name}: ${ack.frame.id} ${ack.frame.status}`);
    });
    ws.on('error', (e) => log(`relay: ${subscriber.name} socket error: ${e.message}`));
    ws.on('close', () => {
      clients.delete(client);
      log(`relay: ${subscriber.name} disconnected`);
    });
  }

  const pinger = setInterval(() => {
    for (const client of clients) {
      if (!client.alive) {
        log(`relay: ${client.subscriber.name} missed a pong; terminating`);
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      try {
        client.ws.ping();
      } catch {
        client.ws.terminate();
      }
    }
  }, pingIntervalMs);
  pinger.unref();

  return { wss, pinger };
}
