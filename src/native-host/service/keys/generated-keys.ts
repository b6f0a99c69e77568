/**
 * Keys born on this machine (docs/security-model.md, "Keys made on this machine"): the service
 * makes the pair with node:crypto, seals the PKCS#8 PEM private key in the vault at once (its own
 * section, `generatedKeys`, apart from the connections' secrets) and answers only the public key.
 * The user pastes that on the exchange and brings back the API key the exchange shows; attaching
 * (connections.add / rotate with `{apiKey, keyId}`) moves the private key into the connection's
 * entry and erases the generated one. A key never attached is erased a day after it was made: at
 * every unlock and on a timer.
 */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { PROFILES } from '../../../exchanges/profiles.js';
import type { ExchangeId } from '../../../exchanges/types.js';
import { RpcError } from '../../../protocol/jsonrpc.js';
import type {
  Credentials,
  CredentialsParam,
  KeyAlgorithm,
  UnattachedKey,
} from '../../../protocol/methods.js';
import { isGeneratedKeyCredentials } from '../../../protocol/methods.js';
import type { ServiceContext } from '../handlers/context.js';
import type { StoredGeneratedKey, VaultContents } from '../vault/vault.js';

/** An unattached generated key is erased this long after it was made. */
export const GENERATED_KEY_TTL_MS = 24 * 3_600_000;
/** How often the service looks for expired keys while it runs (besides every unlock). */
export const EXPIRY_SWEEP_MS = 10 * 60_000;
/** At most this many unattached keys at once: each is a secret the vault keeps for a day. */
export const MAX_UNATTACHED_KEYS = 20;
/** RSA modulus for Bybit's self-generated keys (≥ 2048). */
export const RSA_BITS = 2048;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function newKeyId(): string {
  let id = 'k_';
  for (const b of randomBytes(20)) id += BASE62[b % 62];
  return id;
}

/** A fresh pair: SPKI PEM public key, PKCS#8 PEM private key (what ccxt signs with). */
export function makeKeyPair(
  algorithm: KeyAlgorithm,
): Promise<{ publicKeyPem: string; privateKeyPem: string }> {
  const encoding = {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  } as const;
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, publicKeyPem: string, privateKeyPem: string): void => {
      if (err) reject(err);
      else resolve({ publicKeyPem, privateKeyPem });
    };
    if (algorithm === 'ed25519') generateKeyPair('ed25519', encoding, done);
    else
      generateKeyPair(
        'rsa',
        { modulusLength: RSA_BITS, publicExponent: 0x10001, ...encoding },
        done,
      );
  });
}

export function expiresAt(key: Pick<StoredGeneratedKey, 'createdAt'>): number {
  return Date.parse(key.createdAt) + GENERATED_KEY_TTL_MS;
}

/** The ids of unattached keys that are a day old (or carry no readable creation time). */
export function expiredKeyIds(contents: Readonly<VaultContents>, now: number): string[] {
  return Object.entries(contents.generatedKeys ?? {})
    .filter(([, k]) => !(expiresAt(k) > now))
    .map(([id]) => id);
}

/** What keys.list answers about one key: never the private key. */
export function unattachedView(keyId: string, k: StoredGeneratedKey): UnattachedKey {
  return {
    keyId,
    exchange: k.exchange,
    algorithm: k.algorithm,
    publicKeyPem: k.publicKeyPem,
    createdAt: k.createdAt,
    expiresAt: new Date(expiresAt(k)).toISOString(),
  };
}

/** Erase the expired unattached keys; returns how many. Needs the vault unlocked (else 0). */
export async function expireGeneratedKeys(ctx: ServiceContext, now = Date.now()): Promise<number> {
  if (ctx.vault.state() !== 'unlocked') return 0;
  const ids = expiredKeyIds(ctx.vault.read(), now);
  if (ids.length === 0) return 0;
  await ctx.vault.update((draft) => {
    for (const id of ids) delete draft.generatedKeys?.[id];
  });
  ctx.log.info(
    `generated keys: erased ${ids.length} never attached within a day (${ids.join(', ')})`,
  );
  return ids.length;
}

