/**
 * A passphrase change re-keys (docs/security-model.md, "Changing the passphrase"), and a wrong
 * passphrase never changes the vault's state. The crash cases are in
 * test/integration/vault-rekey-crash.test.ts.
 */
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Vault } from '../../src/native-host/service/vault/vault.js';
import { deriveKey, open } from '../../src/native-host/service/vault/crypto.js';
import { decodeFile } from '../../src/native-host/service/vault/format.js';
import { RpcError } from '../../src/protocol/jsonrpc.js';

const LIGHT = { insecureTestKdf: true };
const OLD = 'old passphrase (leaked)';
const NEW = 'new passphrase 2';

let home: string;
let scratch: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'sc-rekey-'));
  scratch = mkdtempSync(join(tmpdir(), 'sc-rekey-try-'));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

async function reasonOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RpcError) return err.reason;
    throw err;
  }
  return 'no error';
}

const cred = (n: number) => ({ apiKey: `APIKEY-${n}-0123456789`, secret: `SECRET-${n}-abcdefgh` });

/** The secrets these bytes give with `passphrase` through a real Vault, or the error's reason. */
async function openWith(bytes: Buffer, passphrase: string): Promise<string[] | string> {
  writeFileSync(join(scratch, 'vault.bin'), bytes);
  const v = new Vault(scratch, LIGHT);
  try {
    await v.unlock(passphrase);
    return Object.keys(v.read().connections).sort();
  } catch (err) {
    if (err instanceof RpcError) return err.reason;
    throw err;
  } finally {
    v.lock();
  }
}

/** Every file in the home a vault could be in: the vault, its backup, any temp file. */
function vaultLikeFiles(): string[] {
  return readdirSync(home).filter((f) => f.startsWith('vault.bin') || f.includes('.tmp-'));
}

async function dataKeyOf(bytes: Buffer, passphrase: string): Promise<Buffer | null> {
  const f = decodeFile(bytes);
  const kek = await deriveKey(passphrase, Buffer.from(f.header.salt, 'base64'), f.header.kdf);
  return open(kek, f.wrappedKey, f.headerBytes);
}

/** A vault with two saves behind it, so the backup exists and holds the old passphrase. */
async function vaultWithHistory(): Promise<Vault> {
  const v = new Vault(home, LIGHT);
  await v.create(OLD);
  await v.update((d) => void (d.connections.c_1 = cred(1)));
  await v.update((d) => void (d.connections.c_2 = cred(2)));
  expect(await openWith(readFileSync(join(home, 'vault.bin.bak')), OLD)).toEqual(['c_1']);
  return v;
}

describe('changing the passphrase re-keys', () => {
  it('afterwards no file in the home opens with the old passphrase; all open with the new', async () => {
    const v = await vaultWithHistory();
    await v.changePassphrase(OLD, NEW);
    const files = vaultLikeFiles();
    expect(files.sort()).toEqual(['vault.bin', 'vault.bin.bak']); // no temp file left
    for (const f of files) {
      const bytes = readFileSync(join(home, f));
      expect(await openWith(bytes, OLD), f).toBe('BAD_PASSPHRASE');
      expect(await openWith(bytes, NEW), f).toEqual(['c_1', 'c_2']);
      expect(statSync(join(home, f)).mode & 0o777).toBe(0o600);
    }
    // Still unlocked, with the secrets, and saving under the new key.
    expect(v.state()).toBe('unlocked');
    await v.update((d) => void (d.connections.c_3 = cred(3)));
    for (const f of vaultLikeFiles())
      expect(await openWith(readFileSync(join(home, f)), OLD), f).toBe('BAD_PASSPHRASE');
    expect(await openWith(readFileSync(join(home, 'vault.bin')), NEW)).toEqual([
      'c_1',
      'c_2',
      'c_3',
    ]);
  });

  it('a new data key: a copy from before, with the old passphrase, opens none of the later secrets', async () => {
    const v = await vaultWithHistory();
    const copies = [
      readFileSync(join(home, 'vault.bin')),
      readFileSync(join(home, 'vault.bin.bak')),
    ];
    await v.changePassphrase(OLD, NEW);
    await v.update((d) => void (d.connections.c_later = cred(9)));
    const now = readFileSync(join(home, 'vault.bin'));
    const nowFile = decodeFile(now);
    for (const copy of copies) {
      // What cannot be helped: the copy itself still opens with the old passphrase …
      const oldKey = await dataKeyOf(copy, OLD);
      expect(oldKey).not.toBeNull();
      expect(await openWith(copy, OLD)).not.toContain('c_later');
      // … but its data key opens nothing of the vault as it is now.
      expect(open(oldKey!, nowFile.secrets, nowFile.prefixBytes)).toBeNull();
      // The data key itself is new.
      expect(oldKey!.equals((await dataKeyOf(now, NEW))!)).toBe(false);
    }
    expect(await openWith(now, NEW)).toEqual(['c_1', 'c_2', 'c_later']);
  });

  it('from a locked vault: checks the old passphrase, re-keys, leaves it unlocked', async () => {
    const v = await vaultWithHistory();
    v.lock();
    const fresh = new Vault(home, LIGHT);
    await fresh.changePassphrase(OLD, NEW);
    expect(fresh.state()).toBe('unlocked');
    expect(Object.keys(fresh.read().connections).sort()).toEqual(['c_1', 'c_2']);
    for (const f of vaultLikeFiles())
      expect(await openWith(readFileSync(join(home, f)), OLD)).toBe('BAD_PASSPHRASE');
  });

  it('a wrong current passphrase is BAD_PASSPHRASE: nothing written, the state kept', async () => {
    const v = await vaultWithHistory();
    const before = vaultLikeFiles().map((f) => readFileSync(join(home, f)));
    expect(await reasonOf(v.changePassphrase('not the passphrase', NEW))).toBe('BAD_PASSPHRASE');
    expect(v.state()).toBe('unlocked');
    v.lock();
    expect(await reasonOf(v.changePassphrase('not the passphrase', NEW))).toBe('BAD_PASSPHRASE');
    expect(v.state()).toBe('locked');
    expect(vaultLikeFiles().map((f) => readFileSync(join(home, f)))).toEqual(before);
    await v.unlock(OLD);
  });

  it("another process's save in between: VAULT_BUSY, nothing changed", async () => {
    const v = await vaultWithHistory();
    const other = new Vault(home, LIGHT);
    await other.unlock(OLD);
    // Interleave: the other writer saves while this change derives its keys.
    const change = v.changePassphrase(OLD, NEW);
    await other.update((d) => void (d.connections.c_other = cred(7)));
    const reason = await reasonOf(change);
    if (reason === 'VAULT_BUSY') {
      expect(await openWith(readFileSync(join(home, 'vault.bin')), OLD)).toContain('c_other');
    } else {
      // The change read the file after the other save: then it holds the other's secret too.
      expect(reason).toBe('no error');
      expect(await openWith(readFileSync(join(home, 'vault.bin')), NEW)).toContain('c_other');
    }
  });
});

