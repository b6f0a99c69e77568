/**
 * What one exchange does differently lives in two places: its profile folder (src/exchanges/<id>/:
 * profile, guide, errors; pure) and its host adapter (src/native-host/service/exchange/adapters/;
 * ccxt). Everywhere else the code asks the profile or the adapter, so adding an exchange means a
 * profile folder, an adapter and a simulator dialect — not a hunt through the code base.
 *
 * This test reads every source file outside those places (src/ and tools/; not the simulator,
 * which models the exchanges, nor dev/ and test/, which drive it with per-exchange fixtures) and
 * fails on a comparison with an exchange id (`=== 'okx'`, `case 'bybit':`, `['binance', …]
 * .includes(…)`), on a table keyed by exchange ids, and on any other exchange-id literal outside a
 * short allow-list of data tables.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { EXCHANGE_HOSTS, exchangeOfSender } from '../../src/background/sender-gate.js';
import { EXCHANGE_IDS, PROFILES } from '../../src/exchanges/index.js';
import { ADAPTERS } from '../../src/native-host/service/exchange/adapters/index.js';
import { ENVIRONMENTS, parseCredentials } from '../../src/protocol/params.js';
import { RpcError } from '../../src/protocol/jsonrpc.js';

const ROOT = normalize(join(import.meta.dirname, '../..'));

/** Where per-exchange knowledge belongs. */
const HOMES = [
  ...EXCHANGE_IDS.map((id) => `src/exchanges/${id}/`),
  'src/native-host/service/exchange/adapters/',
  'tools/simulator/',
];

/** Exchange-id literals that are data, not decisions; each with its reason. */
const LITERAL_ALLOWED: Record<string, string> = {
  'src/exchanges/types.ts': 'the ids themselves: ExchangeId and EXCHANGE_IDS',
  'src/background/sender-gate.ts':
    "the hosts of the exchanges' pages, so the worker need not load the profiles (checked below)",
};
/** Tables keyed by exchange id (`{ binance, bybit, okx }`, `binance: …`). */
const TABLE_ALLOWED: Record<string, string> = {
  'src/exchanges/profiles.ts': 'PROFILES, the one registry of profiles',
  'src/exchanges/sites.ts': 'SITES, their names and pages only: for pages that load no profile',
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...sources(rel));
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

const FILES = [...sources('src'), ...sources('tools')].filter(
  (f) => !HOMES.some((home) => f.startsWith(home)),
);

/** The code without comments (a `//` after a colon is a URL, not a comment). */
const code = (file: string): string =>
  readFileSync(join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:\\])\/\/.*$/gm, '$1');

const ID = `(?:${EXCHANGE_IDS.join('|')})`;
const Q = `['"\`]`;
const COMPARISONS = [
  new RegExp(`[!=]==?\\s*${Q}${ID}${Q}`),
  new RegExp(`${Q}${ID}${Q}\\s*[!=]==?`),
  new RegExp(`\\bcase\\s+${Q}${ID}${Q}\\s*:`),
  new RegExp(`\\[\\s*${Q}${ID}${Q}[^\\]]*\\]\\s*\\.\\s*(?:includes|indexOf|some|find)\\b`),
];
/** A key (`binance: …`, `'okx': …`) or a shorthand property (`{ binance, bybit }`). */
const TABLE = new RegExp(`(?:^|[{,])\\s*(?:${ID}\\s*[:,}]|${Q}${ID}${Q}\\s*:)`, 'm');
const LITERAL = new RegExp(`${Q}${ID}${Q}`);

const lineOf = (text: string, re: RegExp): string => {
  const m = re.exec(text);
  if (!m) return '';
  const start = text.lastIndexOf('\n', m.index) + 1;
  const end = text.indexOf('\n', m.index);
  return text.slice(start, end < 0 ? undefined : end).trim();
};

