/**
 * An in-memory perpetual exchange behind the ccxt calls the host's swap path makes, for unit
 * tests of swap-executor.ts and protective-legs.ts (the simulator's perpetual dialects prove the
 * same against real ccxt). One symbol, one-way mode; market orders fill at once; trigger orders
 * wait until `movePrice` crosses them. It speaks two styles:
 * - `separate` (Binance-like): trigger orders are their own algo orders (clientAlgoId), found
 *   and cancelled with fapiPrivate{Get,Delete}AlgoOrder; a fired one does not cancel its sibling.
 * - `attached` (Bybit-like): stopLoss/takeProfit ride on the entry; one firing removes the other.
 */
import type { Exchange } from 'ccxt';
import { ExchangeError, NetworkError } from 'ccxt';

export interface FakeOrder {
  clientOrderId: string;
  id: string;
  side: 'buy' | 'sell';
  amount: number;
  status: string;
  params: Record<string, unknown>;
  trigger?: { kind: 'sl' | 'tp'; price: number };
}

export class FakePerpExchange {
  price = 100;
  /** Signed contracts: > 0 long, < 0 short. */
  position = 0;
  leverage = 1;
  marginType = 'CROSSED';
  readonly orders: FakeOrder[] = [];
  /** Every write the host made (order creates, cancels, settings), in order. */
  readonly writes: string[] = [];
  /** Next createOrder calls: 'drop' loses the answer after accepting; 'down' never arrives. */
  readonly faults: ('drop' | 'down')[] = [];
  /**
   * The service "dies" at the `at`-th order create (1-based): the call never returns, with the
   * order taken by the exchange (`applied`) or not. The test then starts a new service.
   */
  crash: { at: number; applied: boolean } | null = null;
  /** Order creates so far (crashed ones included). */
  creates = 0;
  /** Resolved when the crash happens. */
  crashed: Promise<void> = new Promise(() => {});
  private onCrash: () => void = () => {};

  /** No crash from now on. */
  disarm(): void {
    this.crash = null;
    this.crashed = new Promise(() => {});
  }

  /** Arms a crash at the `n`-th create from now. */
  crashAfter(n: number, applied: boolean): void {
    this.crash = { at: this.creates + n, applied };
    this.crashed = new Promise((r) => (this.onCrash = r));
  }
  private nextId = 1;

  constructor(
    readonly style: 'separate' | 'attached',
    readonly symbol = 'BTC/USDT:USDT',
  ) {}

  /** Moves the price and fires the triggers it crosses (reduce-only: capped to the position). */
  movePrice(to: number): void {
    this.price = to;
    for (const o of this.orders.filter((x) => x.trigger && x.status === 'NEW')) {
      const { kind, price } = o.trigger!;
      const long = o.side === 'sell';
      const fires =
        kind === 'sl' ? (long ? to <= price : to >= price) : long ? to >= price : to <= price;
      if (!fires) continue;
      o.status = 'FINISHED';
      this.fill(o.side, Math.min(o.amount, Math.abs(this.position)));
      if (this.style === 'attached')
        for (const sib of this.orders)
          if (sib.trigger && sib.status === 'NEW' && sib.params['parent'] === o.params['parent'])
            sib.status = 'CANCELED';
    }
    if (this.position === 0 && this.style === 'attached')
      for (const o of this.orders) if (o.trigger && o.status === 'NEW') o.status = 'CANCELED';
  }

  private fill(side: 'buy' | 'sell', amount: number): void {
    this.position += side === 'buy' ? amount : -amount;
  }

  private create(
    symbol: string,
    type: string,
    side: 'buy' | 'sell',
    amount: number,
    _price: number | undefined,
    params: Record<string, unknown> = {},
  ): { id: string } | Promise<never> {
    if (symbol !== this.symbol)
      throw new ExchangeError('fake {"code":-1121,"msg":"Invalid symbol."}');
    const crash = this.crash !== null && ++this.creates === this.crash.at ? this.crash : null;
    if (crash) this.onCrash();
    if (crash && !crash.applied) return new Promise<never>(() => {});
    const fault = this.faults.shift();
    if (fault === 'down') throw new NetworkError('fake: connection reset');
    const clientOrderId = String(params['clientOrderId']);
    const sl = params['stopLossPrice'] as number | undefined;
    const tp = params['takeProfitPrice'] as number | undefined;
    const id = String(this.nextId++);
    this.writes.push(`create ${clientOrderId}`);
    if (sl !== undefined || tp !== undefined) {
      this.orders.push({
        clientOrderId,
        id,
        side,
        amount,
        status: 'NEW',
        params,
        trigger: sl !== undefined ? { kind: 'sl', price: sl } : { kind: 'tp', price: tp! },
      });
    } else {
      const reducing = side === 'buy' ? this.position < 0 : this.position > 0;
      if (params['reduceOnly'] === true && !reducing)
        throw new ExchangeError('fake {"code":-2022,"msg":"ReduceOnly Order is rejected."}');
      const filled =
        params['reduceOnly'] === true ? Math.min(amount, Math.abs(this.position)) : amount;
      this.orders.push({
        clientOrderId,
        id,
        side,
        amount,
        status: type === 'market' ? 'FILLED' : 'NEW',
        params,
      });
      if (type === 'market') this.fill(side, filled);
      for (const [key, kind] of [
        ['stopLoss', 'sl'],
        ['takeProfit', 'tp'],
      ] as const) {
        const attached = params[key] as { triggerPrice: number } | undefined;
        if (!attached) continue;
        this.orders.push({
          clientOrderId: `${clientOrderId}-${kind}`,
          id: String(this.nextId++),
          side: side === 'buy' ? 'sell' : 'buy',
          amount,
          status: 'NEW',
          params: { parent: clientOrderId },
          trigger: { kind, price: attached.triggerPrice },
        });
      }
    }
    if (crash) return new Promise<never>(() => {});
    if (fault === 'drop') throw new NetworkError('fake: answer lost');
    return { id };
  }

