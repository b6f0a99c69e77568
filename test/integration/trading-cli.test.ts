/** The trading side headless: subscribe (token on stdin), mode, pause/resume, orders, history. */
import { hostEnv, requireBuiltHost, runCli } from '../helpers/host.js';
import { marketSignal, startRig, until, type Rig } from '../helpers/trading-rig.js';

let rig: Rig;
beforeAll(async () => {
  requireBuiltHost();
  rig = await startRig();
}, 120_000);
afterAll(async () => rig?.close());

const cli = (args: string[], stdin?: string) =>
  runCli(args, hostEnv(rig.home), stdin === undefined ? undefined : Buffer.from(stdin));

it('subscribe with the token on stdin, go live with --yes, pause and resume, list orders', async () => {
  // Replace the rig's subscription: signal ids are deduplicated per provider, whichever
  // subscription delivers them.
  const [existing] = JSON.parse((await cli(['signals', 'list', '--json'])).stdout) as {
    id: string;
  }[];
  expect((await cli(['signals', 'unsubscribe', existing!.id])).code).toBe(0);
  const routes = JSON.stringify([
    { strategy: 'cli-trend', connectionId: rig.connections.okx.id, maxOrderQuote: '500' },
  ]);
  const sub = await cli(
    [
      'signals',
      'subscribe',
      '--url',
      rig.relay.wsUrl,
      '--provider-key',
      rig.keys.publicKey,
      '--routes',
      routes,
      '--json',
    ],
    'subscriber-token-0123456789\n',
  );
  expect(sub.code, sub.stderr).toBe(0);
  expect(sub.stdout).not.toContain('subscriber-token');
  const list = await cli(['signals', 'list', '--json']);
  expect((JSON.parse(list.stdout) as unknown[]).length).toBe(1);

  const refused = await cli(['connections', 'mode', rig.connections.okx.id, 'live']);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('--yes');
  expect((await cli(['connections', 'mode', rig.connections.okx.id, 'live', '--yes'])).code).toBe(
    0,
  );

  expect((await cli(['trading', 'pause', 'maintenance'])).code).toBe(0);
  const paused = marketSignal('cli-trend');
  await rig.publish(paused);
  const history = async () =>
    JSON.parse((await cli(['signals', 'history', '--json'])).stdout) as {
      id: string;
      status: string;
      reason: string;
    }[];
  const rejected = await until(
    async () => (await history()).find((h) => h.id === paused.id && h.status !== 'pending'),
    20_000,
    'the paused rejection',
  );
  expect(rejected).toMatchObject({ status: 'rejected', reason: 'paused' });
  expect((await cli(['trading', 'resume'])).code).toBe(0);

  const live = marketSignal('cli-trend');
  await rig.publish(live);
  const orders = await until(
    async () => {
      const r = await cli(['orders', '--json', '--connection', rig.connections.okx.id]);
      const list = JSON.parse(r.stdout) as { signalId: string; state: string }[];
      return list.find((o) => o.signalId === live.id && o.state === 'placed');
    },
    30_000,
    'the live order',
  );
  expect(orders.state).toBe('placed');
  const text = await cli(['orders']);
  expect(text.stdout).toMatch(/live\s+placed/);
}, 120_000);