/** Runs expireGeneratedKeys every EXPIRY_SWEEP_MS; errors are logged, never thrown. */
export function startKeyExpiry(ctx: ServiceContext, everyMs = EXPIRY_SWEEP_MS): { stop(): void } {
  const timer = setInterval(() => void sweepKeys(ctx), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

export async function sweepKeys(ctx: ServiceContext): Promise<void> {
  try {
    await expireGeneratedKeys(ctx);
  } catch (err) {
    ctx.log.warn(
      `generated keys: the expiry could not be saved (${err instanceof RpcError ? err.reason : 'INTERNAL'}); it runs again later`,
    );
  }
}

/**
 * Secret credentials for an add or a rotation: given as they are, or — `{apiKey, keyId}` — with the
 * generated private key as the secret. The key must exist, not be expired, and be made for this
 * exchange; each refusal says what to do next. The entry is erased only when it is attached
 * (`attachGeneratedKey`, inside the same vault update that stores the connection's secret).
 */
export function resolveCredentials(
  ctx: ServiceContext,
  exchange: ExchangeId,
  param: CredentialsParam,
): { credentials: Credentials; keyId?: string } {
  if (!isGeneratedKeyCredentials(param)) return { credentials: param };
  const key = ctx.vault.read().generatedKeys?.[param.keyId];
  const name = PROFILES[exchange].name;
  if (!key || !(expiresAt(key) > Date.now())) {
    throw new RpcError(
      'NOT_FOUND',
      `no generated key ${param.keyId}: it was attached already, discarded, or erased a day after it was made. Generate a new key ("sentinel-host keys generate --exchange ${exchange}" or the panel), paste its public key on ${name}, and delete there the key made with the old one`,
      { keyId: param.keyId },
    );
  }
  if (key.exchange !== exchange) {
    throw new RpcError(
      'INVALID_PARAMS',
      `generated key ${param.keyId} was made for ${PROFILES[key.exchange].name}, not ${name}: use it for a ${PROFILES[key.exchange].name} connection, or generate one for ${name}`,
      { keyId: param.keyId },
    );
  }
  return {
    credentials: { apiKey: param.apiKey, secret: key.privateKeyPem },
    keyId: param.keyId,
  };
}

/**
 * In a vault update: erase the generated entry being attached. Throws (so the update saves
 * nothing) when another request attached or discarded it meanwhile.
 */
export function attachGeneratedKey(draft: VaultContents, keyId: string | undefined): void {
  if (keyId === undefined) return;
  if (!draft.generatedKeys?.[keyId]) {
    throw new RpcError(
      'NOT_FOUND',
      `generated key ${keyId} was attached or discarded by another request meanwhile; nothing was stored`,
      { keyId },
    );
  }
  delete draft.generatedKeys[keyId];
}

/**
 * The audit of a generated key failed: a bad signature then means the exchange holds another
 * public key for this API key (not "paste the secret again": there is no secret to paste). The
 * generated key stays unattached, so the user can fix the exchange's side and try again.
 */
export function generatedKeyError(err: unknown, exchange: ExchangeId, keyId: string): unknown {
  if (!(err instanceof RpcError) || err.reason !== 'KEY_REJECTED') return err;
  const data = err.details;
  if (data.kind !== 'bad-signature') return err;
  const p = PROFILES[exchange];
  return new RpcError(
    'KEY_REJECTED',
    `${p.name} refused the signature made with generated key ${keyId}: the public key ${p.name} holds for this API key is not the one Sentinel generated. On ${p.name}'s ${p.apiPageName} page check the API key you copied belongs to the public key Sentinel showed; if not, delete that API key, create one with "${p.selfGeneratedKey?.optionName ?? 'self-generated'}" and paste this key's public key again ("sentinel-host keys list" shows it). The generated key was kept for that.`,
    { ...data, keyId },
  );
}
