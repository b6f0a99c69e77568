/**
 * The adapters' perpetual-swap parts against fake ccxt clients that record the raw calls: the
 * market options of a swap client, prepareSwap (read first, change only what differs, "nothing
 * to change" answers are success), the params of entries and legs, and the trigger look-up and
 * cancel of separate legs.
 */
import type { Exchange } from 'ccxt';
import { describe, expect, it } from 'vitest';
import { ExchangeError } from 'ccxt';
import { ADAPTERS } from '../../src/native-host/service/exchange/adapters/index.js';
import type { ExchangeId } from '../../src/exchanges/types.js';

type Answer = unknown | ((params: Record<string, unknown>) => unknown);

/** A ccxt stand-in: each implicit method answers from the table (a function may throw). */
function fakeClient(answers: Record<string, Answer>): {
  client: Exchange;
  calls: [string, Record<string, unknown>][];
} {
  const calls: [string, Record<string, unknown>][] = [];
  const target: Record<string, unknown> = {
    id: 'fake',
    market: (symbol: string) => ({ id: symbol.replace(/[/:].*$/, '') + 'USDT', spot: false }),
  };
  for (const [name, answer] of Object.entries(answers))
    target[name] = async (params: Record<string, unknown> = {}) => {
      calls.push([name, params]);
      return typeof answer === 'function'
        ? (answer as (p: Record<string, unknown>) => unknown)(params)
        : answer;
    };
  return { client: target as unknown as Exchange, calls };
}

const SYMBOL = 'BTC/USDT:USDT';

describe('swap client options', () => {
  it.each([
    ['binance', ['linear']],
    ['bybit', ['linear']],
    ['okx', ['swap']],
  ] as const)('%s loads its linear perpetuals and defaults to swap', (id, types) => {
    const swap = ADAPTERS[id].ccxtOptions('swap');
    expect(swap.options['fetchMarkets']).toEqual({ types });
    expect(swap.options['defaultType']).toBe('swap');
    const spot = ADAPTERS[id].ccxtOptions();
    expect(spot.options['fetchMarkets']).toEqual({ types: ['spot'] });
    expect(spot.options['defaultType']).toBe('spot');
  });
});

