/**
 * Connect to the user's service, starting it (detached, logging to a file) when none answers.
 * Used by the bridge when the browser starts it and by `sentinel-host service start`.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { HostPaths } from '../paths.js';
import { ensurePrivateDir } from '../service/single-instance.js';

const cliPath = fileURLToPath(new URL('../main.js', import.meta.url));

export function tryConnect(path: string): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', () => resolve(null));
  });
}

/** Start `sentinel-host service` detached from this process; its output goes to the log file. */
export function spawnDetachedService(
  paths: HostPaths,
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  ensurePrivateDir(paths.home);
  ensurePrivateDir(paths.logDir);
  const logFd = openSync(paths.serviceLog, 'a', 0o600);
  try {
    const child = spawn(process.execPath, [cliPath, 'service'], {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: { ...env, SENTINEL_HOME: paths.home },
      windowsHide: true,
    });
    child.unref();
    return child.pid;
  } finally {
    closeSync(logFd);
  }
}

/** A connected socket to the service, starting it if needed; null if it never came up. */
export async function connectOrStart(
  paths: HostPaths,
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<{ socket: Socket; started: boolean } | null> {
  const first = await tryConnect(paths.socket);
  if (first) return { socket: first, started: false };
  spawnDetachedService(paths, opts.env);
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let delay = 10;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 200);
    const socket = await tryConnect(paths.socket);
    if (socket) return { socket, started: true };
  }
  return null;
}
