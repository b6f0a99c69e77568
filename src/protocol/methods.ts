/**
 * Method names and their param/result shapes (docs/protocol.md): `HostMethods` below is the one
 * map of the JSON-RPC contract. Each method added to the service gets its entry there, so the
 * extension, the CLI and the service agree at compile time. Signal and order shapes: trading.ts.
 */
import { RpcError } from './jsonrpc.js';
import type { Audit, Environment, ExchangeId, Needs } from '../exchanges/types.js';
import type { OrderRow, SignalRecord, SubscribeParams, Subscription } from './trading.js';
import type { PositionsListResult } from './positions.js';

export type VaultState = 'absent' | 'locked' | 'unlocked';

export interface HelloParams {
  /** Free-form name of the caller, for the service's log ("popup", "cli", …). */
  client?: string;
}

export interface HelloResult {
  /** The host's package version. */
  version: string;
  protocol: 1;
  vault: VaultState;
  /** `reason` (added): why trading is paused, when it is. */
  trading: { paused: boolean; reason?: string };
  service: { pid: number; startedAt: string };
  /**
   * Present only when the service runs with the insecure test KDF (SENTINEL_TEST_KDF=insecure in
   * a test home): its vault is a test vault, never for real keys. docs/security-model.md.
   */
  insecureTestKdf?: true;
  /**
   * Present only when vault and state DB disagree (docs/security-model.md, "Vault and state
   * stay consistent"): a lost or damaged state DB, a secret without a connection, a connection
   * without a secret — with what the service did and what the user should do.
   */
  integrity?: IntegrityReport;
  /**
   * (added) The extensions that said hello through the bridge, most recent first: the origin the
   * browser gave the bridge, when, and the `client` they sent. Empty when none ever connected.
   */
  extensions: ExtensionHello[];
}

/** The last host.hello one extension origin sent through the bridge (state DB settings). */
export interface ExtensionHello {
  /** chrome-extension://ID/ or the Firefox add-on id, as the browser passed it to the bridge. */
  origin: string;
  /** ISO time of its last host.hello. */
  lastHelloAt: string;
  /** The `client` it sent ("extension"), if any. */
  client?: string;
}

export type IntegrityProblemKind =
  | 'state-db-missing'
  | 'state-db-empty'
  | 'state-db-damaged'
  | 'secret-without-connection'
  | 'connection-without-secret';

export interface IntegrityProblem {
  kind: IntegrityProblemKind;
  /** What is wrong, in words. */
  message: string;
  /** The connection (vault entry or DB row) it is about. */
  connectionId?: string;
  /** A damaged state DB: where the file was kept (renamed with a timestamp, never deleted). */
  keptAt?: string;
  /** When the service found it. */
  since?: string;
  /** secret-without-connection: whether the connection was rebuilt from the vault. */
  rebuilt?: boolean;
}

/** host.hello's `integrity` and host.repair's answer. */
export interface IntegrityReport {
  problems: IntegrityProblem[];
  /** What the service did about them, one line each. */
  repaired: string[];
  /** What the user should do now, in one line. */
  advice: string;
  /** The last vault ↔ state check (at unlock); null while the vault was not unlocked since. */
  checkedAt: string | null;
}

/** host.repair: `consistent` once nothing is left that the service could not put right. */
export interface RepairResult extends IntegrityReport {
  consistent: boolean;
}

export type ConnectionMode = 'dry-run' | 'live';

/** A connection as every client sees it: never the secret, only a hint of the API key. */
export interface Connection {
  id: string;
  exchange: ExchangeId;
  label: string;
  environment: Environment;
  endpoint?: string;
  mode: ConnectionMode;
  /** First 4 and last 4 characters of the API key. */
  apiKeyHint: string;
  createdAt: string;
  keyCreatedAt?: string;
  lastAudit?: Audit;
  needs?: Needs;
  /**
   * Set when the service paused this connection (its audit turned "block", the exchange rejected
   * the key, or — live connections — an audit could not prove withdrawals off); nothing executes.
   */
  pausedReason?: string;
}

/**
 * trading.pause / trading.resume. The switch holds in memory whatever happens; `saved: false`
 * (with a `warning` that says what to do) when it could not be written to disk, so it holds only
 * until the service stops.
 */
export type TradingSwitchResult<Paused extends boolean> = {
  paused: Paused;
  saved: boolean;
  warning?: string;
};

export interface Credentials {
  apiKey: string;
  secret: string;
  passphrase?: string;
}

/**
 * (added) A key whose pair the host made (`keys.generate`): the API key the exchange showed for the
 * public key, and the generated key's id. The private key never travels: the host takes it from
 * the vault, and from then on it is that connection's secret.
 */
export interface GeneratedKeyCredentials {
  apiKey: string;
  keyId: string;
}

/** What connections.add / connections.rotate accept: a secret, or a key made by the host. */
export type CredentialsParam = Credentials | GeneratedKeyCredentials;

export function isGeneratedKeyCredentials(c: CredentialsParam): c is GeneratedKeyCredentials {
  return 'keyId' in c;
}

export type KeyAlgorithm = 'ed25519' | 'rsa';

/** keys.generate's answer: the public half only; the private key stays sealed in the vault. */
export interface GeneratedKey {
  keyId: string;
  algorithm: KeyAlgorithm;
  /** SPKI PEM ("-----BEGIN PUBLIC KEY-----"): what the user pastes on the exchange. */
  publicKeyPem: string;
}

