/**
 * Exactly once when the exchange is slow to show an order. On each exchange, through the real
 * relay, service and simulator: the answer to an accepted order is lost (connection reset), comes
 * back as a 5xx or as "status unknown", and the order shows in look-ups only 0, 1 or 3 s later;
 * or the request itself is processed late — inside its window (placed while the host is already
 * looking) or after it (refused by the exchange, so the host must send again). Every case ends
 * with exactly one order at the exchange and the signal acknowledged `executed`. The host runs
 * with its production timing (5 s request window, 5 s visibility grace).
 */
import { createHash } from 'node:crypto';
import { deriveClientOrderId } from '../../src/exchanges/order-id.js';
import type { ExchangeId } from '../../src/exchanges/types.js';
import type { FaultSpec } from '../../tools/simulator/index.js';
import { requireBuiltHost } from '../helpers/host.js';
import {
  marketSignal,
  startRig,
  SUBSCRIBER_TOKEN,
  until,
  type Rig,
} from '../helpers/trading-rig.js';

const EXCHANGES = ['binance', 'bybit', 'okx'] as const;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

let rig: Rig;
beforeAll(async () => {
  requireBuiltHost();
  rig = await startRig({ serviceEnv: { SENTINEL_CCXT_TIMEOUT_MS: '1500' } });
  for (const ex of EXCHANGES)
    await rig.call('connections.setMode', { id: rig.connections[ex].id, mode: 'live' });
}, 120_000);
afterAll(async () => rig?.close());

const cases: [string, FaultSpec][] = [
  ['the answer is lost, the order visible at once', { lostAnswer: 1, visibilityDelayMs: 0 }],
  ['the answer is lost, the order visible 1 s later', { lostAnswer: 1, visibilityDelayMs: 1_000 }],
  ['the answer is lost, the order visible 3 s later', { lostAnswer: 1, visibilityDelayMs: 3_000 }],
  [
    'a 5xx after acceptance, visible 1 s later',
    { status5xxAfterPlace: 1, visibilityDelayMs: 1_000 },
  ],
  ['"status unknown", visible 3 s later', { unknownOutcome: 1, visibilityDelayMs: 3_000 }],
  [
    'processed 3 s late, after the host timed out but inside the request window',
    { processDelay: 1, processDelayMs: 3_000 },
  ],
  [
    'processed 8 s late, after the request window: refused, so sent again',
    { processDelay: 1, processDelayMs: 8_000 },
  ],
];

it.each(cases)(
  '%s: exactly one order on each exchange, acknowledged executed',
  async (_name, fault) => {
    const ids = {} as Record<ExchangeId, string>;
    const publishedAt = Date.now();
    for (const ex of EXCHANGES) {
      rig.sim.setFault(ex, fault);
      const s = marketSignal(`${ex}-trend`, { size: { quote: '30' } });
      ids[ex] = s.id as string;
      await rig.publish(s);
    }
    try {
      for (const ex of EXCHANGES)
        await until(
          () => rig.relay.acks(SUBSCRIBER_TOKEN).some((a) => a.id === ids[ex]),
          60_000,
          `the ack of ${ex}`,
        );
      // A request held by the exchange is processed later: count orders only after that moment.
      const settled = publishedAt + (fault.processDelayMs ?? 0) + 1_000;
      await new Promise((r) => setTimeout(r, Math.max(0, settled - Date.now())));
      for (const ex of EXCHANGES) {
        const ack = rig.relay.acks(SUBSCRIBER_TOKEN).find((a) => a.id === ids[ex]);
        expect(ack, ex).toMatchObject({ status: 'executed' });
        const cid = deriveClientOrderId(
          `${rig.keys.publicKey}/${ids[ex]}`,
          rig.connections[ex].id,
          sha256,
        );
        const placed = rig.sim
          .orders(ex)
          .filter((o) => o.outcome === 'placed' && o.clientOrderId === cid);
        expect(placed, `${ex}: orders at the exchange`).toHaveLength(1);
        expect(rig.sim.book(ex).filter((o) => o.clientOrderId === cid)).toHaveLength(1);
      }
    } finally {
      rig.sim.clearFaults();
    }
  },
  90_000,
);
