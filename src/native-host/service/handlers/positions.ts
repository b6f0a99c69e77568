/**
 * positions.list: the open perpetual positions of the connections that a subscription's route
 * trades swaps on, read from each exchange (exchange/positions.ts), with the stop-loss and
 * take-profit trigger prices the host placed. One exchange failing is reported for that
 * connection (`problems`); the others are still listed. Needs the vault unlocked (the keys).
 */
import type Database from 'better-sqlite3';
import type { Exchange } from 'ccxt';
import { RpcError } from '../../../protocol/jsonrpc.js';
import { paramsObject, type Connection, type Credentials } from '../../../protocol/methods.js';
import type {
  PositionView,
  PositionsListResult,
  PositionsProblem,
  ProtectiveOrder,
} from '../../../protocol/positions.js';
import type { HandlerGroup } from '../../ipc/rpc-server.js';
import { createExchangeClient } from '../exchange/client.js';
import { explainCcxtError, keyCheckError } from '../exchange/exchange-error.js';
import { readPositions, withProtection } from '../exchange/positions.js';
import { swapConnectionIds } from '../futures-need.js';
import { TradingStore } from '../store/trading-store.js';
import type { ServiceContext } from './context.js';

/**
 * The market kinds that hold an exchange's linear perpetuals in ccxt's `options.fetchMarkets.types`
 * (ccxt 4.5.84 defaults: Binance and Bybit list "linear", OKX "swap": node_modules/ccxt/js/src/
 * {binance,bybit,okx}.js), so `loadMarkets` asks for no spot, inverse or option markets.
 */
function perpetualMarketTypes(client: Exchange): string[] {
  const described = client.describe() as { options?: { fetchMarkets?: { types?: unknown } } };
  const types = described.options?.fetchMarkets?.types;
  return Array.isArray(types) && types.includes('linear') ? ['linear'] : ['swap'];
}

/** Idle swap clients are dropped after this long (they hold the key). */
const IDLE_MS = 5 * 60_000;

/**
 * One swap client per connection, made here until the order path's client pool makes them: the
 * connection's usual client with perpetual markets as the default. Dropped when idle, when the
 * connection's key changes, and as soon as a call finds the vault locked.
 */
class SwapClients {
  private readonly clients = new Map<
    string,
    { keyHint: string; client: Promise<Exchange>; used: number }
  >();
  private sweep: NodeJS.Timeout | undefined;

  get(c: Connection, credentials: Credentials): Promise<Exchange> {
    const now = Date.now();
    const cached = this.clients.get(c.id);
    if (cached && cached.keyHint === c.apiKeyHint) {
      cached.used = now;
      return cached.client;
    }
    const client = createExchangeClient({
      exchange: c.exchange,
      environment: c.environment,
      ...(c.endpoint ? { endpoint: c.endpoint } : {}),
      credentials,
    }).then((x) => {
      const markets = x.options['fetchMarkets'] as Record<string, unknown> | undefined;
      x.options['fetchMarkets'] = { ...(markets ?? {}), types: perpetualMarketTypes(x) };
      x.options['defaultType'] = 'swap';
      return x;
    });
    client.catch(() => this.clients.delete(c.id)); // a failed start is not cached
    this.clients.set(c.id, { keyHint: c.apiKeyHint, client, used: now });
    this.sweep ??= setInterval(() => this.dropIdle(), IDLE_MS).unref();
    return client;
  }

  dropIdle(): void {
    const limit = Date.now() - IDLE_MS;
    for (const [id, entry] of this.clients) if (entry.used < limit) this.clients.delete(id);
  }

  drop(): void {
    this.clients.clear();
  }
}

/**
 * The open protective orders of the journal, newest first. The journal records a protective
 * order's role and trigger price once the swap order path writes them (columns `role`,
 * `trigger_price`, `closed`); an older journal has none, and then no position shows SL/TP.
 */
export function openProtectiveOrders(db: Database.Database): ProtectiveOrder[] {
  const columns = new Set(
    (db.prepare('PRAGMA table_info(orders)').all() as { name: string }[]).map((c) => c.name),
  );
  if (!columns.has('role') || !columns.has('trigger_price')) return [];
  // `closed`: a leg that no longer works on the exchange (it fired, or was cancelled with its position).
  const open = columns.has('closed') ? ' AND closed IS NULL' : '';
  const rows = db
    .prepare(
      `SELECT connection_id, symbol, role, trigger_price FROM orders
       WHERE state = 'placed' AND trigger_price IS NOT NULL${open} ORDER BY created_at DESC, rowid DESC`,
    )
    .all() as { connection_id: string; symbol: string; role: unknown; trigger_price: unknown }[];
  return rows.flatMap((r) => {
    const role = protectiveRole(r.role);
    return role && typeof r.trigger_price === 'string'
      ? [{ connectionId: r.connection_id, symbol: r.symbol, role, triggerPrice: r.trigger_price }]
      : [];
  });
}

