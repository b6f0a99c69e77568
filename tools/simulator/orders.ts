/**
 * Accounts (balances) and the order book of each simulated exchange: placement, immediate fills
 * of marketable orders at the last price, resting limit orders that fill when the price crosses
 * them, and cancels. Exchange-neutral: the dialects validate and render.
 */
import { dec, divToStep, mul, type Dec } from '../../src/lib/decimal.js';
import { ASSETS, PriceBook, findMarket, type MarketRules } from './markets.js';
import type { ExchangeId, OrderKind, OrderSide, SimOrder, TimeInForce } from './types.js';

/** Taker and maker fee, charged in the asset received. */
export const FEE_RATE = dec('0.001');

export const DEFAULT_BALANCES: Record<string, string> = {
  USDT: '10000',
  BTC: '0.5',
  ETH: '5',
  SOL: '50',
};

const FIRST_ID: Record<ExchangeId, bigint> = {
  binance: 28_000_000n,
  bybit: 1_800_000_000_000_000_000n,
  okx: 600_000_000_000_000_000n,
};

export interface PlaceInput {
  exchange: ExchangeId;
  account: string;
  apiKey: string;
  market: MarketRules;
  side: OrderSide;
  type: OrderKind;
  timeInForce: TimeInForce;
  price?: Dec | undefined;
  /** Base quantity; for a market buy by quote amount pass quoteQty instead. */
  qty?: Dec | undefined;
  quoteQty?: Dec | undefined;
  clientOrderId: string;
  now: number;
  /** visibilityDelayMs fault: simulator time from which look-ups show the order. */
  visibleAt?: number;
}

/** Whether look-ups show the order at simulator time `now` (the visibilityDelayMs fault). */
export function visibleAt(o: SimOrder, now: number): boolean {
  return o.visibleAt === undefined || now >= o.visibleAt;
}

export interface Balance {
  total: Dec;
  locked: Dec;
  free: Dec;
}

export class Book {
  readonly prices = new PriceBook();
  private funds = new Map<string, Map<string, Dec>>();
  private initial = new Map<string, Map<string, Dec>>();
  private all = new Map<ExchangeId, SimOrder[]>();
  private byId = new Map<string, SimOrder>();
  private nextId = new Map<ExchangeId, bigint>();

  reset(): void {
    this.prices.reset();
    this.funds.clear();
    this.initial.clear();
    this.all.clear();
    this.byId.clear();
    this.nextId.clear();
  }

  /** Creates the account if new; given balances replace the account's funds. */
  ensureAccount(exchange: ExchangeId, account: string, balances?: Record<string, string>): void {
    const id = `${exchange} ${account}`;
    if (this.funds.has(id) && !balances) return;
    const funds = new Map<string, Dec>();
    for (const [asset, amount] of Object.entries(balances ?? DEFAULT_BALANCES))
      funds.set(asset, dec(amount));
    this.funds.set(id, funds);
    this.initial.set(id, new Map(funds));
  }

  /** The account's balance of `asset` when it was created (or last given balances). */
  initialFunds(exchange: ExchangeId, account: string, asset: string): Dec {
    this.ensureAccount(exchange, account);
    return this.initial.get(`${exchange} ${account}`)?.get(asset) ?? 0n;
  }

  /** Adds `delta` to a balance: perpetual P&L and fees of a unified account (perp-book.ts). */
  adjust(exchange: ExchangeId, account: string, asset: string, delta: Dec): void {
    const funds = this.fundsOf(exchange, account);
    funds.set(asset, (funds.get(asset) ?? 0n) + delta);
  }

  private fundsOf(exchange: ExchangeId, account: string): Map<string, Dec> {
    this.ensureAccount(exchange, account);
    return this.funds.get(`${exchange} ${account}`) as Map<string, Dec>;
  }

  balances(exchange: ExchangeId, account: string): Map<string, Balance> {
    const funds = this.fundsOf(exchange, account);
    const locked = new Map<string, Dec>();
    for (const o of this.openOrders(exchange, account)) {
      const m = findMarket(exchange, o.symbol) as MarketRules;
      const remaining = o.qty - o.filledQty;
      const [asset, amount] =
        o.side === 'buy' ? [m.quote, mul(remaining, o.price ?? 0n)] : [m.base, remaining];
      locked.set(asset, (locked.get(asset) ?? 0n) + amount);
    }
    const out = new Map<string, Balance>();
    for (const asset of new Set([...ASSETS, ...funds.keys()])) {
      const total = funds.get(asset) ?? 0n;
      const l = locked.get(asset) ?? 0n;
      out.set(asset, { total, locked: l, free: total - l });
    }
    return out;
  }

  free(exchange: ExchangeId, account: string, asset: string): Dec {
    return this.balances(exchange, account).get(asset)?.free ?? 0n;
  }

  /** Base quantity a quote amount buys at the last price, rounded down to the step size. */
  qtyForQuote(exchange: ExchangeId, market: MarketRules, quote: Dec): Dec {
    return divToStep(quote, this.prices.get(exchange, market.symbol), market.stepSize);
  }

  marketable(exchange: ExchangeId, symbol: string, side: OrderSide, price: Dec): boolean {
    const last = this.prices.get(exchange, symbol);
    return side === 'buy' ? price >= last : price <= last;
  }

  /** Whether the account can pay for the order (fees aside). */
  affordable(input: PlaceInput): boolean {
    const { exchange, account, market, side } = input;
    if (side === 'sell') return this.free(exchange, account, market.base) >= (input.qty ?? 0n);
    const price =
      input.type === 'limit' ? (input.price ?? 0n) : this.prices.get(exchange, market.symbol);
    const cost = input.quoteQty ?? mul(input.qty ?? 0n, price);
    return this.free(exchange, account, market.quote) >= cost;
  }

