/** network.publicIp through the real service, its source set by SENTINEL_PUBLIC_IP_URL. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cleanupHome, hostEnv, requireBuiltHost, runCli, tempHome } from '../helpers/host.js';
import { callService } from '../../src/native-host/ipc/client.js';
import { hostPaths } from '../../src/native-host/paths.js';

let server: Server;
let home: string;
beforeAll(async () => {
  requireBuiltHost();
  server = createServer((_req, res) => res.end('{"ip":"203.0.113.99"}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  home = tempHome();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ip.json`;
  const r = await runCli(['service', 'start'], hostEnv(home, { SENTINEL_PUBLIC_IP_URL: url }));
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  await cleanupHome(home);
  await new Promise<void>((r) => server.close(() => r()));
});

it('answers this machine’s public IP from the configured source', async () => {
  const result = (await callService(
    hostPaths({ SENTINEL_HOME: home }),
    'network.publicIp',
    {},
  )) as { ip: string; checkedAt: string };
  expect(result.ip).toBe('203.0.113.99');
  expect(Date.parse(result.checkedAt)).toBeGreaterThan(Date.now() - 60_000);
});
