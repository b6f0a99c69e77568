/** The API keys each simulated exchange knows, and the checks every dialect makes on them. */
import { createPublicKey } from 'node:crypto';
import { EXCHANGE_IDS, PERMISSIONS, type Permission } from '../../src/exchanges/types.js';
import type { ExchangeId, SimKeyConfig } from './types.js';

export class KeyStore {
  private keys = new Map<string, SimKeyConfig>();

  add(config: SimKeyConfig): SimKeyConfig {
    const key = validateKey(config);
    this.keys.set(`${key.exchange} ${key.apiKey}`, key);
    return key;
  }

  remove(exchange: ExchangeId, apiKey: string): boolean {
    return this.keys.delete(`${exchange} ${apiKey}`);
  }

  get(exchange: ExchangeId, apiKey: string | undefined): SimKeyConfig | undefined {
    return apiKey ? this.keys.get(`${exchange} ${apiKey}`) : undefined;
  }

  list(exchange?: ExchangeId): SimKeyConfig[] {
    return [...this.keys.values()].filter((k) => !exchange || k.exchange === exchange);
  }

  clear(): void {
    this.keys.clear();
  }
}

/** Checks the shape of a key definition (from code or the control API) and fills defaults. */
export function validateKey(input: unknown): SimKeyConfig {
  const c = input as Partial<SimKeyConfig> | null;
  if (!c || typeof c !== 'object') throw new Error('key: an object is required');
  if (!EXCHANGE_IDS.includes(c.exchange as ExchangeId))
    throw new Error(`key: exchange must be one of ${EXCHANGE_IDS.join(', ')}`);
  if (typeof c.apiKey !== 'string' || !c.apiKey) throw new Error('key: apiKey is required');
  if (c.publicKeyPem !== undefined)
    checkPublicKey(c.exchange as ExchangeId, c.publicKeyPem, c.secret);
  else if (typeof c.secret !== 'string' || !c.secret)
    throw new Error('key: secret (or publicKeyPem, for a self-generated key) is required');
  if (c.exchange === 'okx' && (typeof c.passphrase !== 'string' || !c.passphrase))
    throw new Error('key: OKX keys need a passphrase');
  const environment = c.environment ?? 'live';
  if (!['live', 'testnet', 'demo'].includes(environment))
    throw new Error('key: environment must be live, testnet or demo');
  const permissions: SimKeyConfig['permissions'] = {};
  for (const [name, value] of Object.entries(c.permissions ?? {})) {
    if (!PERMISSIONS.includes(name as Permission))
      throw new Error(`key: unknown permission ${name}`);
    if (value !== null && typeof value !== 'boolean')
      throw new Error(`key: permission ${name} must be a boolean or null`);
    permissions[name as Permission] = value;
  }
  if (
    c.ipList !== undefined &&
    (!Array.isArray(c.ipList) || c.ipList.some((ip) => typeof ip !== 'string'))
  )
    throw new Error('key: ipList must be an array of strings');
  return {
    ...c,
    ...(c.publicKeyPem !== undefined ? { secret: '' } : {}),
    environment,
    permissions,
  } as SimKeyConfig;
}

/**
 * The key types each exchange takes as "self-generated" (the user pastes the public key):
 * Binance Ed25519 and RSA (https://developers.binance.com/docs/binance-spot-api-docs/rest-api/request-security),
 * Bybit RSA (https://bybit-exchange.github.io/docs/v5/guide, "Select Your API Key Type"); OKX none.
 */
const SELF_GENERATED: Record<ExchangeId, readonly string[]> = {
  binance: ['ed25519', 'rsa'],
  bybit: ['rsa'],
  okx: [],
};

function checkPublicKey(exchange: ExchangeId, pem: unknown, secret: unknown): void {
  if (secret !== undefined && secret !== '')
    throw new Error('key: give secret or publicKeyPem, not both');
  if (typeof pem !== 'string' || !pem) throw new Error('key: publicKeyPem must be a PEM string');
  let type: string | undefined;
  try {
    type = createPublicKey(pem).asymmetricKeyType;
  } catch {
    throw new Error('key: publicKeyPem is not a public key in PEM form');
  }
  if (!type || !SELF_GENERATED[exchange].includes(type))
    throw new Error(
      `key: ${exchange} takes no ${type ?? 'such'} self-generated keys (it takes: ${SELF_GENERATED[exchange].join(', ') || 'none'})`,
    );
}

/** Whether a canonical permission is granted; read is granted unless explicitly refused. */
export function granted(key: SimKeyConfig, permission: Permission): boolean {
  const value = key.permissions[permission];
  return permission === 'read' ? value !== false : value === true;
}

export function ipRestricted(key: SimKeyConfig): boolean {
  return (key.ipList?.length ?? 0) > 0;
}

export function ipAllowed(key: SimKeyConfig, ip: string): boolean {
  return !ipRestricted(key) || (key.ipList ?? []).includes(ip);
}

export function expired(key: SimKeyConfig, now: number): boolean {
  return key.expiresAt !== undefined && now >= key.expiresAt;
}

/** Bybit-style read-only flag: explicit, or no trading/moving permission at all. */
export function readOnly(key: SimKeyConfig): boolean {
  if (key.readOnly !== undefined) return key.readOnly;
  const movers: Permission[] = [
    'spot',
    'margin',
    'futures',
    'options',
    'withdraw',
    'transfer',
    'convert',
    'earn',
  ];
  return !movers.some((p) => granted(key, p));
}

export function accountOf(key: SimKeyConfig): string {
  return key.account ?? key.apiKey;
}

/** First 4 + last 4 characters: how keys appear in logs and the control API. */
export function keyHint(apiKey: string | undefined): string | undefined {
  if (!apiKey) return undefined;
  return apiKey.length <= 8 ? '****' : `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}`;
}
