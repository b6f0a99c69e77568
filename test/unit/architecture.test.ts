/**
 * The layout's boundaries, read from the imports of every source file (docs/architecture.md):
 * - pure modules (src/exchanges, src/protocol, src/signals, src/lib) import only each other;
 * - src/node (Node-only code the host, the tools and the harness share) imports pure modules;
 * - the extension (src/background, src/content, src/popup, src/setup, src/dashboard, src/ui)
 *   imports only itself and the pure modules — never the host, the tools or the dev harness;
 * - inside the extension, its pages and scripts (popup, setup, dashboard, content, background)
 *   share only through src/ui and the pure modules: none imports another, src/ui imports none
 *   of them, and the background pulls in no Preact component (directly or through src/ui);
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
  ['src/dashboard/', 'extension'],
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

/** The extension's entries: each its own world, sharing only src/ui and the pure modules. */
const ENTRIES = ['src/popup/', 'src/setup/', 'src/dashboard/', 'src/content/', 'src/background/'];
const entryOf = (path: string): string | undefined => ENTRIES.find((e) => path.startsWith(e));

it('extension pages and scripts share only through src/ui and the pure modules', () => {
  const crossings: string[] = [];
  for (const [file, imports] of GRAPH) {
    const from = entryOf(file);
    if (!from && !file.startsWith('src/ui/')) continue;
    for (const target of imports) {
      const to = entryOf(target);
      if (to && to !== from) crossings.push(`${file} → ${target}`);
    }
  }
  expect(crossings).toEqual([]);
});

it('the background pulls in no Preact component', () => {
  // A .tsx file, or a module that imports Preact (hooks included): page code, not worker code.
  const isPreact = (f: string): boolean =>
    f.endsWith('.tsx') || (GRAPH.get(f) ?? []).some((i) => /^preact(\/|$)/.test(i));
  const found: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, via: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    if (isPreact(file)) found.push([...via, file].join(' → '));
    for (const next of GRAPH.get(file) ?? []) if (GRAPH.has(next)) visit(next, [...via, file]);
  };
  for (const file of FILES) if (file.startsWith('src/background/')) visit(file, []);
  expect(found).toEqual([]);
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
