import { PROTOCOL_VERSION } from '../../../protocol/constants.js';
import { parseHelloParams, type HelloResult } from '../../../protocol/methods.js';
import type { HandlerGroup } from '../../ipc/rpc-server.js';
import { integrityReport } from '../integrity/incident.js';
import { hostVersion } from '../../version.js';
import type { ServiceContext } from './context.js';

export function hostHandlers(ctx: ServiceContext) {
  return {
    'host.hello': (params): HelloResult => {
      const { client } = parseHelloParams(params);
      if (client) ctx.log.debug(`hello from ${client}`);
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
      };
    },
  } satisfies HandlerGroup<'host.hello'>;
}
