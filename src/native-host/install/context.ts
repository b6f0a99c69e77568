/**
 * What the pure installer functions are told about the machine. The CLI fills it from the real
 * system (system.ts); tests fill it by hand.
 */
import path from 'node:path';
import type { HostPaths } from '../paths.js';

export interface InstallContext {
  platform: NodeJS.Platform;
  /** The user's home folder. */
  homeDir: string;
  env: NodeJS.ProcessEnv;
  /** Absolute path of the node binary the launcher runs (process.execPath). */
  nodePath: string;
  /** Absolute path of the built dist/host/native-host/main.js. */
  cliPath: string;
  paths: HostPaths;
  exists(p: string): boolean;
  /** Absolute path of a program on PATH, or null. */
  which(name: string): string | null;
}

/** Path arithmetic for the target OS, whatever OS the code runs on. */
export function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/**
 * A usage or environment problem the user can fix by changing the command line. `exitCode` is
 * 2 for bad usage (unknown flag, bad value) and 1 for "nothing to do here".
 */
export class PlanError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
    this.name = 'PlanError';
  }
}
