/**
 * The layout's boundaries, read from the imports of every source file (docs/architecture.md):
 * - pure modules (src/exchanges, src/protocol, src/signals, src/lib) import only each other;
 * - src/node (Node-only code the host, the tools and the harness share) imports pure modules;
 * - the extension (src/background, src/content, src/popup, src/setup, src/ui) imports only
 *   itself and the pure modules — never the host, the tools or the dev harness;
 * - the host (src/native-host) imports only itself, src/node and the pure modules;
 * - the tools (simulator, signal relay) import only themselves, src/node and the pure modules;
 * - nothing imports the dev harness (dev/) but dev/ itself and the tests;
 * - no import cycle; no source file over 400 lines.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = normalize(join(import.meta.dirname, '../..'));

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...sources(rel));
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

const FILES = [...sources('src'), ...sources('tools'), ...sources('dev')];
const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

/** Every import of a file: relative ones resolved to repository paths, others as written. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? '';
    if (!spec.startsWith('.')) {
      out.push(spec);
      continue;
    }
    const target = normalize(join(dirname(file), spec));
    const candidates = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.tsx')];
    out.push(candidates.find((c) => FILES.includes(c)) ?? target);
  }
  return out;
}

const GRAPH = new Map(FILES.map((f) => [f, importsOf(f)]));

type Area = 'pure' | 'node' | 'extension' | 'host' | 'tools' | 'dev' | 'other';
const AREAS: [string, Area][] = [
  ['src/exchanges/', 'pure'],
  ['src/protocol/', 'pure'],
  ['src/signals/', 'pure'],
  ['src/lib/', 'pure'],
  ['src/node/', 'node'],
  ['src/background/', 'extension'],
  ['src/content/', 'extension'],
  ['src/popup/', 'extension'],
  ['src/setup/', 'extension'],
  ['src/ui/', 'extension'],
  ['src/native-host/', 'host'],
  ['tools/', 'tools'],
  ['dev/', 'dev'],
];
const areaOf = (path: string): Area => AREAS.find(([p]) => path.startsWith(p))?.[1] ?? 'other';

const ALLOWED: Record<Area, Area[]> = {
  pure: ['pure'],
  node: ['node', 'pure'],
  extension: ['extension', 'pure'],
  host: ['host', 'node', 'pure'],
  tools: ['tools', 'node', 'pure'],
  dev: ['dev', 'tools', 'host', 'node', 'pure'],
  other: [],
};

it('every source file belongs to an area', () => {
  expect(FILES.filter((f) => areaOf(f) === 'other')).toEqual([]);
});

it('imports stay inside the boundaries', () => {
  const crossings: string[] = [];
  for (const [file, imports] of GRAPH) {
    const from = areaOf(file);
    for (const target of imports) {
      const isLocal = FILES.includes(target) || target.startsWith('src/') || target.includes('/');
      if (target.startsWith('node:')) {
        if (from === 'pure' || from === 'extension') crossings.push(`${file} → ${target}`);
        continue;
      }
      if (!FILES.includes(target)) {
        // A package: pure modules use none.
        if (from === 'pure' && !isLocal) crossings.push(`${file} → package ${target}`);
        continue;
      }
      if (!ALLOWED[from].includes(areaOf(target))) crossings.push(`${file} → ${target}`);
    }
  }
  expect(crossings).toEqual([]);
});

it('no import cycle', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of GRAPH.get(file) ?? []) {
      if (!GRAPH.has(next)) continue;
      if (state.get(next) === 'open')
        cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of FILES) if (!state.has(file)) visit(file);
  expect(cycles).toEqual([]);
});

it('no source file over 400 lines', () => {
  const long = FILES.map(
    (f) => [f, readFileSync(join(ROOT, f), 'utf8').split('\n').length] as const,
  )
    .filter(([, n]) => n > 400)
    .map(([f, n]) => `${relative(ROOT, join(ROOT, f))}: ${n}`);
  expect(long).toEqual([]);
});
