/**
 * The one line at the top of the popup that says whether signals can turn into real orders, and
 * why not. Pure. "live" only while trading runs and at least one live connection can execute:
 * a dry-run connection simulates, a connection Sentinel paused sends nothing, a locked vault
 * executes nothing — the headline never claims more than that.
 */
import type { Connection, HelloResult } from '../protocol/methods.js';

export type TradingState = 'live' | 'dry-run' | 'paused' | 'none';

export interface TradingHeadline {
  state: TradingState;
  /** A few words: "Live", "Dry-run", "Paused", "Locked", "Not set up", "Nothing to trade". */
  title: string;
  /** What that means now, or why it is paused. */
  detail: string;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function tradingHeadline(
  hello: Pick<HelloResult, 'trading' | 'vault'>,
  connections: readonly Pick<Connection, 'label' | 'mode' | 'pausedReason'>[],
): TradingHeadline {
  if (hello.trading.paused)
    return {
      state: 'paused',
      title: 'Paused',
      detail: `All trading is paused${hello.trading.reason ? `: ${hello.trading.reason}` : ''}. No connection sends orders.`,
    };
  if (hello.vault !== 'unlocked')
    return {
      state: 'paused',
      title: hello.vault === 'locked' ? 'Locked' : 'Not set up',
      detail:
        hello.vault === 'locked'
          ? 'The vault is locked: no signal executes until you unlock it.'
          : 'No vault yet: no signal executes until you create it.',
    };
  if (connections.length === 0)
    return {
      state: 'none',
      title: 'Nothing to trade',
      detail: 'No exchange connected yet: signals have nowhere to go.',
    };
  const live = connections.filter((c) => c.mode === 'live');
  const running = live.filter((c) => !c.pausedReason);
  if (running.length > 0)
    return {
      state: 'live',
      title: 'Live',
      detail: `${running.length} of ${plural(connections.length, 'connection')} ${running.length === 1 ? 'sends' : 'send'} real orders${running.length < connections.length ? '; the others simulate' : ''}.`,
    };
  if (live.length > 0) {
    const first = live[0]!;
    return {
      state: 'paused',
      title: 'Paused',
      detail: `Sentinel paused ${live.length === 1 ? `the live connection "${first.label}"` : `all ${live.length} live connections`}: ${first.pausedReason ?? ''}. The others only simulate.`,
    };
  }
  return {
    state: 'dry-run',
    title: 'Dry-run',
    detail: `${connections.length === 1 ? 'The connection is' : `All ${connections.length} connections are`} in dry-run: orders are simulated, none reaches an exchange.`,
  };
}
