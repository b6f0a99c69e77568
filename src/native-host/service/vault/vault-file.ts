/**
 * Crash-safe storage of the vault's bytes: each save writes a temp file in the same folder,
 * fsyncs it, renames it over the vault and fsyncs the folder; the previous version is kept as
 * `vault.bin.bak` the same way. A kill at any instant leaves the old or the new file, whole.
 * A passphrase change writes the backup first, then the vault (`commitRekey`), so no file opens
 * with the old passphrase once the vault opens with the new one.
 * One writer at a time across processes: an exclusive lock file naming its owner's pid.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RpcError } from '../../../protocol/jsonrpc.js';
import { decodeFile } from './format.js';

export interface VaultPaths {
  file: string;
  backup: string;
  lock: string;
}

export function vaultPaths(home: string): VaultPaths {
  return {
    file: join(home, 'vault.bin'),
    backup: join(home, 'vault.bin.bak'),
    lock: join(home, 'vault.lock'),
  };
}

function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Write `bytes` to `path` atomically (temp + fsync + rename + fsync of the folder). */
export function writeAtomic(path: string, bytes: Uint8Array): void {
  const tmp = join(
    dirname(path),
    `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Run `fn` holding the vault's write lock; a lock left by a dead process is taken over. */
export function withWriteLock<T>(paths: VaultPaths, fn: () => T): T {
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(paths.lock, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err;
      let owner = NaN;
      try {
        owner = Number.parseInt(readFileSync(paths.lock, 'utf8'), 10);
      } catch {
        continue; // released between our open and read: try again
      }
      if (Number.isInteger(owner) && owner !== process.pid && pidAlive(owner)) {
        throw new RpcError(
          'VAULT_BUSY',
          `another process (pid ${owner}) is writing the vault; try again when it is done`,
        );
      }
      try {
        unlinkSync(paths.lock); // stale: its owner died mid-write
      } catch {
        // someone else took it over first
      }
      continue;
    }
    try {
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return fn();
    } finally {
      try {
        unlinkSync(paths.lock);
      } catch {
        // already gone
      }
    }
  }
}

/** Save new vault bytes, keeping the current (valid) file as the backup first. */
export function saveVault(paths: VaultPaths, bytes: Uint8Array): void {
  withWriteLock(paths, () => {
    if (existsSync(paths.file)) {
      const current = readFileSync(paths.file);
      if (isWholeVault(current)) writeAtomic(paths.backup, current);
    }
    writeAtomic(paths.file, bytes);
  });
}

/**
 * Commit a passphrase change: `bytes` is the vault re-keyed (new data key, new salt, new
 * passphrase) from `expected`, the file's current bytes, which the caller has just opened with
 * the old passphrase. Two atomic writes, in this order (docs/security-model.md):
 *
 *   1. the backup := the new vault. The vault itself still opens with the old passphrase only;
 *      the backup, with the new one only. A kill here leaves the change not made.
 *   2. the vault := the new vault (the commit). Both files now open with the new passphrase only.
 *
 * So once the vault opens with the new passphrase, no file here opens with the old one: the
 * previous backup (old passphrase, maybe older contents) was replaced before the commit, and
 * each write's temp file is renamed away. After a kill before the commit, `alignBackup` at the
 * next start (or the next save) puts a copy of the vault back as the backup.
 */
export function commitRekey(paths: VaultPaths, expected: Buffer, bytes: Uint8Array): void {
  withWriteLock(paths, () => {
    let current: Buffer | null = null;
    try {
      current = readFileSync(paths.file);
    } catch {
      // gone: refused below
    }
    if (!current?.equals(expected)) {
      throw new RpcError(
        'VAULT_BUSY',
        'the vault file changed while its passphrase was being changed; nothing was changed, try again',
      );
    }
    writeAtomic(paths.backup, bytes);
    writeAtomic(paths.file, bytes);
  });
}

/**
 * At start, without any key: when the vault and its backup are both whole but were sealed under
 * different passphrases (their header and wrapped key differ — only a passphrase change makes
 * that: one interrupted before its commit, or one made before passphrase changes replaced the
 * backup), the backup becomes a copy of the vault. Returns the backup's path when it did so.
 * A damaged file is left as it is (the error at unlock names the backup).
 */
export function alignBackup(paths: VaultPaths): string[] {
  if (!existsSync(paths.file) || !existsSync(paths.backup)) return [];
  try {
    return withWriteLock(paths, () => {
      const bytes = readFileSync(paths.file);
      let differs: boolean;
      try {
        differs = !decodeFile(bytes).prefixBytes.equals(
          decodeFile(readFileSync(paths.backup)).prefixBytes,
        );
      } catch {
        return []; // one of them is damaged (or gone): not ours to decide
      }
      if (!differs) return [];
      writeAtomic(paths.backup, bytes);
      return [paths.backup];
    });
  } catch (err) {
    if (err instanceof RpcError && err.reason === 'VAULT_BUSY') return []; // a writer is at work
    throw err;
  }
}

function isWholeVault(bytes: Buffer): boolean {
  try {
    decodeFile(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Remove temp files left by a writer that died mid-save (their pid is gone). */
export function removeStaleTemps(paths: VaultPaths): string[] {
  const dir = dirname(paths.file);
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const m = /^\.vault\.bin(?:\.bak)?\.tmp-(\d+)-[0-9a-f]+$/.exec(name);
    if (!m || pidAlive(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(join(dir, name));
    } catch {
      // gone already
    }
  }
  return removed;
}

/** Tighten the vault files to 0600; returns the paths it had to fix. */
export function enforceFileModes(paths: VaultPaths): string[] {
  if (process.platform === 'win32') return [];
  const fixed: string[] = [];
  for (const p of [paths.file, paths.backup]) {
    if (!existsSync(p)) continue;
    if ((statSync(p).mode & 0o077) !== 0) {
      chmodSync(p, 0o600);
      fixed.push(p);
    }
  }
  return fixed;
}
