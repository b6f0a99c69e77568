import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Vault } from '../../src/native-host/service/vault/vault.js';
import { STRONG_KDF } from '../../src/native-host/service/vault/crypto.js';
import { TEST_KDF } from '../../src/native-host/service/vault/kdf-policy.js';
import { decodeFile } from '../../src/native-host/service/vault/format.js';
import { RpcError } from '../../src/protocol/jsonrpc.js';

// Unit tests use the vault's test KDF (scrypt N=2^10) so they stay fast; the service uses
// STRONG_KDF unless its test switch is on (vault-kdf.test.ts).
const LIGHT = { insecureTestKdf: true };
const PASS = 'correct horse battery';
const SECRET = 'S3cr3t-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'sc-vault-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

async function reasonOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    if (err instanceof RpcError) return err.reason;
    throw err;
  }
  return 'no error';
}

async function vaultWithSecret(): Promise<Vault> {
  const v = new Vault(home, LIGHT);
  await v.create(PASS);
  await v.update((d) => {
    d.connections.c_1 = { apiKey: 'APIKEY-1234567890', secret: SECRET };
  });
  return v;
}

describe('Vault', () => {
  it('starts absent, creates unlocked, reopens with the passphrase', async () => {
    const v = new Vault(home, LIGHT);
    expect(v.state()).toBe('absent');
    await v.create(PASS);
    expect(v.state()).toBe('unlocked');
    await v.update((d) => {
      d.connections.c_1 = {
        apiKey: 'APIKEY-1234567890',
        secret: SECRET,
        passphrase: 'okx-pass-123',
      };
    });
    v.lock();
    expect(v.state()).toBe('locked');
    expect(await reasonOf(() => v.read())).toBe('VAULT_LOCKED');

    const again = new Vault(home, LIGHT);
    await again.unlock(PASS);
    expect(again.read().connections.c_1).toEqual({
      apiKey: 'APIKEY-1234567890',
      secret: SECRET,
      passphrase: 'okx-pass-123',
    });
  });

  it('the file holds no secret in clear, is 0600, and records the KDF used', async () => {
    await vaultWithSecret();
    const bytes = readFileSync(join(home, 'vault.bin'));
    expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
    expect(bytes.includes(Buffer.from('APIKEY-1234567890'))).toBe(false);
    expect(bytes.includes(Buffer.from(PASS))).toBe(false);
    expect(statSync(join(home, 'vault.bin')).mode & 0o777).toBe(0o600);
    expect(decodeFile(bytes).header.kdf).toEqual(TEST_KDF);
  });

  it('uses scrypt N=2^17, r=8, p=1 unless told otherwise', async () => {
    expect(STRONG_KDF).toEqual({ name: 'scrypt', N: 131072, r: 8, p: 1 });
    const v = new Vault(home);
    await v.create(PASS);
    expect(decodeFile(readFileSync(join(home, 'vault.bin'))).header.kdf).toEqual(STRONG_KDF);
  });

  it('every save uses a fresh nonce', async () => {
    const v = await vaultWithSecret();
    const before = decodeFile(readFileSync(join(home, 'vault.bin'))).secrets.nonce;
    await v.update(() => undefined);
    const after = decodeFile(readFileSync(join(home, 'vault.bin'))).secrets.nonce;
    expect(after.equals(before)).toBe(false);
  });

  it('a wrong passphrase is BAD_PASSPHRASE and changes nothing', async () => {
    (await vaultWithSecret()).lock();
    const before = readFileSync(join(home, 'vault.bin'));
    const v = new Vault(home, LIGHT);
    expect(await reasonOf(v.unlock('wrong passphrase!'))).toBe('BAD_PASSPHRASE');
    expect(v.state()).toBe('locked');
    expect(readFileSync(join(home, 'vault.bin')).equals(before)).toBe(true);
  });

  it('create refuses when a vault exists; weak passphrases are refused', async () => {
    await vaultWithSecret();
    expect(await reasonOf(new Vault(home, LIGHT).create(PASS))).toBe('VAULT_EXISTS');
    const fresh = mkdtempSync(join(tmpdir(), 'sc-vault-'));
    expect(await reasonOf(new Vault(fresh, LIGHT).create('short'))).toBe('INVALID_PARAMS');
    rmSync(fresh, { recursive: true });
  });

  it('changing the passphrase re-wraps the key and keeps the secrets', async () => {
    const v = await vaultWithSecret();
    const before = decodeFile(readFileSync(join(home, 'vault.bin')));
    expect(await reasonOf(v.changePassphrase('not the one', 'new passphrase 2'))).toBe(
      'BAD_PASSPHRASE',
    );
    await v.changePassphrase(PASS, 'new passphrase 2');
    const after = decodeFile(readFileSync(join(home, 'vault.bin')));
    expect(after.header.salt).not.toBe(before.header.salt);
    const reopened = new Vault(home, LIGHT);
    expect(await reasonOf(reopened.unlock(PASS))).toBe('BAD_PASSPHRASE');
    await reopened.unlock('new passphrase 2');
    expect(reopened.read().connections.c_1?.secret).toBe(SECRET);
  });

  it('keeps the previous version as a backup', async () => {
    const v = await vaultWithSecret();
    const first = readFileSync(join(home, 'vault.bin'));
    await v.update((d) => {
      delete d.connections.c_1;
    });
    expect(readFileSync(join(home, 'vault.bin.bak')).equals(first)).toBe(true);
  });

  describe('damage is VAULT_CORRUPT naming the backup, never garbage, never a reset', () => {
    async function damagedVault(damage: (bytes: Buffer) => Buffer): Promise<RpcError> {
      const v = await vaultWithSecret();
      await v.update(() => undefined); // so a backup exists
      v.lock();
      const file = join(home, 'vault.bin');
      writeFileSync(file, damage(readFileSync(file)));
      const damaged = readFileSync(file);
      const fresh = new Vault(home, LIGHT);
      try {
        await fresh.unlock(PASS);
      } catch (err) {
        expect(readFileSync(file).equals(damaged)).toBe(true); // left as it was for inspection
        expect(fresh.state()).toBe('locked');
        return err as RpcError;
      }
      throw new Error('a damaged vault opened');
    }

    it('every single flipped byte is detected', async () => {
      const v = await vaultWithSecret();
      v.lock();
      const good = readFileSync(join(home, 'vault.bin'));
      for (let i = 0; i < good.length; i++) {
        const bad = Buffer.from(good);
        bad[i]! ^= 0x01;
        writeFileSync(join(home, 'vault.bin'), bad);
        const r = await reasonOf(new Vault(home, LIGHT).unlock(PASS));
        expect(r, `byte ${i}`).toBe('VAULT_CORRUPT');
      }
    });

    it('truncated', async () => {
      const err = await damagedVault((b) => b.subarray(0, b.length - 10));
      expect(err.reason).toBe('VAULT_CORRUPT');
      expect(err.message).toContain('vault.bin.bak');
      expect(err.details.backup).toBe(join(home, 'vault.bin.bak'));
    });

    it('emptied', async () => {
      expect((await damagedVault(() => Buffer.alloc(0))).reason).toBe('VAULT_CORRUPT');
    });

    it('a foreign file', async () => {
      const err = await damagedVault(() => Buffer.from('{"hello": "this is not a vault"}'));
      expect(err.reason).toBe('VAULT_CORRUPT');
      expect(err.message).toContain('not a Sentinel vault file');
    });

    it('bytes changed with a recomputed checksum still fail (the GCM tags hold)', async () => {
      const { createHash } = await import('node:crypto');
      const err = await damagedVault((b) => {
        const body = Buffer.from(b.subarray(0, b.length - 32));
        body[body.length - 1]! ^= 0xff; // last ciphertext byte
        return Buffer.concat([body, createHash('sha256').update(body).digest()]);
      });
      expect(err.reason).toBe('VAULT_CORRUPT');
    });

    it('the vault file deleted while its backup remains', async () => {
      const v = await vaultWithSecret();
      await v.update(() => undefined);
      v.lock();
      unlinkSync(join(home, 'vault.bin'));
      const fresh = new Vault(home, LIGHT);
      expect(fresh.state()).toBe('locked'); // not "absent": create must not start over
      expect(await reasonOf(fresh.unlock(PASS))).toBe('VAULT_CORRUPT');
      expect(await reasonOf(fresh.create(PASS))).toBe('VAULT_EXISTS');
    });
  });

  it('tightens loose file modes at start', async () => {
    (await vaultWithSecret()).lock();
    chmodSync(join(home, 'vault.bin'), 0o644);
    const v = new Vault(home, LIGHT);
    expect(v.checkFiles()).toEqual([join(home, 'vault.bin')]);
    expect(statSync(join(home, 'vault.bin')).mode & 0o777).toBe(0o600);
  });

  it('a failed save leaves the contents as they were', async () => {
    const v = await vaultWithSecret();
    writeFileSync(join(home, 'vault.lock'), String(process.ppid)); // a live process holds the lock
    expect(
      await reasonOf(
        v.update((d) => {
          d.connections.c_2 = { apiKey: 'OTHERKEY-123456', secret: 'other-secret-1234' };
        }),
      ),
    ).toBe('VAULT_BUSY');
    expect(Object.keys(v.read().connections)).toEqual(['c_1']);
    unlinkSync(join(home, 'vault.lock'));
  });

  it('a lock left by a dead process is taken over', async () => {
    const v = await vaultWithSecret();
    writeFileSync(join(home, 'vault.lock'), '999999999');
    await v.update((d) => {
      d.connections.c_2 = { apiKey: 'OTHERKEY-123456', secret: 'other-secret-1234' };
    });
    expect(existsSync(join(home, 'vault.lock'))).toBe(false);
    expect(Object.keys(v.read().connections).sort()).toEqual(['c_1', 'c_2']);
  });
});
