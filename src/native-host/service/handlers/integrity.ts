/** host.repair: the vault ↔ state check again, on demand (the CLI's `sentinel-host repair`). */
import type { RepairResult } from '../../../protocol/methods.js';
import type { HandlerGroup } from '../../ipc/rpc-server.js';
import { reconcile } from '../integrity/reconcile.js';
import type { ServiceContext } from './context.js';

export function integrityHandlers(ctx: ServiceContext) {
  return {
    'host.repair': (): RepairResult => {
      ctx.log.info('integrity: check requested (host.repair)');
      return reconcile(ctx); // VAULT_LOCKED / VAULT_ABSENT: the secrets are needed to compare
    },
  } satisfies HandlerGroup<'host.repair'>;
}