describe('the backup is never left under another passphrase than the vault', () => {
  it('a backup from before a change (an interrupted one, or an older version) is replaced at start', async () => {
    const v = await vaultWithHistory();
    const oldBackup = readFileSync(join(home, 'vault.bin.bak'));
    await v.changePassphrase(OLD, NEW);
    writeFileSync(join(home, 'vault.bin.bak'), oldBackup, { mode: 0o600 }); // as it was left
    const started = new Vault(home, LIGHT);
    expect(started.checkFiles()).toEqual([join(home, 'vault.bin.bak')]);
    const bak = readFileSync(join(home, 'vault.bin.bak'));
    expect(bak.equals(readFileSync(join(home, 'vault.bin')))).toBe(true);
    expect(await openWith(bak, OLD)).toBe('BAD_PASSPHRASE');
  });

  it('leaves an ordinary backup (same passphrase, previous contents) and a damaged one alone', async () => {
    await vaultWithHistory();
    const bak = readFileSync(join(home, 'vault.bin.bak'));
    expect(new Vault(home, LIGHT).checkFiles()).toEqual([]);
    expect(readFileSync(join(home, 'vault.bin.bak')).equals(bak)).toBe(true);
    writeFileSync(join(home, 'vault.bin.bak'), bak.subarray(0, 40));
    expect(new Vault(home, LIGHT).checkFiles()).toEqual([]);
    expect(readFileSync(join(home, 'vault.bin.bak')).length).toBe(40);
  });

  it('a damaged vault is never copied over its backup', async () => {
    const v = await vaultWithHistory();
    await v.changePassphrase(OLD, NEW);
    const bak = readFileSync(join(home, 'vault.bin.bak'));
    writeFileSync(join(home, 'vault.bin'), Buffer.from('damaged'));
    expect(new Vault(home, LIGHT).checkFiles()).toEqual([]);
    expect(readFileSync(join(home, 'vault.bin.bak')).equals(bak)).toBe(true);
  });
});

describe('a wrong passphrase never changes the state', () => {
  it('unlocked: BAD_PASSPHRASE, still unlocked, nothing written', async () => {
    const v = await vaultWithHistory();
    const before = vaultLikeFiles().map((f) => readFileSync(join(home, f)));
    expect(await reasonOf(v.unlock('not the passphrase'))).toBe('BAD_PASSPHRASE');
    expect(v.state()).toBe('unlocked');
    expect(Object.keys(v.read().connections).sort()).toEqual(['c_1', 'c_2']);
    expect(vaultLikeFiles().map((f) => readFileSync(join(home, f)))).toEqual(before);
    // The right one while unlocked: fine, and still nothing written.
    await v.unlock(OLD);
    expect(v.state()).toBe('unlocked');
    expect(vaultLikeFiles().map((f) => readFileSync(join(home, f)))).toEqual(before);
  });

  it('unlocked, after a change: the old passphrase is BAD_PASSPHRASE too', async () => {
    const v = await vaultWithHistory();
    await v.changePassphrase(OLD, NEW);
    expect(await reasonOf(v.unlock(OLD))).toBe('BAD_PASSPHRASE');
    expect(v.state()).toBe('unlocked');
  });

  it('locked: BAD_PASSPHRASE, still locked', async () => {
    (await vaultWithHistory()).lock();
    const v = new Vault(home, LIGHT);
    expect(await reasonOf(v.unlock('not the passphrase'))).toBe('BAD_PASSPHRASE');
    expect(v.state()).toBe('locked');
  });

  it('absent: no vault to open (VAULT_ABSENT, which says to create one), nothing created', async () => {
    const v = new Vault(home, LIGHT);
    expect(await reasonOf(v.unlock('any passphrase at all'))).toBe('VAULT_ABSENT');
    expect(await reasonOf(v.changePassphrase('any passphrase', NEW))).toBe('VAULT_ABSENT');
    expect(v.state()).toBe('absent');
    expect(existsSync(join(home, 'vault.bin'))).toBe(false);
    expect(readdirSync(home)).toEqual([]);
  });
});
