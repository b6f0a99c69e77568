/**
 * Where the built extension lies: `dist/extension` of the project this host runs from (the
 * folder "Load unpacked" takes), and `dist/firefox` beside it (Firefox's build). Found by walking up from this file to package.json, so it is
 * right both for the built host (dist/host/…) and for the sources under test.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function projectRoot(from: string = dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** The absolute path of dist/extension (it may not be built yet). */
export function extensionDir(): string {
  const root = projectRoot() ?? process.cwd();
  return join(root, 'dist', 'extension');
}

/** dist/firefox beside a dist/extension folder: the Firefox build (npm run build writes both). */
export function firefoxDirBeside(extensionDirectory: string): string {
  return join(dirname(extensionDirectory), 'firefox');
}
