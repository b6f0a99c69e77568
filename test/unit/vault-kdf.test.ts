/**
 * The vault's KDF policy: the window a header's scrypt parameters must lie in before any KDF runs,
 * and the insecure test KDF — used only when its switch is on, refused by a production vault.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  STRONG_KDF,
  deriveKey,
  open,
  randomKey,
  randomSalt,
  seal,
  type ScryptParams,
  type Sealed,
} from '../../src/native-host/service/vault/crypto.js';
import {
  MAGIC,
  decodeFile,
  encodeFile,
  encodeHeader,
  encodeWrappedKey,
} from '../../src/native-host/service/vault/format.js';
import {
  TEST_HOME_MARKER,
  TEST_HOME_MARKER_TEXT,
  TEST_KDF,
  kdfRefusal,
  testKdfSwitch,
} from '../../src/native-host/service/vault/kdf-policy.js';
import { Vault } from '../../src/native-host/service/vault/vault.js';
import { RpcError } from '../../src/protocol/jsonrpc.js';

const PASS = 'correct horse battery';
const TEST = { insecureTestKdf: true };
const PRODUCTION = { insecureTestKdf: false };
const scrypt = (N: number, r = 8, p = 1): ScryptParams => ({ name: 'scrypt', N, r, p });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sc-kdf-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the window a header must lie in', () => {
  it.each([
    ['the default', STRONG_KDF],
    ['N=2^14', scrypt(2 ** 14)],
    ['N=2^20', scrypt(2 ** 20)],
    ['r=16', scrypt(2 ** 19, 16)],
    ['p=4', scrypt(2 ** 17, 8, 4)],
  ])('accepts %s', (_name, kdf) => {
    expect(kdfRefusal(kdf, PRODUCTION)).toBeNull();
    expect(kdfRefusal(kdf, TEST)).toBeNull();
  });

  it.each([
    ['N=2^13', scrypt(2 ** 13), 'N=8192'],
    ['N=2^21', scrypt(2 ** 21), 'N=2097152'],
    ['N=2^40', scrypt(2 ** 40), 'N=1099511627776'],
    ['r=7', scrypt(2 ** 17, 7), 'r=7'],
    ['r=17', scrypt(2 ** 17, 17), 'r=17'],
    ['p=5', scrypt(2 ** 17, 8, 5), 'p=5'],
    ['p=2^20', scrypt(2 ** 17, 8, 2 ** 20), 'p=1048576'],
    ['N·r·p over 2^23', scrypt(2 ** 20, 16), 'N·r·p=16777216'],
    ['N=2^11 (near the test KDF)', scrypt(2 ** 11), 'N=2048'],
  ])('refuses %s, naming it, in production and in tests', (_name, kdf, named) => {
    for (const mode of [PRODUCTION, TEST]) {
      const why = kdfRefusal(kdf, mode);
      expect(why).toContain(named);
      expect(why).toContain('accepted: N 2^14..2^20, r 8..16, p 1..4, N·r·p ≤ 2^23');
    }
  });

  it('the test KDF (N=2^10, r=8, p=1) only when the switch is on', () => {
    expect(kdfRefusal(TEST_KDF, TEST)).toBeNull();
    expect(kdfRefusal(TEST_KDF, PRODUCTION)).toMatch(/insecure test KDF/);
    expect(kdfRefusal(scrypt(2 ** 10, 8, 2), TEST)).toContain('N=1024');
  });
});

/** The vault file with its header's KDF replaced and the checksum made right again. */
function withKdf(file: Buffer, kdf: ScryptParams): Buffer {
  const { header, headerBytes } = decodeFile(file);
  const json = Buffer.from(JSON.stringify({ ...header, kdf }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const rest = file.subarray(headerBytes.length, file.length - 32);
  const body = Buffer.concat([MAGIC, len, json, rest]);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

async function unlockError(vault: Vault): Promise<RpcError> {
  try {
    await vault.unlock(PASS);
  } catch (e) {
    if (e instanceof RpcError) return e;
    throw e;
  }
  throw new Error('the vault opened');
}

describe('unlock checks the header before any KDF run', () => {
  it.each([
    ['p=2^20', scrypt(2 ** 17, 8, 2 ** 20), 'p=1048576'],
    ['N=2^30', scrypt(2 ** 30), 'N=1073741824'],
    ['r=2^16', scrypt(2 ** 17, 2 ** 16), 'r=65536'],
  ])('a header edited to %s: VAULT_CORRUPT with the reason, at once', async (_n, kdf, named) => {
    const v = new Vault(dir, TEST);
    await v.create(PASS);
    v.lock();
    const file = join(dir, 'vault.bin');
    writeFileSync(file, withKdf(readFileSync(file), kdf));
    const started = Date.now();
    const err = await unlockError(new Vault(dir, TEST));
    expect(Date.now() - started).toBeLessThan(500); // no scrypt with those parameters ran
    expect(err.reason).toBe('VAULT_CORRUPT');
    expect(err.message).toContain(named);
    expect(err.message).toContain('outside the accepted window');
    // changePassphrase reads the same header.
    const again = await new Vault(dir, TEST).changePassphrase(PASS, 'another passphrase').then(
      () => null,
      (e: unknown) => e as RpcError,
    );
    expect(again?.reason).toBe('VAULT_CORRUPT');
  });

  it('a test vault is refused by a production vault, opened by a test one', async () => {
    const v = new Vault(dir, TEST);
    await v.create(PASS);
    v.lock();
    expect(decodeFile(readFileSync(join(dir, 'vault.bin'))).header.kdf).toEqual(TEST_KDF);
    const err = await unlockError(new Vault(dir));
    expect(err.reason).toBe('VAULT_CORRUPT');
    expect(err.message).toMatch(/insecure test KDF.*production service never opens/);
    await new Vault(dir, TEST).unlock(PASS);
  });

  it('a vault made with parameters inside the window opens with the switch on or off', async () => {
    // Built by hand: Vault itself creates only with the default or the test KDF.
    const kdf = scrypt(2 ** 14);
    const salt = randomSalt();
    const headerBytes = encodeHeader({ v: 1, kdf, salt: salt.toString('base64') });
    const kek = await deriveKey(PASS, salt, kdf);
    const prefix = encodeWrappedKey(headerBytes, seal(kek, randomKey(), headerBytes));
    const dataKey = open(kek, decodeWrapped(prefix), headerBytes)!;
    const contents = Buffer.from(JSON.stringify({ v: 1, connections: {} }));
    writeFileSync(join(dir, 'vault.bin'), encodeFile(prefix, seal(dataKey, contents, prefix)));
    for (const mode of [PRODUCTION, TEST]) {
      const v = new Vault(dir, mode);
      await v.unlock(PASS);
      expect(v.read().connections).toEqual({});
      v.lock();
    }
  });
});

/** The wrapped data key at the end of `prefix` (magic + header + nonce + key + tag). */
function decodeWrapped(prefix: Buffer): Sealed {
  const end = prefix.length;
  return {
    nonce: prefix.subarray(end - 60, end - 48),
    ciphertext: prefix.subarray(end - 48, end - 16),
    tag: prefix.subarray(end - 16),
  };
}

describe('the test switch', () => {
  let tmp: string;
  let home: string;
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    SENTINEL_HOME: home,
    SENTINEL_TEST_KDF: 'insecure',
    ...extra,
  });
  beforeEach(() => {
    tmp = join(dir, 'tmp');
    home = join(tmp, 'sc-home');
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, TEST_HOME_MARKER), TEST_HOME_MARKER_TEXT);
  });

  it('is on with the variable, in a marked home inside the temp folder', () => {
    expect(testKdfSwitch(env(), home, tmp)).toEqual({ on: true });
  });

  it('is off, silently, without the variable', () => {
    expect(testKdfSwitch({ SENTINEL_HOME: home }, home, tmp)).toEqual({ on: false });
    expect(testKdfSwitch(env({ SENTINEL_TEST_KDF: '' }), home, tmp)).toEqual({ on: false });
  });

  it.each([
    ['another value', () => env({ SENTINEL_TEST_KDF: '1' }), /only accepted value is "insecure"/],
    ['no SENTINEL_HOME', () => env({ SENTINEL_HOME: undefined }), /SENTINEL_HOME is not set/],
  ])('is off, saying why, with %s', (_n, makeEnv, why) => {
    const s = testKdfSwitch(makeEnv(), home, tmp);
    expect(s.on).toBe(false);
    expect(s.ignored).toMatch(why);
    expect(s.ignored).toContain('vaults use the production KDF');
  });

  it('is off for a home outside the temp folder, or the temp folder itself', () => {
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    expect(testKdfSwitch(env(), home, elsewhere).ignored).toMatch(/not inside the temp folder/);
    writeFileSync(join(tmp, TEST_HOME_MARKER), TEST_HOME_MARKER_TEXT);
    expect(testKdfSwitch(env({ SENTINEL_HOME: tmp }), tmp, tmp).on).toBe(false);
  });

  it('is off without the marker, with another text, or with a link in its place', () => {
    const marker = join(home, TEST_HOME_MARKER);
    writeFileSync(marker, 'yes\n');
    expect(testKdfSwitch(env(), home, tmp).ignored).toMatch(/does not hold the harness's text/);
    rmSync(marker);
    expect(testKdfSwitch(env(), home, tmp).ignored).toMatch(/has no TEST-HOME-INSECURE-KDF/);
    const real = join(dir, 'marker');
    writeFileSync(real, TEST_HOME_MARKER_TEXT);
    symlinkSync(real, marker);
    expect(testKdfSwitch(env(), home, tmp).ignored).toMatch(/not a regular file/);
  });
});
