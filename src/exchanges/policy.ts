/**
 * The guide's golden rules as one pure function: what the exchange says about a key → an `Audit`
 * with plain, actionable checks in a fixed order. The host stores and shows it; a "block" verdict
 * refuses the key.
 */
import { permissionMap } from './key-info-util.js';
import { ageChecks } from './policy-age.js';
import { uiName, type CheckContext } from './policy-context.js';
import { ipChecks } from './policy-ip.js';
import { extraPermissionChecks, permissionChecks } from './policy-permissions.js';
import type { ExchangeProfile } from './profile.js';
import { PROFILES } from './profiles.js';
import type { Audit, CheckLevel, Environment, ExchangeId, KeyInfoResult, Needs } from './types.js';

export {
  EXPIRY_WARNING_DAYS,
  ROTATION_DUE_DAYS,
  ROTATION_OVERDUE_DAYS,
  keyAgeDays,
  rotationState,
} from './policy-age.js';

export interface AuditInput {
  exchange: ExchangeId;
  keyInfo: KeyInfoResult;
  needs: Needs;
  /** This machine's public IP as the host found it; null when it could not be found. */
  thisMachineIp: string | null;
  /** A signed request with this key, sent from this machine, was accepted by the exchange. */
  requestSucceededFromThisMachine: boolean;
  now: Date;
  /**
   * Part of the input so rules can differ per environment one day. Today the same rules apply
   * everywhere: a habit formed on testnet becomes a habit on the live exchange.
   */
  environment: Environment;
  /** Why the key's permissions could not be read at all (e.g. Binance's spot testnet has no /sapi). */
  couldNotVerify?: string;
}

const RANK: Record<CheckLevel, number> = { ok: 0, warn: 1, block: 2 };

export function worstLevel(checks: readonly { level: CheckLevel }[]): CheckLevel {
  return checks.reduce<CheckLevel>((w, c) => (RANK[c.level] > RANK[w] ? c.level : w), 'ok');
}

const sentence = (s: string): string => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);

/** An audit that says exactly what could not be verified: "warn" at best, never "ok". */
function unverifiedAudit(input: AuditInput, profile: ExchangeProfile, page: string): Audit {
  const { keyInfo, now } = input;
  const proven = input.requestSucceededFromThisMachine;
  const checks: Audit['checks'] = [];
  const reason = sentence(input.couldNotVerify ?? (keyInfo.ok ? '' : keyInfo.problem));
  checks.push({
    id: 'could-not-verify',
    level: 'warn',
    message: `Sentinel could not verify what this key may do: ${reason} It cannot confirm that withdrawals are off or that the key is restricted to this machine's IP. Check on ${page} that only ${uiName(profile, 'read', '"Read"')} and ${uiName(profile, 'spot', '"Trade"')} are enabled, that ${uiName(profile, 'withdraw', '"Withdraw"')} is not, and that this machine's IP is on the key's whitelist.`,
  });
  if (proven) {
    checks.push({
      id: 'key-accepted',
      level: 'ok',
      message: `${profile.name} accepted a signed request with this key from this machine.`,
    });
  }
  return {
    at: now.toISOString(),
    verdict: worstLevel(checks),
    permissions: permissionMap(null),
    ipRestricted: null,
    thisMachineAllowed: proven ? true : null,
    checks,
  };
}

export function auditKey(input: AuditInput): Audit {
  const profile = PROFILES[input.exchange];
  const { keyInfo, now } = input;
  const page = `${profile.name}'s ${profile.apiPageName} page`;
  if (!keyInfo.ok || input.couldNotVerify !== undefined)
    return unverifiedAudit(input, profile, page);

  const info = keyInfo.info;
  const ctx: CheckContext = { profile, info, page, checks: [] };
  permissionChecks(ctx, input.needs);
  const thisMachineAllowed = ipChecks(
    ctx,
    input.thisMachineIp,
    input.requestSucceededFromThisMachine,
  );
  extraPermissionChecks(ctx);
  ageChecks(ctx, now);
  return {
    at: now.toISOString(),
    verdict: worstLevel(ctx.checks),
    permissions: { ...info.permissions },
    ipRestricted: info.ipRestricted,
    ...(info.ipList ? { ipList: [...info.ipList] } : {}),
    thisMachineAllowed,
    ...(info.createdAt !== undefined
      ? { keyCreatedAt: new Date(info.createdAt).toISOString() }
      : {}),
    checks: ctx.checks,
  };
}
