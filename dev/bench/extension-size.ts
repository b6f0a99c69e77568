/**
 * 6. Built extension sizes: for each entry dist/extension/manifest.json names (popup, background
 * worker, content scripts, extension pages the exchange sites may frame), the entry file plus
 * every file it loads when it opens, followed transitively — <script src>, <link href> in HTML;
 * static imports, chrome.runtime.getURL(…) and preload lists in JS (any string literal naming a
 * .js/.mjs/.css file that exists in the build); url(…) in CSS. What a page loads only on demand
 * — `import("./x.js")` with a literal path, and the files vite preloads with it (its
 * __vite__mapDeps list) — is counted apart, as "loaded on demand", never dropped. Raw bytes, and
 * gzip (zlib.gzipSync, default level) summed file by file. Baseline: every file in dist/extension.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { EXTENSION_DIR } from './common.js';
import { Skip, type Measurement } from './measurement.js';
import { kib, percent, type Row } from './report.js';

interface Size {
  files: string[];
  raw: number;
  gzip: number;
}

function sizeOf(root: string, files: Iterable<string>): Size {
  const list = [...files].sort();
  let raw = 0;
  let gzip = 0;
  for (const f of list) {
    const bytes = readFileSync(join(root, f));
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
  }
  return { files: list, raw, gzip };
}

function allFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? allFiles(root, join(dir, e.name))
      : [relative(root, join(dir, e.name)).split(sep).join('/')],
  );
}

/** A dynamic import of a literal path, and vite's list of the files it preloads with one. */
const DYNAMIC_IMPORT = /\bimport\(\s*["'`]([^"'`\s]+)["'`]\s*\)/g;
const PRELOAD_LIST = /\b__vite__mapDeps\s*=[^;]*?\[([^\]]*)\]/g;

interface References {
  /** Loaded with the file. */
  now: string[];
  /** Loaded only when the file's code asks for it (a dynamic import). */
  onDemand: string[];
}

/** Files a file refers to, as paths relative to root (only those that exist in the build). */
function references(root: string, file: string): References {
  const source = readFileSync(join(root, file), 'utf8');
  const later: string[] = [];
  let text = source;
  if (!file.endsWith('.html') && !file.endsWith('.css')) {
    for (const m of source.matchAll(DYNAMIC_IMPORT)) later.push(m[1]!);
    for (const m of source.matchAll(PRELOAD_LIST))
      for (const f of m[1]!.matchAll(/["'`]([^"'`\s]+)["'`]/g)) later.push(f[1]!);
    text = source.replace(DYNAMIC_IMPORT, '').replace(PRELOAD_LIST, '');
  }
  const candidates: string[] = [];
  if (file.endsWith('.html')) {
    for (const m of text.matchAll(
      /<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']/gi,
    ))
      candidates.push(m[1]!);
  } else if (file.endsWith('.css')) {
    for (const m of text.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) candidates.push(m[1]!);
    for (const m of text.matchAll(/@import\s+["']([^"']+)["']/g)) candidates.push(m[1]!);
  } else {
    for (const m of text.matchAll(/["'`]([^"'`\s]+\.(?:m?js|css))["'`]/g)) candidates.push(m[1]!);
  }
  return { now: existing(root, file, candidates), onDemand: existing(root, file, later) };
}

/** The candidates that name a file of the build, relative to root. */
function existing(root: string, file: string, candidates: string[]): string[] {
  const out = new Set<string>();
  for (const c of candidates) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(c) || c.startsWith('//')) continue; // URLs elsewhere
    const path = c.split(/[?#]/)[0]!;
    // "/x" and bare "assets/x" (getURL) are from the extension root; "./x", "../x" from the file.
    const tries = path.startsWith('/')
      ? [join(root, path)]
      : path.startsWith('.')
        ? [resolve(root, dirname(file), path)]
        : [resolve(root, dirname(file), path), join(root, path)];
    for (const abs of tries) {
      const rel = relative(root, abs).split(sep).join('/');
      if (rel.startsWith('..') || !existsSync(abs) || !statSync(abs).isFile()) continue;
      out.add(rel);
      break;
    }
  }
  return [...out];
}

/** What the entries load: `now` when they open, `onDemand` (and not already loaded) later. */
function closure(root: string, entries: string[]): { now: Set<string>; onDemand: Set<string> } {
  const walk = (starts: string[], onDemandToo: boolean): Set<string> => {
    const seen = new Set<string>();
    const stack = [...starts];
    while (stack.length > 0) {
      const f = stack.pop()!;
      if (seen.has(f) || !existsSync(join(root, f))) continue;
      seen.add(f);
      const refs = references(root, f);
      stack.push(...refs.now, ...(onDemandToo ? refs.onDemand : []));
    }
    return seen;
  };
  const starts = entries.map((e) => e.replace(/^\//, ''));
  const now = walk(starts, false);
  const onDemand = new Set([...walk(starts, true)].filter((f) => !now.has(f)));
  return { now, onDemand };
}

interface Manifest {
  background?: { service_worker?: string; scripts?: string[]; page?: string };
  action?: { default_popup?: string };
  browser_action?: { default_popup?: string };
  options_page?: string;
  options_ui?: { page?: string };
  side_panel?: { default_path?: string };
  content_scripts?: { matches?: string[]; js?: string[]; css?: string[] }[];
  web_accessible_resources?: (string | { resources?: string[] })[];
}

/**
 * The content scripts one page gets, per match pattern: every content_scripts entry whose matches
 * name the pattern (a page on binance.com loads what the binance.com entries list, no more).
 */
function contentScriptsBySite(m: Manifest): [string, string[]][] {
  const bySite = new Map<string, Set<string>>();
  for (const c of m.content_scripts ?? [])
    for (const match of c.matches ?? ['<unmatched>']) {
      const files = bySite.get(match) ?? new Set<string>();
      for (const f of [...(c.js ?? []), ...(c.css ?? [])]) files.add(f);
      bySite.set(match, files);
    }
  return [...bySite].map(([site, files]) => [site, [...files]]);
}

/** Named entries the manifest points at: [label, entry files]. */
function entries(m: Manifest): [string, string[]][] {
  const out: [string, string[]][] = [];
  const popup = m.action?.default_popup ?? m.browser_action?.default_popup;
  if (popup) out.push([`popup (${popup})`, [popup]]);
  const bg = [
    ...(m.background?.service_worker ? [m.background.service_worker] : []),
    ...(m.background?.scripts ?? []),
    ...(m.background?.page ? [m.background.page] : []),
  ];
  if (bg.length > 0) out.push([`background (${bg.join(', ')})`, bg]);
  // Each site loads only its own content scripts: the row is the heaviest site's (runs list all).
  const sites = contentScriptsBySite(m).map(([site, files]) => ({
    site,
    files,
    size: sizeOf(EXTENSION_DIR, closure(EXTENSION_DIR, files).now),
  }));
  const heaviest = [...sites].sort((a, b) => b.size.gzip - a.size.gzip)[0];
  if (heaviest)
    out.push([
      `content script (on one exchange site: the heaviest of ${sites.length}, ${heaviest.site})`,
      heaviest.files,
    ]);
  const pages = new Set<string>();
  for (const p of [m.options_page, m.options_ui?.page, m.side_panel?.default_path])
    if (p) pages.add(p);
  for (const w of m.web_accessible_resources ?? [])
    for (const r of typeof w === 'string' ? [w] : (w.resources ?? []))
      if (r.endsWith('.html')) pages.add(r);
  for (const p of pages)
    out.push([`${/setup/i.test(p) ? 'setup page' : 'extension page'} (${p})`, [p]]);
  return out;
}

export function extensionSize(): Measurement {
  return {
    id: '6',
    title: 'Built extension size',
    timeoutMs: 30_000,
    async run() {
      const manifestPath = join(EXTENSION_DIR, 'manifest.json');
      if (!existsSync(manifestPath))
        throw new Skip('dist/extension is missing: run "npm run build"');
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
      const total = sizeOf(EXTENSION_DIR, allFiles(EXTENSION_DIR));
      const baseline = `${kib(total.raw)} raw, ${kib(total.gzip)} gzip (all ${total.files.length} files in dist/extension)`;
      const onDemandNotes: string[] = [];
      const rows: Row[] = entries(manifest).map(([label, files], i) => {
        const loads = closure(EXTENSION_DIR, files);
        const s = sizeOf(EXTENSION_DIR, loads.now);
        const later = sizeOf(EXTENSION_DIR, loads.onDemand);
        if (later.files.length > 0)
          onDemandNotes.push(
            `${label}: loaded on demand (not counted above): ${kib(later.gzip)} gzip, ${kib(later.raw)} raw, in ${later.files.length} file${later.files.length === 1 ? '' : 's'} (${later.files.join(', ')}).`,
          );
        return {
          id: `6${'abcdefghij'[i] ?? String(i)}`,
          what: `Extension: ${label}, with the chunks it loads`,
          result: `${kib(s.raw)} raw, ${kib(s.gzip)} gzip (${s.files.length} files)`,
          baseline,
          ratio: `${percent(s.raw, total.raw)} raw, ${percent(s.gzip, total.gzip)} gzip`,
          n: '1',
          data: { unit: 'bytes', entry: s, onDemand: later, total },
        };
      });
      return {
        rows,
        notes: [
          'gzip is summed file by file; Chromium reads extension files from disk uncompressed, so it stands for download/parse weight, not load time.',
          `content script per site: ${contentScriptsBySite(manifest)
            .map(([site, files]) => {
              const s = sizeOf(EXTENSION_DIR, closure(EXTENSION_DIR, files).now);
              return `${site} ${kib(s.gzip)} gzip (${s.files.length} files)`;
            })
            .join('; ')}.`,
          ...onDemandNotes,
        ],
      };
    },
  };
}
