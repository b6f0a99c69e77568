/**
 * Turns decoded frames into JSON-RPC responses by calling method handlers. Transport-free: the
 * service feeds it frames from each IPC connection and writes back what it returns.
 */
import type { DecodedFrame } from '../../protocol/frame.js';
import {
  RpcError,
  classify,
  failure,
  success,
  type JsonRpcResponse,
} from '../../protocol/jsonrpc.js';
import type { MethodName, ResultOf } from '../../protocol/methods.js';
import type { Logger } from '../log.js';
import { errorDetail } from '../../lib/error-text.js';

/**
 * Who is on the other end of one IPC connection. `origin` is set only for a bridge connection:
 * the extension origin the browser passed to the bridge (its first, internal frame).
 */
export interface CallerInfo {
  origin?: string;
}

/**
 * The handler of one method (src/protocol/methods.ts): params arrive untyped — they come off a
 * socket and each handler checks them — and the result must be the method's result type.
 */
export type Handler<M extends MethodName> = (
  params: unknown,
  caller: CallerInfo,
) => ResultOf<M> | Promise<ResultOf<M>>;

/** One handler for every method of the contract, and nothing else. */
export type Handlers = { readonly [M in MethodName]: Handler<M> };

/**
 * The handlers of a group of methods: each table in service/handlers/*.ts ends with
 * `satisfies HandlerGroup<'vault.lock' | …>`, so a handler for a method outside the group (or
 * the contract), a missing one, or a wrong result does not compile, while the table keeps its
 * precise type. The service's `Handlers` annotation catches a method that no group answers.
 */
export type HandlerGroup<M extends MethodName> = Pick<Handlers, M>;

type AnyHandler = (params: unknown, caller: CallerInfo) => unknown;

export class RpcServer {
  private readonly handlers: Readonly<Record<string, AnyHandler>>;
  private readonly log: Logger;

  constructor(handlers: Handlers, log: Logger) {
    this.handlers = handlers;
    this.log = log;
  }

  /** The answer to one frame, or null when none is due (a notification, a stray response). */
  async handle(frame: DecodedFrame, caller: CallerInfo = {}): Promise<JsonRpcResponse | null> {
    if (!frame.ok) {
      const reason = frame.error.kind === 'MESSAGE_TOO_LARGE' ? 'MESSAGE_TOO_LARGE' : 'PARSE_ERROR';
      return failure(
        null,
        new RpcError(reason, `${frame.error.message}; send one JSON-RPC 2.0 object per frame`),
      );
    }
    const c = classify(frame.message);
    switch (c.kind) {
      case 'invalid':
        return failure(c.id, new RpcError('INVALID_REQUEST', `invalid request: ${c.problem}`));
      case 'response':
        return null; // the service asks the clients nothing, so there is nothing to match
      case 'notification':
        // Notifications expect no answer; a client notification with a known method is still run.
        await this.call(c.message.method, c.message.params, caller).catch(() => undefined);
        return null;
      case 'request':
        try {
          return success(c.message.id, await this.call(c.message.method, c.message.params, caller));
        } catch (err) {
          return failure(c.message.id, this.toRpcError(c.message.method, err));
        }
    }
  }

  private async call(method: string, params: unknown, caller: CallerInfo): Promise<unknown> {
    const handler = Object.hasOwn(this.handlers, method) ? this.handlers[method] : undefined;
    if (!handler) {
      throw new RpcError(
        'METHOD_NOT_FOUND',
        `unknown method "${method}"; see docs/protocol.md for the list`,
      );
    }
    const result = await handler(params, caller);
    return result === undefined ? {} : result;
  }

  private toRpcError(method: string, err: unknown): RpcError {
    if (err instanceof RpcError) return err;
    // Unexpected: log the detail here (no secrets reach handlers' error texts), answer generically.
    const detail = errorDetail(err);
    this.log.error(`${method} failed: ${detail}`);
    return new RpcError('INTERNAL', `${method} failed inside the host; see the service log`);
  }
}
