/**
 * Request authentication as each exchange documents it. The verifiers only decide *what* is
 * wrong; each dialect turns the failure into its own error envelope.
 *  - Binance: hex HMAC-SHA256 of (query string without `signature`) + (body without `signature`),
 *    key in X-MBX-APIKEY, `timestamp` (+ `recvWindow`, default 5000, max 60000).
 *  - Bybit v5: hex HMAC-SHA256 of timestamp + apiKey + recvWindow + (query string | JSON body),
 *    headers X-BAPI-API-KEY / -TIMESTAMP / -SIGN / -RECV-WINDOW.
 *  - Self-generated keys (registered with `publicKeyPem`, the public key the user pasted):
 *    Binance: the same payload (query string without `signature` + body), the signature base64 of
 *    Ed25519 over it (RSA keys: base64 RSASSA-PKCS1-v1_5 SHA-256), URL-encoded in the request and
 *    case-sensitive — spot API docs, "Signed Endpoint Examples for POST /api/v3/order"
 *    (HMAC / RSA / Ed25519 Keys) and "Signature Case Sensitivity":
 *    https://developers.binance.com/docs/binance-spot-api-docs/rest-api/request-security
 *    Bybit v5: the same string timestamp + apiKey + recvWindow + (query | JSON body), signed with
 *    RSA_SHA256 and base64-encoded (HMAC: hex) — "Integration guidance", authentication steps:
 *    https://bybit-exchange.github.io/docs/v5/guide#parameters-for-authenticated-endpoints
 *    A bad signature gets the same answer as a bad HMAC one (Binance -1022, Bybit 10004).
 *  - OKX v5: base64 HMAC-SHA256 of timestamp + METHOD + requestPath(?query) + body, headers
 *    OK-ACCESS-KEY / -SIGN / -TIMESTAMP (ISO, ms) / -PASSPHRASE; demo keys need x-simulated-trading: 1.
 * Request windows: `ctx.now` is the simulator time at which the request is processed (later
 * than its arrival `req.arrivedAt` when the processDelay fault held it); a request that is too
 * old at processing is refused and nothing is placed. The "too far ahead" bounds are judged at
 * arrival.
 */
import { createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';
import { expired, ipAllowed, type KeyStore } from './keys.js';
import type { SimKeyConfig, SimRequest } from './types.js';

export type AuthFailure =
  | 'missing-key'
  | 'missing-param'
  | 'unknown-key'
  | 'recv-window'
  | 'timestamp-ahead'
  | 'timestamp'
  | 'timestamp-format'
  | 'signature'
  | 'passphrase'
  | 'environment'
  | 'ip'
  | 'expired';

export type AuthResult =
  | { ok: true; key: SimKeyConfig }
  | { ok: false; failure: AuthFailure; detail?: string; apiKey?: string };

export interface AuthContext {
  keys: KeyStore;
  now: number;
  clientIp: string;
}

function header(req: SimRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Constant-time comparison of two signature strings. */
export function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function hmac(secret: string, payload: string, encoding: 'hex' | 'base64'): string {
  return createHmac('sha256', secret).update(payload).digest(encoding);
}

function withoutParam(raw: string, name: string): { rest: string; value: string | undefined } {
  let value: string | undefined;
  const kept = raw
    .split('&')
    .filter((pair) => {
      if (pair === '') return false;
      const k = decodeURIComponent(pair.split('=')[0] ?? '');
      if (k !== name) return true;
      value = decodeURIComponent(pair.slice(pair.indexOf('=') + 1));
      return false;
    })
    .join('&');
  return { rest: kept, value };
}

/**
 * A signature over `payload` by the private half of the key's `publicKeyPem`: Ed25519 (no
 * separate hash), or RSA PKCS#1 v1.5 with SHA-256; `signature` base64. Any malformed input is
 * simply "not valid".
 */
export function verifyPublicKeySignature(
  publicKeyPem: string,
  payload: string,
  signature: string,
): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    const sig = Buffer.from(signature, 'base64');
    // Buffer.from ignores junk: insist the text was exactly that base64.
    if (sig.length === 0 || sig.toString('base64') !== signature) return false;
    const algorithm = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
    return verify(algorithm, Buffer.from(payload), key, sig);
  } catch {
    return false;
  }
}

/** Simulator time at which the request reached the exchange. */
const arrival = (req: SimRequest, ctx: AuthContext): number => req.arrivedAt ?? ctx.now;

function finish(key: SimKeyConfig, ctx: AuthContext): AuthResult {
  if (!ipAllowed(key, ctx.clientIp))
    return { ok: false, failure: 'ip', detail: ctx.clientIp, apiKey: key.apiKey };
  if (expired(key, ctx.now)) return { ok: false, failure: 'expired', apiKey: key.apiKey };
  return { ok: true, key };
}

/** Merged request parameters (query + urlencoded body), Binance style. */
export function binanceParams(req: SimRequest): URLSearchParams {
  const all = new URLSearchParams(req.rawQuery);
  if (req.body) for (const [k, v] of new URLSearchParams(req.body)) all.append(k, v);
  return all;
}

