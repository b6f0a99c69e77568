/**
 * The service's ccxt loader (exchange/ccxt-classes.ts, as built in dist/) loads the asked
 * exchange's class and nothing of the other exchanges: not ccxt's entry module (which imports
 * every exchange), no other exchange's file, no ccxt.pro. Each case runs in a fresh Node whose
 * module load hook lists every file loaded (test/helpers/ccxt-loader-child.mjs).
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXCHANGE_IDS, type ExchangeId } from '../../src/exchanges/types.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CHILD = join(ROOT, 'test/helpers/ccxt-loader-child.mjs');

interface ChildReport {
  name: string;
  instanceId: string;
  sameAsEntry: boolean;
  files: string[];
}

function loadIn(id: ExchangeId): ChildReport {
  const out = execFileSync(process.execPath, [CHILD, id], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '') as ChildReport;
}

/** ccxt's files among `files`, relative to its js/ folder: "src/okx.js", "ccxt.js", … */
function ccxtFiles(files: string[]): string[] {
  return files.flatMap((f) => {
    const m = /\/node_modules\/ccxt\/js\/(.+)$/.exec(f);
    return m?.[1] === undefined ? [] : [m[1]];
  });
}

/** Files of one exchange (its class, API table, ccxt.pro and prediction twins) or the entry. */
const exchangeSpecific = (f: string): boolean =>
  /^src\/(?:abstract\/|pro\/|prediction\/)?[a-z0-9]+\.js$/.test(f) || f === 'ccxt.js';

describe.each(EXCHANGE_IDS.map((id) => [id]))('the ccxt loader asked for %s', (id) => {
  let report: ChildReport;
  beforeAll(() => {
    report = loadIn(id);
  });

  it("returns ccxt's own class for it (the entry's export, same object)", () => {
    expect(report.name).toBe(id);
    expect(report.instanceId).toBe(id);
    expect(report.sameAsEntry).toBe(true);
  });

  it("loads only that exchange's files: no ccxt entry, no other exchange, no ccxt.pro", () => {
    const files = ccxtFiles(report.files);
    expect(files.length).toBeGreaterThan(10); // the hook saw ccxt's base modules load
    expect(files.filter(exchangeSpecific).sort()).toEqual([
      `src/abstract/${id}.js`,
      `src/${id}.js`,
    ]);
  });
});
