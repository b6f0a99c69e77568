/**
 * The trading side: the host subscribes to the relay (the CLI, as a user would), then signals are
 * published as a strategy provider does — one executed in dry-run, one forged, one over the
 * route's limit, and (once the connection is live) one executed on the simulated exchange.
 */
import type { Connection } from '../../src/protocol/methods.js';
import { generateProviderKeys, signSignal } from '../../src/node/signal-envelope.js';
import type { Demo } from './context.js';
import { quote } from './narrate.js';
import { startRawRelay } from './raw-relay.js';
import { until } from './scope.js';
import { PROVIDER_KID, SUBSCRIBER_TOKEN } from './stack.js';

export const STRATEGY = 'btc-trend';
export const MAX_ORDER_QUOTE = '100';

export interface HistoryEntry {
  id: string;
  status: string;
  reason: string | null;
}
export interface OrderEntry {
  signalId: string;
  state: string;
  mode: string;
  side: string;
  amount: string;
  symbol: string;
  quote: string;
  clientOrderId: string;
  exchangeOrderId: string | null;
}
export interface Feed {
  id: string;
  feed: { state: string };
}

let serial = 0;
function signal(extra: Record<string, unknown> = {}): Record<string, unknown> & { id: string } {
  serial++;
  return {
    v: 1,
    id: `demo_${Date.now().toString(36)}_${serial}`,
    strategy: STRATEGY,
    issuedAt: Date.now(),
    ttlMs: 120_000,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    size: { quote: '50' },
    ...extra,
  };
}

const words = (s: Record<string, unknown>): string =>
  `${String(s.side)} ${(s.size as { quote: string }).quote} USDT of ${String(s.symbol)} at market`;

/** The host's verdict on a signal, once it has one. */
export function outcome(d: Demo, id: string): Promise<HistoryEntry> {
  return until(
    async () =>
      (await d.stack.call<HistoryEntry[]>('signals.history', { limit: 100 })).find(
        (s) => s.id === id && s.status !== 'pending',
      ),
    30_000,
    `the host's outcome for signal ${id}`,
  );
}

const placedAtSimulator = (d: Demo) =>
  d.stack.sim.orders('binance').filter((o) => o.outcome === 'placed');

export const said = (o: HistoryEntry): string =>
  o.reason ? `${o.status} (${o.reason})` : o.status;

export async function subscribe(d: Demo, conn: Connection): Promise<void> {
  const { say, stack } = d;
  const routes = [{ strategy: STRATEGY, connectionId: conn.id, maxOrderQuote: MAX_ORDER_QUOTE }];
  const args = ['signals', 'subscribe', '--url', stack.relay.wsUrl];
  args.push('--provider-key', stack.provider.publicKey, '--routes', JSON.stringify(routes));
  // The relay token is read like a secret: from stdin here.
  const r = await stack.cli(args, `${SUBSCRIBER_TOKEN}\n`);
  say.expect(r.code === 0, 'the subscription is made', `the CLI said: ${r.stderr || r.stdout}`);
  await until(
    async () =>
      (await stack.call<Feed[]>('signals.list')).some((f) => f.feed.state === 'connected') &&
      stack.relay.connections().length > 0,
    20_000,
    'the host to connect to the relay',
  );
  say.step(
    `Subscribed with "sentinel-host signals subscribe --url ${stack.relay.wsUrl} --provider-key ${stack.provider.publicKey.slice(0, 8)}… --routes …": strategy "${STRATEGY}" → the Binance connection, at most ${MAX_ORDER_QUOTE} USDT per order; feed connected`,
  );
  say.detail(`CLI: ${quote(r.stdout, 200)}`);
  await d.pace();
}

export async function dryRun(d: Demo): Promise<void> {
  const { say, stack } = d;
  const s = signal();
  const posted = await stack.publish(signSignal(s, stack.provider.privateKey, PROVIDER_KID));
  const o = await outcome(d, s.id);
  const order = (await stack.call<OrderEntry[]>('orders.list', { limit: 10 })).find(
    (x) => x.signalId === s.id,
  );
  const atSim = placedAtSimulator(d).length;
  const tests = stack.sim.orders('binance').filter((x) => x.test).length;
  say.step(
    `Signal ${s.id} (${words(s)}), signed by the provider and published to the relay (HTTP ${posted.status}): ${said(o)} — journal: ${order?.amount ?? '?'} BTC ${order?.state ?? '?'}; orders placed at the simulator: ${atSim}`,
  );
  say.detail(
    `(the simulator has seen ${tests} order request${tests === 1 ? '' : 's'}, all the audit's test orders, which place nothing)`,
  );
  say.expect(o.status === 'dry-run', 'the first signal runs in dry-run', `it was ${said(o)}`);
  say.expect(
    order?.state === 'simulated',
    'the dry-run order is journaled as simulated',
    String(order?.state),
  );
  say.expect(atSim === 0, 'nothing reaches the exchange in dry-run', `${atSim} orders arrived`);
  await d.pace();
}

