/**
 * Shared vocabulary of the exchange profiles. Pure types: imported by the extension (guide panel,
 * setup form), the host (audit, executor) and the simulator.
 */

export type ExchangeId = 'binance' | 'bybit' | 'okx';
export const EXCHANGE_IDS: readonly ExchangeId[] = ['binance', 'bybit', 'okx'];

export type Environment = 'live' | 'testnet' | 'demo';

/**
 * Canonical permissions, whatever the exchange calls them. `transfer` covers internal, universal
 * and sub-account transfers (docs/protocol.md's Audit.permissions.transfer).
 */
export const PERMISSIONS = [
  'read',
  'spot',
  'margin',
  'futures',
  'options',
  'withdraw',
  'transfer',
  'convert',
  'earn',
  'nft',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** true: granted; false: not granted; null: the exchange's answer does not say. */
export type PermissionMap = Record<Permission, boolean | null>;

/** What the exchange says about a key, in canonical form. */
export interface KeyInfo {
  permissions: PermissionMap;
  /** The exchange's own permission names that were granted, for display ("Wallet: Withdraw"). */
  grantedRaw: string[];
  /** true: restricted to an IP list; false: usable from any IP; null: unknown. */
  ipRestricted: boolean | null;
  /** The whitelisted IPs when the exchange lists them (Binance's key-info answer does not). */
  ipList?: string[];
  /** ms since epoch, when the exchange gives it. */
  createdAt?: number;
  /** When the exchange will disable the whole key (Bybit: keys without a bound IP). */
  expiresAt?: number;
  /**
   * When the exchange will switch off the key's trading permission while keeping the key (Binance
   * `tradingAuthorityExpirationTime`: "Enable Spot & Margin Trading" on keys without trusted IPs).
   */
  tradeExpiresAt?: number;
  /** Read-only key (Bybit readOnly=1, OKX perm without "trade"). */
  readOnly?: boolean;
  /**
   * Why the account cannot trade futures whatever the key allows (OKX "Spot mode"), in words that
   * end with the fix; absent when the answer shows no such obstacle.
   */
  futuresUnavailable?: string;
}

export type KeyInfoResult = { ok: true; info: KeyInfo } | { ok: false; problem: string };

export type CheckLevel = 'ok' | 'warn' | 'block';

export interface AuditCheck {
  /** Stable id, e.g. "withdraw", "ip-restriction", "key-age". */
  id: string;
  level: CheckLevel;
  /** Plain words that say what is wrong and what to do. */
  message: string;
}

/** docs/protocol.md `Audit`. */
export interface Audit {
  at: string;
  verdict: CheckLevel;
  permissions: PermissionMap;
  ipRestricted: boolean | null;
  ipList?: string[];
  thisMachineAllowed?: boolean | null;
  keyCreatedAt?: string;
  checks: AuditCheck[];
}

/** What the user said their strategy needs. */
export interface Needs {
  futures?: boolean;
  margin?: boolean;
  options?: boolean;
}
