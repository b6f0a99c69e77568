/**
 * Validation of method params, shared by the service (authoritative) and the extension's forms
 * (early feedback). Messages name the field and the rule, never the value: it may be a secret.
 */
import { RpcError } from './jsonrpc.js';
import {
  paramsObject,
  type AddConnectionParams,
  type Credentials,
  type CredentialsParam,
} from './methods.js';
import type { CredentialField } from '../exchanges/profile.js';
import { PROFILES } from '../exchanges/profiles.js';
import { EXCHANGE_IDS, type Environment, type ExchangeId, type Needs } from '../exchanges/types.js';

const bad = (message: string): RpcError => new RpcError('INVALID_PARAMS', message);

/** Which environments each exchange offers, the default first (each profile's `environments`). */
export const ENVIRONMENTS: Record<ExchangeId, readonly Environment[]> = Object.fromEntries(
  EXCHANGE_IDS.map((id) => [id, PROFILES[id].environments]),
) as Record<ExchangeId, readonly Environment[]>;

/** Every credential any exchange may ask for: a field the profile does not list must be absent. */
const CREDENTIAL_IDS: readonly CredentialField['id'][] = ['apiKey', 'secret', 'passphrase'];

/** Printable ASCII without spaces: what every exchange issues for keys, secrets and passphrases. */
const TOKEN = /^[\x21-\x7e]+$/;

function token(value: unknown, field: string, min: number, max: number): string {
  if (typeof value !== 'string' || value.length < min || value.length > max || !TOKEN.test(value)) {
    throw bad(
      `${field} must be ${min}–${max} printable characters without spaces (copy it again from the exchange)`,
    );
  }
  return value;
}

export function parsePassphrase(method: string, params: unknown, field = 'passphrase'): string {
  const p = paramsObject(method, params);
  const v = p[field];
  if (typeof v !== 'string' || v.length === 0 || v.length > 1024) {
    throw bad(`${method}: "${field}" must be a non-empty string`);
  }
  return v;
}

export function parseId(method: string, params: unknown): string {
  const id = paramsObject(method, params).id;
  if (typeof id !== 'string' || !/^c_[A-Za-z0-9]{1,40}$/.test(id))
    throw bad(`${method}: "id" must be a connection id (c_…)`);
  return id;
}

/** 127.0.0.0/8, ::1 or localhost: the only hosts plain http:// and ws:// may reach. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return v4 !== null && v4.slice(1).every((n) => Number(n) <= 255);
}

/** http:// only for loopback; https:// anywhere. Returns the URL without a trailing slash. */
export function parseEndpoint(value: unknown): string {
  if (typeof value !== 'string' || value.length > 512) throw bad('endpoint must be a URL');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad(
      'endpoint must be a URL such as https://gateway.example or http://127.0.0.1:8080/binance',
    );
  }
  if (url.username || url.password || url.search || url.hash)
    throw bad('endpoint must not carry credentials, a query or a fragment');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname))
    throw bad('endpoint: http:// is accepted only for loopback addresses; use https://');
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad('endpoint must be http(s)');
  return url.href.replace(/\/+$/, '');
}

function parseNeeds(value: unknown): Needs {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw bad('needs must be an object');
  const out: Needs = {};
  for (const k of ['futures', 'margin', 'options'] as const) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw bad(`needs.${k} must be true or false`);
    out[k] = v;
  }
  return out;
}

export function parseCredentials(exchange: ExchangeId, value: unknown): Credentials {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad('credentials must be an object with apiKey and secret');
  }
  const c = value as Record<string, unknown>;
  // The profile says which credentials this exchange issues and the rule of each.
  const fields = PROFILES[exchange].credentialFields;
  const creds: Partial<Record<CredentialField['id'], string>> = {};
  for (const f of fields) {
    if (c[f.id] === undefined && f.missing !== undefined) throw bad(f.missing);
    creds[f.id] = token(c[f.id], f.ruleName, f.minLength, f.maxLength);
  }
  for (const id of CREDENTIAL_IDS) {
    if (fields.some((f) => f.id === id)) continue;
    if (c[id] !== undefined && c[id] !== '')
      throw bad(`${exchange} keys have no ${id}; leave it empty`);
  }
  return creds as Credentials;
}

