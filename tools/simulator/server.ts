/**
 * One node:http server for the three simulated exchanges, each under its own prefix
 * (http://127.0.0.1:PORT/binance, /bybit, /okx — the `endpoint` of a connection), plus
 * GET /ip and /ip.json (the public-IP stand-in) and the /_sim/ control API.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXCHANGE_IDS } from '../../src/exchanges/types.js';
import { binance } from './binance.js';
import { bybit } from './bybit.js';
import { preciseNow, Recorder, type SimContext } from './context.js';
import { control, type Controllable } from './control.js';
import { fmt, parseDec } from '../../src/lib/decimal.js';
import { gateway503, type Dialect } from './dialect.js';
import { Faults } from './faults.js';
import { accountOf, keyHint, KeyStore, validateKey } from './keys.js';
import { findMarket } from './markets.js';
import { okx } from './okx.js';
import { Book } from './orders.js';
import { PerpBook } from './perp-book.js';
import { findPerp } from './perp-markets.js';
import type {
  ExchangeId,
  FaultSpec,
  OrderRecord,
  RequestRecord,
  SimKeyConfig,
  SimKeyInput,
  SimOrder,
  SimRequest,
  SimResponse,
} from './types.js';
import { errorDetail } from '../../src/lib/error-text.js';

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** The IP every request appears to come from (checked against key IP lists). */
  clientIp?: string;
  keys?: SimKeyConfig[];
  /** Log lines (never secrets); default: silent. */
  log?: (line: string) => void;
}

/** An order as the simulated book holds it, amounts as decimal strings. */
export type SimOrderView = Omit<
  SimOrder,
  'price' | 'qty' | 'quoteQty' | 'filledQty' | 'filledQuote' | 'fee'
> & {
  price?: string | undefined;
  qty: string;
  quoteQty?: string | undefined;
  filledQty: string;
  filledQuote: string;
  fee: string;
};

