/**
 * Auditing a key for the service: finds this machine's public IP, builds the ccxt client for the
 * connection's exchange/environment/endpoint, and runs the ground-truth audit.
 */
import type { Connection, Credentials } from '../../protocol/methods.js';
import type { Environment, ExchangeId, Needs } from '../../exchanges/types.js';
import { createExchangeClient } from './exchange/client.js';
import { auditKeyWith, type KeyAuditResult } from './exchange/key-audit.js';
import type { ServiceContext } from './handlers/context.js';
import { auditNeeds, swapConnectionIds } from './futures-need.js';
import { TradingStore } from './store/trading-store.js';

/**
 * What a stored connection's audit checks: what the user said at setup, and futures whenever a
 * subscription's route trades perpetual swaps on it (futures-need.ts).
 */
export function connectionNeeds(ctx: ServiceContext, c: Connection): Needs {
  const swaps = swapConnectionIds(new TradingStore(ctx.db.handle).listSubscriptions());
  return auditNeeds(c.needs, swaps.has(c.id));
}

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
