/** The host's version, read once from the project's package.json. */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function hostVersion(): string {
  if (cached !== undefined) return cached;
  // From src/native-host/ it is two folders up; from the compiled dist/host/native-host/, three.
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as Record<
        string,
        unknown
      >;
      if (pkg.name === 'sentinel-companion' && typeof pkg.version === 'string') {
        cached = pkg.version;
        return cached;
      }
    } catch {
      // not this one; try the next candidate
    }
  }
  cached = '0.0.0-unknown';
  return cached;
}