  place(input: PlaceInput): SimOrder {
    const { exchange, market } = input;
    const next = this.nextId.get(exchange) ?? FIRST_ID[exchange];
    this.nextId.set(exchange, next + 1n);
    const qty = input.qty ?? this.qtyForQuote(exchange, market, input.quoteQty ?? 0n);
    const order: SimOrder = {
      exchange,
      account: input.account,
      apiKey: input.apiKey,
      id: next.toString(),
      clientOrderId: input.clientOrderId,
      symbol: market.symbol,
      side: input.side,
      type: input.type,
      timeInForce: input.timeInForce,
      price: input.type === 'limit' ? input.price : undefined,
      qty,
      quoteQty: input.quoteQty,
      filledQty: 0n,
      filledQuote: 0n,
      fee: 0n,
      feeAsset: input.side === 'buy' ? market.base : market.quote,
      status: 'new',
      createdAt: input.now,
      updatedAt: input.now,
      ...(input.visibleAt !== undefined ? { visibleAt: input.visibleAt } : {}),
    };
    const list = this.all.get(exchange) ?? [];
    list.push(order);
    this.all.set(exchange, list);
    this.byId.set(`${exchange} ${order.id}`, order);
    const last = this.prices.get(exchange, market.symbol);
    if (order.type === 'market') this.fill(order, last, input.now);
    else if (this.marketable(exchange, market.symbol, order.side, order.price ?? 0n)) {
      if (order.timeInForce === 'POST_ONLY') this.close(order, 'canceled', input.now);
      else this.fill(order, last, input.now);
    } else if (order.timeInForce === 'IOC' || order.timeInForce === 'FOK')
      this.close(order, 'expired', input.now);
    return order;
  }

  private fill(order: SimOrder, price: Dec, now: number): void {
    const m = findMarket(order.exchange, order.symbol) as MarketRules;
    const funds = this.fundsOf(order.exchange, order.account);
    const qty = order.qty - order.filledQty;
    const quote = mul(qty, price);
    const add = (asset: string, amount: Dec) => funds.set(asset, (funds.get(asset) ?? 0n) + amount);
    let fee: Dec;
    if (order.side === 'buy') {
      fee = mul(qty, FEE_RATE);
      add(m.base, qty - fee);
      add(m.quote, -quote);
    } else {
      fee = mul(quote, FEE_RATE);
      add(m.base, -qty);
      add(m.quote, quote - fee);
    }
    order.filledQty += qty;
    order.filledQuote += quote;
    order.fee += fee;
    this.close(order, 'filled', now);
  }

  private close(order: SimOrder, status: SimOrder['status'], now: number): void {
    order.status = status;
    order.updatedAt = now;
  }

  cancel(order: SimOrder, now: number): boolean {
    if (order.status !== 'new') return false;
    this.close(order, 'canceled', now);
    return true;
  }

  /** Sets the last price and fills the resting limit orders it crosses, at their own price. */
  setPrice(exchange: ExchangeId, symbol: string, price: Dec, now: number): void {
    this.prices.set(exchange, symbol, price);
    for (const o of this.all.get(exchange) ?? []) {
      if (o.status !== 'new' || o.symbol !== symbol || o.price === undefined) continue;
      if (o.side === 'buy' ? o.price >= price : o.price <= price) this.fill(o, o.price, now);
    }
  }

  get(exchange: ExchangeId, id: string): SimOrder | undefined {
    return this.byId.get(`${exchange} ${id}`);
  }

  /** All orders of an exchange (or one account), oldest first. */
  list(exchange: ExchangeId, account?: string): SimOrder[] {
    const list = this.all.get(exchange) ?? [];
    return account === undefined ? [...list] : list.filter((o) => o.account === account);
  }

  openOrders(exchange: ExchangeId, account: string): SimOrder[] {
    return (this.all.get(exchange) ?? []).filter(
      (o) => o.account === account && o.status === 'new',
    );
  }

  /**
   * Newest order of the account with this client id (optionally only open ones). With
   * `visibleNow` (a look-up at that simulator time) orders still hidden by the
   * visibilityDelayMs fault are skipped.
   */
  byClientId(
    exchange: ExchangeId,
    account: string,
    clientId: string,
    openOnly = false,
    visibleNow?: number,
  ): SimOrder | undefined {
    const list = this.all.get(exchange) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const o = list[i] as SimOrder;
      if (
        o.account === account &&
        o.clientOrderId === clientId &&
        (!openOnly || o.status === 'new') &&
        (visibleNow === undefined || visibleAt(o, visibleNow))
      )
        return o;
    }
    return undefined;
  }

  /*
   * Look-ups as the exchanges' query endpoints answer them: orders hidden by the
   * visibilityDelayMs fault do not exist yet. Placement checks, balances, fills and cancels
   * use the unfiltered methods above: the exchange itself knows the order.
   */

  /** The order with this id, if look-ups show it at `now`. */
  lookup(exchange: ExchangeId, id: string, now: number): SimOrder | undefined {
    const o = this.get(exchange, id);
    return o && visibleAt(o, now) ? o : undefined;
  }

  /** The account's orders look-ups show at `now`, oldest first. */
  lookupList(exchange: ExchangeId, account: string, now: number): SimOrder[] {
    return this.list(exchange, account).filter((o) => visibleAt(o, now));
  }
}
