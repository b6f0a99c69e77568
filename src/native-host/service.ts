/**
 * The long-running host service: one per user, runs with or without the browser. It owns the IPC
 * socket, answers JSON-RPC from the bridge and the CLI, and pushes notifications to every client.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { FramedSocket } from './framed-socket.js';
import { createLogger, type Logger } from './log.js';
import { hostPaths, type HostPaths } from './paths.js';
import { RpcServer, type HandlerTable } from './rpc-server.js';
import { AlreadyRunningError, ensurePrivateDir, listenExclusive } from './single-instance.js';
import { hostVersion } from './version.js';
import { FrameError } from '../protocol/frame.js';
import { RpcError, failure, notification, type JsonRpcResponse } from '../protocol/jsonrpc.js';
import { PROTOCOL_VERSION } from '../protocol/constants.js';
import { parseHelloParams, type HelloResult, type NotificationName } from '../protocol/methods.js';

export interface RunningService {
  paths: HostPaths;
  server: Server;
  notify(method: NotificationName, params: unknown): void;
  close(): Promise<void>;
}

/** What the service knows about itself; later layers (vault, trading) replace these fields. */
interface ServiceState {
  startedAt: string;
  vault: HelloResult['vault'];
  tradingPaused: boolean;
}

export async function startService(
  env: NodeJS.ProcessEnv = process.env,
  log: Logger = createLogger('service', env),
): Promise<RunningService> {
  process.umask(0o077); // everything the service creates is private to this user
  const paths = hostPaths(env);
  for (const dir of [paths.home, paths.runDir, paths.logDir]) {
    if (ensurePrivateDir(dir)) log.warn(`${dir} was readable by others; tightened to 0700`);
  }
  const state: ServiceState = {
    startedAt: new Date().toISOString(),
    vault: 'absent',
    tradingPaused: false,
  };
  const clients = new Set<FramedSocket>();

  const handlers: HandlerTable = {
    'host.hello': (params): HelloResult => {
      const { client } = parseHelloParams(params);
      if (client) log.debug(`hello from ${client}`);
      return {
        version: hostVersion(),
        protocol: PROTOCOL_VERSION,
        vault: state.vault,
        trading: { paused: state.tradingPaused },
        service: { pid: process.pid, startedAt: state.startedAt },
      };
    },
  };
  const rpc = new RpcServer(handlers, log);

  const server = createServer((socket: Socket) => {
    // Requests on one connection are answered in order, so a client may pipeline freely.
    let queue: Promise<void> = Promise.resolve();
    const framed: FramedSocket = new FramedSocket(socket, (frame) => {
      queue = queue.then(async () => {
        const response = await rpc.handle(frame);
        if (response) sendResponse(framed, response);
        if (!frame.ok && frame.error.fatal) socket.end(); // the stream cannot be resynchronised
      });
    });
    clients.add(framed);
    socket.on('error', (err) => log.debug(`client socket: ${err.message}`));
    socket.on('close', () => clients.delete(framed));
  });
  await listenExclusive(server, paths);
  server.on('error', (err) => log.error(`IPC server: ${err.message}`));
  log.info(`service ${hostVersion()} (pid ${process.pid}) listening on ${paths.socket}`);

  return {
    paths,
    server,
    notify(method, params) {
      const message = notification(method, params);
      for (const client of clients) client.send(message);
    },
    close() {
      return new Promise((resolve) => {
        for (const client of clients) client.socket.destroy();
        server.close(() => resolve());
      });
    },
  };
}

function sendResponse(client: FramedSocket, response: JsonRpcResponse): void {
  try {
    client.send(response);
  } catch (err) {
    if (!(err instanceof FrameError)) throw err;
    // A result too big for the browser's 1 MiB limit: say so instead of breaking the stream.
    client.send(
      failure(
        response.id,
        new RpcError('MESSAGE_TOO_LARGE', `the answer is too large to send: ${err.message}`),
      ),
    );
  }
}

async function runningPid(): Promise<number | null> {
  try {
    const { callService } = await import('./ipc-client.js');
    const hello = (await callService(
      hostPaths(),
      'host.hello',
      { client: 'second-start' },
      { timeoutMs: 2000 },
    )) as HelloResult;
    return hello.service.pid;
  } catch {
    return null;
  }
}

/** `sentinel-host service`: run in the foreground until SIGTERM/SIGINT. */
export async function runServiceForeground(): Promise<number> {
  const log = createLogger('service');
  let service: RunningService;
  try {
    service = await startService(process.env, log);
  } catch (err) {
    if (err instanceof AlreadyRunningError) {
      const pid = await runningPid();
      log.error(
        `${err.message}${pid ? ` as pid ${pid}` : ''}. ` +
          'Use "sentinel-host status" to see it, or "sentinel-host service stop" first.',
      );
      return 3;
    }
    log.error(`could not start: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      log.info(`${signal}: shutting down`);
      void service.close().then(resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}
