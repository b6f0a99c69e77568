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
  expect((await cli(['status'])).stdout).toMatch(/trading: +paused — maintenance/);
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

it('subscribe to a relay that cannot be reached: kept, exit 0, and a plain warning', async () => {
  const routes = JSON.stringify([
    { strategy: 'nowhere', connectionId: rig.connections.okx.id, maxOrderQuote: '5' },
  ]);
  const sub = await cli(
    [
      'signals',
      'subscribe',
      '--url',
      'ws://127.0.0.1:9/feed',
      '--provider-key',
      rig.keys.publicKey,
      '--routes',
      routes,
    ],
    'subscriber-token-0123456789\n',
  );
  expect(sub.code, sub.stderr).toBe(0);
  expect(sub.stderr).toMatch(
    /^warning: the relay ws:\/\/127\.0\.0\.1:9\/feed could not be reached/m,
  );
  expect(sub.stderr).toContain('kept and keeps retrying');
  const id = /subscribed (\S+)/.exec(sub.stdout)?.[1];
  expect(id).toBeDefined();
  expect((await cli(['signals', 'unsubscribe', id!])).code).toBe(0);
}, 60_000);

it('connections add and rotate with the vault locked say so before asking for any secret', async () => {
  expect((await cli(['vault', 'lock'])).code).toBe(0);
  const add = await cli(
    ['connections', 'add', '--exchange', 'binance', '--label', 'x'],
    'key-that-must-not-be-read\nsecret\n',
  );
  expect(add.code).toBe(1);
  expect(add.stderr).toMatch(/the vault is locked: unlock it first with "node \S+ vault unlock"/);
  expect(add.stdout).not.toContain('API key');
  expect(add.stderr).not.toContain('API key');
  const rotate = await cli(['connections', 'rotate', rig.connections.okx.id], 'k\ns\n');
  expect(rotate.code).toBe(1);
  expect(rotate.stderr).toContain('the vault is locked');
}, 60_000);