  private find(clientOrderId: unknown, trigger: boolean): FakeOrder {
    const o = this.orders.find((x) => x.clientOrderId === clientOrderId && !!x.trigger === trigger);
    if (!o) throw new ExchangeError('fake {"code":-2013,"msg":"Order does not exist."}');
    return o;
  }

  /** The ccxt surface the swap path uses. */
  client(): Exchange {
    const market = {
      id: 'BTCUSDT',
      symbol: this.symbol,
      base: 'BTC',
      quote: 'USDT',
      settle: 'USDT',
      spot: false,
      swap: true,
      contractSize: 1,
      precision: { amount: 0.001, price: 0.1 },
      limits: { amount: { min: 0.001 }, cost: { min: 5 } },
    };
    return {
      id: 'binance',
      precisionMode: 4,
      market: (s: string) => {
        if (s !== this.symbol) throw new Error(`no market ${s}`);
        return market;
      },
      fetchTicker: async () => ({ last: this.price }),
      fetchBalance: async () => ({ free: { USDT: 1000 } }),
      fetchPositions: async () =>
        this.position === 0
          ? []
          : [
              {
                symbol: this.symbol,
                side: this.position > 0 ? 'long' : 'short',
                contracts: Math.abs(this.position),
                contractSize: 1,
                marginMode: this.marginType === 'ISOLATED' ? 'isolated' : 'cross',
              },
            ],
      createOrder: async (...a: Parameters<FakePerpExchange['create']>) => this.create(...a),
      // Binance-like raw calls (adapters/binance.ts).
      fapiPrivateGetSymbolConfig: async () => [
        { symbol: 'BTCUSDT', marginType: this.marginType, leverage: this.leverage },
      ],
      fapiPrivatePostMarginType: async (p: { marginType: string }) => {
        this.writes.push(`marginType ${p.marginType}`);
        this.marginType = p.marginType;
      },
      fapiPrivatePostLeverage: async (p: { leverage: number }) => {
        this.writes.push(`leverage ${p.leverage}`);
        this.leverage = p.leverage;
      },
      fapiPrivateGetOrder: async (p: { origClientOrderId: string }) => {
        const o = this.find(p.origClientOrderId, false);
        return { orderId: o.id, status: o.status };
      },
      fapiPrivateGetAlgoOrder: async (p: { clientAlgoId: string }) => {
        const o = this.find(p.clientAlgoId, true);
        return { algoId: o.id, algoStatus: o.status };
      },
      fapiPrivateDeleteAlgoOrder: async (p: { clientAlgoId: string }) => {
        const o = this.find(p.clientAlgoId, true);
        if (o.status !== 'NEW')
          throw new ExchangeError('fake {"code":-2011,"msg":"Unknown order sent."}');
        this.writes.push(`cancel ${p.clientAlgoId}`);
        o.status = 'CANCELED';
      },
      // Bybit-like raw calls (adapters/bybit.ts).
      privateGetV5AccountInfo: async () => ({
        result: {
          marginMode: this.marginType === 'ISOLATED' ? 'ISOLATED_MARGIN' : 'REGULAR_MARGIN',
        },
      }),
      privatePostV5AccountSetMarginMode: async (p: { setMarginMode: string }) => {
        this.writes.push(`marginMode ${p.setMarginMode}`);
        this.marginType = p.setMarginMode === 'ISOLATED_MARGIN' ? 'ISOLATED' : 'CROSSED';
      },
      privateGetV5PositionList: async () => ({
        result: { list: [{ symbol: 'BTCUSDT', leverage: String(this.leverage) }] },
      }),
      privatePostV5PositionSetLeverage: async (p: { buyLeverage: string }) => {
        this.writes.push(`leverage ${p.buyLeverage}`);
        this.leverage = Number(p.buyLeverage);
      },
      privateGetV5OrderRealtime: async (p: { orderLinkId: string }) => {
        const o = this.orders.find((x) => x.clientOrderId === p.orderLinkId);
        return {
          result: {
            list: o
              ? [
                  {
                    orderId: o.id,
                    orderLinkId: o.clientOrderId,
                    orderStatus: o.status === 'FILLED' ? 'Filled' : 'New',
                  },
                ]
              : [],
          },
        };
      },
      privateGetV5OrderHistory: async () => ({ result: { list: [] } }),
    } as unknown as Exchange;
  }

  /** Orders (not their attached children) sent with this client id. */
  sent(clientOrderId: string): FakeOrder[] {
    return this.orders.filter((o) => o.clientOrderId === clientOrderId);
  }

  workingTriggers(): FakeOrder[] {
    return this.orders.filter((o) => o.trigger && o.status === 'NEW');
  }
}
