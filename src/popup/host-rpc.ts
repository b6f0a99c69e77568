/** Calling the host from an extension page, through the background's native port. */
import browser from 'webextension-polyfill';
import type { RpcReply } from '../protocol/extension-messages.js';

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

export async function callHost<T>(method: string, params: unknown = {}): Promise<T> {
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
  return reply.result as T;
}
