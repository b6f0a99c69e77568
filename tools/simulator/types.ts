/** Shared vocabulary of the exchange simulator. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Environment, ExchangeId, PermissionMap } from '../../src/exchanges/types.js';
import type { Dec } from '../../src/lib/decimal.js';

export type { Environment, ExchangeId, PermissionMap };

/** An API key the simulated exchange knows. */
export interface SimKeyConfig {
  exchange: ExchangeId;
  apiKey: string;
  /**
   * HMAC secret: the exchange made the key. Empty for a key registered with `publicKeyPem` (the
   * control API and `addKey` accept it left out then).
   */
  secret: string;
  /**
   * A self-generated key: the public key the user pasted (SPKI PEM). Binance verifies Ed25519
   * (or RSA) signatures with it, Bybit RSA-SHA256 ones (signing.ts); OKX has no such keys.
   */
  publicKeyPem?: string;
  /** OKX only. */
  passphrase?: string;
  environment: Environment;
  /** Canonical permissions; a missing entry means "not granted" (read defaults to granted). */
  permissions: Partial<PermissionMap>;
  /** Whitelisted IPs; undefined or empty: usable from any IP. */
  ipList?: string[];
  /** ms since epoch. */
  createdAt?: number;
  /** ms since epoch; after it the key is refused as expired. */
  expiresAt?: number;
  /** Bybit's readOnly flag; derived from the permissions when absent. */
  readOnly?: boolean;
  /** Starting balances of the key's account, e.g. {USDT: "10000"}. */
  balances?: Record<string, string>;
  /** Account (sub-account) the key trades; keys that share one see the same orders and funds. */
  account?: string;
  /** Key label / note shown in key-info answers. */
  label?: string;
}

/** A key as code or the control API gives it: defaults filled in by validateKey (keys.ts). */
export type SimKeyInput = Omit<SimKeyConfig, 'secret' | 'environment' | 'permissions'> &
  Partial<Pick<SimKeyConfig, 'secret' | 'environment' | 'permissions'>>;

export interface FaultSpec {
  /** Extra delay before every answer of this exchange while set. */
  latencyMs?: number;
  /** The next N requests get an HTTP 503 from the "gateway" (nothing is placed). */
  status5xx?: number;
  /** The next N order placements are accepted and placed, then never answered. */
  timeoutPlaced?: number;
  /** The next N order placements are never answered and nothing is placed. */
  timeoutNotPlaced?: number;
  /** The next N requests are refused with the exchange's rate-limit answer. */
  rateLimit?: number;
  /** The next N order placements are placed and answered with the exchange's "status unknown". */
  unknownOutcome?: number;
  /** Overrides the "status unknown" code (Binance -1007, Bybit 10000, OKX 50004 by default). */
  unknownOutcomeCode?: string | number;
  /**
   * Not counted: orders placed while it is set become visible to look-ups (Binance GET
   * /api/v3/order, openOrders, allOrders; Bybit /v5/order/realtime and /history; OKX GET
   * /api/v5/trade/order, orders-pending, orders-history) only this many ms after their
   * placement; before that those answer as if the order did not exist. The exchange itself
   * still knows the order (duplicate client ids, balances, fills, cancels).
   */
  visibilityDelayMs?: number;
  /**
   * The next N order placements are placed and recorded (fault 'lostAnswer'), then the
   * connection is destroyed without an answer: the client sees a reset at once.
   */
  lostAnswer?: number;
  /**
   * The next N order placements are placed, then answered with an HTTP 5xx in the exchange's
   * own shape: Binance 500 -1000, Bybit 502 from the gateway (HTML), OKX 500 50026.
   */
  status5xxAfterPlace?: number;
  /**
   * The next N order placement requests (not Binance order/test) wait `processDelayMs` before
   * they are authenticated, validated and processed; the request windows (Binance recvWindow,
   * Bybit X-BAPI-RECV-WINDOW, OKX expTime and the 30 s OK-ACCESS-TIMESTAMP bound) are then
   * checked against the simulator time of processing, so a request delayed past its window
   * is refused and nothing is placed. Records of these requests carry processDelayMs and
   * fault 'processDelay' (unless an order-level fault also applied).
   */
  processDelay?: number;
  /** How long a `processDelay` request waits (ms, default 0). Not counted. */
  processDelayMs?: number;
}