/** The journal's role of a protective order ("stop-loss" / "take-profit"; also camelCase). */
function protectiveRole(role: unknown): ProtectiveOrder['role'] | null {
  if (typeof role !== 'string') return null;
  const r = role.toLowerCase().replace(/[^a-z]/g, '');
  return r === 'stoploss' || r === 'sl'
    ? 'stopLoss'
    : r === 'takeprofit' || r === 'tp'
      ? 'takeProfit'
      : null;
}

/** A failure of one connection in words: never ccxt's own text (its URL is signed). */
export function positionsProblem(c: Connection, err: unknown): PositionsProblem {
  const rpc = keyCheckError(c.exchange, err, c.endpoint);
  if (rpc && (rpc.reason === 'KEY_REJECTED' || rpc.reason === 'EXCHANGE_UNREACHABLE'))
    return { connectionId: c.id, reason: rpc.reason, message: rpc.message };
  const explained = explainCcxtError(c.exchange, err);
  return {
    connectionId: c.id,
    reason: 'EXCHANGE_ERROR',
    message: explained
      ? explained.message
      : `the exchange's answer about positions could not be used (${err instanceof Error ? err.constructor.name : 'error'}); try again, and check the positions on the exchange's site`,
  };
}

/**
 * How long one exchange answer serves every page that asks (popup, dashboard, CLI): a burst of
 * host changes refetches the pages, and must not become a burst of position requests.
 */
const FRESH_MS = 3_000;

export function positionHandlers(ctx: ServiceContext) {
  const clients = new SwapClients();
  const recent = new Map<string, { at: number; keyHint: string; read: Promise<PositionView[]> }>();
  const read = (c: Connection, credentials: Credentials): Promise<PositionView[]> => {
    const now = Date.now();
    const hit = recent.get(c.id);
    if (hit && hit.keyHint === c.apiKeyHint && now - hit.at < FRESH_MS) return hit.read;
    const fresh = clients.get(c, credentials).then((client) => readPositions(c.id, client));
    fresh.catch(() => recent.delete(c.id)); // a failure is asked again next time
    recent.set(c.id, { at: now, keyHint: c.apiKeyHint, read: fresh });
    return fresh;
  };
  return {
    'positions.list': async (params): Promise<PositionsListResult> => {
      const p = paramsObject('positions.list', params);
      if (p.connectionId !== undefined && typeof p.connectionId !== 'string')
        throw new RpcError('INVALID_PARAMS', 'connectionId must be a string');
      if (ctx.vault.state() !== 'unlocked') {
        clients.drop();
        recent.clear();
      }
      const vault = ctx.vault.read(); // VAULT_LOCKED / VAULT_ABSENT before any exchange is asked
      if (typeof p.connectionId === 'string' && !ctx.db.getConnection(p.connectionId))
        throw new RpcError(
          'NOT_FOUND',
          `no connection ${p.connectionId}; see the connections list (popup, or "sentinel-host connections list")`,
        );
      const store = new TradingStore(ctx.db.handle);
      const swaps = swapConnectionIds(store.listSubscriptions());
      const asked = ctx.db
        .listConnections()
        .filter(
          (c) => swaps.has(c.id) && (p.connectionId === undefined || c.id === p.connectionId),
        );
      const positions: PositionView[] = [];
      const problems: PositionsProblem[] = [];
      await Promise.all(
        asked.map(async (c) => {
          const credentials = vault.connections[c.id];
          if (!credentials) {
            problems.push({
              connectionId: c.id,
              reason: 'EXCHANGE_ERROR',
              message: `the vault holds no key for ${c.id}; remove the connection and add it again`,
            });
            return;
          }
          try {
            positions.push(...(await read(c, credentials)));
          } catch (err) {
            problems.push(positionsProblem(c, err));
          }
        }),
      );
      const order = new Map(asked.map((c, i) => [c.id, i]));
      const byConnection = (a: { connectionId: string }, b: { connectionId: string }) =>
        (order.get(a.connectionId) ?? 0) - (order.get(b.connectionId) ?? 0);
      positions.sort((a, b) => byConnection(a, b) || a.symbol.localeCompare(b.symbol));
      problems.sort(byConnection);
      return {
        positions: withProtection(positions, openProtectiveOrders(ctx.db.handle)),
        problems,
        asked: asked.map((c) => c.id),
      };
    },
  } satisfies HandlerGroup<'positions.list'>;
}