/** A generated key's id: `k_` and 16–40 letters or digits (keys.generate makes them). */
const KEY_ID = /^k_[A-Za-z0-9]{16,40}$/;

export function parseKeyId(method: string, value: unknown): string {
  if (typeof value !== 'string' || !KEY_ID.test(value))
    throw bad(
      `${method}: "keyId" must be the id keys.generate answered (k_…); see "sentinel-host keys list"`,
    );
  return value;
}

function parseExchange(value: unknown): ExchangeId {
  if (typeof value !== 'string' || !(EXCHANGE_IDS as readonly string[]).includes(value)) {
    throw bad(`exchange must be one of ${EXCHANGE_IDS.join(', ')}`);
  }
  return value as ExchangeId;
}

/** The exchanges whose keys the host can make (their profile's `selfGeneratedKey`). */
export const KEY_EXCHANGES: readonly ExchangeId[] = EXCHANGE_IDS.filter(
  (id) => PROFILES[id].selfGeneratedKey !== undefined,
);

/** keys.generate's exchange: one that accepts self-generated keys, or a plain refusal. */
export function parseKeyExchange(method: string, value: unknown): ExchangeId {
  const exchange = parseExchange(value);
  if (!KEY_EXCHANGES.includes(exchange)) throw bad(noGeneratedKeys(method, exchange));
  return exchange;
}

function noGeneratedKeys(where: string, exchange: ExchangeId): string {
  const p = PROFILES[exchange];
  return `${where}: ${p.name} offers no self-generated keys (only ${KEY_EXCHANGES.map((id) => PROFILES[id].name).join(' and ')} do); create the key on ${p.name}'s ${p.apiPageName} page and give its ${p.credentialFields.map((f) => f.label).join(', ')}`;
}

/**
 * Credentials for connections.add / rotate: the exchange's secret (parseCredentials), or
 * `{apiKey, keyId}` for a key the host generated — then no secret or passphrase may come along.
 */
export function parseCredentialsParam(exchange: ExchangeId, value: unknown): CredentialsParam {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('keyId' in value))
    return parseCredentials(exchange, value);
  const c = value as Record<string, unknown>;
  if (!KEY_EXCHANGES.includes(exchange)) throw bad(noGeneratedKeys('credentials.keyId', exchange));
  for (const other of ['secret', 'passphrase']) {
    if (c[other] !== undefined && c[other] !== '')
      throw bad(
        `credentials: give either keyId (a key Sentinel generated) or ${other}, not both; a generated key needs only the API key the exchange showed`,
      );
  }
  const apiKey = PROFILES[exchange].credentialFields.find((f) => f.id === 'apiKey');
  return {
    apiKey: token(c.apiKey, 'API key', apiKey?.minLength ?? 8, apiKey?.maxLength ?? 256),
    keyId: parseKeyId('credentials', c.keyId),
  };
}

export function parseAddConnection(params: unknown): AddConnectionParams {
  const p = paramsObject('connections.add', params);
  const ex = parseExchange(p.exchange);
  const label = typeof p.label === 'string' ? p.label.trim() : '';
  if (label.length < 1 || label.length > 64)
    throw bad('label must be 1–64 characters, e.g. "Sentinel Companion – trade only"');
  const environment = p.environment ?? 'live';
  if (typeof environment !== 'string' || !ENVIRONMENTS[ex].includes(environment as Environment)) {
    throw bad(`environment for ${ex} must be one of ${ENVIRONMENTS[ex].join(', ')}`);
  }
  const out: AddConnectionParams = {
    exchange: ex,
    label,
    credentials: parseCredentialsParam(ex, p.credentials),
    environment: environment as Environment,
    needs: parseNeeds(p.needs),
  };
  if (p.endpoint !== undefined && p.endpoint !== null && p.endpoint !== '')
    out.endpoint = parseEndpoint(p.endpoint);
  return out;
}

/** First 4 + last 4 characters; shorter keys show less so the hint never is the whole key. */
export function apiKeyHint(apiKey: string): string {
  if (apiKey.length >= 12) return `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}`;
  return `${apiKey.slice(0, 2)}…`;
}
