/**
 * What the service loads (its resident memory, docs/benchmarks.md row 4): idle — started, vault
 * unlocked, no connections — it loads no ccxt, no ws and no NATS client; with a connection per
 * exchange and a feed, only those three exchanges' ccxt files (never ccxt's entry, which imports
 * every exchange) and ws, and still no NATS (the relay's, never the service's). A preload hook
 * (test/helpers/record-loads.mjs) lists every file the service process loads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Scope } from '../../dev/harness/scope.js';
import { startTradingStack, type TradingStack } from '../../dev/harness/trading.js';
import { ROOT } from '../../dev/harness/root.js';
import { requireBuiltHost } from '../helpers/host.js';

const PRELOAD = pathToFileURL(join(ROOT, 'test/helpers/record-loads.mjs')).href;

let scope: Scope;
let stack: TradingStack;
let logDir: string;

beforeAll(async () => {
  requireBuiltHost();
  scope = new Scope('service imports');
  logDir = scope.tempDir('sc-loads-');
  stack = await startTradingStack(scope, {
    kdf: 'insecure-test',
    connect: false,
    serviceEnv: { NODE_OPTIONS: `--import ${PRELOAD}`, SC_RECORD_LOADS: logDir },
  });
});

afterAll(async () => {
  const problems = await scope?.close();
  if (problems?.length) throw new Error(`clean-up: ${problems.join('; ')}`);
});

/**
 * The packages the service process loaded (not the CLI's: each process has its own list), and
 * ccxt's own files (relative to its js/ folder).
 */
function loaded(): { packages: Set<string>; ccxtFiles: string[] } {
  const log = join(logDir, `${stack.service.pid}.txt`);
  const urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const packages = new Set<string>();
  const ccxtFiles: string[] = [];
  for (const url of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
    if (!m?.[1] || m[2] === undefined) continue;
    packages.add(m[1]);
    const inCcxt = /^js\/(.+)$/.exec(m[2]);
    if (m[1] === 'ccxt' && inCcxt?.[1]) ccxtFiles.push(inCcxt[1]);
  }
  return { packages, ccxtFiles };
}

const exchangeFiles = (files: string[]): string[] =>
  files
    .filter(
      (f) => /^src\/(?:abstract\/|pro\/|prediction\/)?[a-z0-9]+\.js$/.test(f) || f === 'ccxt.js',
    )
    .sort();

it('idle (vault unlocked, no connections): no ccxt, no ws, no NATS client', async () => {
  expect(await stack.call('host.hello', {})).toMatchObject({ vault: 'unlocked' });
  const { packages, ccxtFiles } = loaded();
  expect(packages.has('better-sqlite3')).toBe(true); // the hook saw the service's own loads
  expect(ccxtFiles).toEqual([]);
  expect(
    [...packages].filter((p) => p === 'ccxt' || p === 'ws' || p.startsWith('@nats-io/')),
  ).toEqual([]);
});

it("with a connection per exchange and a feed: those exchanges' ccxt files and ws, no NATS", async () => {
  await stack.connect();
  const { packages, ccxtFiles } = loaded();
  expect(exchangeFiles(ccxtFiles)).toEqual([
    'src/abstract/binance.js',
    'src/abstract/bybit.js',
    'src/abstract/okx.js',
    'src/binance.js',
    'src/bybit.js',
    'src/okx.js',
  ]);
  expect(packages.has('ws')).toBe(true);
  expect([...packages].filter((p) => p.startsWith('@nats-io/'))).toEqual([]);
});
