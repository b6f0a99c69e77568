/** The real machine behind InstallContext and the doctor's file reads (used by the CLI). */
import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostPaths } from '../paths.js';
import type { InstallContext } from './context.js';

/** A program on PATH, like `command -v` (PATHEXT on Windows). */
export function which(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | null {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter((d) => d !== '');
  const exts =
    platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').concat(['']) : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutable(candidate, platform)) return candidate;
    }
  }
  return null;
}

export function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** A regular file we may execute (on Windows: a file with a runnable extension). */
export function isExecutable(p: string, platform: NodeJS.Platform = process.platform): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    if (platform === 'win32') return /\.(exe|cmd|bat|com)$/i.test(p);
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function readText(p: string): string | null {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}

/** The default value of an HKCU key via `reg query KEY /ve`, or null when it is not set. */
export function readRegistryDefault(key: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('reg', ['query', key, '/ve'], { windowsHide: true }, (err, stdout) => {
      if (err) return resolve(null);
      const m = /\(Default\)\s+REG_(?:EXPAND_)?SZ\s+(.*)$/im.exec(String(stdout));
      resolve(m ? (m[1] as string).trim() : null);
    });
  });
}

/** dist/host/native-host/main.js, next to the compiled install/ folder this file lives in. */
export function defaultCliPath(): string {
  return fileURLToPath(new URL('../main.js', import.meta.url));
}

export function realContext(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): InstallContext {
  return {
    platform,
    homeDir: homedir(),
    env,
    nodePath: process.execPath,
    cliPath: defaultCliPath(),
    paths: hostPaths(env, platform),
    exists,
    which: (name) => which(name, env, platform),
  };
}
