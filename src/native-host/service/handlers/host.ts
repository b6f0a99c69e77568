import { PROTOCOL_VERSION } from '../../../protocol/constants.js';
import { parseHelloParams, type HelloResult } from '../../../protocol/methods.js';
import type { HandlerGroup } from '../../ipc/rpc-server.js';
import { extensionHellos, recordExtensionHello } from '../store/extension-hellos.js';
import { errorMessage } from '../../../lib/error-text.js';
import { integrityReport } from '../integrity/incident.js';
import { hostVersion } from '../../version.js';
import type { ServiceContext } from './context.js';

export function hostHandlers(ctx: ServiceContext) {
  return {
    'host.hello': (params, caller): HelloResult => {
      const { client } = parseHelloParams(params);
      if (client) ctx.log.debug(`hello from ${client}`);
      // Only a bridge connection has an origin: the one the browser gave the bridge (argv).
      if (caller.origin !== undefined) {
        try {
          recordExtensionHello(ctx.db, caller.origin, client);
        } catch (e) {
          ctx.log.warn(`could not record the hello of ${caller.origin}: ${errorMessage(e)}`);
        }
      }
      const integrity = integrityReport(ctx.db, ctx.vault.state() === 'unlocked');
      return {
        version: hostVersion(),
        protocol: PROTOCOL_VERSION,
        vault: ctx.vault.state(),
        trading: {
          paused: ctx.trading.paused,
          ...(ctx.trading.paused && ctx.trading.reason ? { reason: ctx.trading.reason } : {}),
        },
        service: { pid: process.pid, startedAt: ctx.startedAt },
        ...(ctx.vault.insecureTestKdf ? { insecureTestKdf: true as const } : {}),
        ...(integrity ? { integrity } : {}),
        extensions: extensionHellos(ctx.db),
      };
    },
  } satisfies HandlerGroup<'host.hello'>;
}
