/**
 * The HTTP side: POST /signals (provider token, size and media-type checks, then publishFor; 503
 * when the backend cannot take it), GET /health, /healthz (liveness), /readyz (the backend
 * answers), and the answers for everything else.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { RELAY_FRAME_MAX_BYTES } from '../../src/signals/types.js';
import { RelayPublishError } from './relay-api.js';
import { publishFor } from './relay-publish.js';
import { providerForToken, type RelayState } from './relay-state.js';
import { bearer } from './relay-tokens.js';
import { errorMessage } from '../../src/lib/error-text.js';

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  };
  if (close) headers['connection'] = 'close';
  res.writeHead(status, headers);
  res.end(text);
}

/** The body, 'too-large' past the limit, or 'aborted' when the client went away first. */
function readBody(req: IncomingMessage): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > RELAY_FRAME_MAX_BYTES) {
        over = true;
        chunks.length = 0;
        // Keep draining a little so the 413 can be read; stop a client that goes on and on.
        if (size > 16 * RELAY_FRAME_MAX_BYTES) req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', () => resolve(over ? 'too-large' : 'aborted'));
    req.on('close', () => resolve(over ? 'too-large' : 'aborted')); // no-op after 'end'
  });
}

async function handlePost(
  state: RelayState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { log } = state;
  const provider = await providerForToken(state, bearer(req.headers.authorization));
  if (!provider) {
    log('relay: POST /signals refused: unknown token');
    send(res, 401, { error: 'unknown or missing provider token', reason: 'unauthorized' }, true);
    req.resume();
    return;
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > RELAY_FRAME_MAX_BYTES) {
    send(
      res,
      413,
      { error: `body over ${RELAY_FRAME_MAX_BYTES} bytes`, reason: 'too-large' },
      true,
    );
    req.resume();
    return;
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    send(res, 415, { error: 'send application/json', reason: 'unsupported-media-type' }, true);
    req.resume();
    return;
  }
  const body = await readBody(req);
  if (body === 'aborted') return;
  if (body === 'too-large') {
    send(
      res,
      413,
      { error: `body over ${RELAY_FRAME_MAX_BYTES} bytes`, reason: 'too-large' },
      true,
    );
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    send(res, 400, { error: 'the body is not valid UTF-8 JSON', reason: 'malformed' });
    return;
  }
  try {
    send(res, 200, await publishFor(state, provider, value));
  } catch (e) {
    if (e instanceof RelayPublishError) {
      log(`relay: publish from ${provider.kid} refused: ${e.reason}`);
      send(res, e.status, { error: e.message, reason: e.reason });
    } else throw e;
  }
}

export function createRequestHandler(state: RelayState): RequestListener {
  const { log, name } = state;
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://relay').pathname;
    const done = (p: Promise<void> | void) =>
      Promise.resolve(p).catch((e: unknown) => {
        log(`relay: internal error: ${errorMessage(e)}`);
        if (!res.headersSent) send(res, 500, { error: 'internal error', reason: 'internal' });
        else res.destroy();
      });
    if (path === '/signals') {
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        send(res, 405, { error: 'POST only', reason: 'method-not-allowed' });
        return;
      }
      void done(handlePost(state, req, res));
      return;
    }
    if (path === '/health' && req.method === 'GET') {
      send(res, 200, { ok: true, relay: name });
      return;
    }
    // For a load balancer: alive (the process answers) and ready (its backend answers too).
    if (path === '/healthz' && req.method === 'GET') {
      send(res, 200, { ok: true, relay: name, backend: state.backend.kind });
      return;
    }
    if (path === '/readyz' && req.method === 'GET') {
      void done(
        state.backend.ready().then(
          (ready) =>
            send(res, ready ? 200 : 503, { ready, relay: name, backend: state.backend.kind }),
          () => send(res, 503, { ready: false, relay: name, backend: state.backend.kind }),
        ),
      );
      return;
    }
    if (path === '/feed') {
      send(res, 426, { error: 'WebSocket upgrade required', reason: 'upgrade-required' });
      return;
    }
    send(res, 404, { error: 'not found', reason: 'not-found' });
  };
}
