/** vault.create / unlock / lock / changePassphrase. Passphrases are never logged or echoed. */
import { parsePassphrase } from '../../../protocol/params.js';
import type { HandlerGroup } from '../../ipc/rpc-server.js';
import type { ServiceContext } from './context.js';

export type VaultMethod = 'vault.create' | 'vault.unlock' | 'vault.lock' | 'vault.changePassphrase';

export function vaultHandlers(ctx: ServiceContext) {
  const changed = (): void => ctx.notify('vault.changed', { vault: ctx.vault.state() });
  return {
    'vault.create': async (params) => {
      await ctx.vault.create(parsePassphrase('vault.create', params));
      ctx.log.info('vault created');
      changed();
      return { vault: 'unlocked' };
    },
    'vault.unlock': async (params) => {
      await ctx.vault.unlock(parsePassphrase('vault.unlock', params));
      ctx.log.info('vault unlocked');
      changed();
      return { vault: 'unlocked' };
    },
    'vault.lock': () => {
      ctx.vault.lock();
      ctx.log.info('vault locked');
      changed();
      return { vault: 'locked' };
    },
    'vault.changePassphrase': async (params) => {
      await ctx.vault.changePassphrase(
        parsePassphrase('vault.changePassphrase', params, 'old'),
        parsePassphrase('vault.changePassphrase', params, 'new'),
      );
      ctx.log.info('vault passphrase changed');
      changed();
      return {};
    },
  } satisfies HandlerGroup<VaultMethod>;
}