export interface Simulator extends Controllable {
  readonly url: string;
  readonly port: number;
  readonly clientIp: string;
  endpoint(exchange: ExchangeId): string;
  addKey(key: SimKeyInput): void;
  removeKey(exchange: ExchangeId, apiKey: string): boolean;
  setPrice(exchange: ExchangeId, symbol: string, price: string | number): void;
  price(exchange: ExchangeId, symbol: string): string;
  setFault(exchange: ExchangeId, spec: FaultSpec): void;
  faults(exchange: ExchangeId): FaultSpec;
  clearFaults(exchange?: ExchangeId): void;
  setClientIp(ip: string): void;
  setClockOffset(ms: number): void;
  orders(exchange?: ExchangeId): OrderRecord[];
  requests(exchange?: ExchangeId): RequestRecord[];
  book(exchange: ExchangeId, account?: string): SimOrderView[];
  balances(
    exchange: ExchangeId,
    account: string,
  ): Record<string, { total: string; free: string; locked: string }>;
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_CLIENT_IP = '203.0.113.10';
const DIALECTS: Record<ExchangeId, Dialect> = { binance, bybit, okx };
const MAX_BODY = 1 << 20;

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () =>
      resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  // The client may have given up (and closed the connection) while a fault delayed the answer.
  if (res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  res.writeHead(status, {
    'content-type': type,
    ...headers,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function view(o: SimOrder): SimOrderView {
  const opt = (v: bigint | undefined) => (v === undefined ? undefined : fmt(v));
  return {
    ...o,
    price: opt(o.price),
    qty: fmt(o.qty),
    quoteQty: opt(o.quoteQty),
    filledQty: fmt(o.filledQty),
    filledQuote: fmt(o.filledQuote),
    fee: fmt(o.fee),
  };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const keys = new KeyStore();
  const book = new Book();
  const perp = new PerpBook(book);
  const faults = new Faults();
  const recorder = new Recorder((exchange, symbol) => {
    const market = findMarket(exchange, symbol);
    return market ? fmt(book.prices.get(exchange, market.symbol)) : undefined;
  });
  const initialIp = options.clientIp ?? DEFAULT_CLIENT_IP;
  let clientIp = initialIp;
  let clockOffset = 0;
  const ctx: SimContext = {
    keys,
    book,
    perp,
    faults,
    recorder,
    now: () => Date.now() + clockOffset,
    clientIp: () => clientIp,
  };
  const held = new Set<ServerResponse>();

  async function exchangeRequest(
    exchange: ExchangeId,
    rest: string,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ) {
    const receivedAt = preciseNow();
    const arrivedAt = ctx.now();
    const body = await readBody(req);
    if (body === undefined) return send(res, 413, 'Payload Too Large');
    const simReq: SimRequest = {
      exchange,
      method: req.method ?? 'GET',
      path: rest || '/',
      rawQuery: url.search.slice(1),
      query: url.searchParams,
      body,
      headers: req.headers,
      arrivedAt,
    };
    const latency = faults.latency(exchange);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const dialect = DIALECTS[exchange];
    let answer: SimResponse | undefined;
    if (faults.take(exchange, 'status5xx')) answer = gateway503();
    else if (faults.take(exchange, 'rateLimit')) answer = dialect.rateLimited(ctx);
    // processDelay: the order request waits in the exchange before it is processed; the
    // dialect then checks the request windows against the time of processing.
    let delayed: number | undefined;
    const early = answer ? undefined : dialect.orderDraft(simReq, ctx.now());
    if (early && !early.test) delayed = faults.takeProcessDelay(exchange);
    if (delayed) await new Promise((r) => setTimeout(r, delayed));
    // From here to the request record nothing awaits: the records written carry this arrival.
    recorder.arrivedAt = receivedAt;
    recorder.processDelayMs = delayed;
    if (!answer) {
      try {
        answer = dialect.handle(simReq, ctx);
      } catch (e) {
        log(`simulator: ${exchange} ${simReq.method} ${simReq.path} failed: ${errorDetail(e)}`);
        answer = { status: 500, body: 'Internal Server Error', code: '500' };
      }
    }
    const now = ctx.now();
    const draft = dialect.orderDraft(simReq, now);
    if (draft && !answer.orderRecorded) {
      const message =
        (answer.body as { msg?: string; retMsg?: string } | null)?.msg ??
        (answer.body as { retMsg?: string } | null)?.retMsg;
      recorder.order({
        test: false,
        ...draft,
        outcome: 'rejected',
        code: answer.code ?? String(answer.status),
        message,
        fault: answer.fault,
      });
    }
    const apiKey = answer.apiKey ?? draft?.apiKey;
    const fault = answer.fault ?? (delayed !== undefined ? 'processDelay' : undefined);
    recorder.request({
      exchange,
      at: now,
      method: simReq.method,
      path: simReq.path,
      apiKey,
      status: answer.hold || answer.drop ? 0 : answer.status,
      code: answer.code ?? '',
      fault,
    });
    recorder.arrivedAt = undefined;
    recorder.processDelayMs = undefined;
    const outcome = answer.hold ? 'held' : answer.drop ? 'dropped' : answer.status;
    log(
      `${exchange} ${simReq.method} ${simReq.path} key=${keyHint(apiKey) ?? '-'} -> ${outcome} code=${answer.code ?? ''}${fault ? ` fault=${fault}` : ''}`,
    );
    if (answer.drop) {
      // lostAnswer: no answer at all; the client sees the connection reset at once.
      req.socket.destroy();
      return;
    }
    if (answer.hold) {
      if (res.destroyed) return;
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    send(res, answer.status, answer.body, answer.headers);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/ip') return send(res, 200, clientIp);
    if (req.method === 'GET' && path === '/ip.json') return send(res, 200, { ip: clientIp });
    if (path.startsWith('/_sim/')) {
      const text = await readBody(req);
      let body: unknown;
      try {
        body = text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        return send(res, 400, { error: 'body is not valid JSON' });
      }
      const answer = control(sim, req.method ?? 'GET', path, url.searchParams, body);
      return send(res, answer.status, answer.body);
    }
    const m = /^\/(binance|bybit|okx)(\/.*)?$/.exec(path);
    if (!m) return send(res, 404, 'Not Found');
    return exchangeRequest(m[1] as ExchangeId, m[2] ?? '', req, res, url);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      log(`simulator: request failed: ${String(e)}`);
      if (!res.headersSent) send(res, 500, 'Internal Server Error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const addKey = (key: SimKeyInput) => {
    const k = keys.add(validateKey(key));
    book.ensureAccount(k.exchange, accountOf(k), k.balances);
  };

  const sim: Simulator = {
    url,
    port,
    get clientIp() {
      return clientIp;
    },
    endpoint: (exchange) => `${url}/${exchange}`,
    addKey,
    removeKey: (exchange, apiKey) => keys.remove(exchange, apiKey),
    listKeys: (exchange) =>
      keys.list(exchange).map(({ secret: _s, passphrase: _p, ...rest }) => rest),
    setPrice(exchange, symbol, price) {
      // A perpetual trades at its spot market's price (perp-markets.ts): either symbol moves both.
      const market = findMarket(exchange, findPerp(exchange, symbol)?.spotSymbol ?? symbol);
      const value = parseDec(price);
      if (!market) throw new Error(`unknown symbol ${symbol} on ${exchange}`);
      if (value === undefined || value <= 0n) throw new Error(`bad price ${String(price)}`);
      book.setPrice(exchange, market.symbol, value, ctx.now());
      perp.onPrice(exchange, market.symbol, ctx.now());
    },
    price: (exchange, symbol) => {
      const spot = findPerp(exchange, symbol)?.spotSymbol ?? symbol;
      return fmt(book.prices.get(exchange, findMarket(exchange, spot)?.symbol ?? spot));
    },
    setFault: (exchange, spec) => faults.set(exchange, spec),
    faults: (exchange) => faults.get(exchange),
    clearFaults: (exchange) => faults.clear(exchange),
    setClientIp(ip) {
      clientIp = ip;
    },
    setClockOffset(ms) {
      clockOffset = ms;
    },
    orders: (exchange) => recorder.orderRecords.filter((r) => !exchange || r.exchange === exchange),
    requests: (exchange) =>
      recorder.requestRecords.filter((r) => !exchange || r.exchange === exchange),
    book: (exchange, account) => book.list(exchange, account).map(view),
    balances(exchange, account) {
      const out: Record<string, { total: string; free: string; locked: string }> = {};
      for (const [asset, b] of book.balances(exchange, account))
        out[asset] = { total: fmt(b.total), free: fmt(b.free), locked: fmt(b.locked) };
      return out;
    },
    reset() {
      book.reset();
      perp.reset();
      faults.clear();
      recorder.clear();
      clockOffset = 0;
      clientIp = initialIp;
      for (const k of keys.list()) book.ensureAccount(k.exchange, accountOf(k), k.balances);
    },
    async close() {
      for (const res of held) res.socket?.destroy();
      held.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  for (const key of options.keys ?? []) addKey(key);
  log(
    `simulator listening on ${url} (${EXCHANGE_IDS.map((e) => `/${e}`).join(', ')}), client IP ${clientIp}`,
  );
  return sim;
}
