/**
 * Exactly once for perpetuals, under fire: a stream of swap signals, each opening with a
 * stop-loss and a take-profit, while the service is SIGKILLed — 0–100 ms after one exchange (in
 * turn) took an entry, so deaths fall between an entry and its legs — and restarted. After the last
 * restart every entry is at the exchange exactly once, every leg exactly once (Binance: separate
 * reduce-only trigger orders; Bybit, OKX: attached to their entry), and the journal shows each entry
 * placed with both legs placed. The service runs with a 1 s request window and no grace (the
 * simulator shows orders at once), so an order proven absent is resent within 2 s.
 */
import { createHash } from 'node:crypto';
import { deriveClientOrderId } from '../../src/exchanges/order-id.js';
import type { OrderRow } from '../../src/protocol/trading.js';
import { requireBuiltHost } from '../helpers/host.js';
import { marketSignal, startRig, until, type Rig } from '../helpers/trading-rig.js';

/**
 * 50 kills: the three exchanges stream at once, so every kill catches each of them with a signal
 * in flight — 50 per exchange — and each kill is timed off one exchange's entry in turn. A kill
 * costs a restart and a reconciliation (~2 s). SC_KILLS changes the count.
 */
const KILLS = Number(process.env.SC_KILLS ?? 50);
const EXCHANGES = ['binance', 'bybit', 'okx'] as const;
const SYMBOL = 'BTC/USDT:USDT';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

let rig: Rig;
beforeAll(async () => {
  requireBuiltHost();
  rig = await startRig({
    futures: true,
    serviceEnv: {
      SENTINEL_CCXT_TIMEOUT_MS: '1500',
      SENTINEL_ORDER_WINDOW_MS: '1000',
      SENTINEL_ORDER_VISIBILITY_GRACE_MS: '0',
      SENTINEL_SETTLE_INTERVAL_MS: '1000',
    },
    routes: (c) =>
      EXCHANGES.map((ex) => ({
        strategy: `${ex}-perp`,
        connectionId: c[ex].id,
        maxOrderQuote: '1000',
        markets: ['swap' as const],
        maxLeverage: 2,
        maxPositionQuote: '1000000',
      })),
  });
  for (const ex of EXCHANGES) {
    await rig.call('connections.setMode', { id: rig.connections[ex].id, mode: 'live' });
    rig.sim.setPrice(ex, SYMBOL, 60000);
  }
}, 120_000);
afterAll(async () => rig?.close());

const sent: { id: string; exchange: (typeof EXCHANGES)[number] }[] = [];

async function publishOne(exchange: (typeof EXCHANGES)[number]): Promise<string> {
  const s = marketSignal(`${exchange}-perp`, {
    v: 2,
    symbol: SYMBOL,
    size: { base: '0.002' },
    leverage: '2',
    stopLoss: { triggerPrice: '50000' },
    takeProfit: { triggerPrice: '70000' },
  });
  await rig.publish(s);
  sent.push({ id: s.id as string, exchange });
  return s.id as string;
}

const idOf = (exchange: (typeof EXCHANGES)[number], signalId: string, tag = '') =>
  deriveClientOrderId(
    `${rig.keys.publicKey}/${signalId}${tag}`,
    rig.connections[exchange].id,
    sha256,
  );

it(`${KILLS} SIGKILLs during a stream of swap signals: each entry and each leg exactly once`, async () => {
  // Every answer takes 40 ms, and each kill comes 0–100 ms after one exchange (in turn) took
  // the entry: so it lands before, during or after the stop-loss and take-profit requests.
  for (const ex of EXCHANGES) rig.sim.setFault(ex, { latencyMs: 40 });
  // The pid is known before each kill: asking the busy service for it would delay the kill.
  let pid = ((await rig.call('host.hello')) as { service: { pid: number } }).service.pid;
  for (let i = 0; i < KILLS; i++) {
    const ids = [];
    for (const ex of EXCHANGES) ids.push(await publishOne(ex));
    const target = EXCHANGES[i % EXCHANGES.length]!;
    const entry = idOf(target, ids[i % EXCHANGES.length]!);
    await until(
      () => rig.sim.orders(target).some((o) => o.clientOrderId === entry),
      20_000,
      `the entry of ${target}`,
      5,
    );
    await new Promise((r) => setTimeout(r, Math.random() * 100));
    process.kill(pid, 'SIGKILL');
    pid = await rig.startService();
  }
  type H = { id: string; status: string; reason: string | null }[];
  await until(
    async () => {
      const h = (await rig.call('signals.history', { limit: 1000 })) as H;
      const done = new Set(h.filter((s) => s.status !== 'pending').map((s) => s.id));
      if (!sent.every((s) => done.has(s.id))) return false;
      const rows = (await rig.call('orders.list', { limit: 1000 })) as OrderRow[];
      return rows.every((o) => o.state === 'placed' || o.state === 'failed');
    },
    90_000,
    'every signal and every leg to settle',
  );
  rig.sim.clearFaults();
  const history = new Map(
    ((await rig.call('signals.history', { limit: 1000 })) as H).map((s) => [s.id, s]),
  );
  const rows = new Map(
    ((await rig.call('orders.list', { limit: 1000 })) as OrderRow[]).map((o) => [
      o.clientOrderId,
      o,
    ]),
  );
  for (const ex of EXCHANGES) {
    const placed = rig.sim.orders(ex).filter((o) => o.outcome === 'placed');
    const count = new Map<string, number>();
    for (const o of placed)
      count.set(o.clientOrderId ?? '', (count.get(o.clientOrderId ?? '') ?? 0) + 1);
    const mine = sent.filter((s) => s.exchange === ex);
    for (const s of mine) {
      const h = history.get(s.id);
      expect(h?.status, `${ex} ${s.id} ${h?.reason}`).toBe('executed');
      const entry = idOf(ex, s.id);
      expect(count.get(entry) ?? 0, `${ex} ${s.id}: entries at the exchange`).toBe(1);
      for (const tag of ['/sl', '/tp']) {
        const leg = rows.get(idOf(ex, s.id, tag));
        expect(leg?.state, `${ex} ${s.id}${tag}`).toBe('placed');
        // Separate legs are orders of their own at the exchange, each exactly once.
        if (leg?.exchangeOrderId)
          expect(count.get(leg.clientOrderId) ?? 0, `${ex} ${s.id}${tag} at the exchange`).toBe(1);
      }
    }
    // Nothing else was placed: one entry per signal, plus the separate legs.
    const separate = [...rows.values()].filter(
      (o) => o.connectionId === rig.connections[ex].id && o.role !== 'entry' && o.exchangeOrderId,
    ).length;
    expect(placed.length).toBe(mine.length + separate);
  }
}, 240_000); // ≈ 2 s a kill (a restart and a reconciliation), with room for a loaded machine
