/**
 * `sentinel-host native`: the program the browser starts. It checks who is calling, makes sure
 * the service runs, then relays bytes both ways. Frames pass through untouched — the service
 * decodes and answers them, so all protocol logic lives in one place (KeePassXC-proxy style).
 *
 * Stdout carries frames only. Keep this file's imports small: it runs on every browser connect.
 */
import { encodeFrame } from '../../protocol/frame.js';
import { RpcError, failure, notification } from '../../protocol/jsonrpc.js';
import {
  BRIDGE_CALLER_METHOD,
  EXTENSION_ORIGIN,
  FIREFOX_ADDON_ID,
} from '../../protocol/constants.js';
import { createLogger } from '../log.js';
import { hostPaths } from '../paths.js';
import { connectOrStart } from '../ipc/start-service.js';

export interface Caller {
  /** chrome-extension://ID/ (Chromium family) or the add-on id (Firefox). */
  origin: string;
  browser: 'chromium' | 'firefox' | 'unknown';
}

/**
 * Chromium passes ["chrome-extension://ID/"] (Windows adds --parent-window=N);
 * Firefox passes [<path of the host manifest>, <add-on id>].
 */
export function callerFromArgs(args: readonly string[]): Caller {
  const chromium = args.find((a) => a.startsWith('chrome-extension://'));
  if (chromium) return { origin: chromium, browser: 'chromium' };
  if (args.length >= 2 && args[0]?.endsWith('.json'))
    return { origin: args[1] ?? '', browser: 'firefox' };
  return { origin: args[0] ?? '', browser: 'unknown' };
}

/** The built-in extension, plus any given by the installer's --extension-id (space-separated). */
export function allowedOrigins(env: NodeJS.ProcessEnv): Set<string> {
  const extra = (env.SENTINEL_ALLOWED_ORIGINS ?? '').split(/\s+/).filter((s) => s.length > 0);
  return new Set(extra.length > 0 ? extra : [EXTENSION_ORIGIN, FIREFOX_ADDON_ID]);
}

function writeErrorFrame(error: RpcError): Promise<void> {
  return new Promise((resolve) =>
    process.stdout.write(encodeFrame(failure(null, error)), () => resolve()),
  );
}

export async function runBridge(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const log = createLogger('bridge', env);
  const caller = callerFromArgs(args);
  if (!allowedOrigins(env).has(caller.origin)) {
    log.warn(`refused caller ${JSON.stringify(caller.origin)}`);
    await writeErrorFrame(
      new RpcError(
        'FORBIDDEN_ORIGIN',
        `this host does not serve ${caller.origin || 'an unnamed caller'}`,
        {
          origin: caller.origin,
        },
      ),
    );
    return 1;
  }

  const paths = hostPaths(env);
  const link = await connectOrStart(paths, { env });
  if (!link) {
    log.error(`service did not come up; see ${paths.serviceLog}`);
    await writeErrorFrame(
      new RpcError(
        'SERVICE_UNAVAILABLE',
        `the Sentinel service could not be started; see ${paths.serviceLog} and run "sentinel-host doctor"`,
      ),
    );
    return 1;
  }
  if (link.started) log.info(`started the service for ${caller.origin}`);

  const { socket } = link;
  // First frame, before any of the browser's: who the browser says is calling (from argv).
  socket.write(encodeFrame(notification(BRIDGE_CALLER_METHOD, { origin: caller.origin })));
  return new Promise<number>((resolve) => {
    process.stdin.pipe(socket);
    socket.pipe(process.stdout);
    // The browser closed the port: tell the service we are done, then leave once it hangs up.
    process.stdin.once('end', () => socket.end());
    socket.once('close', () => resolve(0));
    socket.on('error', (err) => {
      log.warn(`service connection: ${err.message}`);
      resolve(1);
    });
  });
}
