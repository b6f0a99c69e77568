/**
 * The perpetuals side of each simulated exchange, exchange-neutral (the dialects validate and
 * render): one-way positions netted per account and symbol, leverage and margin mode, plain
 * orders (market fills at the last price, limits rest until the price crosses them), trigger
 * orders that become reduce-only market orders when the price reaches them, and attached
 * take-profit / stop-loss (perp-triggers.ts).
 *
 * Money: a position's P&L is (price − entry) × size × contractSize in USDT; each fill pays
 * PERP_FEE_RATE of its notional. Binance keeps a separate USDⓈ-M futures wallet (it starts with
 * the account's initial USDT); Bybit's unified account and OKX's trading account share the spot
 * USDT, so realised P&L and fees land there (Book.adjust).
 */
import { mul, type Dec } from '../../src/lib/decimal.js';
import { findPerp, type PerpRules } from './perp-markets.js';
import { PerpTriggers } from './perp-triggers.js';
import type {
  MarginMode,
  PerpFunds,
  PerpLedger,
  PerpOrder,
  PerpPlaceInput,
  Position,
  PositionView,
} from './perp-types.js';
import type { Book } from './orders.js';
import type { ExchangeId, OrderSide } from './types.js';

/**
 * Fee per fill, maker or taker alike: the simulator's simplification of the exchanges' base
 * taker rates (Binance USDⓈ-M 0.05 %, OKX swap 0.05 %, Bybit derivatives 0.055 %).
 */
export const PERP_FEE_RATE = 5n * 10n ** 8n; // 0.0005 in Dec units (10^-12)

/**
 * Default leverage of a symbol never set: Binance 20× (its UI default), Bybit 10×, OKX 10×.
 */
const DEFAULT_LEVERAGE: Record<ExchangeId, number> = { binance: 20, bybit: 10, okx: 10 };

const FIRST_ID: Record<ExchangeId, bigint> = {
  binance: 4_000_000_000n,
  bybit: 2_800_000_000_000_000_000n,
  okx: 700_000_000_000_000_000n,
};

const key = (...parts: string[]) => parts.join(' ');
export const sideSign = (side: OrderSide): Dec => (side === 'buy' ? 1n : -1n);
const abs = (v: Dec): Dec => (v < 0n ? -v : v);

export class PerpBook implements PerpLedger {
  private orders = new Map<ExchangeId, PerpOrder[]>();
  private byId = new Map<string, PerpOrder>();
  private positions = new Map<string, Position>();
  private leverages = new Map<string, number>();
  private marginModes = new Map<string, MarginMode>();
  private futuresWallet = new Map<string, Dec>();
  private nextId = new Map<ExchangeId, bigint>();
  readonly triggers: PerpTriggers;

  constructor(private readonly book: Book) {
    this.triggers = new PerpTriggers(this);
  }

  reset(): void {
    for (const m of [this.orders, this.byId, this.positions, this.leverages, this.marginModes])
      m.clear();
    this.futuresWallet.clear();
    this.nextId.clear();
  }

  /** The last price of the perpetual: its spot market's settable price (also its mark price). */
  price(exchange: ExchangeId, market: PerpRules): Dec {
    return this.book.prices.get(exchange, market.spotSymbol);
  }

  // ---- settings ----------------------------------------------------------------------------

  leverage(exchange: ExchangeId, account: string, symbol: string): number {
    return this.leverages.get(key(exchange, account, symbol)) ?? DEFAULT_LEVERAGE[exchange];
  }

  setLeverage(exchange: ExchangeId, account: string, symbol: string, leverage: number): void {
    this.leverages.set(key(exchange, account, symbol), leverage);
  }

  /** Margin mode of a symbol; `symbol` '*' holds an account-wide mode (Bybit unified). */
  marginMode(exchange: ExchangeId, account: string, symbol: string): MarginMode {
    return (
      this.marginModes.get(key(exchange, account, symbol)) ??
      this.marginModes.get(key(exchange, account, '*')) ??
      'cross'
    );
  }

