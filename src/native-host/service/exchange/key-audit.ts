/**
 * The ground-truth audit of a key: ask the exchange what the key can do (its key-info endpoint),
 * check it can read (balance) and — where the exchange has a no-op order check — trade, then apply
 * the golden rules (src/exchanges/policy.ts). What the page looked like does not count.
 */
import { retryTransient } from './read-retry.js';
import type { Exchange } from 'ccxt';
import { auditKey, profileFor, worstLevel } from '../../../exchanges/index.js';
import type {
  Audit,
  AuditCheck,
  Environment,
  ExchangeId,
  KeyInfoResult,
  Needs,
} from '../../../exchanges/types.js';
import { RpcError } from '../../../protocol/jsonrpc.js';
import { adapterFor } from './adapters/index.js';
import { explainCcxtError, keyCheckError } from './exchange-error.js';
import { createLogger } from '../../log.js';

const log = createLogger('exchange');

export interface KeyAuditInput {
  exchange: ExchangeId;
  environment: Environment;
  endpoint?: string;
  needs: Needs;
  /** This machine's public IP (network.publicIp); null when unknown. */
  thisMachineIp: string | null;
  now?: Date;
}

export interface KeyAuditResult {
  audit: Audit;
  /** ms since epoch, when the exchange told the key's creation date. */
  keyCreatedAt?: number;
}

/**
 * Until one signed request has succeeded, an auth error means the exchange rejects the key
 * itself (wrong secret, IP, passphrase…): that is KEY_REJECTED with what to do. Network trouble is
 * EXCHANGE_UNREACHABLE. Otherwise the failure becomes a check, described in plain words.
 */
function describeFailure(input: KeyAuditInput, err: unknown, anySuccess: boolean): string {
  const rpc = keyCheckError(input.exchange, err, input.endpoint);
  // The host and the cause only (never ccxt's text: its URL is signed).
  if (rpc?.reason === 'EXCHANGE_UNREACHABLE')
    log.warn(`key audit (${input.exchange}): ${rpc.message}`);
  if (rpc && (!anySuccess || rpc.reason === 'EXCHANGE_UNREACHABLE')) throw rpc;
  const explained = explainCcxtError(input.exchange, err);
  return explained
    ? explained.message
    : `the exchange's answer could not be used (${err instanceof Error ? err.constructor.name : 'error'})`;
}

/**
 * Each audit read is tried twice: one 429 or 5xx must not leave a key's permissions unknown (a
 * live connection would pause), while an exchange that is down costs at most two request timeouts
 * before the user hears so.
 */
const AUDIT_TRIES = 2;

export async function auditKeyWith(
  client: Exchange,
  input: KeyAuditInput,
): Promise<KeyAuditResult> {
  const now = input.now ?? new Date();
  const profile = profileFor(input.exchange);
  const adapter = adapterFor(input.exchange);
  let keyInfo: KeyInfoResult;
  let couldNotVerify: string | undefined;
  let succeeded = false;

  // Where the key's own description cannot be read (Binance's spot testnet), say so.
  const unavailable = adapter.keyInfoUnavailable(input.environment);
  if (unavailable !== null) {
    couldNotVerify = unavailable;
    keyInfo = { ok: false, problem: unavailable };
  } else {
    try {
      // A single 429 or 5xx must not read as "permissions unknown" (which pauses a live key).
      const answer = await retryTransient(
        input.exchange,
        () => adapter.fetchKeyInfo(client),
        AUDIT_TRIES,
      );
      succeeded = true;
      keyInfo = profile.parseKeyInfo(answer);
    } catch (err) {
      const why = describeFailure(input, err, succeeded);
      keyInfo = { ok: false, problem: `${profile.name} did not describe this key: ${why}` };
    }
  }

  const extra: AuditCheck[] = [];
  // Read check: the balance, which the bot needs before every sized order.
  try {
    await retryTransient(input.exchange, () => client.fetchBalance(), AUDIT_TRIES);
    succeeded = true;
    extra.push({
      id: 'read-check',
      level: 'ok',
      message: `${profile.name} showed this key the account balance.`,
    });
  } catch (err) {
    const why = describeFailure(input, err, succeeded);
    extra.push({
      id: 'read-check',
      level: 'block',
      message: `${profile.name} refused to show the balance to this key: ${why}`,
    });
  }
  // Trade check that places nothing, where the exchange has one (Binance's order/test).
  if (keyInfo.ok) {
    const tradeSucceeded = succeeded;
    const check = await adapter.tradeCheck(client, {
      succeeded: tradeSucceeded,
      describeFailure: (err) => describeFailure(input, err, tradeSucceeded),
    });
    if (check) extra.push(check);
  }

  const audit = auditKey({
    exchange: input.exchange,
    keyInfo,
    needs: input.needs,
    thisMachineIp: input.thisMachineIp,
    requestSucceededFromThisMachine: succeeded,
    now,
    environment: input.environment,
    ...(couldNotVerify ? { couldNotVerify } : {}),
  });
  const checks = [...audit.checks, ...extra];
  return {
    audit: { ...audit, checks, verdict: worstLevel(checks) },
    ...(keyInfo.ok && keyInfo.info.createdAt !== undefined
      ? { keyCreatedAt: keyInfo.info.createdAt }
      : {}),
  };
}

/** KEY_UNSAFE carries the audit so the UI can show each check; nothing has been stored. */
export function unsafeKeyError(audit: Audit): RpcError {
  const blocking = audit.checks.filter((c) => c.level === 'block').map((c) => c.message);
  return new RpcError(
    'KEY_UNSAFE',
    `this key is not safe to use, so it was not stored: ${blocking.join(' ')}`,
    { audit },
  );
}
