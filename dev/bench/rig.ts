/**
 * The bench's trading setup: the dev harness's trading stack (dev/harness/trading.ts) with the
 * product's KDF (the bench measures the product), the vault created and unlocked, and keys with
 * room for thousands of orders. Connections (one live key per exchange) and the subscription
 * come with `addConnections`, so the service can be measured before them.
 */
import type { Scope } from './common.js';
import type { ExchangeId } from '../../src/exchanges/types.js';
import type { SignalFrame } from '../../src/signals/types.js';
import type { RecordedAck } from '../../tools/signal-relay/relay-api.js';
import {
  RIG_BALANCES,
  SUBSCRIBER_TOKEN,
  marketSignal,
  signalId,
  startTradingStack,
  type TradingStack,
} from '../harness/trading.js';

export { EXCHANGES, simKey } from '../harness/trading.js';

/** Room for thousands of orders. */
export const BENCH_BALANCES = { ...RIG_BALANCES, USDT: '100000000' };

export interface Rig extends Pick<
  TradingStack,
  'home' | 'sim' | 'relay' | 'keys' | 'call' | 'acked'
> {
  servicePid: number;
  /** One live connection per exchange, routed from "<exchange>-trend", and the subscription. */
  addConnections(): Promise<void>;
  /** A fresh market-buy signal for `exchange`, signed, with the client order id it will get. */
  signal(exchange: ExchangeId): { frame: SignalFrame; id: string; clientOrderId: string };
  /** The service's ack of a signal as the relay recorded it (with when it arrived), if any. */
  ackOf(id: string): RecordedAck | undefined;
  /** How many of these signals the relay has acks for, by status (each signal counted once per status). */
  ackStatuses(ids: ReadonlySet<string>): Record<string, number>;
}

export async function startRig(scope: Scope, prefix = 'scb-'): Promise<Rig> {
  const stack = await startTradingStack(scope, { kdf: 'production', prefix, connect: false });
  return {
    home: stack.home,
    servicePid: stack.service.pid!,
    sim: stack.sim,
    relay: stack.relay,
    keys: stack.keys,
    call: stack.call,
    acked: stack.acked,
    async addConnections() {
      await stack.connect({
        tag: 'svc',
        live: true,
        balances: BENCH_BALANCES,
      });
    },
    ackOf(id) {
      const acks = stack.relay.acks(SUBSCRIBER_TOKEN);
      for (let i = acks.length - 1; i >= 0; i--) if (acks[i]!.id === id) return acks[i];
      return undefined;
    },
    ackStatuses(ids) {
      const seen = new Map<string, Set<string>>();
      for (const a of stack.relay.acks(SUBSCRIBER_TOKEN))
        if (ids.has(a.id)) seen.set(a.status, (seen.get(a.status) ?? new Set()).add(a.id));
      return Object.fromEntries([...seen].map(([status, set]) => [status, set.size]));
    },
    signal(exchange) {
      const s = marketSignal(`${exchange}-trend`, { id: signalId('bench') });
      const id = s.id as string;
      return { frame: stack.sign(s), id, clientOrderId: stack.clientOrderId(exchange, id) };
    },
  };
}