describe('prepareSwap', () => {
  const cases: {
    name: string;
    id: ExchangeId;
    answers: Record<string, Answer>;
    marginMode: 'isolated' | 'cross';
    writes: string[];
  }[] = [
    {
      name: 'binance: already isolated at 3x → reads only',
      id: 'binance',
      answers: {
        fapiPrivateGetSymbolConfig: [{ symbol: 'BTCUSDT', marginType: 'ISOLATED', leverage: 3 }],
      },
      marginMode: 'isolated',
      writes: [],
    },
    {
      name: 'binance: cross at 1x → sets margin type and leverage',
      id: 'binance',
      answers: {
        fapiPrivateGetSymbolConfig: [{ symbol: 'BTCUSDT', marginType: 'CROSSED', leverage: 1 }],
        fapiPrivatePostMarginType: {},
        fapiPrivatePostLeverage: {},
      },
      marginMode: 'isolated',
      writes: ['fapiPrivatePostMarginType', 'fapiPrivatePostLeverage'],
    },
    {
      name: 'binance: -4046 "no need to change margin type" is success',
      id: 'binance',
      answers: {
        fapiPrivateGetSymbolConfig: [],
        fapiPrivatePostMarginType: () => {
          throw new ExchangeError('binance {"code":-4046,"msg":"No need to change margin type."}');
        },
        fapiPrivatePostLeverage: {},
      },
      marginMode: 'cross',
      writes: ['fapiPrivatePostMarginType', 'fapiPrivatePostLeverage'],
    },
    {
      name: 'bybit: same margin mode and leverage → reads only',
      id: 'bybit',
      answers: {
        privateGetV5AccountInfo: { result: { marginMode: 'ISOLATED_MARGIN' } },
        privateGetV5PositionList: { result: { list: [{ symbol: 'BTCUSDT', leverage: '3' }] } },
      },
      marginMode: 'isolated',
      writes: [],
    },
    {
      name: 'bybit: 110026 and 110043 "not modified" are success',
      id: 'bybit',
      answers: {
        privateGetV5AccountInfo: { result: { marginMode: 'REGULAR_MARGIN' } },
        privatePostV5AccountSetMarginMode: () => {
          throw new ExchangeError('bybit {"retCode":110026,"retMsg":"not modified"}');
        },
        privateGetV5PositionList: { result: { list: [] } },
        privatePostV5PositionSetLeverage: () => {
          throw new ExchangeError('bybit {"retCode":110043,"retMsg":"leverage not modified"}');
        },
      },
      marginMode: 'isolated',
      writes: ['privatePostV5AccountSetMarginMode', 'privatePostV5PositionSetLeverage'],
    },
    {
      name: 'okx: margin mode goes with each order; leverage set when it differs',
      id: 'okx',
      answers: {
        privateGetAccountLeverageInfo: { data: [{ instId: 'BTCUSDT', lever: '5' }] },
        privatePostAccountSetLeverage: { data: [] },
      },
      marginMode: 'cross',
      writes: ['privatePostAccountSetLeverage'],
    },
  ];
  it.each(cases)('$name', async ({ id, answers, marginMode, writes }) => {
    const { client, calls } = fakeClient(answers);
    await ADAPTERS[id].prepareSwap(client, SYMBOL, { leverage: 3, marginMode });
    expect(calls.map(([n]) => n).filter((n) => /Post/.test(n))).toEqual(writes);
  });

  it('binance: another refusal is thrown (nothing is sent after it)', async () => {
    const { client } = fakeClient({
      fapiPrivateGetSymbolConfig: [],
      fapiPrivatePostMarginType: () => {
        throw new ExchangeError('binance {"code":-4048,"msg":"Margin type cannot be changed"}');
      },
    });
    await expect(
      ADAPTERS.binance.prepareSwap(client, SYMBOL, { leverage: 2, marginMode: 'cross' }),
    ).rejects.toThrow(/-4048/);
  });

  it('bybit: never switches an account away from portfolio margin', async () => {
    const { client, calls } = fakeClient({
      privateGetV5AccountInfo: { result: { marginMode: 'PORTFOLIO_MARGIN' } },
    });
    await expect(
      ADAPTERS.bybit.prepareSwap(client, SYMBOL, { leverage: 2, marginMode: 'isolated' }),
    ).rejects.toThrow(/portfolio margin/);
    expect(calls).toHaveLength(1);
  });

  it('okx: sends the leverage with the margin mode', async () => {
    const { client, calls } = fakeClient({
      privateGetAccountLeverageInfo: { data: [] },
      privatePostAccountSetLeverage: { data: [] },
    });
    await ADAPTERS.okx.prepareSwap(client, SYMBOL, { leverage: 4, marginMode: 'isolated' });
    expect(calls[1]).toEqual([
      'privatePostAccountSetLeverage',
      { instId: 'BTCUSDT', lever: '4', mgnMode: 'isolated' },
    ]);
  });
});

describe('order params', () => {
  const legs = [
    { role: 'stop-loss' as const, triggerPrice: 90 },
    { role: 'take-profit' as const, triggerPrice: 110 },
  ];
  it.each([
    ['binance', 'separate', {}],
    ['bybit', 'attached', { stopLoss: { triggerPrice: 90 }, takeProfit: { triggerPrice: 110 } }],
    [
      'okx',
      'attached',
      {
        stopLoss: { triggerPrice: 90 },
        takeProfit: { triggerPrice: 110 },
        marginMode: 'isolated',
      },
    ],
  ] as const)('%s protects %s; entry params', (id, style, entry) => {
    const a = ADAPTERS[id];
    expect(a.protectiveStyle).toBe(style);
    const attachedLegs = a.protectiveStyle === 'attached' ? legs : [];
    expect(a.entryParams({ marginMode: 'isolated', reduceOnly: false, attachedLegs })).toEqual(
      entry,
    );
    expect(
      a.entryParams({ marginMode: 'isolated', reduceOnly: true, attachedLegs: [] }),
    ).toMatchObject({ reduceOnly: true });
  });

  it.each(['binance', 'bybit', 'okx'] as const)(
    '%s: a separate leg is a reduce-only trigger order',
    (id) => {
      const p = ADAPTERS[id].legParams({ marginMode: 'cross', leg: legs[0]! });
      expect(p).toMatchObject({ reduceOnly: true, stopLossPrice: 90 });
      const tp = ADAPTERS[id].legParams({ marginMode: 'cross', leg: legs[1]! });
      expect(tp).toMatchObject({ reduceOnly: true, takeProfitPrice: 110 });
    },
  );
});

