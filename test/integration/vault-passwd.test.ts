/**
 * The passphrase change and a wrong passphrase through the real service and CLI
 * (docs/security-model.md, "Changing the passphrase"): `vault unlock` with a wrong passphrase
 * while unlocked fails (non-zero, BAD_PASSPHRASE) and the vault stays unlocked; after `vault
 * passwd` no file in SENTINEL_HOME opens with the old passphrase; a backup left under the old one
 * (a change interrupted, or made by an older version) is replaced at the next start.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupHome, hostEnv, requireBuiltHost, runCli, tempHome } from '../helpers/host.js';
import { callHome } from '../../dev/harness/host.js';
import { Vault } from '../../src/native-host/service/vault/vault.js';
import { RpcError } from '../../src/protocol/jsonrpc.js';

const OLD = 'old-vault-Pass-1a2b';
const NEW = 'new-vault-Pass-3c4d';
const CRED = { apiKey: 'APIKEY-passwd-0123456789', secret: 'SECRET-passwd-abcdefghij' };

let home: string;
let scratch: string;
beforeAll(requireBuiltHost);
beforeEach(() => {
  home = tempHome();
  scratch = mkdtempSync(join(tmpdir(), 'sc-try-'));
});
afterEach(async () => {
  await cleanupHome(home);
  rmSync(scratch, { recursive: true, force: true });
});

const cli = (args: string[], stdin?: string) =>
  runCli(args, hostEnv(home), stdin === undefined ? undefined : Buffer.from(stdin));
const vaultState = async () => ((await callHome(home, 'host.hello')) as { vault: string }).vault;

/** Every file in the home a vault could be in: the vault, its backup, any temp file. */
const vaultLikeFiles = () =>
  readdirSync(home).filter((f) => f.startsWith('vault.bin') || f.includes('.tmp-'));

/** What these bytes open to with `passphrase` (the connection ids), or the error's reason. */
async function openWith(bytes: Buffer, passphrase: string): Promise<string[] | string> {
  writeFileSync(join(scratch, 'vault.bin'), bytes);
  const v = new Vault(scratch, { insecureTestKdf: true });
  try {
    await v.unlock(passphrase);
    return Object.keys(v.read().connections);
  } catch (err) {
    if (err instanceof RpcError) return err.reason;
    throw err;
  } finally {
    v.lock();
  }
}

it('wrong passphrase while unlocked fails and keeps it unlocked; passwd locks the old one out', async () => {
  // A test vault (the service's test switch accepts it) holding one secret.
  const seed = new Vault(home, { insecureTestKdf: true });
  await seed.create(OLD);
  await seed.update((d) => void (d.connections.c_1 = CRED));
  await seed.update(() => undefined); // a backup exists, under OLD
  seed.lock();
  const oldBackup = readFileSync(join(home, 'vault.bin.bak'));

  expect((await cli(['service', 'start'])).code).toBe(0);
  expect((await cli(['vault', 'unlock'], `${OLD}\n`)).code).toBe(0);
  expect(await vaultState()).toBe('unlocked');

  const wrong = await cli(['vault', 'unlock'], 'not-the-passphrase\n');
  expect(wrong.code).not.toBe(0);
  expect(wrong.stdout).not.toContain('vault unlocked');
  expect(wrong.stderr).toContain('wrong passphrase');
  expect(wrong.stderr).toContain('BAD_PASSPHRASE');
  expect(await vaultState()).toBe('unlocked');

  const wrongOld = await cli(['vault', 'passwd'], `not-the-passphrase\n${NEW}\n`);
  expect(wrongOld.code).not.toBe(0);
  expect(wrongOld.stderr).toContain('BAD_PASSPHRASE');
  expect(await vaultState()).toBe('unlocked');

  const changed = await cli(['vault', 'passwd'], `${OLD}\n${NEW}\n`);
  expect(changed.code, changed.stderr).toBe(0);
  expect(changed.stdout).toContain('vault passphrase changed');
  expect(await vaultState()).toBe('unlocked');
  expect(vaultLikeFiles().sort()).toEqual(['vault.bin', 'vault.bin.bak']);
  for (const f of vaultLikeFiles()) {
    const bytes = readFileSync(join(home, f));
    expect(await openWith(bytes, OLD), f).toBe('BAD_PASSPHRASE');
    expect(await openWith(bytes, NEW), f).toEqual(['c_1']);
  }
  // The old passphrase is now wrong at unlock too, while unlocked …
  const stale = await cli(['vault', 'unlock'], `${OLD}\n`);
  expect(stale.code).not.toBe(0);
  expect(stale.stderr).toContain('BAD_PASSPHRASE');
  expect(await vaultState()).toBe('unlocked');

  // … and after a restart. Plant the backup an interrupted (or older) change would have left.
  expect((await cli(['service', 'stop'])).code).toBe(0);
  writeFileSync(join(home, 'vault.bin.bak'), oldBackup, { mode: 0o600 });
  expect((await cli(['service', 'start'])).code).toBe(0);
  expect(await vaultState()).toBe('locked');
  for (const f of vaultLikeFiles())
    expect(await openWith(readFileSync(join(home, f)), OLD), f).toBe('BAD_PASSPHRASE');
  expect(readFileSync(join(home, 'logs', 'service.log'), 'utf8')).toContain(
    join(home, 'vault.bin.bak'),
  );
  const lockedWrong = await cli(['vault', 'unlock'], `${OLD}\n`);
  expect(lockedWrong.code).not.toBe(0);
  expect(lockedWrong.stderr).toContain('BAD_PASSPHRASE');
  expect(await vaultState()).toBe('locked');
  expect((await cli(['vault', 'unlock'], `${NEW}\n`)).code).toBe(0);
  expect(await vaultState()).toBe('unlocked');
});
