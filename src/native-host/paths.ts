/**
 * Where the host keeps everything: data, the IPC socket, logs. One root per user, overridable
 * with SENTINEL_HOME so tests and several users never collide.
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface HostPaths {
  /** Root of everything the host stores (SENTINEL_HOME). */
  home: string;
  /** Folder of the IPC socket, mode 0700. */
  runDir: string;
  /** Unix socket path, or a Windows named pipe name. */
  socket: string;
  /** Folder of log files, mode 0700. */
  logDir: string;
  /** The detached service's stdout/stderr. */
  serviceLog: string;
  /** Launchers and other small programs the installer writes. */
  binDir: string;
}

/** The OS's per-user application-data folder for Sentinel Companion. */
export function defaultHome(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Sentinel Companion');
  }
  if (platform === 'darwin') {
    return join(home, 'Library', 'Application Support', 'Sentinel Companion');
  }
  const dataHome =
    env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/')
      ? env.XDG_DATA_HOME
      : join(home, '.local', 'share');
  return join(dataHome, 'sentinel-companion');
}

/** Unix sockets have a short path limit (108 bytes on Linux, 104 on macOS). */
const MAX_SOCKET_PATH = 100;

export function hostPaths(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): HostPaths {
  const home =
    env.SENTINEL_HOME && env.SENTINEL_HOME.length > 0
      ? env.SENTINEL_HOME
      : defaultHome(platform, env);
  const runDir = join(home, 'run');
  const logDir = join(home, 'logs');
  let socket: string;
  if (platform === 'win32') {
    // A named pipe per SENTINEL_HOME, so two homes on one machine never share a service.
    const tag = createHash('sha256').update(home).digest('hex').slice(0, 16);
    socket = `\\\\.\\pipe\\sentinel-companion-${tag}`;
  } else {
    socket = join(runDir, 'host.sock');
    if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
      throw new Error(
        `SENTINEL_HOME is too deep for a unix socket (${socket} is over ${MAX_SOCKET_PATH} bytes). ` +
          'Set SENTINEL_HOME to a shorter folder.',
      );
    }
  }
  return {
    home,
    runDir,
    socket,
    logDir,
    serviceLog: join(logDir, 'service.log'),
    binDir: join(home, 'bin'),
  };
}
