/**
 * What real ccxt 4.5.84 puts on the wire for the host's swap orders, built the host's way (the
 * adapter's client options, entry and leg params) — ccxt's `fetch` is replaced by a recorder, so
 * no network. It pins the facts the swap path relies on (FACTS.md, "Perpetuals through ccxt"):
 * Binance sends attached stops as ignored `stopLoss[triggerPrice]` (hence separate legs), and a
 * separate leg goes to /fapi/v1/algoOrder as a reduce-only STOP_MARKET with our id as
 * clientAlgoId; Bybit attaches stopLoss/takeProfit to /v5/order/create; OKX attaches one
 * attachAlgoOrds entry and names the margin mode (tdMode) on every order.
 */
import type { Exchange } from 'ccxt';
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../src/native-host/service/exchange/adapters/index.js';
import { createExchangeClient } from '../../src/native-host/service/exchange/client.js';
import type { ExchangeId } from '../../src/exchanges/types.js';

type Sent = { url: string; method: string; body: string };

const ANSWERS: Record<ExchangeId, (url: string) => unknown> = {
  binance: (url) =>
    url.includes('algoOrder')
      ? { algoId: 2, clientAlgoId: 'scL', algoStatus: 'NEW' }
      : { orderId: 1, clientOrderId: 'scE', status: 'NEW' },
  bybit: () => ({
    retCode: 0,
    retMsg: 'OK',
    result: { orderId: '1', orderLinkId: 'scE', unified: 1, uta: 1, list: [] },
  }),
  okx: () => ({ code: '0', data: [{ ordId: '1', clOrdId: 'scE', sCode: '0' }] }),
};

async function swapClient(exchange: ExchangeId): Promise<{ client: Exchange; sent: Sent[] }> {
  const client = await createExchangeClient({
    exchange,
    environment: 'live',
    credentials: { apiKey: 'key', secret: 'secret', passphrase: 'pass' },
    orderWindowMs: 5_000,
    market: 'swap',
  });
  client.setMarkets([
    client.safeMarketStructure({
      id: exchange === 'okx' ? 'BTC-USDT-SWAP' : 'BTCUSDT',
      symbol: 'BTC/USDT:USDT',
      base: 'BTC',
      quote: 'USDT',
      settle: 'USDT',
      baseId: 'BTC',
      quoteId: 'USDT',
      settleId: 'USDT',
      type: 'swap',
      spot: false,
      swap: true,
      contract: true,
      linear: true,
      inverse: false,
      contractSize: exchange === 'okx' ? 0.01 : 1,
      active: true,
      precision: { amount: 0.001, price: 0.1 },
      limits: { amount: { min: 0.001 } },
      // Binance checks the order type against the market's own list.
      info: {
        orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET'],
      },
    }),
  ]);
  const sent: Sent[] = [];
  (client as unknown as { fetch: unknown }).fetch = async (
    url: string,
    method: string,
    _headers: unknown,
    body: unknown,
  ) => {
    sent.push({ url, method, body: String(body ?? '') });
    return ANSWERS[exchange](url);
  };
  return { client, sent };
}

const LEGS = [
  { role: 'stop-loss' as const, triggerPrice: 90 },
  { role: 'take-profit' as const, triggerPrice: 120 },
];

/** The entry as swap-executor.ts sends it. */
async function sendEntry(exchange: ExchangeId, reduceOnly = false): Promise<Sent> {
  const { client, sent } = await swapClient(exchange);
  const a = ADAPTERS[exchange];
  const params = a.entryParams({
    marginMode: 'isolated',
    reduceOnly,
    attachedLegs: a.protectiveStyle === 'attached' && !reduceOnly ? LEGS : [],
  });
  await client.createOrder('BTC/USDT:USDT', 'market', reduceOnly ? 'sell' : 'buy', 1, undefined, {
    ...params,
    clientOrderId: 'scE',
  });
  return sent.filter((s) => s.method === 'POST').at(-1)!;
}

describe('swap entries on the wire', () => {
  it('binance: /fapi/v1/order, no stop fields (they go separately)', async () => {
    const s = await sendEntry('binance');
    expect(s.url).toMatch(/\/fapi\/v1\/order$/);
    expect(s.body).toContain('newClientOrderId=scE');
    expect(s.body).not.toMatch(/stopLoss|takeProfit/);
  });

  it('bybit: /v5/order/create, linear, with stopLoss and takeProfit attached', async () => {
    const s = await sendEntry('bybit');
    expect(s.url).toMatch(/\/v5\/order\/create$/);
    expect(JSON.parse(s.body)).toMatchObject({
      category: 'linear',
      symbol: 'BTCUSDT',
      orderLinkId: 'scE',
      stopLoss: '90',
      takeProfit: '120',
    });
  });

  it('okx: one order (not a batch), tdMode named, TP/SL as one attachAlgoOrds entry', async () => {
    const s = await sendEntry('okx');
    expect(s.url).toMatch(/\/api\/v5\/trade\/order$/);
    const body = JSON.parse(s.body) as Record<string, unknown>;
    expect(body).toMatchObject({ instId: 'BTC-USDT-SWAP', tdMode: 'isolated', clOrdId: 'scE' });
    expect(body['attachAlgoOrds']).toEqual([
      expect.objectContaining({
        slTriggerPx: '90',
        slOrdPx: '-1',
        tpTriggerPx: '120',
        tpOrdPx: '-1',
      }),
    ]);
  });

  it.each(['binance', 'bybit', 'okx'] as const)('%s: a close carries reduceOnly', async (ex) => {
    const s = await sendEntry(ex, true);
    expect(`${s.url} ${s.body}`).toMatch(/reduceOnly"?[=:]\s*"?true/);
  });
});

describe('binance separate legs on the wire', () => {
  it.each([
    ['stop-loss', 'STOP_MARKET'],
    ['take-profit', 'TAKE_PROFIT_MARKET'],
  ] as const)('%s: /fapi/v1/algoOrder, %s, reduce-only, clientAlgoId', async (role, type) => {
    const { client, sent } = await swapClient('binance');
    const leg = LEGS.find((l) => l.role === role)!;
    await client.createOrder('BTC/USDT:USDT', 'market', 'sell', 1, undefined, {
      ...ADAPTERS.binance.legParams({ marginMode: 'isolated', leg }),
      clientOrderId: 'scL',
    });
    const { url, body } = sent.at(-1)!;
    expect(url).toMatch(/\/fapi\/v1\/algoOrder$/);
    for (const part of [
      `type=${type}`,
      `triggerPrice=${leg.triggerPrice}`,
      'reduceOnly=true',
      'clientAlgoId=scL',
      'algoType=CONDITIONAL',
    ])
      expect(body).toContain(part);
  });

  it('look-up and cancel by clientAlgoId', async () => {
    const { client, sent } = await swapClient('binance');
    await expect(
      ADAPTERS.binance.findTriggerOrderByClientId(client, 'BTC/USDT:USDT', 'scL'),
    ).resolves.toEqual({ found: true, exchangeOrderId: '2', open: true });
    await ADAPTERS.binance.cancelTriggerOrder(client, 'BTC/USDT:USDT', 'scL');
    expect(sent.map((s) => `${s.method} ${s.url.replace(/\?.*/, '')}`)).toEqual([
      'GET https://fapi.binance.com/fapi/v1/algoOrder',
      'DELETE https://fapi.binance.com/fapi/v1/algoOrder',
    ]);
    expect(sent[0]!.url).toContain('clientAlgoId=scL');
  });
});
