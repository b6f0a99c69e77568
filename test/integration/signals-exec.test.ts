/**
 * Relay → service → simulator over real sockets: signals execute in dry-run and live on each
 * exchange with every size kind; every bad signal is rejected for its reason and the simulator
 * receives no order for it.
 */
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { requireBuiltHost } from '../helpers/host.js';
import { KID, marketSignal, startRig, until, type Rig } from '../helpers/trading-rig.js';
import { sign } from 'node:crypto';
import {
  generateProviderKeys,
  importPrivateKey,
  signSignal,
  signingInput,
} from '../../src/node/signal-envelope.js';
import type { ExchangeId } from '../../src/exchanges/types.js';

let rig: Rig;
beforeAll(async () => {
  requireBuiltHost();
  rig = await startRig({
    routes: (c) => [
      { strategy: 'binance-trend', connectionId: c.binance.id, maxOrderQuote: '100000' },
      { strategy: 'bybit-trend', connectionId: c.bybit.id, maxOrderQuote: '100000' },
      { strategy: 'okx-trend', connectionId: c.okx.id, maxOrderQuote: '100000' },
      {
        strategy: 'per-minute',
        connectionId: c.okx.id,
        maxOrderQuote: '1000',
        maxOrdersPerMinute: 2,
      },
      {
        strategy: 'limited',
        connectionId: c.binance.id,
        symbols: ['ETH/USDT'],
        maxOrderQuote: '100',
        maxDailyQuote: '250',
        maxOrdersPerMinute: 3,
        priceBandPct: 5,
      },
    ],
  });
}, 120_000);
afterAll(async () => rig?.close());

type History = { id: string; status: string; reason: string | null }[];
async function outcome(id: string): Promise<{ status: string; reason: string | null }> {
  return until(
    async () =>
      ((await rig.call('signals.history', { limit: 1000 })) as History).find(
        (s) => s.id === id && s.status !== 'pending',
      ),
    30_000,
    `signal ${id}`,
  );
}
const placed = (ex: ExchangeId) => rig.sim.orders(ex).filter((o) => o.outcome === 'placed');

describe.each(['binance', 'bybit', 'okx'] as const)('%s', (exchange) => {
  const strategy = `${exchange}-trend`;

  it('dry-run: sized, checked and recorded as simulated; nothing reaches the exchange', async () => {
    const before = rig.sim.orders(exchange).length;
    const s = marketSignal(strategy);
    await rig.publish(s);
    expect(await outcome(s.id as string)).toMatchObject({ status: 'dry-run' });
    expect(rig.sim.orders(exchange).length).toBe(before);
    const orders = (await rig.call('orders.list', {
      connectionId: rig.connections[exchange].id,
    })) as { signalId: string; state: string; clientOrderId: string }[];
    const mine = orders.find((o) => o.signalId === s.id);
    expect(mine?.state).toBe('simulated');
    expect(mine?.clientOrderId).toMatch(/^[A-Za-z0-9]{1,32}$/);
  });

  it('live: market by quote, limit by base, and balancePct each place exactly one order', async () => {
    await rig.call('connections.setMode', { id: rig.connections[exchange].id, mode: 'live' });
    const price = rig.sim.price(exchange, 'BTC/USDT');
    const signals = [
      marketSignal(strategy, { size: { quote: '100' } }),
      marketSignal(strategy, {
        type: 'limit',
        side: 'buy',
        price: String(Math.floor(Number(price) * 0.97)), // inside the default 5% band
        size: { base: '0.002' },
      }),
      marketSignal(strategy, { side: 'sell', size: { balancePct: '1' } }),
    ];
    for (const s of signals) {
      const before = placed(exchange).length;
      await rig.publish(s);
      expect(await outcome(s.id as string), JSON.stringify(s)).toMatchObject({
        status: 'executed',
      });
      expect(placed(exchange).length).toBe(before + 1);
    }
    const orders = (await rig.call('orders.list', {
      connectionId: rig.connections[exchange].id,
      limit: 3,
    })) as { state: string; exchangeOrderId: string }[];
    expect(orders.every((o) => o.state === 'placed' && o.exchangeOrderId)).toBe(true);
  });
});

