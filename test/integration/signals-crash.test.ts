/**
 * Exactly once, under fire: the service is SIGKILLed at random points while it executes a stream
 * of signals, and restarted, 100 times — while every exchange shows accepted orders to look-ups
 * only 700 ms later; then the exchange faults that leave an order's outcome unknown. Every
 * accepted signal must end as exactly one order at the simulator — none lost, none doubled.
 * The service runs with a 2 s request window and 2 s visibility grace (the simulator enforces the
 * window), so an order proven absent is resent within seconds.
 */
import { createHash } from 'node:crypto';
import { requireBuiltHost } from '../helpers/host.js';
import { marketSignal, startRig, until, type Rig } from '../helpers/trading-rig.js';
import { deriveClientOrderId } from '../../src/exchanges/order-id.js';
import type { ExchangeId } from '../../src/exchanges/types.js';

const KILLS = Number(process.env.SC_KILLS ?? 100);
const EXCHANGES = ['binance', 'bybit', 'okx'] as const;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

let rig: Rig;
beforeAll(async () => {
  requireBuiltHost();
  rig = await startRig({
    serviceEnv: {
      SENTINEL_CCXT_TIMEOUT_MS: '1500',
      SENTINEL_ORDER_WINDOW_MS: '2000',
      SENTINEL_ORDER_VISIBILITY_GRACE_MS: '2000',
    },
  });
  for (const ex of EXCHANGES)
    await rig.call('connections.setMode', { id: rig.connections[ex].id, mode: 'live' });
}, 120_000);
afterAll(async () => rig?.close());

const sent: { id: string; exchange: ExchangeId }[] = [];

async function publishOne(exchange: ExchangeId, extra: object = {}): Promise<string> {
  const s = marketSignal(`${exchange}-trend`, {
    size: { quote: String(20 + (sent.length % 7)) },
    ...extra,
  });
  await rig.publish(s);
  sent.push({ id: s.id as string, exchange });
  return s.id as string;
}

/** Every signal sent so far ends as exactly one placed order with its client id. */
async function expectExactlyOnce(): Promise<void> {
  type H = { id: string; status: string; reason: string | null }[];
  await until(
    async () => {
      const h = (await rig.call('signals.history', { limit: 1000 })) as H;
      const done = new Map(h.filter((s) => s.status !== 'pending').map((s) => [s.id, s]));
      return sent.every((s) => done.has(s.id));
    },
    120_000,
    'every signal to settle',
  );
  const history = new Map(
    ((await rig.call('signals.history', { limit: 1000 })) as H).map((s) => [s.id, s]),
  );
  for (const ex of EXCHANGES) {
    const placed = rig.sim.orders(ex).filter((o) => o.outcome === 'placed');
    const counts = new Map<string, number>();
    for (const o of placed)
      counts.set(o.clientOrderId ?? '', (counts.get(o.clientOrderId ?? '') ?? 0) + 1);
    for (const s of sent.filter((x) => x.exchange === ex)) {
      const cid = deriveClientOrderId(
        `${rig.keys.publicKey}/${s.id}`,
        rig.connections[ex].id,
        sha256,
      );
      expect(history.get(s.id)?.status, `${ex} ${s.id} ${history.get(s.id)?.reason}`).toBe(
        'executed',
      );
      expect(counts.get(cid) ?? 0, `${ex} ${s.id}: orders at the exchange`).toBe(1);
    }
    expect(placed.length).toBe(sent.filter((x) => x.exchange === ex).length);
  }
}

it(`${KILLS} SIGKILLs during a stream of signals, orders visible 700 ms late: exactly one order per signal`, async () => {
  for (const ex of EXCHANGES) rig.sim.setFault(ex, { visibilityDelayMs: 700 });
  for (let i = 0; i < KILLS; i++) {
    for (const ex of EXCHANGES) await publishOne(ex);
    await new Promise((r) => setTimeout(r, Math.random() * 120));
    const pid = ((await rig.call('host.hello')) as { service: { pid: number } }).service.pid;
    process.kill(pid, 'SIGKILL');
    await rig.startService();
  }
  await expectExactlyOnce();
  rig.sim.clearFaults();
}, 600_000);

it.each([
  ['a timeout after the order was placed', { timeoutPlaced: 1 }],
  ['a timeout before anything was placed', { timeoutNotPlaced: 1 }],
  ["the exchange's own 'status unknown' answer", { unknownOutcome: 1 }],
  ['a gateway 5xx', { status5xx: 1 }],
  ['a rate-limit answer', { rateLimit: 1 }],
])(
  '%s: looked up before any resend, exactly one order',
  async (_name, fault) => {
    for (const ex of EXCHANGES) {
      rig.sim.setFault(ex, fault);
      await publishOne(ex);
    }
    await expectExactlyOnce();
    rig.sim.clearFaults();
  },
  120_000,
);
