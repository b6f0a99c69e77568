/**
 * Client side of the service's IPC socket, for the CLI, doctor and tests: one request, one answer.
 */
import { connect } from 'node:net';
import { FramedSocket } from './framed-socket.js';
import type { HostPaths } from '../paths.js';
import { classify, isFailure, request, toRpcError } from '../../protocol/jsonrpc.js';
import type { MethodName, ParamsOf, ResultOf } from '../../protocol/methods.js';

export class ServiceUnreachableError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.name = 'ServiceUnreachableError';
    this.code = code;
  }
}

/**
 * Call one method of the contract (src/protocol/methods.ts) on the running service: the method
 * name, its params and its result are typed from the map. Rejects with RpcError or
 * ServiceUnreachableError.
 */
export function callService<M extends MethodName>(
  paths: HostPaths,
  method: M,
  params: ParamsOf<M>,
  opts: { timeoutMs?: number } = {},
): Promise<ResultOf<M>> {
  return callServiceRaw(paths, method, params, opts) as Promise<ResultOf<M>>;
}

/**
 * The untyped escape hatch: any method name, any params, an unknown result. For tests and the dev
 * harness, which call methods by names they compute (or that do not exist, on purpose), and for
 * the doctor, which must read whatever an older service answers. Product code uses callService.
 */
export function callServiceRaw(
  paths: HostPaths,
  method: string,
  params: unknown = {},
  opts: { timeoutMs?: number } = {},
): Promise<unknown> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const socket = connect(paths.socket);
    let settled = false;
    const done = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      fn();
    };
    const timer = setTimeout(
      () =>
        done(() =>
          reject(
            new ServiceUnreachableError(
              `the service did not answer ${method} within ${timeoutMs} ms`,
            ),
          ),
        ),
      timeoutMs,
    );
    socket.on('error', (err: NodeJS.ErrnoException) =>
      done(() =>
        reject(
          new ServiceUnreachableError(
            `the Sentinel service is not running (${err.code ?? err.message} at ${paths.socket}). ` +
              'Start it with: sentinel-host service start',
            err.code,
          ),
        ),
      ),
    );
    socket.on('close', () =>
      done(() =>
        reject(
          new ServiceUnreachableError(
            `the service closed the connection before answering ${method}`,
          ),
        ),
      ),
    );
    const framed = new FramedSocket(socket, (frame) => {
      if (!frame.ok) {
        done(() =>
          reject(new ServiceUnreachableError(`bad frame from the service: ${frame.error.message}`)),
        );
        return;
      }
      const c = classify(frame.message);
      if (c.kind !== 'response' || c.message.id !== 1) return; // notifications are not for us
      const response = c.message;
      done(() =>
        isFailure(response) ? reject(toRpcError(response.error)) : resolve(response.result),
      );
    });
    socket.on('connect', () => framed.send(request(1, method, params)));
  });
}
