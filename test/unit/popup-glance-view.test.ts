/** The popup's words at a glance: the trading headline, feed names, order lines, key age. */
import { keyAgeShort } from '../../src/ui/connection-view.js';
import { feedName, relayPlace } from '../../src/ui/feed-view.js';
import {
  orderAmount,
  orderKind,
  orderResultText,
  orderResult,
  orderWorth,
  quoteCurrency,
  shortDecimal,
} from '../../src/ui/order-view.js';
import { tradingHeadline, type TradingState } from '../../src/ui/trading-headline.js';

type Conn = { label: string; mode: 'live' | 'dry-run'; pausedReason?: string };
const dry = (label: string): Conn => ({ label, mode: 'dry-run' });
const live = (label: string, pausedReason?: string): Conn => ({
  label,
  mode: 'live',
  ...(pausedReason ? { pausedReason } : {}),
});
const running = { paused: false };

describe('trading headline: "live" only when a live connection can really send orders', () => {
  it.each<[string, Parameters<typeof tradingHeadline>[0], Conn[], TradingState, RegExp]>([
    [
      'every connection dry-run',
      { vault: 'unlocked', trading: running },
      [dry('a'), dry('b'), dry('c')],
      'dry-run',
      /^All 3 connections are in dry-run: orders are simulated, none reaches an exchange\.$/,
    ],
    [
      'one dry-run connection',
      { vault: 'unlocked', trading: running },
      [dry('a')],
      'dry-run',
      /^The connection is in dry-run/,
    ],
    [
      'one of three live',
      { vault: 'unlocked', trading: running },
      [live('a'), dry('b'), dry('c')],
      'live',
      /^1 of 3 connections sends real orders; the others simulate\.$/,
    ],
    [
      'all live',
      { vault: 'unlocked', trading: running },
      [live('a'), live('b')],
      'live',
      /^2 of 2 connections send real orders\.$/,
    ],
    [
      'paused with a reason',
      { vault: 'unlocked', trading: { paused: true, reason: 'holiday' } },
      [live('a')],
      'paused',
      /^All trading is paused: holiday\. No connection sends orders\.$/,
    ],
    [
      'paused, reason not known yet',
      { vault: 'unlocked', trading: { paused: true } },
      [live('a')],
      'paused',
      /^All trading is paused\. No connection/,
    ],
    [
      'the only live connection paused by Sentinel',
      { vault: 'unlocked', trading: running },
      [live('a', 'key can withdraw'), dry('b')],
      'paused',
      /^Sentinel paused the live connection "a": key can withdraw\./,
    ],
    [
      'vault locked',
      { vault: 'locked', trading: running },
      [live('a')],
      'paused',
      /^The vault is locked/,
    ],
    ['no vault', { vault: 'absent', trading: running }, [dry('a')], 'paused', /^No vault yet/],
    [
      'no connection',
      { vault: 'unlocked', trading: running },
      [],
      'none',
      /^No exchange connected yet/,
    ],
  ])('%s', (_, hello, conns, state, detail) => {
    const h = tradingHeadline(hello, conns);
    expect(h.state).toBe(state);
    expect(h.detail).toMatch(detail);
    if (state !== 'live') expect(h.detail).not.toMatch(/send(s)? real orders/);
  });
});

describe('feed names: what it trades and where from, never just 127.0.0.1:PORT', () => {
  const r = (strategy: string) => ({ strategy, connectionId: 'c', maxOrderQuote: '1' });
  it.each([
    ['ws://127.0.0.1:4567/feed', ['btc-trend'], 'btc-trend · local relay'],
    ['ws://localhost:1/', ['a', 'b', 'c', 'a'], 'a, b +1 · local relay'],
    ['wss://relay.example.com/feed', ['eth-swing'], 'eth-swing · relay.example.com'],
    ['wss://relay.example.com/feed', [], 'relay.example.com'],
    ['not a url', [], 'not a url'],
  ])('%s %j → %s', (url, strategies, name) => {
    expect(feedName({ url, routes: strategies.map(r) })).toBe(name);
  });
  it('a relay on [::1] is local too', () =>
    expect(relayPlace('ws://[::1]:9/')).toBe('local relay'));
});

describe('order lines', () => {
  it.each([
    ['0.000769230769230769', '0.0007692'],
    ['0.01', '0.01'],
    ['119.70', '119.7'],
    ['12345.678', '12350'],
    ['0.000000001234', '0'],
    ['abc', 'abc'],
  ])('shortDecimal(%s) → %s', (value, short) => expect(shortDecimal(value)).toBe(short));
  it.each([
    ['BTC/USDT', 'USDT'],
    ['BTC/USDT:USDT', 'USDT'],
    ['BTCUSDT', ''],
  ])('quote currency of %s is %j', (symbol, quote) => expect(quoteCurrency(symbol)).toBe(quote));
  it('amount in the base currency, worth in the quote currency', () => {
    const o = { symbol: 'ETH/USDT', amount: '0.034200', quote: '119.70000' };
    expect(orderAmount(o)).toBe('0.0342 ETH');
    expect(orderWorth(o)).toBe('119.7 USDT');
  });
  it('a swap shows its size in base units, not its contracts (OKX: 0.01 BTC each)', () => {
    const o = { symbol: 'BTC/USDT:USDT', amount: '3', size: '0.03', quote: '1800' };
    expect(orderAmount(o)).toBe('0.03 BTC');
  });
  it.each([
    ['simulated', 'simulated'],
    ['placed', 'placed'],
    ['failed', 'failed'],
    ['intent', 'pending'],
    ['unknown', 'unknown'],
  ] as const)('journal state %s reads as %s', (state, result) =>
    expect(orderResult({ state })).toBe(result),
  );
});

describe('key age on one line', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
  it.each([
    [daysAgo(1), 'Key 1 day old'],
    [daysAgo(120), 'Key 120 days: rotation due'],
    [daysAgo(200), 'Key 200 days: overdue'],
    [undefined, 'Key age unknown'],
  ])('%s → %s', (created, text) => expect(keyAgeShort(created, now)).toBe(text));
});

describe('protective legs read as what they are', () => {
  it.each([
    [{ side: 'sell', role: 'stop-loss' }, 'stop-loss'],
    [{ side: 'sell', role: 'take-profit' }, 'take-profit'],
    [{ side: 'buy', role: 'entry' }, 'buy'],
    [{ side: 'sell' }, 'sell'],
  ] as const)('%j → %s', (o, kind) => expect(orderKind(o)).toBe(kind));

  it.each([
    [{ state: 'placed', role: 'stop-loss', triggerPrice: '58800', closed: null }, 'waits at 58800'],
    [
      { state: 'placed', role: 'take-profit', triggerPrice: '61800.5', closed: null },
      'waits at 61800.5',
    ],
    [
      {
        state: 'placed',
        role: 'stop-loss',
        triggerPrice: '58800',
        closed: 'it fired or ended on the exchange',
      },
      'closed',
    ],
    [{ state: 'intent', role: 'stop-loss', triggerPrice: '58800', closed: null }, 'sending…'],
    [
      { state: 'simulated', role: 'stop-loss', triggerPrice: '58800', closed: null },
      'simulated (dry-run)',
    ],
    [{ state: 'placed', role: 'entry', triggerPrice: null, closed: null }, 'placed'],
    [{ state: 'unknown' }, 'unconfirmed: check the exchange'],
  ] as const)('%j → %s', (o, text) => expect(orderResultText(o)).toBe(text));
});
