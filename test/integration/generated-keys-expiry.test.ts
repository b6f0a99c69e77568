/**
 * Generated keys never attached are erased from the vault a day after they were made: here at the
 * unlock the real service does at start (from a passphrase file). A vault holding one key two days
 * old and one an hour old is written with the Vault class; after the service's unlock only the
 * young one is listed, and — the service stopped — the vault itself no longer holds the old one.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeKeyPair } from '../../src/native-host/service/keys/generated-keys.js';
import { Vault } from '../../src/native-host/service/vault/vault.js';
import { callServiceRaw } from '../../src/native-host/ipc/client.js';
import { hostPaths } from '../../src/native-host/paths.js';
import { until } from '../../dev/harness/wait.js';
import { cleanupHome, hostEnv, requireBuiltHost, runCli, tempHome } from '../helpers/host.js';

const PASS = 'expiry test passphrase 1';
const OLD = 'k_OLDOLDOLDOLDOLDOLDOL';
const YOUNG = 'k_YOUNGYOUNGYOUNGYOUN';
let home: string;

beforeAll(requireBuiltHost);
beforeEach(() => {
  home = tempHome();
});
afterEach(async () => cleanupHome(home));

it('an unattached key older than a day is erased at unlock; a younger one stays', async () => {
  const vault = new Vault(home, { insecureTestKdf: true });
  await vault.create(PASS);
  const now = Date.now();
  for (const [id, ageMs] of [
    [OLD, 2 * 86_400_000],
    [YOUNG, 3_600_000],
  ] as const) {
    const pair = await makeKeyPair('ed25519');
    await vault.update((d) => {
      (d.generatedKeys ??= {})[id] = {
        exchange: 'binance',
        algorithm: 'ed25519',
        ...pair,
        createdAt: new Date(now - ageMs).toISOString(),
      };
    });
  }
  vault.lock();

  const passFile = join(home, 'pass.txt');
  writeFileSync(passFile, `${PASS}\n`, { mode: 0o600 });
  const started = await runCli(
    ['service', 'start'],
    hostEnv(home, { SENTINEL_PASSPHRASE_FILE: passFile }),
  );
  expect(started.code, started.stderr).toBe(0);
  const paths = hostPaths({ SENTINEL_HOME: home });
  const keys = (await callServiceRaw(paths, 'keys.list', {}, { timeoutMs: 30_000 })) as {
    keyId: string;
  }[];
  expect(keys.map((k) => k.keyId)).toEqual([YOUNG]);
  await until(
    () =>
      readFileSync(paths.serviceLog, 'utf8').includes(
        `erased 1 never attached within a day (${OLD})`,
      ),
    10_000,
    'the expiry to be logged',
  );
  expect((await runCli(['service', 'stop'], hostEnv(home))).code).toBe(0);

  const after = new Vault(home, { insecureTestKdf: true });
  await after.unlock(PASS);
  expect(Object.keys(after.read().generatedKeys ?? {})).toEqual([YOUNG]);
  after.lock();
  expect(readFileSync(paths.serviceLog, 'utf8')).not.toMatch(/PRIVATE KEY/);
});
