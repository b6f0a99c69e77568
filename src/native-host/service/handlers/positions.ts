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
import { explainCcxtError, keyCheckError } from '../exchange/exchange-error.js';
import { readPositions, withProtection } from '../exchange/positions.js';
import { swapConnectionIds } from '../futures-need.js';
import { TradingStore } from '../store/trading-store.js';
import type { ServiceContext } from './context.js';

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

/**
 * `swapClient`: the trading pool's perpetual-swap client of a connection (trading/start.ts), so
 * reading positions makes no second ccxt client per connection; the pool drops them on lock.
 */
export function positionHandlers(
  ctx: ServiceContext,
  swapClient: (c: Connection, credentials: Credentials) => Promise<Exchange>,
) {
  const recent = new Map<string, { at: number; keyHint: string; read: Promise<PositionView[]> }>();
  const read = (c: Connection, credentials: Credentials): Promise<PositionView[]> => {
    const now = Date.now();
    const hit = recent.get(c.id);
    if (hit && hit.keyHint === c.apiKeyHint && now - hit.at < FRESH_MS) return hit.read;
    const fresh = swapClient(c, credentials).then((client) => readPositions(c.id, client));
    fresh.catch(() => recent.delete(c.id)); // a failure is asked again next time
    recent.set(c.id, { at: now, keyHint: c.apiKeyHint, read: fresh });
    return fresh;
  };
  return {
    'positions.list': async (params): Promise<PositionsListResult> => {
      const p = paramsObject('positions.list', params);
      if (p.connectionId !== undefined && typeof p.connectionId !== 'string')
        throw new RpcError('INVALID_PARAMS', 'connectionId must be a string');
      if (ctx.vault.state() !== 'unlocked') recent.clear();
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
