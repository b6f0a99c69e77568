/** Pause-all survives a restart; connections.setMode refuses unknown ids and bad modes. */
import { cleanupHome, hostEnv, requireBuiltHost, runCli, tempHome } from '../helpers/host.js';
import { callServiceRaw } from '../../src/native-host/ipc/client.js';
import { hostPaths } from '../../src/native-host/paths.js';
import type { HelloResult } from '../../src/protocol/methods.js';

let home: string;
beforeAll(requireBuiltHost);
beforeEach(() => {
  home = tempHome();
});
afterEach(() => cleanupHome(home));

const call = (m: string, p: unknown = {}) =>
  callServiceRaw(hostPaths({ SENTINEL_HOME: home }), m, p);

it('trading.pause holds across a restart until trading.resume', async () => {
  expect((await runCli(['service', 'start'], hostEnv(home))).code).toBe(0);
  expect(((await call('host.hello')) as HelloResult).trading.paused).toBe(false);
  expect(await call('trading.pause', { reason: 'going on holiday' })).toEqual({
    paused: true,
    saved: true,
  });
  expect((await runCli(['service', 'stop'], hostEnv(home))).code).toBe(0);
  expect((await runCli(['service', 'start'], hostEnv(home))).code).toBe(0);
  expect(((await call('host.hello')) as HelloResult).trading.paused).toBe(true);
  expect(await call('trading.resume')).toEqual({ paused: false, saved: true });
  expect(((await call('host.hello')) as HelloResult).trading.paused).toBe(false);
  await expect(call('trading.pause', { reason: 42 })).rejects.toMatchObject({
    reason: 'INVALID_PARAMS',
  });
  await expect(call('connections.setMode', { id: 'c_nope', mode: 'live' })).rejects.toMatchObject({
    reason: 'NOT_FOUND',
  });
  await expect(call('connections.setMode', { id: 'c_nope', mode: 'turbo' })).rejects.toMatchObject({
    reason: 'INVALID_PARAMS',
  });
});