  setMarginMode(exchange: ExchangeId, account: string, symbol: string, mode: MarginMode): void {
    this.marginModes.set(key(exchange, account, symbol), mode);
  }

  // ---- positions and funds -----------------------------------------------------------------

  position(exchange: ExchangeId, account: string, symbol: string): Position {
    return (
      this.positions.get(key(exchange, account, symbol)) ?? {
        exchange,
        account,
        symbol,
        size: 0n,
        entryPrice: 0n,
        updatedAt: 0,
      }
    );
  }

  view(p: Position): PositionView {
    const m = findPerp(p.exchange, p.symbol) as PerpRules;
    const mark = this.price(p.exchange, m);
    const notional = mul(mul(abs(p.size), m.contractSize), mark);
    const leverage = this.leverage(p.exchange, p.account, p.symbol);
    return {
      ...p,
      markPrice: mark,
      unrealizedPnl: mul(mul(p.size, m.contractSize), mark - p.entryPrice),
      notional,
      leverage,
      marginMode: this.marginMode(p.exchange, p.account, p.symbol),
      initialMargin: notional / BigInt(leverage),
    };
  }

  /** The account's open positions (size ≠ 0), valued at the current price. */
  openPositions(exchange: ExchangeId, account: string): PositionView[] {
    return [...this.positions.values()]
      .filter((p) => p.exchange === exchange && p.account === account && p.size !== 0n)
      .map((p) => this.view(p));
  }

  private wallet(exchange: ExchangeId, account: string): Dec {
    if (exchange !== 'binance')
      return this.book.balances(exchange, account).get('USDT')?.total ?? 0n;
    const id = key(exchange, account);
    return this.futuresWallet.get(id) ?? this.book.initialFunds(exchange, account, 'USDT');
  }

  private addToWallet(exchange: ExchangeId, account: string, delta: Dec): void {
    if (exchange !== 'binance') return this.book.adjust(exchange, account, 'USDT', delta);
    this.futuresWallet.set(key(exchange, account), this.wallet(exchange, account) + delta);
  }

  funds(exchange: ExchangeId, account: string): PerpFunds {
    const positions = this.openPositions(exchange, account);
    const unrealizedPnl = positions.reduce((s, p) => s + p.unrealizedPnl, 0n);
    const positionMargin = positions.reduce((s, p) => s + p.initialMargin, 0n);
    const orderMargin = this.openOrders(exchange, account)
      .filter((o) => !o.legs && !o.reduceOnly)
      .reduce((s, o) => s + this.marginFor(o, (o.qty ?? 0n) - o.filledQty), 0n);
    const wallet = this.wallet(exchange, account);
    return {
      wallet,
      unrealizedPnl,
      positionMargin,
      orderMargin,
      available: wallet + unrealizedPnl - positionMargin - orderMargin,
    };
  }

  private marginFor(
    o: { exchange: ExchangeId; account: string; symbol: string; price?: Dec | undefined },
    qty: Dec,
  ): Dec {
    const m = findPerp(o.exchange, o.symbol) as PerpRules;
    const price = o.price ?? this.price(o.exchange, m);
    return (
      mul(mul(qty, m.contractSize), price) / BigInt(this.leverage(o.exchange, o.account, o.symbol))
    );
  }

  /** Whether the account's available margin covers a new opening order (fees aside). */
  affordable(input: PerpPlaceInput): boolean {
    if (input.reduceOnly || input.legs) return true;
    const need = this.marginFor(
      {
        exchange: input.exchange,
        account: input.account,
        symbol: input.market.symbol,
        price: input.price,
      },
      input.qty ?? 0n,
    );
    return this.funds(input.exchange, input.account).available >= need;
  }

  /**
   * Whether a reduce-only order of this side could reduce the position: one-way mode, so it needs
   * a position on the other side (Binance -2022, Bybit 110017, OKX 51169 / 51170 otherwise).
   */
  canReduce(exchange: ExchangeId, account: string, symbol: string, side: OrderSide): boolean {
    const size = this.position(exchange, account, symbol).size;
    return size !== 0n && size > 0n !== (side === 'buy');
  }

