/**
 * The relay as stateless gateways over a real `nats-server -js` (started here): three gateway
 * processes are one relay. 500 subscriber connections spread over them receive 200 signals
 * published across them exactly once, in issue order; a gateway killed mid-stream loses nothing
 * (its hosts reconnect elsewhere and get what they missed, nothing they had acknowledged comes
 * again); a nats-server restart loses nothing; subscribers and providers are added and removed at
 * run time; and a real host service subscribed through one gateway executes a signal published at
 * another.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProviderKeys, signSignal } from '../../src/node/signal-envelope.js';
import { runRelayCli } from '../../tools/signal-relay/main.js';
import { requireBuiltHost } from '../helpers/host.js';
import {
  makeSignal,
  postSignal,
  startGateway,
  startNatsServer,
  subscribe,
  upgradeRefusal,
  type Gateway,
  type NatsServer,
  type Subscriber,
} from '../helpers/relay.js';
import { KID, marketSignal, startRig, until, type Rig } from '../helpers/trading-rig.js';

const SCALE = 500;
const SIGNALS = 200;
const KILL_SUBS = 60;
const RESTART_SUBS = 30;
const keys = generateProviderKeys();
const token = (kind: string, i: number) => `${kind}-subscriber-token-${i}-0123456789`;
const PROVIDER = 'provider-token-nats-0123456789';
const HOST_PROVIDER = 'host-provider-token-0123456789';
const HOST_SUB = 'host-subscriber-token-0123456789';

let dir: string;
let nats: NatsServer;
let rig: Rig;
let gateways: Gateway[] = [];
let configFile: string;
const subs: Subscriber[] = [];

beforeAll(async () => {
  requireBuiltHost();
  dir = mkdtempSync(join(tmpdir(), 'sc-relay-nats-'));
  nats = await startNatsServer(join(dir, 'js'));
  rig = await startRig();
  const subscribers = [
    ...Array.from({ length: SCALE }, (_, i) => ({
      token: token('scale', i),
      providerKid: 'scale',
    })),
    ...Array.from({ length: KILL_SUBS }, (_, i) => ({
      token: token('kill', i),
      providerKid: 'kill',
    })),
    ...Array.from({ length: RESTART_SUBS }, (_, i) => ({
      token: token('restart', i),
      providerKid: 'restart',
    })),
    { token: HOST_SUB, providerKid: KID, name: 'host' },
  ];
  configFile = join(dir, 'relay.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      nats: { servers: nats.url, stream: 'TEST_RELAY' },
      replayMs: 600_000,
      providers: [
        ...['scale', 'kill', 'restart'].map((kid) => ({
          token: `${PROVIDER}-${kid}`,
          kid,
          publicKey: keys.publicKey,
        })),
        { token: HOST_PROVIDER, kid: KID, publicKey: rig.keys.publicKey },
      ],
      subscribers,
    }),
    { mode: 0o600 },
  );
  gateways = await Promise.all([0, 1, 2].map(() => startGateway(configFile)));
}, 120_000);

afterAll(async () => {
  for (const s of subs) s.stop();
  await Promise.all(gateways.map((g) => g.kill('SIGTERM')));
  await rig?.close();
  await nats?.stop('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

/** POST a signed frame at gateway `at`, then at the next ones while gateways refuse or are gone. */
async function publish(
  kid: string,
  at: number,
  signal: object,
  providerToken = `${PROVIDER}-${kid}`,
) {
  const frame = signSignal(signal, kid === KID ? rig.keys.privateKey : keys.privateKey, kid);
  for (let attempt = 0; attempt < 200; attempt++) {
    const g = gateways[(at + attempt) % gateways.length] as Gateway;
    try {
      const res = await postSignal(g.url, providerToken, frame);
      // 409 after a retry: an earlier attempt was stored even though its answer was lost.
      if (res.status === 200 || (res.status === 409 && attempt > 0)) return res;
      if (res.status !== 503) throw new Error(`publish refused: ${JSON.stringify(res)}`);
    } catch (e) {
      if ((e as Error).message.startsWith('publish refused')) throw e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no gateway took the signal');
}

const wsUrls = () => gateways.map((g) => g.wsUrl);
const signalsFrom = (t0: number, n: number, tag: string) =>
  Array.from({ length: n }, (_, i) =>
    makeSignal({ id: `${tag}_${i}_${t0}`, issuedAt: t0 + i, ttlMs: 600_000 }),
  );

it('three gateways, 500 subscribers, 200 signals published across them: each exactly once, in issue order', async () => {
  const started = Date.now();
  const scale = Array.from({ length: SCALE }, (_, i) =>
    subscribe(wsUrls(), i % 3, token('scale', i)),
  );
  subs.push(...scale);
  await until(() => scale.every((s) => s.hellos > 0), 30_000, 'every subscriber connected');
  const connectedMs = Date.now() - started;
  const t0 = Date.now() - 2_000;
  const signals = signalsFrom(t0, SIGNALS, 'scale');
  const published = Date.now();
  for (const [i, s] of signals.entries()) await publish('scale', i % 3, s);
  await until(
    () => scale.every((s) => s.ids.length >= SIGNALS),
    120_000,
    `every subscriber to get ${SIGNALS}`,
  );
  const deliveredMs = Date.now() - published;
  await new Promise((r) => setTimeout(r, 300)); // anything doubled would show up now
  const want = signals.map((s) => s.id);
  for (const s of scale) expect(s.ids).toEqual(want);
  console.log(
    `relay-nats: ${SCALE} connections in ${connectedMs} ms; ${SIGNALS} signals published and delivered to all in ${deliveredMs} ms`,
  );
  for (const s of scale) s.stop();
}, 180_000);

it('SIGKILL of a gateway mid-stream: its hosts reconnect elsewhere and get what they missed, nothing acknowledged twice', async () => {
  const subsK = Array.from({ length: KILL_SUBS }, (_, i) =>
    subscribe(wsUrls(), i % 3, token('kill', i)),
  );
  subs.push(...subsK);
  await until(() => subsK.every((s) => s.hellos > 0), 20_000, 'every subscriber connected');
  const signals = signalsFrom(Date.now() - 2_000, 100, 'kill');
  let killedAt = 0;
  for (const [i, s] of signals.entries()) {
    if (i === 40) {
      killedAt = Date.now();
      await (gateways[0] as Gateway).kill('SIGKILL');
    }
    await publish('kill', i % 3, s);
    await new Promise((r) => setTimeout(r, 10));
  }
  await until(
    () => subsK.every((s) => new Set(s.ids).size >= signals.length),
    90_000,
    'every subscriber got every signal',
  );
  await new Promise((r) => setTimeout(r, 300));
  const want = signals.map((s) => s.id);
  let again = 0;
  for (const s of subsK) {
    // Every signal arrived, and each connection saw its signals in issue order.
    expect([...new Set(s.ids)]).toEqual(want);
    for (const c of s.connections)
      expect(c.ids.map((id) => want.indexOf(id))).toEqual(
        [...c.ids.map((id) => want.indexOf(id))].sort((a, b) => a - b),
      );
    // A signal comes twice only if its ack was still on its way when the gateway died.
    const seen = new Map<string, number>();
    for (const c of s.connections)
      for (const [j, id] of c.ids.entries()) {
        const first = seen.get(id);
        if (first === undefined) seen.set(id, c.at[j] as number);
        else {
          again++;
          expect(
            killedAt - first,
            `${id} came again though acked well before the kill`,
          ).toBeLessThan(250);
        }
      }
  }
  const moved = subsK.filter((_, i) => i % 3 === 0);
  for (const s of moved) expect(s.connections.length).toBeGreaterThanOrEqual(2);
  console.log(
    `relay-nats: gateway killed at signal 40; ${moved.length} hosts moved; ${again} in-flight signals offered again`,
  );
  for (const s of subsK) s.stop();
  gateways[0] = await startGateway(configFile);
}, 120_000);

it('restarting nats-server loses no signal; /readyz follows the backend', async () => {
  const subsR = Array.from({ length: RESTART_SUBS }, (_, i) =>
    subscribe(wsUrls(), i % 3, token('restart', i)),
  );
  subs.push(...subsR);
  await until(() => subsR.every((s) => s.hellos > 0), 20_000, 'every subscriber connected');
  const signals = signalsFrom(Date.now() - 2_000, 30, 'restart');
  for (const [i, s] of signals.slice(0, 10).entries()) await publish('restart', i % 3, s);
  await until(() => subsR.every((s) => s.ids.length >= 10), 10_000, 'the first 10');
  await nats.stop('SIGKILL');
  await until(
    async () => (await fetch(`${(gateways[1] as Gateway).url}/readyz`)).status === 503,
    10_000,
    'not ready without NATS',
  );
  expect((await fetch(`${(gateways[1] as Gateway).url}/healthz`)).status).toBe(200);
  // Published while NATS is down: refused (503) and retried by the provider until stored.
  const during = Promise.all(signals.slice(10, 20).map((s, i) => publish('restart', i % 3, s)));
  await new Promise((r) => setTimeout(r, 500));
  await nats.start();
  await during;
  for (const [i, s] of signals.slice(20).entries()) await publish('restart', i % 3, s);
  await until(
    () => subsR.every((s) => new Set(s.ids).size >= signals.length),
    90_000,
    'every signal after the restart',
  );
  for (const s of subsR) expect(new Set(s.ids)).toEqual(new Set(signals.map((x) => x.id)));
  for (const g of gateways) expect((await fetch(`${g.url}/readyz`)).status).toBe(200);
  for (const s of subsR) s.stop();
}, 120_000);

it('subscribers and providers added and removed at run time, no restart', async () => {
  const file = join(dir, 'alice.token');
  const out: string[] = [];
  const io = { stdout: (t: string) => void out.push(t), stderr: () => undefined };
  expect(
    await runRelayCli(
      ['subscribers', 'add', '--config', configFile, '--name', 'alice', '--provider', 'scale'],
      io,
    ),
  ).toBe(0);
  const alice = (out[0] as string).trim();
  writeFileSync(file, alice);
  const sub = subscribe([(gateways[2] as Gateway).wsUrl], 0, alice);
  subs.push(sub);
  await until(() => sub.hellos > 0, 10_000, 'alice connected');
  const s = makeSignal({ ttlMs: 600_000 });
  await publish('scale', 1, s);
  await until(() => sub.ids.includes(s.id), 10_000, 'alice got the signal');
  out.length = 0;
  expect(await runRelayCli(['subscribers', 'list', '--config', configFile], io)).toBe(0);
  expect(out.join('')).toContain('"name":"alice","providerKid":"scale","source":"store"');
  expect(out.join('')).not.toContain(alice);
  expect(
    await runRelayCli(['subscribers', 'remove', '--config', configFile, '--name', 'alice'], io),
  ).toBe(0);
  sub.stop();
  await until(
    async () => (await upgradeRefusal((gateways[0] as Gateway).wsUrl, alice)) === 401,
    10_000,
    'alice refused',
  );

  // A provider added at run time publishes at one gateway to a subscriber at another.
  const k9 = generateProviderKeys();
  const cli = (...args: string[]) =>
    runRelayCli(
      [args[0] as string, args[1] as string, '--config', configFile, ...args.slice(2)],
      io,
    );
  out.length = 0;
  expect(await cli('providers', 'add', '--kid', 'k9', '--public-key', k9.publicKey)).toBe(0);
  const providerToken = (out.pop() as string).trim();
  expect(await cli('subscribers', 'add', '--name', 'erin', '--provider', 'k9')).toBe(0);
  const erin = subscribe([(gateways[1] as Gateway).wsUrl], 0, (out.pop() as string).trim());
  subs.push(erin);
  await until(() => erin.hellos > 0, 10_000, 'erin connected');
  const signal = makeSignal({ ttlMs: 600_000 });
  const at = gateways[2] as Gateway;
  expect(
    (await postSignal(at.url, providerToken, signSignal(signal, k9.privateKey, 'k9'))).status,
  ).toBe(200);
  await until(() => erin.ids.includes(signal.id), 10_000, 'erin got the signal');
  expect(await cli('providers', 'remove', '--kid', 'k9')).toBe(0);
  await until(
    async () =>
      (await postSignal(at.url, providerToken, signSignal(makeSignal(), k9.privateKey, 'k9')))
        .status === 401,
    10_000,
    'the removed provider refused',
  );
  erin.stop();
});

it('a real host subscribed through one gateway executes a signal published at another', async () => {
  await rig.call('connections.setMode', { id: rig.connections.binance.id, mode: 'live' });
  await rig.call('signals.subscribe', {
    url: (gateways[0] as Gateway).wsUrl,
    token: HOST_SUB,
    providerKey: rig.keys.publicKey,
    routes: [
      {
        strategy: 'binance-trend',
        connectionId: rig.connections.binance.id,
        maxOrderQuote: '1000000',
      },
    ],
  });
  const signal = marketSignal('binance-trend');
  await publish(KID, 2, signal, HOST_PROVIDER);
  type History = { id: string; status: string; reason: string | null }[];
  const outcome = await until(
    async () =>
      ((await rig.call('signals.history', { limit: 1000 })) as History).find(
        (h) => h.id === signal['id'] && h.status !== 'pending',
      ),
    30_000,
    'the host executed the signal',
  );
  expect(outcome).toMatchObject({ status: 'executed' });
  await until(
    () =>
      (gateways[0] as Gateway)
        .stderr()
        .includes(`ack from host: ${signal['id'] as string} executed`),
    10_000,
    'the ack at the gateway',
  );
});
