/**
 * One service per user: the IPC socket itself is the lock. Binding is atomic; a socket file left
 * by a crashed service is detected (nobody answers on it) and replaced under a short mkdir lock,
 * so two services starting together never both think they won.
 */
import { chmodSync, mkdirSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { connect, type Server } from 'node:net';
import { join } from 'node:path';
import type { HostPaths } from '../paths.js';

export class AlreadyRunningError extends Error {
  constructor(socket: string) {
    super(`a Sentinel service is already running for this user (socket ${socket})`);
    this.name = 'AlreadyRunningError';
  }
}

/** Create a private folder (0700) or tighten one that exists; returns true if it had to fix it. */
export function ensurePrivateDir(dir: string): boolean {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  if (process.platform === 'win32') return false;
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) {
    throw new Error(`${dir} belongs to another user (uid ${st.uid}); refusing to use it`);
  }
  if ((st.mode & 0o077) !== 0) {
    chmodSync(dir, 0o700);
    return true;
  }
  return false;
}

function listenOnce(server: Server, path: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      resolve(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve(null);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(path);
  });
}

/** Does a live process answer on this socket? */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Listen on the service socket, or throw AlreadyRunningError. */
export async function listenExclusive(server: Server, paths: HostPaths): Promise<void> {
  const lockDir = join(paths.runDir, 'takeover.lock');
  for (let attempt = 0; attempt < 50; attempt++) {
    const err = await listenOnce(server, paths.socket);
    if (!err) {
      if (process.platform !== 'win32') chmodSync(paths.socket, 0o600);
      return;
    }
    if (err.code !== 'EADDRINUSE') throw err;
    if (await answers(paths.socket)) throw new AlreadyRunningError(paths.socket);
    if (process.platform === 'win32') {
      await sleep(50); // a pipe that exists but does not answer is going away
      continue;
    }
    // Stale socket file. Replace it under a lock, re-checking inside: another starter may have
    // replaced it a moment ago, and then its socket answers.
    try {
      mkdirSync(lockDir);
    } catch {
      if (Date.now() - safeMtime(lockDir) > 5000) safeRmdir(lockDir); // left by a crash
      await sleep(20 + Math.random() * 30);
      continue;
    }
    try {
      if (await answers(paths.socket)) throw new AlreadyRunningError(paths.socket);
      try {
        unlinkSync(paths.socket);
      } catch {
        // already gone
      }
      const again = await listenOnce(server, paths.socket);
      if (!again) {
        chmodSync(paths.socket, 0o600);
        return;
      }
      if (again.code !== 'EADDRINUSE') throw again;
    } finally {
      safeRmdir(lockDir);
    }
  }
  throw new Error(
    `could not take the service socket ${paths.socket}; remove it if no service runs`,
  );
}

function safeMtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Date.now();
  }
}

function safeRmdir(path: string): void {
  try {
    rmdirSync(path);
  } catch {
    // someone else removed it
  }
}