export function verifyBinance(req: SimRequest, ctx: AuthContext): AuthResult {
  const apiKey = header(req, 'x-mbx-apikey');
  if (!apiKey) return { ok: false, failure: 'missing-key' };
  const key = ctx.keys.get('binance', apiKey);
  if (!key) return { ok: false, failure: 'unknown-key', apiKey };
  const params = binanceParams(req);
  const timestamp = params.get('timestamp');
  if (!timestamp || !/^\d+$/.test(timestamp))
    return { ok: false, failure: 'missing-param', detail: 'timestamp', apiKey };
  const recvWindow = Number(params.get('recvWindow') ?? '5000');
  if (!Number.isFinite(recvWindow) || recvWindow < 0 || recvWindow > 60000)
    return { ok: false, failure: 'recv-window', apiKey };
  let ts = Number(timestamp);
  if (ts > 1e14) ts = ts / 1000; // microseconds are accepted too
  // Binance spot "Timing security"
  // (https://developers.binance.com/docs/binance-spot-api-docs/rest-api/request-security#timing-security):
  // processed only if timestamp < serverTime + 1 s and serverTime - timestamp <= recvWindow
  // (default 5000, max 60000), and recvWindow is checked again when the request is forwarded
  // to the matching engine; else -1021.
  if (ts >= arrival(req, ctx) + 1000) return { ok: false, failure: 'timestamp-ahead', apiKey };
  if (ctx.now - ts > recvWindow) return { ok: false, failure: 'timestamp', apiKey };
  const query = withoutParam(req.rawQuery, 'signature');
  const body = withoutParam(req.body, 'signature');
  const signature = query.value ?? body.value;
  if (!signature) return { ok: false, failure: 'missing-param', detail: 'signature', apiKey };
  const payload = query.rest + body.rest;
  if (key.publicKeyPem !== undefined) {
    // Ed25519 / RSA signatures are base64 and case-sensitive (see the top of this file).
    if (!verifyPublicKeySignature(key.publicKeyPem, payload, signature))
      return { ok: false, failure: 'signature', apiKey };
    return finish(key, ctx);
  }
  // Binance: HMAC signatures are not case-sensitive.
  if (!sameSignature(signature.toLowerCase(), hmac(key.secret, payload, 'hex')))
    return { ok: false, failure: 'signature', apiKey };
  return finish(key, ctx);
}

export function verifyBybit(req: SimRequest, ctx: AuthContext): AuthResult {
  const apiKey = header(req, 'x-bapi-api-key');
  const timestamp = header(req, 'x-bapi-timestamp');
  const signature = header(req, 'x-bapi-sign');
  const recvWindow = header(req, 'x-bapi-recv-window') ?? '5000';
  if (!apiKey || !timestamp || !signature)
    return {
      ok: false,
      failure: 'missing-param',
      detail: `apiTimestamp[${timestamp ?? ''}] apiKey[${apiKey ?? ''}] apiSignature[${signature ?? ''}]`,
    };
  const key = ctx.keys.get('bybit', apiKey);
  if (!key) return { ok: false, failure: 'unknown-key', apiKey };
  const ts = Number(timestamp);
  const window = Number(recvWindow);
  // Bybit v5 "Integration guidance" (https://bybit-exchange.github.io/docs/v5/guide#parameters-for-authenticated-endpoints):
  // server_time - recv_window <= timestamp < server_time + 1000, else retCode 10002.
  if (
    !Number.isFinite(ts) ||
    !Number.isFinite(window) ||
    ts < ctx.now - window ||
    ts >= arrival(req, ctx) + 1000
  )
    return {
      ok: false,
      failure: 'timestamp',
      detail: `req_timestamp[${timestamp}],server_timestamp[${ctx.now}],recv_window[${recvWindow}]`,
      apiKey,
    };
  const payload =
    timestamp + apiKey + recvWindow + (req.method === 'GET' ? req.rawQuery : req.body);
  const valid =
    key.publicKeyPem !== undefined
      ? verifyPublicKeySignature(key.publicKeyPem, payload, signature) // RSA, base64
      : sameSignature(signature.toLowerCase(), hmac(key.secret, payload, 'hex'));
  if (!valid) return { ok: false, failure: 'signature', apiKey };
  return finish(key, ctx);
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export function verifyOkx(req: SimRequest, ctx: AuthContext): AuthResult {
  const apiKey = header(req, 'ok-access-key');
  const passphrase = header(req, 'ok-access-passphrase');
  const signature = header(req, 'ok-access-sign');
  const timestamp = header(req, 'ok-access-timestamp');
  if (!apiKey) return { ok: false, failure: 'missing-param', detail: 'OK-ACCESS-KEY' };
  if (!passphrase)
    return { ok: false, failure: 'missing-param', detail: 'OK-ACCESS-PASSPHRASE', apiKey };
  if (!signature) return { ok: false, failure: 'missing-param', detail: 'OK-ACCESS-SIGN', apiKey };
  if (!timestamp)
    return { ok: false, failure: 'missing-param', detail: 'OK-ACCESS-TIMESTAMP', apiKey };
  if (!ISO_MS.test(timestamp)) return { ok: false, failure: 'timestamp-format', apiKey };
  // OKX refuses an OK-ACCESS-TIMESTAMP more than 30 s from its time: HTTP 401, 50102 "Timestamp
  // request expired." (https://www.okx.com/docs-v5/en/#error-code-rest-api, API class).
  const ts = Date.parse(timestamp);
  if (ctx.now - ts > 30_000 || ts - arrival(req, ctx) > 30_000)
    return { ok: false, failure: 'timestamp', apiKey };
  const key = ctx.keys.get('okx', apiKey);
  if (!key) return { ok: false, failure: 'unknown-key', apiKey };
  const demoHeader = header(req, 'x-simulated-trading') === '1';
  if (demoHeader !== (key.environment !== 'live'))
    return { ok: false, failure: 'environment', apiKey };
  if (!sameSignature(passphrase, key.passphrase ?? ''))
    return { ok: false, failure: 'passphrase', apiKey };
  const requestPath = req.path + (req.rawQuery ? `?${req.rawQuery}` : '');
  const expected = hmac(
    key.secret,
    timestamp + req.method.toUpperCase() + requestPath + req.body,
    'base64',
  );
  if (!sameSignature(signature, expected)) return { ok: false, failure: 'signature', apiKey };
  return finish(key, ctx);
}
