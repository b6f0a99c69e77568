/**
 * Loads one ccxt exchange class from its own file instead of ccxt's entry module. The entry
 * (js/ccxt.js) imports every exchange ccxt has (~110, plus their ccxt.pro websocket twins): about
 * 85 MiB of resident memory and 0.7-1.1 s of start-up, where the three exchanges the host trades
 * on need ~33 MiB together (docs/benchmarks.md, row 4).
 *
 * The class is the very object ccxt's entry exports (`ccxt.okx === <this>`): the entry re-exports
 * the default export of js/src/<id>.js, and ES modules are loaded once per URL. ccxt's package.json
 * `exports` only opens ".", so the file's URL is resolved from where "ccxt" resolves (js/ccxt.js),
 * never from a package subpath. Types still come from 'ccxt'.
 */
import type { Exchange } from 'ccxt';
import { EXCHANGE_IDS, type ExchangeId } from '../../../exchanges/types.js';

export type ExchangeClass = new (config: Record<string, unknown>) => Exchange;

/**
 * The file: URL of ccxt's module for `id`: js/src/<id>.js beside its entry js/ccxt.js (`import okx
 * from './src/okx.js'`; our exchange ids are ccxt's). Throws for an id the host does not trade on.
 */
export function ccxtClassUrl(id: ExchangeId): string {
  if (!EXCHANGE_IDS.includes(id))
    throw new Error(`ccxt has no exchange "${String(id)}" for Sentinel`);
  return new URL(`./src/${id}.js`, import.meta.resolve('ccxt')).href;
}

const loaded = new Map<ExchangeId, Promise<ExchangeClass>>();

async function importClass(id: ExchangeId): Promise<ExchangeClass> {
  const url = ccxtClassUrl(id);
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (err) {
    throw new Error(
      `could not load ccxt's ${id} module (${url}): ${err instanceof Error ? err.message : String(err)}; ` +
        'reinstall the host (npm ci) so ccxt matches package-lock.json',
    );
  }
  const cls = mod.default;
  if (typeof cls !== 'function')
    throw new Error(`ccxt's ${id} module (${url}) has no exchange class as its default export`);
  return cls as ExchangeClass;
}

/** ccxt's class for `id`, imported on first use and shared afterwards. */
export function exchangeClass(id: ExchangeId): Promise<ExchangeClass> {
  let p = loaded.get(id);
  if (p === undefined) {
    p = importClass(id);
    loaded.set(id, p);
    // A failed import is not cached: the next use tries again.
    p.catch(() => loaded.delete(id));
  }
  return p;
}
