/**
 * The shapes signals.* and orders.list carry (docs/protocol.md, "Signals, routes and orders").
 * The service's store, risk checks and feeds use these same types, so what the CLI and the popup
 * read is what the service writes.
 */

/** docs/protocol.md `Route`: which connection a strategy's signals go to, and its limits. */
export interface Route {
  strategy: string;
  connectionId: string;
  symbols?: string[];
  maxOrderQuote: string;
  maxDailyQuote?: string;
  maxOrdersPerMinute?: number;
  /** How far (percent of the market price) a limit price may lie from the market; absent: 5. */
  priceBandPct?: number;
  sizeMultiplier?: string;
  /** Which markets the route trades: spot (BASE/QUOTE) and/or linear perpetuals (BASE/QUOTE:SETTLE); absent: spot only. */
  markets?: RouteMarket[];
  /** The highest leverage a signal may ask for on this route (whole number); absent: 1. */
  maxLeverage?: number;
  /** The most the position may be worth after an order (perpetuals); absent: maxOrderQuote. */
  maxPositionQuote?: string;
}

export type RouteMarket = 'spot' | 'swap';

export type FeedState = 'connecting' | 'connected' | 'disconnected' | 'stopped';

/** One relay connection's state, as `feed.status` announces it. */
export interface FeedStatus {
  subscriptionId: string;
  state: FeedState;
  since: string;
  /** Why the last connection ended, in words (never the token). */
  problem?: string;
  retryInMs?: number;
}

/** A subscription as clients see it: the relay token is stored, never returned. */
export interface Subscription {
  id: string;
  url: string;
  providerKey: string;
  routes: Route[];
  createdAt: string;
  /** The token's first characters and an ellipsis. */
  tokenHint: string;
  /** `{state: "stopped"}` while the feed does not run (the vault is locked). */
  feed: Partial<FeedStatus> & { state: FeedState };
}

export interface SubscribeParams {
  /** The relay's WebSocket address: wss://, or ws:// to a loopback address. */
  url: string;
  token: string;
  /** The provider's raw 32-byte Ed25519 public key, base64url. */
  providerKey: string;
  routes: Route[];
}

export type SignalStatus = 'executed' | 'rejected' | 'dry-run' | 'duplicate' | 'pending';

/** One row of signals.history (newest first). */
export interface SignalRecord {
  id: string;
  subscriptionId: string;
  strategy: string;
  issuedAt: number;
  receivedAt: string;
  status: SignalStatus;
  reason: string | null;
}

export type OrderState =
  /** Journaled; the request may or may not have left. */
  | 'intent'
  /** The exchange has it (accepted or filled). */
  | 'placed'
  /** Dry-run: sized and checked, nothing sent. */
  | 'simulated'
  /** The exchange refused it, or it was proven not placed and the signal had gone stale. */
  | 'failed'
  /**
   * (added) Sent, and the exchange could not be reached to confirm whether it exists: counted
   * in the route's caps, looked up again every minute and at every unlock until it is `placed`
   * or proven absent (`failed`, or sent again while its signal is fresh). Check it on the exchange.
   */
  | 'unknown';

/** One row of the order journal (orders.list, `order.updated`). */
export interface OrderRow {
  clientOrderId: string;
  providerKey: string;
  signalId: string;
  connectionId: string;
  mode: 'dry-run' | 'live';
  state: OrderState;
  symbol: string;
  side: 'buy' | 'sell';
  type: 'market' | 'limit';
  amount: string;
  price: string | null;
  quote: string;
  exchangeOrderId: string | null;
  attempts: number;
  error: string | null;
  expiresAt: number;
  createdAt: string;
  updatedAt: string;
  /** (added) "spot", or "swap" for a linear perpetual; absent in rows from before perpetuals: spot. */
  market?: RouteMarket;
  /**
   * (added) What the order is for: the signal's own order ("entry"), or a protective reduce-only
   * trigger order journaled with it ("stop-loss", "take-profit"); absent: entry.
   */
  role?: OrderRole;
  /** (added) A protective leg's entry (its client order id); null for an entry. */
  parentId?: string | null;
  /** (added) A protective leg's trigger price; null for an entry. */
  triggerPrice?: string | null;
  /** (added) Sent as reduce-only (closing a share of a position, or a protective leg). */
  reduceOnly?: boolean;
  /** (added) The leverage set before a swap entry; null for spot and legs. */
  leverage?: number | null;
  /** (added) The margin mode of a swap order ("isolated" or "cross"); null for spot. */
  marginMode?: 'isolated' | 'cross' | null;
  /**
   * (added) A protective leg that no longer works on the exchange, and why (it fired, or its
   * position was gone and it was cancelled); null while it works or has not been placed.
   */
  closed?: string | null;
  /**
   * (added) A swap order's size in base units; `amount` is in contracts, as sent (OKX's BTC
   * contract is 0.01 BTC). Absent for spot, whose amount is in base units already.
   */
  size?: string;
}

export type OrderRole = 'entry' | 'stop-loss' | 'take-profit';