describe('binance trigger orders by clientAlgoId', () => {
  it.each([
    ['NEW', { found: true, exchangeOrderId: '7', open: true }],
    ['FINISHED', { found: true, exchangeOrderId: '7', open: false }],
    ['CANCELED', { found: true, exchangeOrderId: '7', open: false }],
  ])('%s', async (algoStatus, expected) => {
    const { client, calls } = fakeClient({ fapiPrivateGetAlgoOrder: { algoId: 7, algoStatus } });
    await expect(
      ADAPTERS.binance.findTriggerOrderByClientId(client, SYMBOL, 'scLEG'),
    ).resolves.toEqual(expected);
    expect(calls[0]).toEqual(['fapiPrivateGetAlgoOrder', { clientAlgoId: 'scLEG' }]);
  });

  it('-2013 is "not found"; a 5xx-like error proves nothing and is thrown', async () => {
    const gone = fakeClient({
      fapiPrivateGetAlgoOrder: () => {
        throw new ExchangeError('binance {"code":-2013,"msg":"Order does not exist."}');
      },
    });
    await expect(
      ADAPTERS.binance.findTriggerOrderByClientId(gone.client, SYMBOL, 'x'),
    ).resolves.toEqual({ found: false });
    const down = fakeClient({
      fapiPrivateGetAlgoOrder: () => {
        throw new ExchangeError('binance {"code":-1000,"msg":"unknown"}');
      },
    });
    await expect(
      ADAPTERS.binance.findTriggerOrderByClientId(down.client, SYMBOL, 'x'),
    ).rejects.toThrow();
  });

  it('cancel: done, or already gone', async () => {
    const ok = fakeClient({ fapiPrivateDeleteAlgoOrder: {} });
    await expect(ADAPTERS.binance.cancelTriggerOrder(ok.client, SYMBOL, 'x')).resolves.toBe(true);
    expect(ok.calls[0]).toEqual(['fapiPrivateDeleteAlgoOrder', { clientAlgoId: 'x' }]);
    const gone = fakeClient({
      fapiPrivateDeleteAlgoOrder: () => {
        throw new ExchangeError('binance {"code":-2013,"msg":"Order does not exist."}');
      },
    });
    await expect(ADAPTERS.binance.cancelTriggerOrder(gone.client, SYMBOL, 'x')).resolves.toBe(true);
  });
});

describe('look-up of a swap entry by client id', () => {
  it.each([
    ['binance', 'fapiPrivateGetOrder', { orderId: 5, status: 'FILLED' }],
    [
      'bybit',
      'privateGetV5OrderRealtime',
      { result: { list: [{ orderId: '5', orderLinkId: 'c', orderStatus: 'Filled' }] } },
    ],
    ['okx', 'privateGetTradeOrder', { data: [{ ordId: '5', clOrdId: 'c', state: 'filled' }] }],
  ] as const)('%s asks %s', async (id, method, answer) => {
    const { client, calls } = fakeClient({ [method]: answer });
    const r = await ADAPTERS[id].findOrderByClientId(client, SYMBOL, 'c');
    expect(r).toMatchObject({ found: true, exchangeOrderId: '5' });
    expect(calls[0]![0]).toBe(method);
    if (id === 'bybit') expect(calls[0]![1]).toMatchObject({ category: 'linear' });
    expect(r.found && ADAPTERS[id].isOpenStatus(r.status)).toBe(false);
  });
});
