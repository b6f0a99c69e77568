/**
 * A burst of 1,000 signals across three live connections: every one handled, exactly once, and
 * for each connection the orders reach the exchange in the order the signals were issued.
 */
import { createHash } from 'node:crypto';
import { requireBuiltHost } from '../helpers/host.js';
import { marketSignal, startRig, until, type Rig } from '../helpers/trading-rig.js';
import { deriveClientOrderId } from '../../src/exchanges/order-id.js';

const BURST = 1000;
const EXCHANGES = ['binance', 'bybit', 'okx'] as const;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

let rig: Rig;
beforeAll(async () => {
  requireBuiltHost();
  rig = await startRig();
  for (const ex of EXCHANGES)
    await rig.call('connections.setMode', { id: rig.connections[ex].id, mode: 'live' });
}, 120_000);
afterAll(async () => rig?.close());

it(`${BURST} signals at once: all executed, exactly once, in issue order per connection`, async () => {
  const expected: Record<(typeof EXCHANGES)[number], string[]> = {
    binance: [],
    bybit: [],
    okx: [],
  };
  const issuedAt = Date.now();
  for (let i = 0; i < BURST; i++) {
    const ex = EXCHANGES[i % 3]!;
    const s = marketSignal(`${ex}-trend`, {
      issuedAt: issuedAt + i,
      size: { quote: String(20 + (i % 13)) },
    });
    await rig.publish(s);
    expected[ex].push(
      deriveClientOrderId(
        `${rig.keys.publicKey}/${s.id as string}`,
        rig.connections[ex].id,
        sha256,
      ),
    );
  }
  await until(
    () =>
      EXCHANGES.every(
        (ex) =>
          rig.sim.orders(ex).filter((o) => o.outcome === 'placed').length >= expected[ex].length,
      ),
    180_000,
    'all orders',
  );
  await until(() => rig.relay.acks().length >= BURST, 30_000, 'all acks');
  for (const ex of EXCHANGES) {
    const placed = rig.sim
      .orders(ex)
      .filter((o) => o.outcome === 'placed')
      .map((o) => o.clientOrderId);
    expect(placed).toEqual(expected[ex]); // exactly these, once each, in issue order
  }
  const acks = rig.relay.acks();
  expect(acks.filter((a) => a.status === 'executed')).toHaveLength(BURST);
}, 300_000);
