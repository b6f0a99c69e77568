/**
 * The perpetual swap: a route that trades BTC/USDT:USDT at up to 3x is refused while the key may
 * not trade futures; the user enables futures on the key, audits it again and subscribes again.
 * One signed v2 signal opens a long with a stop-loss ~2% below and a take-profit ~3% above (on
 * Binance two separate reduce-only algo orders); the simulated price falls through the stop: the
 * stop-loss fires and closes the position, and the host's reconciliation cancels the take-profit
 * (Binance leaves a fired leg's sibling open: docs/trading.md "Perpetuals in the simulator").
 */
import type { Page } from 'puppeteer';
import type { Connection } from '../../src/protocol/methods.js';
import { signSignal } from '../../src/node/signal-envelope.js';
import type { SimKeyConfig } from '../../tools/simulator/index.js';
import { attrIn, screenshot, textIn } from './browser.js';
import type { Demo } from './context.js';
import { quote } from './narrate.js';
import { until } from './scope.js';
import { PROVIDER_KID, SUBSCRIBER_TOKEN } from './stack.js';
import {
  MAX_ORDER_QUOTE,
  STRATEGY,
  outcome,
  said,
  type Feed,
  type OrderEntry,
} from './steps-signals.js';

const SWAP_STRATEGY = 'btc-perp';
const SYMBOL = 'BTC/USDT:USDT';
const SWAP_ROUTE = {
  strategy: SWAP_STRATEGY,
  markets: ['swap'],
  maxOrderQuote: '500',
  maxLeverage: 3,
  maxPositionQuote: '1000',
};
/** 0.005 BTC: above Binance's 100 USDT minimum notional, under the route's caps. */
const SIZE_BASE = '0.005';

type Routes = Record<string, unknown>[];
const routesFor = (conn: Connection): Routes => [
  { strategy: STRATEGY, connectionId: conn.id, maxOrderQuote: MAX_ORDER_QUOTE },
  { ...SWAP_ROUTE, connectionId: conn.id },
];

function subscribeArgs(d: Demo, routes: Routes): string[] {
  const { relay, provider } = d.stack;
  return [
    'signals',
    'subscribe',
    '--url',
    relay.wsUrl,
    '--provider-key',
    provider.publicKey,
    '--routes',
    JSON.stringify(routes),
  ];
}

/** The swap route is refused for a spot-only key, then accepted once futures are enabled. */
export async function swapRoute(d: Demo, conn: Connection, key: SimKeyConfig): Promise<void> {
  const { say, stack } = d;
  const routes = routesFor(conn);
  const refused = await stack.cli(subscribeArgs(d, routes), `${SUBSCRIBER_TOKEN}\n`);
  const why = refused.stderr || refused.stdout;
  say.step(
    `A second route for strategy "${SWAP_STRATEGY}": BTC/USDT:USDT perpetual swaps (markets ["swap"]), at most ${SWAP_ROUTE.maxLeverage}x leverage, ${SWAP_ROUTE.maxOrderQuote} USDT per order and a ${SWAP_ROUTE.maxPositionQuote} USDT position: ${refused.code !== 0 ? 'refused, the key may not trade futures' : 'accepted'}`,
  );
  say.detail(`CLI: "${quote(why, 300)}"`);
  say.expect(
    refused.code !== 0 && /futures/i.test(why),
    'a swap route to a spot-only key is refused',
    `the CLI exited ${refused.code}: ${why}`,
  );
  const feeds = await stack.call<Feed[]>('signals.list');
  say.expect(feeds.length === 1, 'the refusal adds no subscription', `${feeds.length} exist`);

  // What "Edit restrictions" → "Enable Futures" on Binance's API page does to the same key (its
  // balances are left out so the account keeps its funds).
  const { balances: _funds, ...sameKey } = key;
  stack.sim.addKey({ ...sameKey, permissions: { ...key.permissions, futures: true } });
  const audit = await stack.cli(['connections', 'audit', conn.id]);
  say.expect(audit.code === 0, 'the key is audited again', `the CLI said: ${audit.stderr}`);
  const list = await stack.call<Connection[]>('connections.list');
  const audited = list.find((c) => c.id === conn.id);
  say.expect(
    audited?.lastAudit?.permissions.futures === true,
    'the audit sees futures enabled',
    `its permissions: ${JSON.stringify(audited?.lastAudit?.permissions)}`,
  );

  const off = await stack.cli(['signals', 'unsubscribe', feeds[0]!.id]);
  say.expect(off.code === 0, 'the spot-only subscription is removed', off.stderr || off.stdout);
  const r = await stack.cli(subscribeArgs(d, routes), `${SUBSCRIBER_TOKEN}\n`);
  say.expect(r.code === 0, 'the subscription with the swap route is made', r.stderr || r.stdout);
  await until(
    async () =>
      (await stack.call<Feed[]>('signals.list')).some((f) => f.feed.state === 'connected'),
    20_000,
    'the host to connect to the relay again',
  );
  // The host audits the connection again once a route trades swaps on it: futures turn "ok".
  const futuresCheck = await until(
    async () =>
      (await stack.call<Connection[]>('connections.list'))
        .find((c) => c.id === conn.id)
        ?.lastAudit?.checks.find((c) => c.id === 'futures' && c.level === 'ok'),
    20_000,
    "the host's new audit to find futures enabled and needed",
  );
  say.step(
    `Futures enabled on the key at the (simulated) Binance, "sentinel-host connections audit ${conn.id}", then subscribed again with both routes: feed connected; the host audits it again by itself, and its futures check is now ${futuresCheck.level}`,
  );
  say.detail(`futures: ${quote(futuresCheck.message, 200)}`);
  await d.pace();
}

