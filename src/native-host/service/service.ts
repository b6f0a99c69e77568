/**
 * The long-running host service: one per user, runs with or without the browser. It owns the IPC
 * socket, answers JSON-RPC from the bridge and the CLI, and pushes notifications to every client.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { IpcClients, clientLimitsFromEnv } from '../ipc/client-limits.js';
import type { FramedSocket } from '../ipc/framed-socket.js';
import { createLogger, type Logger } from '../log.js';
import { hostPaths, type HostPaths } from '../paths.js';
import { RpcServer, type CallerInfo, type Handlers } from '../ipc/rpc-server.js';
import { AlreadyRunningError, ensurePrivateDir, listenExclusive } from './single-instance.js';
import { hostVersion } from '../version.js';
import { loadConfig } from './config.js';
import { connectionHandlers } from './handlers/connections.js';
import type { ServiceContext } from './handlers/context.js';
import { hostHandlers } from './handlers/host.js';
import { integrityHandlers } from './handlers/integrity.js';
import { keyHandlers } from './handlers/keys.js';
import { startKeyExpiry, sweepKeys } from './keys/generated-keys.js';
import { clearIncident } from './integrity/incident.js';
import { reconcileAtUnlock } from './integrity/reconcile.js';
import { openStateDb } from './integrity/state-file.js';
import { vaultHandlers } from './handlers/vault.js';
import { networkHandlers } from './handlers/network.js';
import { tradingHandlers } from './handlers/trading.js';
import { positionHandlers } from './handlers/positions.js';
import { PublicIpFinder } from './network/public-ip.js';
import { startReaudits, type Reaudits } from './reaudit.js';
import { startTrading, type Trading } from './trading/start.js';
import { testKdfSwitch, testKdfWarning } from './vault/kdf-policy.js';
import { Vault } from './vault/vault.js';
import { FrameError, type DecodedFrame } from '../../protocol/frame.js';
import { BRIDGE_CALLER_METHOD } from '../../protocol/constants.js';
import { RpcError, failure, notification, type JsonRpcResponse } from '../../protocol/jsonrpc.js';
import type { NotificationName } from '../../protocol/methods.js';
import { errorMessage } from '../../lib/error-text.js';

export interface RunningService {
  paths: HostPaths;
  server: Server;
  notify(method: NotificationName, params: unknown): void;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** Unlock the vault at start from this file (systemd credentials, a secrets mount). */
  passphraseFile?: string;
}

/**
 * The origin in a bridge's first frame, `{method: "bridge.caller", params: {origin}}` (a
 * notification), else null. The bridge writes it before relaying a byte of the browser's.
 */
export function bridgeCaller(frame: DecodedFrame): string | null {
  if (!frame.ok || typeof frame.message !== 'object' || frame.message === null) return null;
  const m = frame.message as { method?: unknown; id?: unknown; params?: unknown };
  if (m.method !== BRIDGE_CALLER_METHOD || m.id !== undefined) return null;
  const origin = (m.params as { origin?: unknown } | null | undefined)?.origin;
  return typeof origin === 'string' && origin.length > 0 && origin.length <= 256 ? origin : null;
}

export async function startService(
  env: NodeJS.ProcessEnv = process.env,
  log: Logger = createLogger('service', env),
  opts: ServiceOptions = {},
): Promise<RunningService> {
  process.umask(0o077); // everything the service creates is private to this user
  const paths = hostPaths(env);
  for (const dir of [paths.home, paths.runDir, paths.logDir]) {
    if (ensurePrivateDir(dir)) log.warn(`${dir} was readable by others; tightened to 0700`);
  }
  // Bounded: how many clients, how long a frame may take, how much may wait unread.
  const clients = new IpcClients(clientLimitsFromEnv(env), log);
  // Requests that arrive before the state is open wait for it.
  let ready!: (rpc: RpcServer) => void;
  const rpcReady = new Promise<RpcServer>((resolve) => (ready = resolve));

  const server = createServer((socket: Socket) => {
    // Requests on one connection are answered in order, so a client may pipeline freely.
    let queue: Promise<void> = Promise.resolve();
    // A bridge names its caller in the connection's first frame (bridgeCaller); nothing else can.
    const caller: CallerInfo = {};
    let first = true;
    const framed = clients.accept(socket, (framed, frame) => {
      if (first) {
        first = false;
        const origin = bridgeCaller(frame);
        if (origin !== null) {
          caller.origin = origin;
          return;
        }
      }
      queue = queue.then(async () => {
        const response = await (await rpcReady).handle(frame, caller);
        if (response) sendResponse(framed, response);
        if (!frame.ok && frame.error.fatal) socket.end(); // the stream cannot be resynchronised
      });
    });
    if (framed) socket.on('error', (err) => log.debug(`client socket: ${err.message}`));
  });

  // The socket is the one-per-user lock: take it before touching any state.
  await listenExclusive(server, paths);
  server.on('error', (err) => log.error(`IPC server: ${err.message}`));

  let ctx: ServiceContext;
  // Created once the state is open; the notify hook below runs only after that.
  const later: { reaudits?: Reaudits; trading?: Trading } = {};
  try {
    ctx = openState(paths, env, log, (method, params) => {
      const message = notification(method, params);
      for (const client of clients) client.send(message);
      if (method === 'vault.changed') {
        const unlocked = (params as { vault?: string }).vault === 'unlocked';
        // Vault ↔ state check before the feeds start: a rebuilt connection, a pause, all in place.
        if (unlocked) reconcileAtUnlock(ctx);
        // Generated keys never attached within a day are erased at every unlock (and on a timer).
        if (unlocked) void sweepKeys(ctx);
        if (unlocked) later.reaudits?.trigger();
        later.trading?.vaultChanged(unlocked);
      }
      // Resuming after a state loss is the user saying the exchanges were checked.
      if (method === 'trading.changed' && (params as { paused?: boolean }).paused === false) {
        if (clearIncident(ctx.db))
          log.info('integrity: trading resumed; the state-loss notice is cleared');
      }
    });
  } catch (err) {
    server.close();
    throw err;
  }
  // Unlock before answering anything, so the first answer already tells the true vault state.
  await unlockFromFile(ctx, opts.passphraseFile ?? passphraseFileFromEnv(env));
  const trading = startTrading(ctx);
  later.trading = trading;
  // Typed `Handlers`: a method of the contract (src/protocol/methods.ts) that no group answers
  // does not compile.
  const handlers: Handlers = {
    ...hostHandlers(ctx),
    ...integrityHandlers(ctx),
    ...vaultHandlers(ctx),
    ...connectionHandlers(ctx),
    ...keyHandlers(ctx),
    ...networkHandlers(ctx),
    ...tradingHandlers(ctx),
    ...positionHandlers(ctx, trading.swapClient),
    ...trading.handlers,
  };
  ready(new RpcServer(handlers, log));
  const reauditMs = ctx.config.reauditHours * 3_600_000;
  const reaudits = startReaudits(
    ctx,
    reauditMs,
    Math.min(ctx.config.reauditRetryMinutes * 60_000, reauditMs),
  );
  const keyExpiry = startKeyExpiry(ctx);
  later.reaudits = reaudits;
  // Unlocked from a file at start: audit everything soon — after the journal is reconciled, so
  // settling in-flight orders does not wait behind audits for the exchanges' rate limits.
  if (ctx.vault.state() === 'unlocked') setTimeout(() => reaudits.trigger(), 20_000).unref();
  log.info(`service ${hostVersion()} (pid ${process.pid}) listening on ${paths.socket}`);

  return {
    paths,
    server,
    notify: ctx.notify,
    close() {
      return new Promise((resolve) => {
        for (const client of clients) client.socket.destroy();
        reaudits.stop();
        keyExpiry.stop();
        trading.stop();
        server.close(() => {
          ctx.vault.lock();
          ctx.db.close();
          resolve();
        });
      });
    },
  };
}

