/**
 * The repository root, found by walking up from this file: the harness runs from its sources
 * (tests, through vitest) and from the dev build (dist/dev/…: the demo, the bench).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function isRepositoryRoot(dir: string): boolean {
  const pkg = join(dir, 'package.json');
  if (!existsSync(pkg)) return false;
  try {
    return (
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'sentinel-companion'
    );
  } catch {
    return false;
  }
}

export function repositoryRoot(): string {
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir))
    if (isRepositoryRoot(dir)) return dir;
  throw new Error('the sentinel-companion checkout was not found above ' + import.meta.dirname);
}

export const ROOT = repositoryRoot();
