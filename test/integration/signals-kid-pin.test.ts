/**
 * The provider kid a subscription follows is pinned at the relay's first hello (kept in the vault
 * with the token): a signal under another kid — even one signed by the pinned key, since the kid
 * is not covered by the signature — is refused with a logged reason and a `rejected` ack; a later
 * hello naming another kid changes nothing, also after the feed reconnects.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBuiltHost } from '../helpers/host.js';
import { KID, marketSignal, startRig, until, type Rig } from '../helpers/trading-rig.js';
import { signSignal } from '../../src/node/signal-envelope.js';

let rig: Rig;
beforeAll(async () => {
  requireBuiltHost();
  rig = await startRig();
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
const serviceLog = () => readFileSync(join(rig.home, 'logs', 'service.log'), 'utf8');

it('pins the kid of the first hello and refuses signals under another kid', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const acks: Record<string, unknown>[] = [];
  const sockets: WebSocket[] = [];
  // Each connection gets the hello the test chooses: the first one names KID.
  const hellos = [KID, 'k2', 'k2'];
  wss.on('connection', (ws) => {
    sockets.push(ws);
    ws.on('message', (d) => acks.push(JSON.parse(d.toString()) as Record<string, unknown>));
    ws.send(
      JSON.stringify({
        type: 'hello',
        relay: 'test relay',
        providerKid: hellos[sockets.length - 1] ?? 'k2',
      }),
    );
  });
  const sub = (await rig.call('signals.subscribe', {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/feed`,
    token: 'kid-pin-relay-token-1',
    providerKey: rig.keys.publicKey,
    routes: [
      {
        strategy: 'binance-trend',
        connectionId: rig.connections.binance.id,
        maxOrderQuote: '1000',
      },
    ],
  })) as { id: string };
  try {
    await until(() => sockets.length === 1, 20_000, 'the feed to connect');
    await until(
      () => serviceLog().includes(`feed ${sub.id}: provider kid "${KID}" pinned`),
      10_000,
      'the pin',
    );
    const send = (signal: object, kid: string) =>
      sockets.at(-1)!.send(JSON.stringify(signSignal(signal, rig.keys.privateKey, kid)));
    const ackOf = (id: string) =>
      until(() => acks.find((a) => a.id === id), 20_000, `the ack of ${id}`);

    // Under the pinned kid: accepted (dry-run).
    const good = marketSignal('binance-trend');
    send(good, KID);
    expect(await outcome(good.id as string)).toMatchObject({ status: 'dry-run' });
    expect(await ackOf(good.id as string)).toMatchObject({ status: 'dry-run' });

    // Same key, another kid: refused, with the reason logged and acked.
    const before = rig.sim.orders('binance').length;
    const other = marketSignal('binance-trend');
    send(other, 'k2');
    expect(await ackOf(other.id as string)).toEqual({
      type: 'ack',
      id: other.id,
      status: 'rejected',
      reason: 'bad-signature',
    });
    expect(serviceLog()).toContain(
      `feed ${sub.id}: refused a signal claiming id ${other.id as string}: bad-signature (kid "k2" is not the pinned provider kid "${KID}")`,
    );
    expect(rig.sim.orders('binance').length).toBe(before);

    // The relay reconnects and now says hello as k2: logged, the pin holds.
    sockets[0]!.terminate();
    await until(() => sockets.length === 2, 20_000, 'the feed to reconnect');
    await until(
      () =>
        serviceLog().includes(`the relay's hello names provider kid "k2", but "${KID}" is pinned`),
      10_000,
      'the mismatch to be logged',
    );
    const third = marketSignal('binance-trend');
    send(third, 'k2');
    expect(await ackOf(third.id as string)).toMatchObject({
      status: 'rejected',
      reason: 'bad-signature',
    });
    const fourth = marketSignal('binance-trend');
    send(fourth, KID);
    expect(await ackOf(fourth.id as string)).toMatchObject({ status: 'dry-run' });

    // The pin is kept in the vault: after a restart, a hello as k2 still cannot move it.
    await rig.stopService();
    await rig.startService();
    await until(() => sockets.length === 3, 30_000, 'the feed to reconnect after the restart');
    const fifth = marketSignal('binance-trend');
    await new Promise((r) => setTimeout(r, 200));
    send(fifth, 'k2');
    expect(await ackOf(fifth.id as string)).toMatchObject({
      status: 'rejected',
      reason: 'bad-signature',
    });
  } finally {
    await rig.call('signals.unsubscribe', { id: sub.id }).catch(() => undefined);
    for (const s of sockets) s.terminate();
    wss.close();
  }
}, 120_000);
