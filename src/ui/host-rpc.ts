/** Calling the host from an extension page, through the background's native port. */
import { browser } from './extension-api.js';
import type { RpcReply } from '../protocol/extension-messages.js';
import type { MethodName, ParamsOf, ResultOf } from '../protocol/methods.js';

export class HostCallError extends Error {
  constructor(
    message: string,
    readonly reason: string,
    /** The error's data (e.g. KEY_UNSAFE's audit): what the forms explain check by check. */
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * Call one method of the contract (src/protocol/methods.ts): its name, params and result are
 * typed from the map. Rejects with HostCallError (`reason` is the host's data.reason).
 */
export async function callHost<M extends MethodName>(
  method: M,
  params: ParamsOf<M>,
): Promise<ResultOf<M>> {
  const reply = (await browser.runtime.sendMessage({ type: 'host.rpc', method, params })) as
    RpcReply | undefined;
  if (!reply)
    throw new HostCallError(
      'the extension background did not answer; reopen this window',
      'SERVICE_UNAVAILABLE',
    );
  if (!reply.ok) {
    const data = (reply.error.data ?? {}) as Record<string, unknown>;
    throw new HostCallError(reply.error.message, String(data.reason ?? 'INTERNAL'), data);
  }
  return reply.result as ResultOf<M>;
}
