/**
 * 1e. The signal path over a real network's latency: the simulator holds every answer 25 ms (its
 * `latencyMs` fault), so each round trip to the exchange costs what one to a nearby exchange does.
 * Result: the relay writes the frame → the relay has the service's ack (the order answered,
 * journaled, the signal settled). Baseline, same link: a bare ccxt createOrder's full round
 * trip. A service that made any other request before its order (a ticker) would show one more
 * round trip here: ≈ 2× instead of ≈ 1×.
 */
import type { Exchange } from 'ccxt';
import { POLL_MS, preciseNow, stat, until } from './common.js';
import { p50p99, ratio, type Row } from './report.js';
import { EXCHANGES, type Rig } from './rig.js';
import type { ExchangeId } from '../../src/exchanges/types.js';

export const LINK_LATENCY_MS = 25;

export interface LinkResult {
  rows: Row[];
  notes: string[];
  details: Record<string, unknown>;
}

export async function overALink(
  rig: Rig,
  clients: Record<ExchangeId, Exchange>,
  signals: number,
): Promise<LinkResult> {
  for (const exchange of EXCHANGES) rig.sim.setFault(exchange, { latencyMs: LINK_LATENCY_MS });
  try {
    const toAck: number[] = [];
    const toOrderRequest: number[] = [];
    const bare: number[] = [];
    let n = 0;
    // Two warm-up rounds (not counted): the background refresh meets the new latency.
    for (let i = -2 * EXCHANGES.length; i < signals; i++) {
      const exchange = EXCHANGES[(i + 2 * EXCHANGES.length) % EXCHANGES.length]!;
      const s = rig.signal(exchange);
      const published = rig.relay.publish(s.frame);
      const sentAt = preciseNow();
      await published;
      const ack = await until(() => rig.ackOf(s.id), 30_000, `the ack of ${s.id}`, POLL_MS);
      if (ack.status !== 'executed')
        throw new Error(`${exchange} signal ${s.id}: ${ack.status} ${ack.reason ?? ''}`);
      const order = rig.sim.orders(exchange).find((o) => o.clientOrderId === s.clientOrderId);
      const start = preciseNow();
      await clients[exchange].createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, {
        clientOrderId: `benchlink${++n}x${Date.now().toString(36)}`,
      });
      const end = preciseNow();
      if (i < 0) continue;
      toAck.push(ack.at - sentAt);
      if (order) toOrderRequest.push(order.receivedAt - sentAt);
      bare.push(end - start);
    }
    const service = stat(toAck);
    const baseline = stat(bare);
    const request = stat(toOrderRequest);
    return {
      rows: [
        {
          id: '1e',
          what: `Signal → order answered and acknowledged, over a ${LINK_LATENCY_MS} ms link (the simulator holds every answer ${LINK_LATENCY_MS} ms; relay writes the frame → relay has the ack)`,
          result: p50p99(service),
          baseline: `${p50p99(baseline)} (bare ccxt createOrder round trip over the same link)`,
          ratio: ratio(service.p50, baseline.p50),
          n: `${service.n} + ${baseline.n}`,
          data: {
            unit: 'ms',
            latencyMs: LINK_LATENCY_MS,
            service,
            serviceToOrderRequest: request,
            baselineRoundTrip: baseline,
          },
        },
      ],
      notes: [
        `1e: over the ${LINK_LATENCY_MS} ms link the order request reached the simulator ${p50p99(request)} after the frame was written (p50 / p99): no round trip before it (a ticker read first would add ${LINK_LATENCY_MS} ms).`,
      ],
      details: { linkSignals: signals },
    };
  } finally {
    for (const exchange of EXCHANGES) rig.sim.clearFaults(exchange);
  }
}
