import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// src/exchanges/ is imported by the extension (no Node) and the host (no DOM): it must stay pure.
// Shared modules sit at its top; each exchange has a folder (profile, guide, errors).
const dir = new URL('../../src/exchanges/', import.meta.url).pathname;

function list(sub: string): string[] {
  return readdirSync(join(dir, sub)).flatMap((name) => {
    const rel = sub ? `${sub}/${name}` : name;
    return statSync(join(dir, rel)).isDirectory() ? list(rel) : rel.endsWith('.ts') ? [rel] : [];
  });
}
const files = list('');
const folders = readdirSync(dir).filter((f) => statSync(join(dir, f)).isDirectory());

describe('src/exchanges/ is pure', () => {
  it('has the expected modules', () => {
    for (const f of ['policy.ts', 'order-id.ts', 'index.ts', 'profile.ts', 'types.ts']) {
      expect(files).toContain(f);
    }
    expect(folders.sort()).toEqual(['binance', 'bybit', 'okx']);
    for (const ex of folders)
      for (const f of ['profile.ts', 'guide.ts', 'errors.ts'])
        expect(files).toContain(`${ex}/${f}`);
  });

  it.each(files)('%s imports only modules of src/exchanges/, with .js extensions', (file) => {
    const source = readFileSync(join(dir, file), 'utf8');
    const specifiers = [...source.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map(
      (m) => m[1] ?? '',
    );
    const dynamic = [...source.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]/g)];
    expect(dynamic).toEqual([]);
    const inFolder = file.includes('/');
    for (const s of specifiers) {
      // A shared module imports its siblings and exchange folders; an exchange's module imports
      // its own folder and the shared modules, never another exchange.
      expect(s).toMatch(
        inFolder ? /^(\.|\.\.)\/[a-z0-9-]+\.js$/ : /^\.\/(?:[a-z0-9]+\/)?[a-z0-9-]+\.js$/,
      );
      expect(s).not.toMatch(/^node:|ccxt|webextension-polyfill|preact/);
    }
  });

  it.each(files)('%s touches no DOM, browser or Node globals', (file) => {
    const code = readFileSync(join(dir, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(
      /\b(document|window|chrome|browser|localStorage|fetch|process|Buffer|require|__dirname|globalThis)\b\s*[.([]/,
    );
  });
});
