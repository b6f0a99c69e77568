/**
 * The embedded relay (one process, state in its SQLite file) survives its own restart: a SIGKILL
 * mid-stream loses nothing (hosts reconnect and get what they missed, nothing they had
 * acknowledged comes again), signals published for a host that is away are still replayed after
 * the restart, and subscribers are added and removed at run time, no restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProviderKeys, signSignal } from '../../src/node/signal-envelope.js';
import { runRelayCli } from '../../tools/signal-relay/main.js';
import {
  freePort,
  makeSignal,
  postSignal,
  startGateway,
  subscribe,
  upgradeRefusal,
  type Gateway,
  type Subscriber,
} from '../helpers/relay.js';
import { until } from '../helpers/trading-rig.js';

const SUBS = 50;
const keys = generateProviderKeys();
const PROVIDER = 'provider-token-embedded-0123456789';
const token = (i: number) => `embedded-subscriber-token-${i}-0123456789`;

let dir: string;
let configFile: string;
let relay: Gateway;
const subs: Subscriber[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sc-relay-embedded-'));
  configFile = join(dir, 'relay.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      port: await freePort(),
      replayMs: 600_000,
      providers: [{ token: PROVIDER, kid: 'k1', publicKey: keys.publicKey }],
      subscribers: Array.from({ length: SUBS + 1 }, (_, i) => ({
        token: token(i),
        providerKid: 'k1',
      })),
    }),
    { mode: 0o600 },
  );
  relay = await startGateway(configFile);
}, 60_000);

afterAll(async () => {
  for (const s of subs) s.stop();
  await relay?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

async function publish(signal: object) {
  const frame = signSignal(signal, keys.privateKey, 'k1');
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const res = await postSignal(relay.url, PROVIDER, frame);
      if (res.status === 200 || (res.status === 409 && attempt > 0)) return;
      throw new Error(`publish refused: ${JSON.stringify(res)}`);
    } catch (e) {
      if ((e as Error).message.startsWith('publish refused')) throw e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the relay did not take the signal');
}

it('SIGKILL and restart mid-stream: every host gets every signal, in order, nothing acknowledged twice', async () => {
  const list = Array.from({ length: SUBS }, (_, i) => subscribe([relay.wsUrl], 0, token(i)));
  subs.push(...list);
  await until(() => list.every((s) => s.hellos > 0), 20_000, 'every subscriber connected');
  const t0 = Date.now() - 2_000;
  const signals = Array.from({ length: 60 }, (_, i) =>
    makeSignal({ id: `emb_${i}_${t0}`, issuedAt: t0 + i, ttlMs: 600_000 }),
  );
  let killedAt = 0;
  for (const [i, s] of signals.entries()) {
    if (i === 25) {
      killedAt = Date.now();
      await relay.kill('SIGKILL');
      relay = await startGateway(configFile);
    }
    await publish(s);
    await new Promise((r) => setTimeout(r, 5));
  }
  await until(
    () => list.every((s) => new Set(s.ids).size >= signals.length),
    20_000,
    'every subscriber got every signal',
  );
  await new Promise((r) => setTimeout(r, 300));
  const want = signals.map((s) => s.id);
  let again = 0;
  for (const s of list) {
    expect([...new Set(s.ids)]).toEqual(want);
    expect(s.connections.length).toBeGreaterThanOrEqual(2);
    for (const c of s.connections) {
      const order = c.ids.map((id) => want.indexOf(id));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    const seen = new Map<string, number>();
    for (const c of s.connections)
      for (const [j, id] of c.ids.entries()) {
        const first = seen.get(id);
        if (first === undefined) seen.set(id, c.at[j] as number);
        else {
          again++;
          expect(killedAt - first, `${id} came again though acked before the kill`).toBeLessThan(
            250,
          );
        }
      }
  }
  console.log(`relay-embedded: restarted at signal 25; ${again} in-flight signals offered again`);
  for (const s of list) s.stop();
});

it('a host away during the restart is replayed what was published for it', async () => {
  const away = token(SUBS);
  const first = subscribe([relay.wsUrl], 0, away);
  await until(() => first.hellos > 0, 10_000, 'connected');
  first.stop();
  const signals = [makeSignal({ ttlMs: 600_000 }), makeSignal({ ttlMs: 600_000 })];
  for (const s of signals) await publish(s);
  await relay.kill('SIGKILL');
  relay = await startGateway(configFile);
  const back = subscribe([relay.wsUrl], 0, away);
  subs.push(back);
  await until(() => back.ids.length >= 2, 10_000, 'the replay');
  await new Promise((r) => setTimeout(r, 200));
  expect(back.ids.slice(-2)).toEqual(signals.map((s) => s.id));
  back.stop();
});

it('subscribers added and removed at run time, no restart', async () => {
  const out: string[] = [];
  const io = { stdout: (t: string) => void out.push(t), stderr: () => undefined };
  const add = ['subscribers', 'add', '--config', configFile, '--name', 'bob', '--provider', 'k1'];
  expect(await runRelayCli(add, io)).toBe(0);
  const bob = (out[0] as string).trim();
  expect(await runRelayCli(add, io)).toBe(1); // the name is taken
  const sub = subscribe([relay.wsUrl], 0, bob);
  subs.push(sub);
  await until(() => sub.hellos > 0, 10_000, 'bob connected');
  const s = makeSignal({ ttlMs: 600_000 });
  await publish(s);
  await until(() => sub.ids.includes(s.id), 10_000, 'bob got the signal');
  expect(
    await runRelayCli(['subscribers', 'remove', '--config', configFile, '--name', 'bob'], io),
  ).toBe(0);
  sub.stop();
  expect(await upgradeRefusal(relay.wsUrl, bob)).toBe(401);
  expect(await runRelayCli(['subscribers', 'list', '--help'], io)).toBe(0);
});

it('providers added and removed at run time, no restart', async () => {
  const k9 = generateProviderKeys();
  const out: string[] = [];
  const io = { stdout: (t: string) => void out.push(t), stderr: () => undefined };
  const cli = (...args: string[]) =>
    runRelayCli(
      [args[0] as string, args[1] as string, '--config', configFile, ...args.slice(2)],
      io,
    );
  expect(await cli('providers', 'add', '--kid', 'k9', '--public-key', k9.publicKey)).toBe(0);
  const providerToken = (out.pop() as string).trim();
  expect(await cli('providers', 'add', '--kid', 'k9', '--public-key', k9.publicKey)).toBe(1);
  expect(await cli('subscribers', 'add', '--name', 'dave', '--provider', 'k9')).toBe(0);
  const dave = (out.pop() as string).trim();
  const sub = subscribe([relay.wsUrl], 0, dave);
  subs.push(sub);
  await until(() => sub.hellos > 0, 10_000, 'dave connected');
  const s = makeSignal({ ttlMs: 600_000 });
  const frame = signSignal(s, k9.privateKey, 'k9');
  expect((await postSignal(relay.url, providerToken, frame)).status).toBe(200);
  await until(() => sub.ids.includes(s.id), 10_000, 'dave got the signal');
  // Signed by another key: refused as before.
  expect(
    (await postSignal(relay.url, providerToken, signSignal(makeSignal(), keys.privateKey, 'k9')))
      .body,
  ).toMatchObject({ reason: 'bad-signature' });
  out.length = 0;
  expect(await cli('providers', 'list')).toBe(0);
  expect(out.join('')).toContain('"kid":"k9"');
  expect(out.join('')).not.toContain(providerToken);
  expect(await cli('providers', 'remove', '--kid', 'k9')).toBe(0);
  expect(
    (await postSignal(relay.url, providerToken, signSignal(makeSignal(), k9.privateKey, 'k9')))
      .status,
  ).toBe(401);
  sub.stop();
  expect(await upgradeRefusal(relay.wsUrl, dave)).toBe(401);
});