export type OrderSide = 'buy' | 'sell';
export type OrderKind = 'market' | 'limit';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'POST_ONLY';
export type OrderStatus = 'new' | 'filled' | 'canceled' | 'expired' | 'rejected';

/** An order placed on the simulated book. */
export interface SimOrder {
  exchange: ExchangeId;
  account: string;
  apiKey: string;
  id: string;
  clientOrderId: string;
  /** Unified symbol, "BTC/USDT". */
  symbol: string;
  side: OrderSide;
  type: OrderKind;
  timeInForce: TimeInForce;
  /** Limit price; undefined for market orders. */
  price?: Dec | undefined;
  /** Ordered base quantity (for a market buy by quote amount: the quantity it bought). */
  qty: Dec;
  /** Quote amount asked for by a market buy expressed in quote currency. */
  quoteQty?: Dec | undefined;
  filledQty: Dec;
  /** Quote amount traded so far. */
  filledQuote: Dec;
  fee: Dec;
  feeAsset: string;
  status: OrderStatus;
  createdAt: number;
  updatedAt: number;
  /** visibilityDelayMs fault: simulator time from which look-ups show the order. */
  visibleAt?: number;
}

/** One order request as it reached the exchange, accepted or refused. */
export interface OrderRecord {
  seq: number;
  exchange: ExchangeId;
  at: number;
  /**
   * When the request reached the simulator, before its body was read or any latency fault
   * applied: performance.timeOrigin + performance.now() (fractional ms since epoch, the
   * simulator process's clock, not shifted by setClockOffset). For benchmarks.
   */
  receivedAt: number;
  /** The exchange path, e.g. "/api/v3/order". */
  path: string;
  apiKey?: string | undefined;
  clientOrderId?: string | undefined;
  symbol?: string | undefined;
  side?: string | undefined;
  type?: string | undefined;
  amount?: string | undefined;
  price?: string | undefined;
  /** Binance order/test: validated, nothing placed. */
  test: boolean;
  outcome: 'placed' | 'rejected' | 'validated' | 'dropped';
  /** The exchange's code: 0 on success. */
  code: string;
  message?: string | undefined;
  orderId?: string;
  /** Fault that shaped the answer, if any. */
  fault?: string | undefined;
  /**
   * The simulator's last price of the symbol when the request was handled (decimal string),
   * on every record whose symbol the exchange lists.
   */
  marketPrice?: string;
  /** processDelay fault: how long the request waited before it was processed. */
  processDelayMs?: number;
}

/** Every request that reached an exchange prefix. */
export interface RequestRecord {
  seq: number;
  exchange: ExchangeId;
  at: number;
  /** As OrderRecord.receivedAt. */
  receivedAt: number;
  method: string;
  path: string;
  apiKey?: string | undefined;
  status: number;
  code: string;
  fault?: string | undefined;
}

/** A request as the dialects see it: the path below the exchange prefix. */
export interface SimRequest {
  exchange: ExchangeId;
  method: string;
  /** Real exchange path without the prefix or query, e.g. "/api/v3/order". */
  path: string;
  /** Raw query string as received, without "?". */
  rawQuery: string;
  query: URLSearchParams;
  body: string;
  headers: IncomingHttpHeaders;
  /**
   * Simulator time (ms, clock offset applied) when the request reached the exchange, before
   * any latency or processDelay fault; the handler runs at ctx.now(). Default: ctx.now().
   */
  arrivedAt?: number;
}

/**
 * What a dialect answers. `hold` keeps the socket open without an answer; `drop` destroys the
 * connection without an answer (the client sees a reset at once).
 */
export interface SimResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  hold?: boolean;
  drop?: boolean;
  /** Exchange code for the request log ("0" on success). */
  code?: string;
  apiKey?: string | undefined;
  fault?: string;
  /** The handler already wrote the order record of this request. */
  orderRecorded?: boolean;
}