  // ---- orders ------------------------------------------------------------------------------

  /** Places a validated order: a market order fills at once, a marketable limit too. */
  place(input: PerpPlaceInput): PerpOrder {
    const { exchange } = input;
    const next = this.nextId.get(exchange) ?? FIRST_ID[exchange];
    this.nextId.set(exchange, next + 1n);
    const order: PerpOrder = {
      exchange,
      account: input.account,
      apiKey: input.apiKey,
      id: next.toString(),
      clientOrderId: input.clientOrderId,
      symbol: input.market.symbol,
      side: input.side,
      type: input.type,
      timeInForce: input.timeInForce,
      price: input.type === 'limit' ? input.price : undefined,
      qty: input.qty,
      filledQty: 0n,
      avgPrice: 0n,
      fee: 0n,
      reduceOnly: input.reduceOnly,
      status: 'new',
      createdAt: input.now,
      updatedAt: input.now,
      ...(input.visibleAt !== undefined ? { visibleAt: input.visibleAt } : {}),
      ...(input.legs ? { legs: input.legs } : {}),
      ...(input.attach ? { attach: input.attach } : {}),
      ...(input.tag ? { tag: input.tag } : {}),
    };
    const list = this.orders.get(exchange) ?? [];
    list.push(order);
    this.orders.set(exchange, list);
    this.byId.set(key(exchange, order.id), order);
    if (order.legs) return order;
    const last = this.price(exchange, input.market);
    if (order.type === 'market') this.execute(order, last, input.now);
    else if (this.crosses(order, last)) {
      if (order.timeInForce === 'POST_ONLY') this.close(order, 'expired', input.now);
      else this.execute(order, last, input.now);
    } else if (order.timeInForce === 'IOC' || order.timeInForce === 'FOK')
      this.close(order, 'expired', input.now);
    return order;
  }

  /** Adds a TP/SL or fired-trigger order built by perp-triggers.ts. */
  insert(order: Omit<PerpOrder, 'id'>): PerpOrder {
    const next = this.nextId.get(order.exchange) ?? FIRST_ID[order.exchange];
    this.nextId.set(order.exchange, next + 1n);
    const full: PerpOrder = { ...order, id: next.toString() };
    const list = this.orders.get(order.exchange) ?? [];
    list.push(full);
    this.orders.set(order.exchange, list);
    this.byId.set(key(order.exchange, full.id), full);
    return full;
  }

  private crosses(o: PerpOrder, price: Dec): boolean {
    if (o.price === undefined) return false;
    return o.side === 'buy' ? o.price >= price : o.price <= price;
  }

  /**
   * Fills what is left of an order at `price`. A reduce-only order fills at most the opposite
   * position and expires when there is none left to reduce.
   */
  execute(order: PerpOrder, price: Dec, now: number): void {
    const pos = this.position(order.exchange, order.account, order.symbol);
    let qty = (order.qty ?? abs(pos.size)) - order.filledQty;
    if (order.reduceOnly) {
      const reducible = this.canReduce(order.exchange, order.account, order.symbol, order.side)
        ? abs(pos.size)
        : 0n;
      if (qty > reducible) qty = reducible;
      if (order.qty === undefined) order.qty = qty;
    }
    if (qty <= 0n) return this.close(order, 'expired', now);
    const m = findPerp(order.exchange, order.symbol) as PerpRules;
    this.applyFill(pos, sideSign(order.side) * qty, price, m, now);
    const fee = mul(mul(mul(qty, m.contractSize), price), PERP_FEE_RATE);
    this.addToWallet(order.exchange, order.account, -fee);
    order.avgPrice =
      order.filledQty === 0n
        ? price
        : (order.avgPrice * order.filledQty + price * qty) / (order.filledQty + qty);
    order.filledQty += qty;
    order.fee += fee;
    // A reduce-only order larger than the position fills the position and is done.
    this.close(order, 'filled', now);
    this.triggers.afterFill(order, now);
  }

