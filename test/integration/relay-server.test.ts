/**
 * The reference signal relay on loopback: provider POSTs (signed and relay-signed), subscriber
 * feeds (hello, delivery, replay on reconnect, acks), authentication, limits and liveness.
 */
import { WebSocket } from 'ws';
import {
  RelayConfigError,
  RelayPublishError,
  startRelay,
  type Relay,
} from '../../tools/signal-relay/server.js';
import {
  generateProviderKeys,
  signSignal,
  verifySignalFrame,
} from '../../src/node/signal-envelope.js';
import { canonicalJson } from '../../src/signals/canonical-json.js';
import {
  connectFeed,
  makeSignal,
  postSignal,
  PROVIDER_TOKEN,
  SUBSCRIBER_TOKEN,
  upgradeRefusal,
} from '../helpers/relay.js';

const K1 = generateProviderKeys(); // the relay holds this provider's private key
const K2 = generateProviderKeys(); // the relay knows only this provider's public key
const P2_TOKEN = 'provider-two-token-0123456789';
const SUB2_TOKEN = 'subscriber-two-token-0123456789';
const SUB_K2_TOKEN = 'subscriber-of-k2-token-0123456789';

function relayOptions(extra: Partial<Parameters<typeof startRelay>[0]> = {}) {
  return {
    providers: [
      { token: PROVIDER_TOKEN, kid: 'k1', publicKey: K1.publicKey, privateKey: K1.privateKey },
      { token: P2_TOKEN, kid: 'k2', publicKey: K2.publicKey },
    ],
    subscribers: [
      { token: SUBSCRIBER_TOKEN, providerKid: 'k1', name: 'alice' },
      { token: SUB2_TOKEN, providerKid: 'k1', name: 'bob' },
      { token: SUB_K2_TOKEN, providerKid: 'k2', name: 'carol' },
    ],
    ...extra,
  };
}

