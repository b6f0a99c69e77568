/**
 * Keys born on this machine, without a service: the pairs are what the exchanges take (and what
 * ccxt signs with), the credentials variant is checked, unattached keys expire after a day, and the
 * simulator verifies Ed25519 and RSA-SHA256 signatures as Binance and Bybit document them.
 */
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GENERATED_KEY_TTL_MS,
  expireGeneratedKeys,
  expiredKeyIds,
  makeKeyPair,
  newKeyId,
  resolveCredentials,
} from '../../src/native-host/service/keys/generated-keys.js';
import type { ServiceContext } from '../../src/native-host/service/handlers/context.js';
import { Vault } from '../../src/native-host/service/vault/vault.js';
import { RpcError } from '../../src/protocol/jsonrpc.js';
import { parseAddConnection, parseCredentialsParam } from '../../src/protocol/params.js';
import { validateKey } from '../../tools/simulator/keys.js';
import { checkAdd, checkRotate, initialValues } from '../../src/setup/form-model.js';
import { verifyPublicKeySignature } from '../../tools/simulator/signing.js';

const KEY_ID = 'k_ABCDEFGHIJKLMNOPQRST';

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof RpcError) return `${err.reason}: ${err.message}`;
    throw err;
  }
  return 'no error';
}

describe('key pairs', () => {
  it('Ed25519 for Binance: PKCS#8 PEM short enough for ccxt to sign Ed25519 (≤ 120 characters)', async () => {
    const pair = await makeKeyPair('ed25519');
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    // ccxt 4.5.84 binance.sign: a PEM over 120 characters is taken for an RSA key.
    expect(pair.privateKeyPem.length).toBeLessThanOrEqual(120);
    expect(createPublicKey(pair.publicKeyPem).asymmetricKeyType).toBe('ed25519');
    const sig = sign(null, Buffer.from('a=1'), createPrivateKey(pair.privateKeyPem));
    expect(verifyPublicKeySignature(pair.publicKeyPem, 'a=1', sig.toString('base64'))).toBe(true);
  });

  it('RSA 2048 for Bybit, SHA-256 signatures', async () => {
    const pair = await makeKeyPair('rsa');
    const pub = createPublicKey(pair.publicKeyPem);
    expect(pub.asymmetricKeyType).toBe('rsa');
    expect(pub.asymmetricKeyDetails?.modulusLength).toBeGreaterThanOrEqual(2048);
    const sig = sign('sha256', Buffer.from('payload'), pair.privateKeyPem).toString('base64');
    expect(verifyPublicKeySignature(pair.publicKeyPem, 'payload', sig)).toBe(true);
    expect(verifyPublicKeySignature(pair.publicKeyPem, 'payloaD', sig)).toBe(false);
    // Base64 is case-sensitive: a signature with its case changed is not valid.
    expect(verifyPublicKeySignature(pair.publicKeyPem, 'payload', sig.toLowerCase())).toBe(false);
    expect(verifyPublicKeySignature(pair.publicKeyPem, 'payload', 'not base64!')).toBe(false);
  });

  it('ids are k_ and 20 base62 characters', () => {
    expect(newKeyId()).toMatch(/^k_[A-Za-z0-9]{20}$/);
    expect(newKeyId()).not.toBe(newKeyId());
  });
});

describe('credentials {apiKey, keyId}', () => {
  it('accepted for Binance and Bybit; the secret variant unchanged', () => {
    expect(parseCredentialsParam('binance', { apiKey: 'APIKEY123456', keyId: KEY_ID })).toEqual({
      apiKey: 'APIKEY123456',
      keyId: KEY_ID,
    });
    expect(
      parseAddConnection({
        exchange: 'bybit',
        label: 'x',
        credentials: { apiKey: 'APIKEY123456', keyId: KEY_ID },
      }).credentials,
    ).toEqual({ apiKey: 'APIKEY123456', keyId: KEY_ID });
    expect(
      parseCredentialsParam('binance', { apiKey: 'APIKEY123456', secret: 'SECRET1234' }),
    ).toEqual({ apiKey: 'APIKEY123456', secret: 'SECRET1234' });
  });

  it('each bad input says what to do', () => {
    expect(
      reason(() => parseCredentialsParam('okx', { apiKey: 'APIKEY123456', keyId: KEY_ID })),
    ).toMatch(/OKX offers no self-generated keys .* API Key, Secret Key, Passphrase/);
    expect(
      reason(() =>
        parseCredentialsParam('binance', {
          apiKey: 'APIKEY123456',
          keyId: KEY_ID,
          secret: 'x1234567',
        }),
      ),
    ).toMatch(/either keyId .* or secret, not both/);
    expect(
      reason(() => parseCredentialsParam('binance', { apiKey: 'APIKEY123456', keyId: 'x' })),
    ).toMatch(/"keyId" must be the id keys.generate answered/);
    expect(reason(() => parseCredentialsParam('bybit', { apiKey: 'a b', keyId: KEY_ID }))).toMatch(
      /API key must be 8–256 printable characters/,
    );
  });
});