  /** Nets a signed fill into the position; the closed part realises P&L into the wallet. */
  private applyFill(pos: Position, delta: Dec, price: Dec, m: PerpRules, now: number): void {
    const next: Position = { ...pos, updatedAt: now };
    if (pos.size === 0n || pos.size > 0n === delta > 0n) {
      const size = pos.size + delta;
      next.entryPrice = (pos.entryPrice * abs(pos.size) + price * abs(delta)) / abs(size);
      next.size = size;
    } else {
      const closing = abs(delta) < abs(pos.size) ? abs(delta) : abs(pos.size);
      const sign = pos.size > 0n ? 1n : -1n;
      this.addToWallet(
        pos.exchange,
        pos.account,
        mul(mul(sign * closing, m.contractSize), price - pos.entryPrice),
      );
      next.size = pos.size + delta;
      // Flipped through zero: the rest opens a new position at this price.
      next.entryPrice =
        next.size === 0n ? 0n : next.size > 0n === pos.size > 0n ? pos.entryPrice : price;
    }
    this.positions.set(key(pos.exchange, pos.account, pos.symbol), next);
    if (next.size === 0n) this.triggers.afterFlat(pos.exchange, pos.account, pos.symbol, now);
  }

  close(order: PerpOrder, status: PerpOrder['status'], now: number): void {
    order.status = status;
    order.updatedAt = now;
  }

  cancel(order: PerpOrder, now: number, reason?: PerpOrder['cancelReason']): boolean {
    if (order.status !== 'new') return false;
    this.close(order, 'canceled', now);
    if (reason) order.cancelReason = reason;
    return true;
  }

  /** A new last price: resting limits it crosses fill at their own price, then triggers fire. */
  onPrice(exchange: ExchangeId, spotSymbol: string, now: number): void {
    for (const o of this.orders.get(exchange) ?? []) {
      const m = findPerp(exchange, o.symbol) as PerpRules;
      if (o.status !== 'new' || o.legs || m.spotSymbol !== spotSymbol) continue;
      if (o.type === 'limit' && this.crosses(o, this.price(exchange, m)))
        this.execute(o, o.price as Dec, now);
    }
    this.triggers.onPrice(exchange, spotSymbol, now);
  }

  // ---- look-ups ----------------------------------------------------------------------------

  get(exchange: ExchangeId, id: string): PerpOrder | undefined {
    return this.byId.get(key(exchange, id));
  }

  list(exchange: ExchangeId, account?: string): PerpOrder[] {
    const list = this.orders.get(exchange) ?? [];
    return account === undefined ? [...list] : list.filter((o) => o.account === account);
  }

  openOrders(exchange: ExchangeId, account: string): PerpOrder[] {
    return this.list(exchange, account).filter((o) => o.status === 'new');
  }

  /** Newest order of the account with this client id; `visibleNow` skips hidden ones. */
  byClientId(
    exchange: ExchangeId,
    account: string,
    clientId: string,
    openOnly = false,
    visibleNow?: number,
  ): PerpOrder | undefined {
    const list = this.orders.get(exchange) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const o = list[i] as PerpOrder;
      if (
        o.account === account &&
        o.clientOrderId === clientId &&
        (!openOnly || o.status === 'new') &&
        (visibleNow === undefined || o.visibleAt === undefined || visibleNow >= o.visibleAt)
      )
        return o;
    }
    return undefined;
  }

  /** The account's orders look-ups show at `now` (visibilityDelayMs), oldest first. */
  lookupList(exchange: ExchangeId, account: string, now: number): PerpOrder[] {
    return this.list(exchange, account).filter(
      (o) => o.visibleAt === undefined || now >= o.visibleAt,
    );
  }

  lookup(exchange: ExchangeId, id: string, now: number): PerpOrder | undefined {
    const o = this.get(exchange, id);
    return o && (o.visibleAt === undefined || now >= o.visibleAt) ? o : undefined;
  }
}
