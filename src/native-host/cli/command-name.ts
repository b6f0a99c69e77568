/**
 * How to type this CLI so a printed fix runs as shown: `sentinel-host` when the running entry was
 * reached through a PATH entry named sentinel-host (npm link, a global install), else
 * `node bin/sentinel-host.js` (relative to the checkout when run from inside it).
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';

function real(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

/** Pure core: `entry` is process.argv[1]; `resolve` follows links (undefined when absent). */
export function commandNameFor(
  entry: string | undefined,
  pathVar: string | undefined,
  cwd: string,
  resolve: (file: string) => string | undefined = real,
  names: readonly string[] = ['sentinel-host', 'sentinel-host.cmd', 'sentinel-host.ps1'],
): string {
  if (!entry) return 'sentinel-host';
  const target = resolve(entry) ?? entry;
  // Not this CLI's entry (a test runner, an import): the installed name.
  if (!/sentinel-host(\.js)?$|native-host[\\/]main\.js$/.test(target)) return 'sentinel-host';
  for (const dir of (pathVar ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const found = resolve(path.join(dir, name));
      if (found !== undefined && (found === target || path.join(dir, name) === entry))
        return 'sentinel-host';
    }
  }
  const rel = path.relative(cwd, target);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : target;
  return `node ${shown.includes(' ') ? JSON.stringify(shown) : shown}`;
}

let cached: string | undefined;

/** `sentinel-host` or `node bin/sentinel-host.js`, for this process. */
export function cliName(): string {
  cached ??= commandNameFor(process.argv[1], process.env['PATH'], process.cwd());
  return cached;
}

/** `sentinel-host service start` → the same command as it runs from here. */
export const cmd = (args: string): string => `${cliName()} ${args}`;

/** A message (often the service's, which names `sentinel-host …`) with the command as typed here. */
export function asTyped(text: string, cli: string = cliName()): string {
  return cli === 'sentinel-host' ? text : text.replace(/\bsentinel-host (?=[a-z])/g, `${cli} `);
}