describe('the vault section and expiry', () => {
  let home: string;
  let vault: Vault;
  let ctx: ServiceContext;
  const lines: string[] = [];
  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'sc-genkeys-'));
    vault = new Vault(home, { insecureTestKdf: true });
    await vault.create('correct horse battery');
    const log = {
      debug: () => {},
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
    };
    ctx = { vault, log } as unknown as ServiceContext;
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  async function put(id: string, createdAt: string, exchange: 'binance' | 'bybit' = 'binance') {
    const pair = await makeKeyPair('ed25519');
    await vault.update((d) => {
      (d.generatedKeys ??= {})[id] = { exchange, algorithm: 'ed25519', ...pair, createdAt };
    });
    return pair;
  }

  it('keys older than a day are erased; younger ones stay, across a lock and unlock', async () => {
    const now = Date.now();
    await put('k_OLDOLDOLDOLDOLDOLDOL', new Date(now - GENERATED_KEY_TTL_MS - 1000).toISOString());
    await put('k_NEWNEWNEWNEWNEWNEWNE', new Date(now - 3_600_000).toISOString());
    expect(expiredKeyIds(vault.read(), now)).toEqual(['k_OLDOLDOLDOLDOLDOLDOL']);
    expect(await expireGeneratedKeys(ctx, now)).toBe(1);
    vault.lock();
    await vault.unlock('correct horse battery');
    expect(Object.keys(vault.read().generatedKeys ?? {})).toEqual(['k_NEWNEWNEWNEWNEWNEWNE']);
    expect(lines.join('\n')).not.toMatch(/PRIVATE KEY/);
    // Locked: nothing to do, nothing thrown.
    vault.lock();
    expect(await expireGeneratedKeys(ctx, now + 2 * GENERATED_KEY_TTL_MS)).toBe(0);
  });

  it('resolve: the private key becomes the secret; missing, expired or another exchange refused', async () => {
    const pair = await put('k_GOODGOODGOODGOODGOOD', new Date().toISOString());
    expect(
      resolveCredentials(ctx, 'binance', {
        apiKey: 'APIKEY123456',
        keyId: 'k_GOODGOODGOODGOODGOOD',
      }),
    ).toEqual({
      credentials: { apiKey: 'APIKEY123456', secret: pair.privateKeyPem },
      keyId: 'k_GOODGOODGOODGOODGOOD',
    });
    expect(
      reason(() =>
        resolveCredentials(ctx, 'bybit', {
          apiKey: 'APIKEY123456',
          keyId: 'k_GOODGOODGOODGOODGOOD',
        }),
      ),
    ).toMatch(
      /^INVALID_PARAMS: generated key k_GOODGOODGOODGOODGOOD was made for Binance, not Bybit/,
    );
    expect(
      reason(() => resolveCredentials(ctx, 'binance', { apiKey: 'APIKEY123456', keyId: KEY_ID })),
    ).toMatch(/^NOT_FOUND: .*Generate a new key/);
    await put('k_STALESTALESTALESTAL', new Date(Date.now() - GENERATED_KEY_TTL_MS).toISOString());
    expect(
      reason(() =>
        resolveCredentials(ctx, 'binance', {
          apiKey: 'APIKEY123456',
          keyId: 'k_STALESTALESTALESTAL',
        }),
      ),
    ).toMatch(/^NOT_FOUND/);
    // No message names the private key.
    for (const id of ['k_GOODGOODGOODGOODGOOD', KEY_ID])
      expect(
        reason(() => resolveCredentials(ctx, 'bybit', { apiKey: 'APIKEY123456', keyId: id })),
      ).not.toMatch(/PRIVATE KEY/);
  });
});

describe('simulator: keys registered with a public key', () => {
  it('Binance takes Ed25519 (and RSA), Bybit RSA, OKX none', async () => {
    const ed = await makeKeyPair('ed25519');
    const rsa = await makeKeyPair('rsa');
    const base = { apiKey: 'APIKEY123456', permissions: {} };
    expect(
      validateKey({ ...base, exchange: 'binance', publicKeyPem: ed.publicKeyPem }).secret,
    ).toBe('');
    expect(() =>
      validateKey({ ...base, exchange: 'binance', publicKeyPem: rsa.publicKeyPem }),
    ).not.toThrow();
    expect(() =>
      validateKey({ ...base, exchange: 'bybit', publicKeyPem: ed.publicKeyPem }),
    ).toThrow(/bybit takes no ed25519/);
    expect(() =>
      validateKey({ ...base, exchange: 'okx', passphrase: 'p', publicKeyPem: rsa.publicKeyPem }),
    ).toThrow(/okx takes no rsa/);
    expect(() =>
      validateKey({ ...base, exchange: 'binance', publicKeyPem: ed.publicKeyPem, secret: 'abc' }),
    ).toThrow(/not both/);
    expect(() => validateKey({ ...base, exchange: 'binance', publicKeyPem: 'junk' })).toThrow(
      /not a public key/,
    );
  });
});

describe('the setup form with a generated key', () => {
  it('sends {apiKey, keyId} and never a secret; without a key id, the secret form as before', () => {
    const v = { ...initialValues('binance', 'Sentinel 1'), apiKey: ' APIKEY123456 ', secret: 'x' };
    expect(checkAdd('binance', v, KEY_ID)).toMatchObject({
      ok: true,
      value: { credentials: { apiKey: 'APIKEY123456', keyId: KEY_ID } },
    });
    expect(checkRotate('bybit', v, KEY_ID)).toEqual({
      ok: true,
      value: { apiKey: 'APIKEY123456', keyId: KEY_ID },
    });
    expect(checkAdd('binance', v)).toMatchObject({ ok: false, field: 'secret' });
    expect(checkAdd('binance', { ...v, apiKey: '' }, KEY_ID)).toMatchObject({
      ok: false,
      field: 'apiKey',
    });
  });
});
