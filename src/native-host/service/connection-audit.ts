/**
 * Auditing a key for the service: finds this machine's public IP, builds the ccxt client for the
 * connection's exchange/environment/endpoint, and runs the ground-truth audit.
 */
import type { Credentials } from '../../protocol/methods.js';
import type { Environment, ExchangeId, Needs } from '../../exchanges/types.js';
import { createExchangeClient } from './exchange/client.js';
import { auditKeyWith, type KeyAuditResult } from './exchange/key-audit.js';
import type { ServiceContext } from './handlers/context.js';

export interface AuditTarget {
  exchange: ExchangeId;
  environment: Environment;
  endpoint?: string;
  credentials: Credentials;
  needs: Needs;
}

export async function auditCredentials(
  ctx: ServiceContext,
  target: AuditTarget,
): Promise<KeyAuditResult> {
  const [{ ip }, client] = await Promise.all([
    ctx.publicIp.find(),
    createExchangeClient({
      exchange: target.exchange,
      environment: target.environment,
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
      credentials: target.credentials,
    }),
  ]);
  const result = await auditKeyWith(client, {
    exchange: target.exchange,
    environment: target.environment,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    needs: target.needs,
    thisMachineIp: ip,
  });
  ctx.log.info(
    `audit ${target.exchange}/${target.environment}: ${result.audit.verdict} (${result.audit.checks.map((c) => `${c.id}=${c.level}`).join(', ')})`,
  );
  return result;
}
