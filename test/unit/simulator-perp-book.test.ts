/** The simulator's perpetuals book: netting, P&L, reduce-only and trigger rules, as tables. */
import { dec, fmt } from '../../src/lib/decimal.js';
import { Book } from '../../tools/simulator/orders.js';
import { PerpBook } from '../../tools/simulator/perp-book.js';
import { findPerp, type PerpRules } from '../../tools/simulator/perp-markets.js';
import { legReached, protectiveLeg } from '../../tools/simulator/perp-triggers.js';
import type { PerpPlaceInput } from '../../tools/simulator/perp-types.js';
import type { ExchangeId, OrderSide } from '../../tools/simulator/types.js';

const ACCOUNT = 'acct';

function setup(exchange: ExchangeId) {
  const book = new Book();
  book.ensureAccount(exchange, ACCOUNT, { USDT: '10000' });
  const perp = new PerpBook(book);
  const market = findPerp(exchange, 'BTC/USDT:USDT') as PerpRules;
  const setPrice = (price: string) => {
    book.prices.set(exchange, 'BTC/USDT', dec(price));
    perp.onPrice(exchange, 'BTC/USDT', 0);
  };
  const order = (side: OrderSide, qty: string, extra: Partial<PerpPlaceInput> = {}) =>
    perp.place({
      exchange,
      account: ACCOUNT,
      apiKey: 'k',
      market,
      side,
      type: 'market',
      timeInForce: 'GTC',
      qty: dec(qty),
      reduceOnly: false,
      clientOrderId: '',
      now: 0,
      ...extra,
    });
  const position = () => perp.position(exchange, ACCOUNT, market.symbol);
  return { book, perp, market, setPrice, order, position };
}

describe('perp book netting and P&L', () => {
  // [exchange, fills as [side, qty, price], size after, entry after, wallet after]
  const cases: [ExchangeId, [OrderSide, string, string][], string, string, string][] = [
    // Binance: base units; +0.01 at 65000, close at 70000: +50, fees 0.325 + 0.35.
    [
      'binance',
      [
        ['buy', '0.01', '65000'],
        ['sell', '0.01', '70000'],
      ],
      '0',
      '0',
      '10049.325',
    ],
    // Averaging in: 0.01 @ 60000 + 0.01 @ 70000 → entry 65000.
    [
      'binance',
      [
        ['buy', '0.01', '60000'],
        ['buy', '0.01', '70000'],
      ],
      '0.02',
      '65000',
      '9999.35',
    ],
    // Flip through zero: long 0.01 @ 65000, sell 0.03 @ 66000 → short 0.02 @ 66000, +10 realised, fees 0.325 + 0.99.
    [
      'bybit',
      [
        ['buy', '0.01', '65000'],
        ['sell', '0.03', '66000'],
      ],
      '-0.02',
      '66000',
      '10008.685',
    ],
    // OKX contracts of 0.01 BTC: 2 contracts short @ 65000, cover 1 @ 60000: +50 on 0.01 BTC.
    [
      'okx',
      [
        ['sell', '2', '65000'],
        ['buy', '1', '60000'],
      ],
      '-1',
      '65000',
      '10049.05',
    ],
  ];
  it.each(cases)('%s %j → size %s entry %s wallet %s', (exchange, fills, size, entry, wallet) => {
    const s = setup(exchange);
    for (const [side, qty, price] of fills) {
      s.setPrice(price);
      expect(s.order(side, qty).status).toBe('filled');
    }
    expect(fmt(s.position().size)).toBe(size);
    expect(fmt(s.position().entryPrice)).toBe(entry);
    expect(fmt(s.perp.funds(exchange, ACCOUNT).wallet)).toBe(fmt(dec(wallet)));
  });

  it('caps a reduce-only order at the position and expires it when nothing is left', () => {
    const s = setup('binance');
    s.order('buy', '0.01');
    const over = s.order('sell', '0.05', { reduceOnly: true });
    expect([over.status, fmt(over.filledQty), fmt(s.position().size)]).toEqual([
      'filled',
      '0.01',
      '0',
    ]);
    expect(s.order('sell', '0.01', { reduceOnly: true }).status).toBe('expired');
    expect(s.perp.canReduce('binance', ACCOUNT, s.market.symbol, 'sell')).toBe(false);
  });

  it('values an open position at the mark price with its leverage', () => {
    const s = setup('binance');
    s.perp.setLeverage('binance', ACCOUNT, s.market.symbol, 5);
    s.order('buy', '0.1');
    s.setPrice('66000');
    const [view] = s.perp.openPositions('binance', ACCOUNT);
    expect(
      [view?.unrealizedPnl, view?.notional, view?.initialMargin].map((v) => fmt(v ?? 0n)),
    ).toEqual(['100', '6600', '1320']);
  });
});

describe('perp triggers', () => {
  // [label, closing side, trigger, price, reached]
  const legs: ['tp' | 'sl', OrderSide, string, string, boolean][] = [
    ['tp', 'sell', '70000', '69999.9', false], // a long's take-profit: at or above
    ['tp', 'sell', '70000', '70000', true],
    ['sl', 'sell', '60000', '60000.1', false], // a long's stop: at or below
    ['sl', 'sell', '60000', '59000', true],
    ['tp', 'buy', '60000', '60000', true], // a short's take-profit: at or below
    ['sl', 'buy', '68000', '67999', false], // a short's stop: at or above
    ['sl', 'buy', '68000', '68001', true],
  ];
  it.each(legs)('%s closing %s at %s, price %s → %s', (label, side, trigger, price, reached) => {
    expect(legReached(protectiveLeg(label, side, dec(trigger)), dec(price))).toBe(reached);
  });

  it('Bybit-style position TP/SL: one fires, the other is deactivated', () => {
    const s = setup('bybit');
    s.order('buy', '0.01', { attach: { tp: dec('70000'), sl: dec('60000'), scope: 'position' } });
    const [tp, sl] = s.perp.openOrders('bybit', ACCOUNT);
    s.setPrice('70000');
    expect([tp?.status, tp?.fired?.label, sl?.status, sl?.cancelReason]).toEqual([
      'filled',
      'tp',
      'canceled',
      'sibling-fired',
    ]);
    expect(s.position().size).toBe(0n);
  });

  it('independent (Binance-style) triggers: a fired stop leaves the take-profit open', () => {
    const s = setup('binance');
    s.order('buy', '0.01');
    const stop = s.order('sell', '0.01', {
      reduceOnly: true,
      legs: [protectiveLeg('sl', 'sell', dec('60000'))],
    });
    const take = s.order('sell', '0.01', {
      reduceOnly: true,
      legs: [protectiveLeg('tp', 'sell', dec('70000'))],
    });
    s.setPrice('59000');
    expect([stop.status, take.status, s.position().size]).toEqual(['filled', 'new', 0n]);
    // Later the take-profit fires with nothing left to reduce: its market order expires.
    s.setPrice('71000');
    expect(take.status).toBe('expired');
  });
});