/** A relay that forwards whatever it is given: the host must check everything itself. */
async function rawRelay(routes: object[]): Promise<{
  send(frame: unknown): void;
  acks: Record<string, unknown>[];
  close(): Promise<void>;
}> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const acks: Record<string, unknown>[] = [];
  let socket: import('ws').WebSocket | undefined;
  const connected = new Promise<void>((resolve) =>
    wss.on('connection', (ws) => {
      socket = ws;
      ws.on('message', (d) => acks.push(JSON.parse(d.toString()) as Record<string, unknown>));
      resolve();
    }),
  );
  const sub = (await rig.call('signals.subscribe', {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/feed`,
    token: 'raw-relay-token-123',
    providerKey: rig.keys.publicKey,
    routes,
  })) as { id: string };
  await connected;
  return {
    send: (frame) => socket!.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    acks,
    close: async () => {
      await rig.call('signals.unsubscribe', { id: sub.id });
      wss.close();
    },
  };
}

describe('rejections (nothing reaches the exchange)', () => {
  let raw: Awaited<ReturnType<typeof rawRelay>>;
  beforeAll(async () => {
    await rig.call('connections.setMode', { id: rig.connections.binance.id, mode: 'live' });
    raw = await rawRelay([
      {
        strategy: 'binance-trend',
        connectionId: rig.connections.binance.id,
        maxOrderQuote: '100000',
      },
    ]);
  });
  afterAll(async () => raw?.close());

  async function expectRejected(
    signal: Record<string, unknown>,
    reason: string,
    publish: () => unknown = () => rig.publish(signal),
  ): Promise<void> {
    const before = rig.sim.orders('binance').length;
    await publish();
    expect(await outcome(signal.id as string)).toMatchObject({ status: 'rejected', reason });
    expect(rig.sim.orders('binance').length).toBe(before);
  }

  // The reference relay refuses stale, future and repeated signals itself; the host must not rely
  // on that, so these come through a relay that forwards anything (correctly signed).
  it('expired', async () => {
    const s = marketSignal('binance-trend', { issuedAt: Date.now() - 120_000, ttlMs: 60_000 });
    await expectRejected(s, 'expired', () => raw.send(signSignal(s, rig.keys.privateKey, KID)));
  });
  it('from the future', async () => {
    const s = marketSignal('binance-trend', { issuedAt: Date.now() + 60_000 });
    await expectRejected(s, 'future', () => raw.send(signSignal(s, rig.keys.privateKey, KID)));
  });
  it('unknown strategy', () => expectRejected(marketSignal('nobody-routes-this'), 'no-route'));
  it('symbol not in the route', () =>
    expectRejected(
      marketSignal('limited', { symbol: 'BTC/USDT', size: { quote: '20' } }),
      'symbol-not-allowed',
    ));
  it('over the per-order maximum', () =>
    expectRejected(
      marketSignal('limited', { symbol: 'ETH/USDT', size: { quote: '150' } }),
      'over-max-order',
    ));
  it('limit price outside the band', () => {
    const price = Number(rig.sim.price('binance', 'ETH/USDT'));
    return expectRejected(
      marketSignal('limited', {
        symbol: 'ETH/USDT',
        type: 'limit',
        price: String(Math.floor(price * 0.8)),
        size: { quote: '20' },
      }),
      'price-band',
    );
  });
  it('a limit buy 4× the market on a route without a band: the default 5% refuses it', () => {
    const price = Number(rig.sim.price('binance', 'BTC/USDT'));
    return expectRejected(
      marketSignal('binance-trend', {
        type: 'limit',
        price: String(price * 4),
        size: { base: '0.0001' },
      }),
      'price-band',
    );
  });
  it('a price with more decimals than can be sent exactly', () =>
    expectRejected(
      marketSignal('binance-trend', {
        type: 'limit',
        price: `${rig.sim.price('binance', 'BTC/USDT')}.0000000000001`,
        size: { base: '0.0001' },
      }),
      'bad-price',
    ));
  it('reduceOnly on spot is refused, not sent as a plain order', () =>
    expectRejected(
      marketSignal('binance-trend', { side: 'sell', reduceOnly: true, size: { base: '0.001' } }),
      'reduce-only',
    ));
  it('a v2 swap signal on a spot route: refused, never traded as spot', () =>
    expectRejected(
      marketSignal('binance-trend', { v: 2, symbol: 'BTC/USDT:USDT', leverage: '1' }),
      'market-not-allowed',
    ));
  it('a v2 spot signal with a stop-loss: refused, never sent without it', () => {
    const price = Number(rig.sim.price('binance', 'BTC/USDT'));
    return expectRejected(
      marketSignal('binance-trend', {
        v: 2,
        size: { base: '0.001' },
        stopLoss: { triggerPrice: String(Math.floor(price * 0.9)) },
      }),
      'not-for-spot',
    );
  });
  it('too small after rounding', () =>
    expectRejected(marketSignal('binance-trend', { size: { base: '0.0000001' } }), 'too-small'));

  it('over the daily maximum', async () => {
    // 3 × 80 = 240 of 250 allowed today, and 3 orders this minute.
    for (let i = 0; i < 3; i++) {
      const s = marketSignal('limited', { symbol: 'ETH/USDT', size: { quote: '80' } });
      await rig.publish(s);
      expect(await outcome(s.id as string)).toMatchObject({ status: 'executed' });
    }
    await expectRejected(
      marketSignal('limited', { symbol: 'ETH/USDT', size: { quote: '20' } }),
      'over-daily-limit',
    );
  });

  it('over the orders-per-minute limit', async () => {
    for (let i = 0; i < 2; i++) {
      const s = marketSignal('per-minute');
      await rig.publish(s);
      expect(['executed', 'dry-run']).toContain((await outcome(s.id as string)).status);
    }
    const s = marketSignal('per-minute');
    await rig.publish(s);
    expect(await outcome(s.id as string)).toMatchObject({
      status: 'rejected',
      reason: 'rate-limit',
    });
  });

  it('a replayed id is a duplicate and executes nothing again', async () => {
    const s = marketSignal('binance-trend', { size: { quote: '60' } });
    await rig.publish(s);
    expect(await outcome(s.id as string)).toMatchObject({ status: 'executed' });
    const before = rig.sim.orders('binance').length;
    raw.send(signSignal(s, rig.keys.privateKey, KID)); // the same signal again, via another relay
    const ack = await until(() => raw.acks.find((a) => a.id === s.id), 10_000, 'the duplicate ack');
    expect(ack.status).toBe('duplicate');
    expect(rig.sim.orders('binance').length).toBe(before);
  });

  it('paused: nothing executes until resumed', async () => {
    await rig.call('trading.pause', { reason: 'test' });
    try {
      await expectRejected(marketSignal('binance-trend'), 'paused');
    } finally {
      await rig.call('trading.resume');
    }
  });

  it('a connection whose audit blocks: refused', async () => {
    const c = rig.connections.bybit;
    const key = { exchange: 'bybit' as const, apiKey: 'BYBITRIGKEY0001' };
    rig.sim.removeKey(key.exchange, key.apiKey);
    rig.sim.addKey({
      ...key,
      secret: 'bybit-rig-secret-0001',
      environment: 'live',
      permissions: { read: true, spot: true, withdraw: true },
      ipList: [rig.sim.clientIp],
    });
    expect(
      ((await rig.call('connections.audit', { id: c.id })) as { verdict: string }).verdict,
    ).toBe('block');
    const before = rig.sim.orders('bybit').length;
    const s = marketSignal('bybit-trend');
    await rig.publish(s);
    expect((await outcome(s.id as string)).reason).toMatch(/connection-paused|audit-blocked/);
    expect(rig.sim.orders('bybit').length).toBe(before);
  });
});

describe('a hostile relay: forged, malformed and unknown-field frames', () => {
  it('each is rejected for its reason and nothing is sent', async () => {
    // A relay the host does not trust: it sends whatever it likes to the subscriber.
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/feed`;
    const acks: Record<string, unknown>[] = [];
    const other = generateProviderKeys();
    const good = (extra = {}) => marketSignal('binance-trend', extra);
    const forged = signSignal(good(), other.privateKey, KID); // signed by someone else
    const tampered = signSignal(good(), rig.keys.privateKey, KID);
    (tampered.signal as Record<string, unknown>).size = { quote: '90000' };
    // Signed by the right key, but with a field the protocol does not have.
    const withExtra = { ...good(), leverage: 100 };
    const unknownField = {
      type: 'signal',
      kid: KID,
      sig: sign(null, signingInput(withExtra), importPrivateKey(rig.keys.privateKey)).toString(
        'base64url',
      ),
      signal: withExtra,
    };
    const frames: unknown[] = [
      forged,
      tampered,
      unknownField,
      '{not json',
      { type: 'signal', kid: KID, sig: 'x', signal: 5 },
    ];
    wss.on('connection', (ws) => {
      ws.on('message', (d) => acks.push(JSON.parse(d.toString()) as Record<string, unknown>));
      for (const f of frames) ws.send(typeof f === 'string' ? f : JSON.stringify(f));
    });
    const before = rig.sim.orders('binance').length;
    const sub = (await rig.call('signals.subscribe', {
      url,
      token: 'hostile-relay-token',
      providerKey: rig.keys.publicKey,
      routes: [
        {
          strategy: 'binance-trend',
          connectionId: rig.connections.binance.id,
          maxOrderQuote: '100000',
        },
      ],
    })) as { id: string };
    try {
      await until(() => acks.length >= 3, 15_000, 'acks from the host');
      const reasons = acks.map((a) => a.reason);
      expect(reasons).toEqual(['bad-signature', 'bad-signature', 'unknown-field']);
      expect(acks.every((a) => a.status === 'rejected')).toBe(true);
      expect(rig.sim.orders('binance').length).toBe(before);
    } finally {
      await rig.call('signals.unsubscribe', { id: sub.id });
      wss.close();
    }
  });
});
