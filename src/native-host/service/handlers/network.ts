import { paramsObject } from '../../../protocol/methods.js';
import type { HandlerGroup } from '../../ipc/rpc-server.js';
import type { ServiceContext } from './context.js';

export function networkHandlers(ctx: ServiceContext) {
  return {
    'network.publicIp': (params) => {
      const fresh = paramsObject('network.publicIp', params).fresh === true;
      return ctx.publicIp.find({ fresh });
    },
  } satisfies HandlerGroup<'network.publicIp'>;
}