const round = (n: number): string => String(Math.round(n));

/**
 * `sentinel-host positions` once its output matches: one exchange answer serves every page for a
 * few seconds (the popup asks too), so a change shows up within that time, not at once.
 */
function positionsShowing(d: Demo, shows: RegExp, what: string): Promise<string> {
  return until(
    async () => {
      const r = await d.stack.cli(['positions']);
      return r.code === 0 && shows.test(r.stdout) ? r.stdout : undefined;
    },
    10_000,
    what,
    250,
  );
}

/** The signal, the position with its protective legs, then the stop-loss firing. */
export async function swapStopLoss(d: Demo, key: SimKeyConfig, popup: Page): Promise<void> {
  const { say, stack } = d;
  const account = key.account ?? key.apiKey;
  const market = Number(stack.sim.price('binance', SYMBOL));
  const stop = round(market * 0.98);
  const target = round(market * 1.03);
  const s = {
    v: 2,
    id: `demo_${Date.now().toString(36)}_swap`,
    strategy: SWAP_STRATEGY,
    issuedAt: Date.now(),
    ttlMs: 120_000,
    symbol: SYMBOL,
    side: 'buy',
    type: 'market',
    size: { base: SIZE_BASE },
    leverage: '3',
    stopLoss: { triggerPrice: stop },
    takeProfit: { triggerPrice: target },
  };
  await stack.publish(signSignal(s, stack.provider.privateKey, PROVIDER_KID));
  const o = await outcome(d, s.id);
  const rows = async () =>
    (
      await stack.call<(OrderEntry & { role?: string; closed?: string | null })[]>('orders.list', {
        limit: 20,
      })
    ).filter((x) => x.signalId === s.id);
  const journal = await rows();
  const perp = () => stack.sim.perpOrders('binance', account);
  const legs = perp().filter((x) => x.reduceOnly && x.status === 'new');
  say.step(
    `Signal ${s.id} (v2: buy ${SIZE_BASE} BTC of ${SYMBOL} at market, leverage 3, stop-loss ${stop}, take-profit ${target}; the price is ${market}): ${said(o)}`,
  );
  const ROLES = ['entry', 'stop-loss', 'take-profit'];
  const byRole = (r: { role?: string }) => ROLES.indexOf(r.role ?? 'entry');
  for (const row of [...journal].sort((a, b) => byRole(a) - byRole(b)))
    say.detail(
      `journal: ${row.role ?? 'entry'} ${row.side} ${row.state}${row.role === 'entry' ? `, exchange order id ${row.exchangeOrderId}` : ''}`,
    );
  say.detail(
    `the simulated Binance holds ${legs.length} separate reduce-only algo orders: ${legs.map((x) => `#${x.id} ${x.side} (client id ${x.clientOrderId})`).join(', ')}`,
  );
  say.expect(o.status === 'executed', 'the swap signal is executed', `it was ${said(o)}`);
  say.expect(
    journal
      .map((x) => `${x.role ?? 'entry'}:${x.state}`)
      .sort()
      .join() === 'entry:placed,stop-loss:placed,take-profit:placed',
    'the entry, the stop-loss and the take-profit are placed',
    `journal: ${JSON.stringify(journal.map((x) => [x.role, x.state]))}`,
  );
  say.expect(legs.length === 2, 'two protective orders work at the exchange', `${legs.length}`);
  const position = await positionsShowing(
    d,
    /LONG 0\.005/,
    '"sentinel-host positions" to show the long',
  );
  say.detail(`"sentinel-host positions": ${quote(position, 260)}`);
  // The popup's connection row has a line for its open position (its data is refetched on load).
  await popup.reload();
  const line = await until(
    async () => {
      const text = await textIn(popup, '[data-testid="positions-line"]');
      return text && /BTC/.test(text) ? text : undefined;
    },
    10_000,
    "the position line in the popup's connection row",
    250,
  );
  const title = (await attrIn(popup, '[data-testid="positions-line"]', 'title')) ?? '';
  say.detail(`the popup's connection row: "${quote(line)}" (hover: "${quote(title, 200)}")`);
  say.shot(await screenshot(popup, d.out, '7-popup-swap-position'), 'the popup with the position');
  await d.pace();

  const fallTo = round(market * 0.975);
  stack.sim.setPrice('binance', SYMBOL, fallTo);
  await until(
    () => stack.sim.positions('binance', account).length === 0,
    15_000,
    'the stop-loss to close the position',
  );
  // The reconciliation (every second in the demo) sees the position gone and cancels the sibling.
  const closed = await until(
    async () => {
      const now = await rows();
      return now.filter((x) => x.role !== 'entry' && x.closed).length === 2 ? now : undefined;
    },
    20_000,
    "the host's reconciliation to close both protective legs",
  );
  const orders = perp();
  const entries = orders.filter((x) => !x.reduceOnly && x.status === 'filled');
  const sl = orders.find((x) => x.fired?.label === 'sl');
  const tp = orders.find((x) => x.legs?.some((l) => l.label === 'tp'));
  say.step(
    `The simulated price falls to ${fallTo}, below the stop at ${stop}: the stop-loss fired (#${sl?.id ?? '?'} became market order #${sl?.fired?.orderId ?? '?'}), the position is closed, and the host's reconciliation cancelled the take-profit (#${tp?.id ?? '?'}: ${tp?.status ?? '?'})`,
  );
  for (const row of closed.filter((x) => x.role !== 'entry'))
    say.detail(`journal: ${row.role}: ${row.closed}`);
  const flat = await positionsShowing(
    d,
    /no open positions/,
    '"sentinel-host positions" to show none',
  );
  say.detail(`"sentinel-host positions": ${quote(flat, 200)}`);
  const slFills = orders.filter((x) => x.id === sl?.fired?.orderId && x.status === 'filled');
  const open = stack.sim.positions('binance', account);
  // What the exchange itself holds (test/integration/demo.test.ts reads this line).
  say.detail(
    `at the simulated Binance: ${entries.length} entry filled, ${slFills.length} stop-loss filled, take-profit ${tp?.status ?? 'missing'}, ${open.length} open positions`,
  );
  say.expect(entries.length === 1, 'exactly one entry at the exchange', `${entries.length}`);
  say.expect(sl !== undefined, 'the stop-loss fired', JSON.stringify(orders));
  say.expect(slFills.length === 1, "the stop-loss's market order filled", JSON.stringify(orders));
  say.expect(tp?.status === 'canceled', 'the take-profit is cancelled', `it is ${tp?.status}`);
  say.expect(open.length === 0, 'the position is flat', JSON.stringify(open));
  await d.pace();
}
