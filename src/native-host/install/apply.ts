/**
 * The thin I/O layer: carries out an InstallPlan or UninstallPlan with node:fs and execFile.
 * Writes are atomic (temp file in the same folder, then rename) so a browser reading a manifest
 * at connect time never sees half a file.
 */
import { execFile as execFileCb } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type {
  InstallPlan,
  PlannedCommand,
  PlannedDir,
  PlannedFile,
  UninstallPlan,
} from './plan.js';
import { errorMessage } from '../../lib/error-text.js';

export type RunCommand = (command: string, args: string[]) => Promise<void>;

export interface ApplyResult {
  ok: boolean;
  /** One line per step done. */
  done: string[];
  /** One line per step that failed, with the reason. */
  errors: string[];
}

/** execFile without a shell; rejects with the command's stderr in the message. */
export const runCommand: RunCommand = (command, args) =>
  new Promise((resolve, reject) => {
    execFileCb(command, args, { windowsHide: true }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${String(stderr).trim() || err.message}`));
      else resolve();
    });
  });

async function isDir(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * mkdir -p where every folder we create gets 0700 (so we never leave a browser's profile root
 * world-readable), the last one gets `dir.mode`; existing folders keep their mode unless
 * `enforceMode`.
 */
async function ensureDir(dir: PlannedDir): Promise<void> {
  const missing: string[] = [];
  for (let p = dir.path; !(await isDir(p)); p = path.dirname(p)) {
    if (path.dirname(p) === p) break;
    missing.unshift(p);
  }
  for (const p of missing) {
    const mode = p === dir.path ? dir.mode : 0o700;
    await fs.mkdir(p, { mode }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    await fs.chmod(p, mode); // mkdir's mode is filtered by the umask
  }
  if (dir.enforceMode && !missing.includes(dir.path)) await fs.chmod(dir.path, dir.mode);
}

export async function writeFileAtomic(file: PlannedFile): Promise<void> {
  const tmp = path.join(
    path.dirname(file.path),
    `.${path.basename(file.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const handle = await fs.open(tmp, 'wx', file.mode);
  try {
    await handle.writeFile(file.content, 'utf8');
    await handle.chmod(file.mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file.path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

function describe(c: PlannedCommand): string {
  return [c.command, ...c.args.map((a) => (/\s/.test(a) ? `"${a}"` : a))].join(' ');
}

async function runAll(
  commands: readonly PlannedCommand[],
  run: RunCommand,
  result: ApplyResult,
): Promise<void> {
  for (const c of commands) {
    try {
      await run(c.command, c.args);
      result.done.push(`ran ${describe(c)}`);
    } catch (e) {
      if (c.ignoreFailure) result.done.push(`skipped ${describe(c)} (nothing to do)`);
      else result.errors.push(`${describe(c)} failed: ${errorMessage(e)}`);
    }
  }
}

function fail(result: ApplyResult, what: string, e: unknown): void {
  result.errors.push(`${what}: ${errorMessage(e)}`);
}

export async function applyInstallPlan(
  plan: InstallPlan,
  run: RunCommand = runCommand,
): Promise<ApplyResult> {
  const result: ApplyResult = { ok: false, done: [], errors: [] };
  for (const dir of plan.dirs) {
    try {
      await ensureDir(dir);
    } catch (e) {
      fail(result, `could not create ${dir.path}`, e);
    }
  }
  for (const file of plan.files) {
    try {
      await writeFileAtomic(file);
      result.done.push(`wrote ${file.path}`);
    } catch (e) {
      fail(result, `could not write ${file.path}`, e);
    }
  }
  // Registry entries only once their manifests are in place.
  if (result.errors.length === 0) await runAll(plan.commands, run, result);
  result.ok = result.errors.length === 0;
  return result;
}

export async function applyUninstallPlan(
  plan: UninstallPlan,
  run: RunCommand = runCommand,
): Promise<ApplyResult> {
  const result: ApplyResult = { ok: false, done: [], errors: [] };
  await runAll(plan.commands, run, result);
  for (const file of plan.remove) {
    try {
      await fs.rm(file, { force: true });
      result.done.push(`removed ${file}`);
    } catch (e) {
      fail(result, `could not remove ${file}`, e);
    }
  }
  result.ok = result.errors.length === 0;
  return result;
}
