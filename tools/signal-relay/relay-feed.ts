/**
 * The WebSocket side: GET /feed upgrades (subscriber token: from the config or added at run time),
 * hello, then the backend's session: the replay of what the subscriber has not acknowledged (still
 * fresh) and live signals; acks go to the backend; pings drop dead connections, and connections
 * of a subscriber removed at run time are closed.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ACK_MAX_BYTES, decodeAckMessage, type HelloFrame } from '../../src/signals/types.js';
import type { RecordedAck } from './relay-api.js';
import type { Subscriber } from './relay-config.js';
import { sendTo, subscriberFor, type Client, type RelayState } from './relay-state.js';
import { bearer } from './relay-tokens.js';
import { errorMessage } from '../../src/lib/error-text.js';

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
  const { backend, clients, log, name, now, pingIntervalMs } = state;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: ACK_MAX_BYTES,
    clientTracking: false,
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const path = new URL(req.url ?? '/', 'http://relay').pathname;
    if (path !== '/feed') return refuseUpgrade(socket, 404, 'Not Found');
    subscriberFor(state, bearer(req.headers.authorization)).then(
      (subscriber) => {
        if (!subscriber) {
          log('relay: feed connection refused: unknown token');
          return refuseUpgrade(socket, 401, 'Unauthorized');
        }
        if (socket.destroyed) return;
        wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, subscriber, req));
      },
      (e: unknown) => {
        log(`relay: feed connection refused: subscriber look-up failed: ${errorMessage(e)}`);
        refuseUpgrade(socket, 503, 'Service Unavailable');
      },
    );
  });

  function onConnection(ws: WebSocket, subscriber: Subscriber, req: IncomingMessage): void {
    const client: Client = {
      ws,
      subscriber,
      connectedAt: now(),
      remoteAddress: req.socket.remoteAddress ?? '',
      alive: true,
      session: null,
    };
    clients.add(client);
    const hello: HelloFrame = { type: 'hello', relay: name, providerKid: subscriber.providerKid };
    ws.send(JSON.stringify(hello));
    const early: RecordedAck[] = [];
    let closed = false;
    backend
      .open(
        {
          key: subscriber.tokenHash.toString('hex'),
          name: subscriber.name,
          providerKid: subscriber.providerKid,
        },
        {
          send: (text) => sendTo(state, client, text),
          end: (reason) => ws.close(4000, reason),
        },
      )
      .then(
        (session) => {
          if (closed) return session.close();
          client.session = session;
          for (const a of early.splice(0)) session.ack(a);
          log(
            `relay: ${subscriber.name} connected (provider ${subscriber.providerKid})` +
              (session.replayed !== undefined ? `, replayed ${session.replayed}` : ''),
          );
        },
        (e: unknown) => {
          log(`relay: ${subscriber.name}: cannot open the feed: ${errorMessage(e)}`);
          ws.close(1011, 'relay backend unavailable');
        },
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
      if (client.session) client.session.ack(record);
      else early.push(record);
      log(`relay: ack from ${subscriber.name}: ${ack.frame.id} ${ack.frame.status}`);
    });
    ws.on('error', (e) => log(`relay: ${subscriber.name} socket error: ${e.message}`));
    ws.on('close', () => {
      closed = true;
      client.session?.close();
      client.session = null;
      clients.delete(client);
      log(`relay: ${subscriber.name} disconnected`);
    });
  }

  const pinger = setInterval(() => {
    closeRemoved(state);
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

/** Close the connections of subscribers removed at run time (`relay subscribers remove`). */
function closeRemoved(state: RelayState): void {
  for (const client of state.clients) {
    if (client.subscriber.source !== 'store') continue;
    state.backend.subscribers.find(client.subscriber.tokenHash.toString('hex')).then(
      (found) => {
        if (found) return;
        state.log(`relay: ${client.subscriber.name} was removed; closing its connection`);
        client.ws.close(4001, 'subscription removed');
      },
      () => undefined,
    );
  }
}
