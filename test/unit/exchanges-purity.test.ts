import { readFileSync, readdirSync } from 'node:fs';

// src/exchanges/ is imported by the extension (no Node) and the host (no DOM): it must stay pure.
const dir = new URL('../../src/exchanges/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('src/exchanges/ is pure', () => {
  it('has the expected modules', () => {
    for (const f of ['binance.ts', 'bybit.ts', 'okx.ts', 'policy.ts', 'order-id.ts', 'index.ts']) {
      expect(files).toContain(f);
    }
  });

  it.each(files)('%s imports only sibling modules, with .js extensions', (file) => {
    const source = readFileSync(new URL(file, dir), 'utf8');
    const specifiers = [...source.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map(
      (m) => m[1] ?? '',
    );
    const dynamic = [...source.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]/g)];
    expect(dynamic).toEqual([]);
    for (const s of specifiers) {
      expect(s).toMatch(/^\.\/[a-z0-9-]+\.js$/);
      expect(s).not.toMatch(/^node:|ccxt|webextension-polyfill|preact/);
    }
  });

  it.each(files)('%s touches no DOM, browser or Node globals', (file) => {
    const code = readFileSync(new URL(file, dir), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(
      /\b(document|window|chrome|browser|localStorage|fetch|process|Buffer|require|__dirname|globalThis)\b\s*[.([]/,
    );
  });
});