describe('per-exchange knowledge stays in the profile folders and the adapters', () => {
  it('scans the product and the tools', () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(FILES).toContain('src/native-host/service/trading/order-lookup.ts');
    expect(FILES).not.toContain('src/exchanges/okx/profile.ts');
  });

  it('no source file decides by comparing with an exchange id', () => {
    const found = FILES.flatMap((f) => {
      const text = code(f);
      return COMPARISONS.filter((re) => re.test(text)).map((re) => `${f}: ${lineOf(text, re)}`);
    });
    expect(found).toEqual([]);
  });

  it('no table keyed by exchange id outside the registries', () => {
    const found = FILES.filter((f) => !(f in TABLE_ALLOWED) && TABLE.test(code(f))).map(
      (f) => `${f}: ${lineOf(code(f), TABLE)}`,
    );
    expect(found).toEqual([]);
  });

  it('exchange-id literals only in the allow-listed data tables', () => {
    const found = FILES.filter((f) => !(f in LITERAL_ALLOWED) && LITERAL.test(code(f))).map(
      (f) => `${f}: ${lineOf(code(f), LITERAL)}`,
    );
    expect(found).toEqual([]);
    // The allow-lists stay short and name files that exist.
    for (const f of [...Object.keys(LITERAL_ALLOWED), ...Object.keys(TABLE_ALLOWED)])
      expect(FILES).toContain(f);
  });

  it("the worker's host table agrees with the profiles", () => {
    expect([...EXCHANGE_HOSTS].sort()).toEqual(
      EXCHANGE_IDS.map((id) => new URL(PROFILES[id].apiPageUrl).hostname).sort(),
    );
    for (const id of EXCHANGE_IDS) expect(exchangeOfSender(PROFILES[id].apiPageUrl)).toBe(id);
  });
});

describe('one profile and one adapter per exchange', () => {
  it('ADAPTERS holds one adapter per id, over that id’s profile', () => {
    expect(Object.keys(ADAPTERS).sort()).toEqual([...EXCHANGE_IDS].sort());
    for (const id of EXCHANGE_IDS) {
      expect(ADAPTERS[id].id).toBe(id);
      expect(ADAPTERS[id].profile).toBe(PROFILES[id]);
      expect(ADAPTERS[id].keyInfoCall).toMatch(/^[a-z][A-Za-z0-9]+$/);
    }
  });

  it('environments come from the profiles, live first', () => {
    for (const id of EXCHANGE_IDS) {
      expect(ENVIRONMENTS[id]).toBe(PROFILES[id].environments);
      expect(ENVIRONMENTS[id][0]).toBe('live');
    }
  });

  const reason = (f: () => unknown): string => {
    try {
      f();
    } catch (err) {
      if (err instanceof RpcError) return err.message;
      throw err;
    }
    return 'accepted';
  };

  it.each(EXCHANGE_IDS)('%s: the credentials the profile lists, by its rules', (id) => {
    const fields = PROFILES[id].credentialFields;
    expect(fields.slice(0, 2).map((f) => f.id)).toEqual(['apiKey', 'secret']);
    const valid = Object.fromEntries(fields.map((f) => [f.id, 'x'.repeat(f.minLength)]));
    expect(parseCredentials(id, valid)).toEqual(valid);
    for (const f of fields) {
      const { [f.id]: _dropped, ...without } = valid;
      expect(reason(() => parseCredentials(id, without))).toBe(
        f.missing ?? reason(() => parseCredentials(id, { ...valid, [f.id]: '' })),
      );
      expect(
        reason(() => parseCredentials(id, { ...valid, [f.id]: 'x'.repeat(f.maxLength + 1) })),
      ).toMatch(new RegExp(`^${f.ruleName} must be ${f.minLength}–${f.maxLength} `));
    }
    for (const other of ['apiKey', 'secret', 'passphrase'] as const) {
      if (fields.some((f) => f.id === other)) continue;
      expect(reason(() => parseCredentials(id, { ...valid, [other]: 'abcdefgh' }))).toMatch(
        new RegExp(`keys have no ${other}`),
      );
    }
  });
});
