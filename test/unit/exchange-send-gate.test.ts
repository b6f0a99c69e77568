/**
 * The send gate (exchange/send-gate.ts) on a real ccxt 4.5.84 client built the service's way and a
 * real HTTP socket: while the journal's fsync is pending, the order request does not reach the
 * server, whatever ccxt has built meanwhile; it arrives once the fsync resolves; a failed fsync
 * fails the call with JournalNotDurable and nothing arrives. Requests outside a gate go at once.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Exchange } from 'ccxt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExchangeClient } from '../../src/native-host/service/exchange/client.js';
import {
  JournalNotDurable,
  sendWhenDurable,
} from '../../src/native-host/service/exchange/send-gate.js';

let server: Server;
let arrived: { path: string; at: number }[];
let client: Exchange;

beforeEach(async () => {
  arrived = [];
  server = createServer((req, res) => {
    arrived.push({ path: req.url ?? '', at: performance.now() });
    req.resume();
    res.setHeader('content-type', 'application/json');
    // Binance's answer to POST /api/v3/order (https://developers.binance.com/docs/binance-spot-api-docs/rest-api/trading-endpoints).
    res.end(
      JSON.stringify({
        symbol: 'BTCUSDT',
        orderId: 7,
        clientOrderId: 'scGate',
        transactTime: Date.now(),
        status: 'NEW',
        type: 'MARKET',
        side: 'BUY',
        origQty: '0.001',
        executedQty: '0',
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  client = await createExchangeClient({
    exchange: 'binance',
    environment: 'live',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { apiKey: 'key', secret: 'secret' },
    orderWindowMs: 5_000,
    enableRateLimit: false,
  });
  client.setMarkets([
    client.safeMarketStructure({
      id: 'BTCUSDT',
      symbol: 'BTC/USDT',
      base: 'BTC',
      quote: 'USDT',
      baseId: 'BTC',
      quoteId: 'USDT',
      type: 'spot',
      spot: true,
      active: true,
      precision: { amount: 0.00001, price: 0.01 },
      limits: { amount: { min: 0.00001 } },
      info: { orderTypes: ['LIMIT', 'MARKET'] },
    }),
  ]);
});
afterEach(async () => {
  await new Promise((r) => server.close(r));
});

const order = () =>
  client.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'scGate' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pending(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('send gate', () => {
  it('holds the order request at the socket until the journal is durable', async () => {
    await order(); // warm: ccxt's first request sets up its HTTP client (over a second here)
    arrived.length = 0;
    const fsync = pending();
    const placed = sendWhenDurable(client, fsync.promise, order);
    await sleep(200); // ample time for ccxt to build, sign and send had it not been held
    expect(arrived).toEqual([]);
    const releasedAt = performance.now();
    fsync.resolve();
    const result = await placed;
    expect(result.id).toBe('7');
    expect(arrived).toHaveLength(1);
    expect(arrived[0]!.path).toContain('/api/v3/order');
    expect(arrived[0]!.at).toBeGreaterThanOrEqual(releasedAt);
  });

  it('a failed fsync: JournalNotDurable, and nothing reaches the exchange', async () => {
    const fsync = pending();
    await order();
    arrived.length = 0;
    const placed = sendWhenDurable(client, fsync.promise, order);
    await sleep(50);
    fsync.reject(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    await expect(placed).rejects.toBeInstanceOf(JournalNotDurable);
    await sleep(50);
    expect(arrived).toEqual([]);
  });

  it('only during its call: before and after, requests go at once', async () => {
    await order();
    expect(arrived).toHaveLength(1);
    await sendWhenDurable(client, Promise.resolve(), order);
    await order();
    expect(arrived).toHaveLength(3);
  });

  it('a client without the gate waits for the journal before the call starts', async () => {
    const bare = Object.create(client) as Exchange; // another object: no gate installed on it
    const fsync = pending();
    let started = false;
    const placed = sendWhenDurable(bare, fsync.promise, async () => {
      started = true;
      return 'sent';
    });
    await sleep(20);
    expect(started).toBe(false);
    fsync.resolve();
    expect(await placed).toBe('sent');
  });
});