export async function forged(d: Demo, conn: Connection): Promise<void> {
  const { say, stack, scope } = d;
  const mallory = generateProviderKeys(); // not the provider's key
  const s = signal({ size: { quote: '90' } });
  const frame = signSignal(s, mallory.privateKey, PROVIDER_KID);
  const posted = await stack.publish(frame);
  say.step(
    `A forged signal ${s.id} (signed with another key under the provider's kid): the reference relay refuses it — HTTP ${posted.status} ${String(posted.body.reason)}`,
  );
  say.expect(
    posted.status === 400 && posted.body.reason === 'bad-signature',
    'the relay refuses the forged signal',
    `it answered ${posted.status} ${JSON.stringify(posted.body)}`,
  );

  // A relay that forwards anything, subscribed with the same pinned provider key: the host
  // itself must refuse the frame.
  const raw = await startRawRelay(scope);
  const sub = await stack.call<{ id: string }>('signals.subscribe', {
    url: raw.url,
    token: 'untrusted-relay-token',
    providerKey: stack.provider.publicKey,
    routes: [{ strategy: STRATEGY, connectionId: conn.id, maxOrderQuote: MAX_ORDER_QUOTE }],
  });
  await raw.connected();
  raw.send(frame);
  const ack = await until(
    () => raw.acks.find((a) => a.id === s.id),
    15_000,
    "the host's answer to the forged frame",
  );
  await stack.call('signals.unsubscribe', { id: sub.id });
  const recorded = (await stack.call<HistoryEntry[]>('signals.history', { limit: 100 })).some(
    (h) => h.id === s.id,
  );
  const atSim = placedAtSimulator(d).length;
  say.step(
    `The same forged frame sent straight to the host by a relay that checks nothing: the host answers ${String(ack.status)} (${String(ack.reason)}) — not recorded, orders placed at the simulator: ${atSim}`,
  );
  say.expect(
    ack.status === 'rejected' && ack.reason === 'bad-signature',
    'the host refuses the forged signal (bad-signature)',
    `it acked ${JSON.stringify(ack)}`,
  );
  say.expect(
    !recorded && atSim === 0,
    'the forged signal leaves no trace',
    'it was recorded or sent',
  );
  await d.pace();
}

export async function overLimit(d: Demo): Promise<void> {
  const { say, stack } = d;
  const s = signal({ size: { quote: '250' } });
  await stack.publish(signSignal(s, stack.provider.privateKey, PROVIDER_KID));
  const o = await outcome(d, s.id);
  const atSim = placedAtSimulator(d).length;
  say.step(
    `Signal ${s.id} (${words(s)}, over the route's ${MAX_ORDER_QUOTE} USDT limit): ${said(o)}; orders placed at the simulator: ${atSim}`,
  );
  say.expect(
    o.status === 'rejected' && o.reason === 'over-max-order',
    'the over-limit signal is rejected (over-max-order)',
    `it was ${said(o)}`,
  );
  say.expect(atSim === 0, 'nothing reaches the exchange', `${atSim} orders arrived`);
  await d.pace();
}

export async function live(d: Demo): Promise<void> {
  const { say, stack } = d;
  const before = placedAtSimulator(d).length;
  const s = signal({ size: { quote: '60' } });
  await stack.publish(signSignal(s, stack.provider.privateKey, PROVIDER_KID));
  const o = await outcome(d, s.id);
  const placed = placedAtSimulator(d);
  const order = (await stack.call<OrderEntry[]>('orders.list', { limit: 10 })).find(
    (x) => x.signalId === s.id,
  );
  const atSim = placed.at(-1);
  say.step(
    `Signal ${s.id} (${words(s)}), now live: ${said(o)} — the simulated Binance has ${placed.length} order: #${atSim?.orderId ?? '?'} ${atSim?.side ?? ''} ${atSim?.amount ?? ''} ${atSim?.symbol ?? ''} (client id ${atSim?.clientOrderId ?? '?'})`,
  );
  say.expect(o.status === 'executed', 'the live signal is executed', `it was ${said(o)}`);
  say.expect(
    placed.length === before + 1,
    'exactly one order reaches the simulator',
    `${placed.length - before} orders arrived`,
  );
  say.expect(
    order?.state === 'placed' && order.clientOrderId === atSim?.clientOrderId,
    "the host's journal matches the exchange's order",
    `journal: ${JSON.stringify(order)}`,
  );
  say.detail(
    `journal: ${order!.state}, exchange order id ${order!.exchangeOrderId}, ${order!.amount} BTC for ~${order!.quote} USDT`,
  );
  await d.pace();
}