/** keys.list (added): a generated key not attached to a connection yet. */
export interface UnattachedKey extends GeneratedKey {
  exchange: ExchangeId;
  createdAt: string;
  /** Erased from the vault at this time unless attached first (a day after createdAt). */
  expiresAt: string;
}

export interface AddConnectionParams {
  exchange: ExchangeId;
  label: string;
  credentials: CredentialsParam;
  environment: Environment;
  endpoint?: string;
  needs?: Needs;
}

export interface AddConnectionResult {
  connection: Connection;
  audit: Audit;
}

export interface RotateConnectionResult {
  connection: Connection;
  audit: Audit;
  /** What to do next: delete the old key on the exchange, with the page's address. */
  reminder: string;
  apiPageUrl: string;
}

/** network.publicIp: this machine's public IP as the exchanges see it (cached 5 min). */
export interface PublicIpResult {
  ip: string | null;
  checkedAt: string;
  /** Why ip is null, in words the user can act on. */
  problem?: string;
}

/** What a method takes when it takes nothing: `{}`. */
type NoParams = Record<string, never>;
/** What a method answers when there is nothing to say: `{}`. */
type Done = Record<string, never>;

/**
 * Every method the service answers, with its params and result (docs/protocol.md). This map is
 * the contract: the service's handler tables, the extension's `callHost` and the CLI's
 * `callService` are typed from it, so a method added here without a handler, a handler for a
 * method not here, or a caller that misspells one does not compile. Params are still checked at
 * run time by the handlers: whatever arrives on the socket is untrusted.
 */
export interface HostMethods {
  'host.hello': { params: HelloParams; result: HelloResult };
  /** Check vault ↔ state again and repair what can be (needs the vault unlocked). */
  'host.repair': { params: NoParams; result: RepairResult };

  'vault.create': { params: { passphrase: string }; result: { vault: 'unlocked' } };
  'vault.unlock': { params: { passphrase: string }; result: { vault: 'unlocked' } };
  'vault.lock': { params: NoParams; result: { vault: 'locked' } };
  'vault.changePassphrase': { params: { old: string; new: string }; result: Done };

  'connections.list': { params: NoParams; result: Connection[] };
  'connections.add': { params: AddConnectionParams; result: AddConnectionResult };
  'connections.audit': { params: { id: string }; result: Audit };
  'connections.rotate': {
    params: { id: string; credentials: CredentialsParam };
    result: RotateConnectionResult;
  };
  'connections.remove': { params: { id: string }; result: Done };
  'connections.setMode': { params: { id: string; mode: ConnectionMode }; result: Connection };

  'network.publicIp': { params: { fresh?: boolean }; result: PublicIpResult };

  /** A key pair made here (Binance Ed25519, Bybit RSA); the private key is sealed in the vault. */
  'keys.generate': { params: { exchange: ExchangeId }; result: GeneratedKey };
  /** (added) The generated keys not attached yet; never a private key. */
  'keys.list': { params: NoParams; result: UnattachedKey[] };
  /** Erase a generated key never attached to a connection. */
  'keys.discard': { params: { keyId: string }; result: Done };

  'trading.pause': { params: { reason?: string }; result: TradingSwitchResult<true> };
  'trading.resume': { params: NoParams; result: TradingSwitchResult<false> };

  'signals.subscribe': { params: SubscribeParams; result: Subscription };
  'signals.list': { params: NoParams; result: Subscription[] };
  'signals.unsubscribe': { params: { id: string }; result: Done };
  /** At most the 1,000 most recent; 50 when no limit is given. */
  'signals.history': { params: { limit?: number }; result: SignalRecord[] };
  /** At most the 1,000 most recent; 50 when no limit is given. */
  'orders.list': { params: { limit?: number; connectionId?: string }; result: OrderRow[] };
  /**
   * (added) Open perpetual positions of the connections a route trades swaps on (one, with
   * `connectionId`); a connection whose exchange fails is listed in `problems`. Vault unlocked.
   */
  'positions.list': { params: { connectionId?: string }; result: PositionsListResult };
}

export type MethodName = keyof HostMethods;
export type ParamsOf<M extends MethodName> = HostMethods[M]['params'];
export type ResultOf<M extends MethodName> = HostMethods[M]['result'];

/** Notifications the service sends to every connected client. */
export const NOTIFICATIONS = [
  'vault.changed',
  'connection.audited',
  'feed.status',
  'signal.received',
  'order.updated',
  'trading.changed',
  'connection.removed',
] as const;
export type NotificationName = (typeof NOTIFICATIONS)[number];

/** Params must be a plain object (or absent); anything else is INVALID_PARAMS. */
export function paramsObject(method: string, params: unknown): Record<string, unknown> {
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw new RpcError('INVALID_PARAMS', `${method}: params must be an object`);
  }
  return params as Record<string, unknown>;
}

export function parseHelloParams(params: unknown): HelloParams {
  const p = paramsObject('host.hello', params);
  if (p.client !== undefined && (typeof p.client !== 'string' || p.client.length > 64)) {
    throw new RpcError(
      'INVALID_PARAMS',
      'host.hello: "client" must be a string of at most 64 characters',
    );
  }
  return p.client === undefined ? {} : { client: p.client };
}
