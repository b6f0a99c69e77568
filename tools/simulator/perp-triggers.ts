/**
 * Trigger orders of the perpetuals book: when the last price reaches a leg, the order becomes a
 * market order (reduce-only when it was) filled at that price, visible in the order history; and
 * attached take-profit / stop-loss created when their entry order fills.
 *
 * What the exchanges do, and the book models through `group` and `cancelOnFlat`:
 * - Binance: conditional (algo) orders are independent; a fired stop does NOT cancel its sibling
 *   take-profit (FACTS.md "Perpetuals through ccxt 4.5.84"; Binance's algo statuses NEW →
 *   TRIGGERING → TRIGGERED → FINISHED,
 *   https://developers.binance.com/docs/derivatives/usds-margined-futures/user-data-streams/Event-Algo-Order-Update).
 * - Bybit: TP/SL set on /v5/order/create are the position's TP/SL ("Full" mode): when one fills
 *   the other is deactivated, and both go when the position is closed
 *   (https://bybit-exchange.github.io/docs/v5/position/trading-stop, "the TP/SL order will be
 *   cancelled when the position is closed"; FACTS.md).
 * - OKX: attachAlgoOrds with both prices make one OCO algo order: one leg firing ends it
 *   (https://www.okx.com/docs-v5/en/#order-book-trading-algo-trading-post-place-algo-order,
 *   ordType "oco": one-cancels-the-other).
 */
import type { Dec } from '../../src/lib/decimal.js';
import { findPerp, type PerpRules } from './perp-markets.js';
import type { PerpLedger, PerpOrder, TriggerLeg } from './perp-types.js';
import type { ExchangeId, OrderSide } from './types.js';

/**
 * A protective leg for an order closing with `closingSide`: a sell closes a long, so its
 * take-profit fires at or above the price and its stop at or below; a buy closes a short.
 */
export function protectiveLeg(label: 'tp' | 'sl', closingSide: OrderSide, price: Dec): TriggerLeg {
  const upward = (label === 'tp') === (closingSide === 'sell');
  return { label, price, when: upward ? 'above' : 'below' };
}

/** Whether the leg's condition holds at `price`. */
export function legReached(leg: TriggerLeg, price: Dec): boolean {
  return leg.when === 'above' ? price >= leg.price : price <= leg.price;
}

const opposite = (side: OrderSide): OrderSide => (side === 'buy' ? 'sell' : 'buy');

export class PerpTriggers {
  constructor(private readonly perp: PerpLedger) {}

  /** An entry order with attached TP/SL filled: create them. */
  afterFill(order: PerpOrder, now: number): void {
    const spec = order.attach;
    if (!spec || order.attachedIds || order.filledQty === 0n) return;
    const closing = opposite(order.side);
    const legs: TriggerLeg[] = [];
    if (spec.tp !== undefined) legs.push(protectiveLeg('tp', closing, spec.tp));
    if (spec.sl !== undefined) legs.push(protectiveLeg('sl', closing, spec.sl));
    const base = {
      exchange: order.exchange,
      account: order.account,
      apiKey: order.apiKey,
      clientOrderId: '',
      symbol: order.symbol,
      side: closing,
      type: 'market' as const,
      timeInForce: 'GTC' as const,
      filledQty: 0n,
      avgPrice: 0n,
      fee: 0n,
      reduceOnly: true,
      status: 'new' as const,
      createdAt: now,
      updatedAt: now,
      parentId: order.id,
    };
    if (spec.scope === 'position') {
      // The position's TP/SL: newer ones replace those already set.
      for (const o of this.perp.openOrders(order.exchange, order.account))
        if (o.symbol === order.symbol && o.cancelOnFlat) this.perp.cancel(o, now, 'replaced');
      const group = `tpsl-${order.id}`;
      order.attachedIds = legs.map(
        (leg) =>
          this.perp.insert({
            ...base,
            qty: undefined,
            legs: [leg],
            group,
            cancelOnFlat: true,
            tag: leg.label === 'tp' ? 'TakeProfit' : 'StopLoss',
          }).id,
      );
    } else {
      const algo = this.perp.insert({
        ...base,
        clientOrderId: spec.clientId ?? '',
        qty: order.filledQty,
        legs,
        tag: legs.length > 1 ? 'oco' : 'conditional',
      });
      order.attachedIds = [algo.id];
    }
  }

  /** The position is closed: its position TP/SL go with it. */
  afterFlat(exchange: ExchangeId, account: string, symbol: string, now: number): void {
    for (const o of this.perp.openOrders(exchange, account))
      if (o.symbol === symbol && o.cancelOnFlat) this.perp.cancel(o, now, 'position-closed');
  }

  /** Fires the open trigger orders of the markets that trade at `spotSymbol`'s price. */
  onPrice(exchange: ExchangeId, spotSymbol: string, now: number): void {
    const due = this.perp.list(exchange).filter((o) => {
      const m = findPerp(exchange, o.symbol) as PerpRules;
      return o.status === 'new' && o.legs && m.spotSymbol === spotSymbol;
    });
    for (const o of due) {
      if (o.status !== 'new') continue; // a sibling fired first
      const price = this.perp.price(exchange, findPerp(exchange, o.symbol) as PerpRules);
      const leg = o.legs?.find((l) => legReached(l, price));
      if (leg) this.fire(o, leg, price, now);
    }
  }

  /** The trigger order becomes a market order filled at `price`. */
  fire(o: PerpOrder, leg: TriggerLeg, price: Dec, now: number): PerpOrder {
    const child = this.perp.insert({
      exchange: o.exchange,
      account: o.account,
      apiKey: o.apiKey,
      clientOrderId: o.clientOrderId ? `${o.clientOrderId}-fired` : '',
      symbol: o.symbol,
      side: o.side,
      type: 'market',
      timeInForce: 'GTC',
      qty: o.qty,
      filledQty: 0n,
      avgPrice: 0n,
      fee: 0n,
      reduceOnly: o.reduceOnly,
      status: 'new',
      createdAt: now,
      updatedAt: now,
      parentId: o.id,
      tag: 'fired',
    });
    o.fired = { label: leg.label, at: now, orderId: child.id };
    // The order is done before its fill runs: closing the position must not cancel it.
    this.perp.close(o, 'filled', now);
    this.perp.execute(child, price, now);
    o.filledQty = child.filledQty;
    o.avgPrice = child.avgPrice;
    o.fee = child.fee;
    if (o.qty === undefined) o.qty = child.qty;
    if (child.status !== 'filled') this.perp.close(o, 'expired', now);
    if (o.group)
      for (const sibling of this.perp.openOrders(o.exchange, o.account))
        if (sibling.group === o.group) this.perp.cancel(sibling, now, 'sibling-fired');
    return child;
  }
}