function openState(
  paths: HostPaths,
  env: NodeJS.ProcessEnv,
  log: Logger,
  notify: ServiceContext['notify'],
): ServiceContext {
  // The insecure test KDF only with SENTINEL_TEST_KDF=insecure in a test home, and loudly.
  const testKdf = testKdfSwitch(env, paths.home);
  if (testKdf.on) log.warn(testKdfWarning(paths.home));
  else if (testKdf.ignored) log.warn(testKdf.ignored);
  const vault = new Vault(paths.home, { insecureTestKdf: testKdf.on });
  for (const fixed of vault.checkFiles())
    log.warn(`vault file check: fixed ${fixed} (loose mode or a dead writer's temp file)`);
  const config = loadConfig(paths.home, env);
  // A missing, empty or damaged state DB is noticed, kept aside and reported (integrity/).
  const db = openStateDb(join(paths.home, 'state.db'), vault.state() !== 'absent', log);
  const saved = db.getSetting('trading');
  return {
    startedAt: new Date().toISOString(),
    vault,
    db,
    config,
    publicIp: new PublicIpFinder(config.publicIpUrl),
    log,
    // A pause survives restarts: a crash must not quietly resume trading.
    trading: saved ? (JSON.parse(saved) as ServiceContext['trading']) : { paused: false },
    notify,
  };
}

/** SENTINEL_PASSPHRASE_FILE, or systemd's credential "vault-passphrase" when present. */
function passphraseFileFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  if (env.SENTINEL_PASSPHRASE_FILE) return env.SENTINEL_PASSPHRASE_FILE;
  const systemd = env.CREDENTIALS_DIRECTORY
    ? join(env.CREDENTIALS_DIRECTORY, 'vault-passphrase')
    : undefined;
  return systemd && existsSync(systemd) ? systemd : undefined;
}

async function unlockFromFile(ctx: ServiceContext, file: string | undefined): Promise<void> {
  if (!file) return;
  if (ctx.vault.state() !== 'locked') {
    ctx.log.warn(`passphrase file given but the vault is ${ctx.vault.state()}; nothing to unlock`);
    return;
  }
  try {
    const passphrase = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    await ctx.vault.unlock(passphrase);
    ctx.log.info(`vault unlocked at start from ${file}`);
    ctx.notify('vault.changed', { vault: 'unlocked' });
  } catch (err) {
    // Stay up, locked: the user can still unlock from the popup or the CLI.
    ctx.log.error(`could not unlock the vault from ${file}: ${errorMessage(err)}`);
  }
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
    const { callService } = await import('../ipc/client.js');
    const hello = await callService(
      hostPaths(),
      'host.hello',
      { client: 'second-start' },
      { timeoutMs: 2000 },
    );
    return hello.service.pid;
  } catch {
    return null;
  }
}

/** `sentinel-host service`: run in the foreground until SIGTERM/SIGINT. */
export async function runServiceForeground(opts: ServiceOptions = {}): Promise<number> {
  const log = createLogger('service');
  let service: RunningService;
  try {
    service = await startService(process.env, log, opts);
  } catch (err) {
    if (err instanceof AlreadyRunningError) {
      const pid = await runningPid();
      // Run by hand from a checkout: the commands as they run from there.
      const { cmd } = await import('../cli/command-name.js');
      log.error(
        `${err.message}${pid ? ` as pid ${pid}` : ''}. ` +
          `Use "${cmd('status')}" to see it, or "${cmd('service stop')}" first.`,
      );
      return 3;
    }
    log.error(`could not start: ${errorMessage(err)}`);
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
