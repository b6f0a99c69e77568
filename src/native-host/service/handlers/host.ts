import { PROTOCOL_VERSION } from '../../../protocol/constants.js';
import { parseHelloParams, type HelloResult } from '../../../protocol/methods.js';
import type { HandlerGroup } from '../../ipc/rpc-server.js';
import { hostVersion } from '../../version.js';
import type { ServiceContext } from './context.js';

export function hostHandlers(ctx: ServiceContext) {
  return {
    'host.hello': (params): HelloResult => {
      const { client } = parseHelloParams(params);
      if (client) ctx.log.debug(`hello from ${client}`);
      return {
        version: hostVersion(),
        protocol: PROTOCOL_VERSION,
        vault: ctx.vault.state(),
        trading: { paused: ctx.trading.paused },
        service: { pid: process.pid, startedAt: ctx.startedAt },
        ...(ctx.vault.insecureTestKdf ? { insecureTestKdf: true as const } : {}),
      };
    },
  } satisfies HandlerGroup<'host.hello'>;
}