describe('relay: publish and deliver', () => {
  let relay: Relay;
  const lines: string[] = [];
  beforeAll(async () => {
    relay = await startRelay(relayOptions({ log: (l) => lines.push(l) }));
  });
  afterAll(() => relay.close());

  it('listens on loopback and answers /health', async () => {
    expect(relay.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(relay.wsUrl).toBe(`${relay.url.replace('http', 'ws')}/feed`);
    const res = await fetch(`${relay.url}/health`);
    expect(await res.json()).toEqual({ ok: true, relay: 'sentinel-relay' });
  });

  it('sends hello on connect, then delivers a provider-signed signal that verifies', async () => {
    const feed = await connectFeed(relay.wsUrl, SUBSCRIBER_TOKEN);
    try {
      expect(await feed.next()).toEqual({
        type: 'hello',
        relay: 'sentinel-relay',
        providerKid: 'k1',
      });
      await feed.quietFor(50); // the buffer is empty
      expect(relay.connections()).toMatchObject([{ subscriber: 'alice', providerKid: 'k1' }]);
      const signal = makeSignal();
      const frame = signSignal(signal, K1.privateKey, 'k1');
      expect(await postSignal(relay.url, PROVIDER_TOKEN, frame)).toEqual({
        status: 200,
        body: { id: signal.id, delivered: 1 },
      });
      const got = await feed.next();
      expect(got).toEqual(frame);
      expect(verifySignalFrame(got, K1.publicKey, { kid: 'k1' })).toEqual({
        ok: true,
        signal,
        kid: 'k1',
        signed: canonicalJson(signal),
      });
    } finally {
      await feed.close();
    }
  });

  it('signs a bare signal with the provider key it holds; subscribers verify it with the public key', async () => {
    const feed = await connectFeed(relay.wsUrl, SUBSCRIBER_TOKEN);
    const other = await connectFeed(relay.wsUrl, SUB2_TOKEN);
    try {
      await feed.next();
      await other.next();
      // Drain the replay of earlier tests' signals.
      await new Promise((r) => setTimeout(r, 100));
      const skip = (c: typeof feed) => c.messages.length - 1;
      for (let i = skip(feed); i > 0; i--) await feed.next();
      for (let i = skip(other); i > 0; i--) await other.next();
      const signal = makeSignal({ type: 'limit', price: '65000.5', size: { base: '0.001' } });
      const answer = await postSignal(relay.url, PROVIDER_TOKEN, signal);
      expect(answer).toEqual({ status: 200, body: { id: signal.id, delivered: 2 } });
      for (const c of [feed, other]) {
        const got = await c.next();
        expect(got).toMatchObject({ type: 'signal', kid: 'k1', signal });
        expect(verifySignalFrame(got, K1.publicKey, { kid: 'k1' })).toMatchObject({ ok: true });
        expect(verifySignalFrame(got, K2.publicKey)).toMatchObject({
          ok: false,
          reason: 'bad-signature',
        });
      }
    } finally {
      await feed.close();
      await other.close();
    }
  });

  it("delivers only the subscriber's own provider's signals", async () => {
    const k2feed = await connectFeed(relay.wsUrl, SUB_K2_TOKEN);
    try {
      expect(await k2feed.next()).toMatchObject({ type: 'hello', providerKid: 'k2' });
      await k2feed.quietFor(50); // nothing of k1 replayed
      await postSignal(relay.url, PROVIDER_TOKEN, makeSignal());
      await k2feed.quietFor(100);
      const frame = signSignal(makeSignal(), K2.privateKey, 'k2');
      expect((await postSignal(relay.url, P2_TOKEN, frame)).body).toMatchObject({ delivered: 1 });
      expect(await k2feed.next()).toEqual(frame);
    } finally {
      await k2feed.close();
    }
  });

  it('refuses what it cannot verify or sign, with a reason', async () => {
    const signal = makeSignal();
    const cases: [string, unknown, number, string][] = [
      ['bare signal, no private key held', signal, 400, 'unsigned'],
      ['signed by another key', signSignal(signal, K1.privateKey, 'k2'), 400, 'bad-signature'],
      ['signed under another kid', signSignal(signal, K2.privateKey, 'k1'), 400, 'bad-signature'],
      [
        'tampered after signing',
        {
          ...signSignal(signal, K2.privateKey, 'k2'),
          signal: { ...signal, size: { quote: '5000' } },
        },
        400,
        'bad-signature',
      ],
      ['not a signal frame', { type: 'signal', kid: 'k2', sig: 'x', signal }, 400, 'malformed'],
    ];
    for (const [name, body, status, reason] of cases) {
      const res = await postSignal(relay.url, P2_TOKEN, body);
      expect({ name, status: res.status, reason: res.body['reason'] }).toEqual({
        name,
        status,
        reason,
      });
    }
    // A bare invalid signal to the provider whose key the relay holds: parseSignal's reason.
    const invalid = await postSignal(relay.url, PROVIDER_TOKEN, { ...makeSignal(), leverage: 3 });
    expect(invalid).toMatchObject({ status: 400, body: { reason: 'unknown-field' } });
    expect(String(invalid.body['error'])).toContain('leverage');
    const noPrice = await postSignal(relay.url, PROVIDER_TOKEN, makeSignal({ type: 'limit' }));
    expect(noPrice).toMatchObject({ status: 400, body: { reason: 'bad-price' } });
  });

  it('refuses expired, future and repeated signals', async () => {
    const expired = makeSignal({ issuedAt: Date.now() - 61_000 });
    expect(await postSignal(relay.url, PROVIDER_TOKEN, expired)).toMatchObject({
      status: 400,
      body: { reason: 'expired' },
    });
    const future = makeSignal({ issuedAt: Date.now() + 60_000 });
    expect(await postSignal(relay.url, PROVIDER_TOKEN, future)).toMatchObject({
      status: 400,
      body: { reason: 'future' },
    });
    const once = makeSignal();
    expect((await postSignal(relay.url, PROVIDER_TOKEN, once)).status).toBe(200);
    expect(await postSignal(relay.url, PROVIDER_TOKEN, once)).toMatchObject({
      status: 409,
      body: { reason: 'duplicate' },
    });
  });

  it('answers 401 for unknown or missing provider tokens (a subscriber token is not one)', async () => {
    for (const token of [
      null,
      'wrong-token-0123456789abcdef',
      SUBSCRIBER_TOKEN,
      `${PROVIDER_TOKEN}x`,
      'short',
    ])
      expect(await postSignal(relay.url, token, makeSignal())).toMatchObject({
        status: 401,
        body: { reason: 'unauthorized' },
      });
    const res = await fetch(`${relay.url}/signals`, {
      method: 'POST',
      headers: { authorization: `Basic ${PROVIDER_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(makeSignal()),
    });
    expect(res.status).toBe(401);
  });

  it('answers 413 over 64 KiB, 415 for non-JSON, 400 for bad JSON, 405/404/426 elsewhere', async () => {
    const big = JSON.stringify({ ...makeSignal(), pad: 'x'.repeat(64 * 1024) });
    expect(await postSignal(relay.url, PROVIDER_TOKEN, big)).toMatchObject({
      status: 413,
      body: { reason: 'too-large' },
    });
    // Chunked upload (no content-length): refused while streaming.
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode('x'.repeat(16 * 1024)));
        c.close();
      },
    });
    const chunked = await fetch(`${relay.url}/signals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PROVIDER_TOKEN}`, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(
      await postSignal(relay.url, PROVIDER_TOKEN, JSON.stringify(makeSignal()), {
        contentType: 'text/plain',
      }),
    ).toMatchObject({ status: 415, body: { reason: 'unsupported-media-type' } });
    expect(
      await postSignal(relay.url, PROVIDER_TOKEN, '{"v":1,', {
        contentType: 'application/json; charset=utf-8',
      }),
    ).toMatchObject({ status: 400, body: { reason: 'malformed' } });
    expect(
      await postSignal(relay.url, PROVIDER_TOKEN, Buffer.from([0x7b, 0xff, 0x7d])),
    ).toMatchObject({
      status: 400,
      body: { reason: 'malformed' },
    });
    expect(await postSignal(relay.url, PROVIDER_TOKEN, '[1,2]')).toMatchObject({ status: 400 });
    expect((await fetch(`${relay.url}/signals`)).status).toBe(405);
    expect((await fetch(`${relay.url}/nothing`)).status).toBe(404);
    expect((await fetch(`${relay.url}/feed`)).status).toBe(426);
  });

  it('refuses a bad subscriber token at the upgrade with 401, and unknown paths with 404', async () => {
    expect(await upgradeRefusal(relay.wsUrl, 'wrong-token-0123456789abcdef')).toBe(401);
    expect(await upgradeRefusal(relay.wsUrl, null)).toBe(401);
    expect(await upgradeRefusal(relay.wsUrl, PROVIDER_TOKEN)).toBe(401);
    expect(await upgradeRefusal(`${relay.url.replace('http', 'ws')}/other`, SUBSCRIBER_TOKEN)).toBe(
      404,
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(relay.connections()).toEqual([]);
  });

  it('publishes in-process the same way (frame, bare signal, refusals as RelayPublishError)', async () => {
    const frame = signSignal(makeSignal(), K2.privateKey, 'k2');
    expect(await relay.publish(frame)).toEqual({ id: frame.signal.id, delivered: 0 });
    const bare = makeSignal();
    expect(await relay.publish(bare, 'k1')).toEqual({ id: bare.id, delivered: 0 });
    expect(relay.buffered('k1').map((f) => f.signal.id)).toContain(bare.id);
    await expect(relay.publish(makeSignal())).rejects.toMatchObject({ reason: 'unknown-provider' });
    await expect(relay.publish(makeSignal(), 'k2')).rejects.toBeInstanceOf(RelayPublishError);
    await expect(relay.publish(makeSignal(), 'k2')).rejects.toMatchObject({
      status: 400,
      reason: 'unsigned',
    });
  });

  it('never logs a token or a private key', () => {
    const log = lines.join('\n');
    expect(log).toContain('delivered to');
    for (const secret of [
      PROVIDER_TOKEN,
      SUBSCRIBER_TOKEN,
      P2_TOKEN,
      SUB2_TOKEN,
      SUB_K2_TOKEN,
      K1.privateKey,
    ])
      expect(log).not.toContain(secret);
  });
});

describe('relay: replay, acks, limits, liveness', () => {
  let relay: Relay;
  afterEach(() => relay?.close());

  it('replays fresh buffered signals in issue order on (re)connect, never expired ones', async () => {
    relay = await startRelay(relayOptions());
    const now = Date.now();
    const later = makeSignal({ issuedAt: now - 100 });
    const earlier = makeSignal({ issuedAt: now - 2_000 });
    const shortLived = makeSignal({ issuedAt: now - 800, ttlMs: 1_000 }); // expires in ~200 ms
    for (const s of [later, shortLived, earlier]) await relay.publish(s, 'k1');
    await new Promise((r) => setTimeout(r, 350));

    const feed = await connectFeed(relay.wsUrl, SUBSCRIBER_TOKEN);
    expect(await feed.next()).toMatchObject({ type: 'hello' });
    expect(await feed.next()).toMatchObject({ signal: earlier });
    expect(await feed.next()).toMatchObject({ signal: later });
    await feed.quietFor(100);
    await feed.close();

    // Published while the subscriber is away: delivered to nobody, replayed at the next connect
    // together with the still-fresh earlier ones (the host dedups by id).
    const whileAway = makeSignal({ issuedAt: now - 50 });
    expect(await relay.publish(whileAway, 'k1')).toEqual({ id: whileAway.id, delivered: 0 });
    const again = await connectFeed(relay.wsUrl, SUBSCRIBER_TOKEN);
    await again.next();
    const ids = [await again.next(), await again.next(), await again.next()].map(
      (f) => (f as { signal: { id: string } }).signal.id,
    );
    expect(ids).toEqual([earlier.id, later.id, whileAway.id]);
    for (const f of again.messages.slice(1))
      expect(verifySignalFrame(f, K1.publicKey)).toMatchObject({ ok: true });
    // Then live signals follow.
    const live = makeSignal();
    await relay.publish(live, 'k1');
    expect(await again.next()).toMatchObject({ signal: live });
    await again.close();
  });

  it('keeps at most maxBuffer signals and none older than replayMs', async () => {
    relay = await startRelay(relayOptions({ maxBuffer: 2, replayMs: 300 }));
    const [a, b, c] = [makeSignal(), makeSignal(), makeSignal()];
    for (const s of [a, b, c]) await relay.publish(s, 'k1');
    expect(relay.buffered('k1').map((f) => f.signal.id)).toEqual([b.id, c.id]);
    await new Promise((r) => setTimeout(r, 350));
    expect(relay.buffered('k1')).toEqual([]);
    const feed = await connectFeed(relay.wsUrl, SUBSCRIBER_TOKEN);
    await feed.next();
    await feed.quietFor(100);
    await feed.close();
  });

  it('records acks per subscriber and closes on anything that is not an ack', async () => {
    relay = await startRelay(relayOptions());
    const alice = await connectFeed(relay.wsUrl, SUBSCRIBER_TOKEN);
    const bob = await connectFeed(relay.wsUrl, SUB2_TOKEN);
    await alice.next();
    await bob.next();
    alice.send({ type: 'ack', id: 'sig_a', status: 'executed' });
    alice.send({ type: 'ack', id: 'sig_b', status: 'rejected', reason: 'over-max-order' });
    bob.send({ type: 'ack', id: 'sig_a', status: 'dry-run' });
    const deadline = Date.now() + 2_000;
    while (relay.acks().length < 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(relay.acks(SUBSCRIBER_TOKEN)).toMatchObject([
      { subscriber: 'alice', providerKid: 'k1', id: 'sig_a', status: 'executed' },
      { subscriber: 'alice', id: 'sig_b', status: 'rejected', reason: 'over-max-order' },
    ]);
    expect(relay.acks(SUB2_TOKEN)).toMatchObject([
      { subscriber: 'bob', id: 'sig_a', status: 'dry-run' },
    ]);
    expect(relay.acks(SUB_K2_TOKEN)).toEqual([]);
    expect(relay.acks('not-a-token')).toEqual([]);
    expect(relay.acks()).toHaveLength(3);
    expect(JSON.stringify(relay.acks())).not.toContain(SUBSCRIBER_TOKEN);

    alice.send('not json');
    expect(await alice.closed).toMatchObject({ code: 1008 });
    bob.send({ type: 'ack', id: 'x', status: 'maybe' });
    expect(await bob.closed).toMatchObject({ code: 1008 });

    const binary = await connectFeed(relay.wsUrl, SUBSCRIBER_TOKEN);
    binary.ws.send(Buffer.from('{"type":"ack"}'), { binary: true });
    expect(await binary.closed).toMatchObject({ code: 1003 });

    const big = await connectFeed(relay.wsUrl, SUBSCRIBER_TOKEN);
    big.send({ type: 'ack', id: 'sig_a', status: 'rejected', reason: 'x'.repeat(8_000) });
    expect((await big.closed).code).toBe(1009);
    expect(relay.acks()).toHaveLength(3);
  });

  it('pings, and terminates a subscriber that misses a pong', async () => {
    relay = await startRelay(relayOptions({ pingIntervalMs: 100 }));
    const healthy = await connectFeed(relay.wsUrl, SUBSCRIBER_TOKEN);
    let pings = 0;
    healthy.ws.on('ping', () => pings++);
    const mute = new WebSocket(relay.wsUrl, {
      headers: { authorization: `Bearer ${SUB2_TOKEN}` },
      autoPong: false,
    });
    const muteClosed = new Promise<number>((r) => mute.on('close', (code) => r(code)));
    await new Promise((r) => mute.once('open', r));
    expect(await muteClosed).toBe(1006); // terminated, no close frame
    expect(pings).toBeGreaterThanOrEqual(1);
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    const deadline = Date.now() + 2_000;
    while (relay.connections().length > 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(relay.connections().map((c) => c.subscriber)).toEqual(['alice']);
    await healthy.close();
  });

  it('close() ends feeds and stops listening', async () => {
    relay = await startRelay(relayOptions());
    const feed = await connectFeed(relay.wsUrl, SUBSCRIBER_TOKEN);
    await feed.next();
    await relay.close();
    expect((await feed.closed).code).toBe(1006);
    await expect(fetch(`${relay.url}/health`)).rejects.toThrow();
  });

  it('refuses bad configurations', async () => {
    const bad: [string, Partial<Parameters<typeof startRelay>[0]>][] = [
      [
        'short token',
        { providers: [{ token: 'short', kid: 'k1', publicKey: K1.publicKey }], subscribers: [] },
      ],
      [
        'bad kid',
        {
          providers: [{ token: PROVIDER_TOKEN, kid: 'k 1', publicKey: K1.publicKey }],
          subscribers: [],
        },
      ],
      [
        'bad public key',
        { providers: [{ token: PROVIDER_TOKEN, kid: 'k1', publicKey: 'abc' }], subscribers: [] },
      ],
      [
        'private key of another public key',
        {
          providers: [
            {
              token: PROVIDER_TOKEN,
              kid: 'k1',
              publicKey: K1.publicKey,
              privateKey: K2.privateKey,
            },
          ],
          subscribers: [],
        },
      ],
      ['no key at all', { providers: [{ token: PROVIDER_TOKEN, kid: 'k1' }], subscribers: [] }],
      [
        'subscriber of an unknown provider',
        {
          providers: [{ token: PROVIDER_TOKEN, kid: 'k1', publicKey: K1.publicKey }],
          subscribers: [{ token: SUBSCRIBER_TOKEN, providerKid: 'k9' }],
        },
      ],
      [
        'a token used twice',
        {
          providers: [{ token: PROVIDER_TOKEN, kid: 'k1', publicKey: K1.publicKey }],
          subscribers: [{ token: PROVIDER_TOKEN, providerKid: 'k1' }],
        },
      ],
    ];
    for (const [name, opts] of bad)
      await expect(startRelay({ ...relayOptions(), ...opts }), name).rejects.toBeInstanceOf(
        RelayConfigError,
      );
    // The public key can be derived from the private key.
    relay = await startRelay({
      providers: [{ token: PROVIDER_TOKEN, kid: 'k1', privateKey: K1.privateKey }],
      subscribers: [],
    });
    expect(await relay.publish(makeSignal())).toMatchObject({ delivered: 0 });
  });
});
