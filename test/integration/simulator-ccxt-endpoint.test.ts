/** pointCcxtAt / validateEndpoint / ccxtOptionsFor against real ccxt instances. */
import ccxt, { type Exchange } from 'ccxt';
import {
  ccxtOptionsFor,
  EndpointError,
  pointCcxtAt,
  validateEndpoint,
} from '../../src/native-host/service/exchange/ccxt-endpoint.js';
import { ccxtFor, startTestSimulator, tradeKey, type Simulator } from '../helpers/simulator.js';

const EP = 'http://127.0.0.1:4567/binance';

function flatten(value: unknown, prefix = ''): Record<string, string> {
  if (typeof value === 'string') return { [prefix]: value };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as object))
    Object.assign(out, flatten(v, prefix ? `${prefix}.${k}` : k));
  return out;
}

describe('validateEndpoint', () => {
  it.each([
    ['https://gateway.example.com/binance/', 'https://gateway.example.com/binance'],
    ['http://127.0.0.1:8080/okx', 'http://127.0.0.1:8080/okx'],
    ['http://127.9.8.7/bybit', 'http://127.9.8.7/bybit'],
    ['http://[::1]:9000/okx', 'http://[::1]:9000/okx'],
    ['http://localhost:3000', 'http://localhost:3000'],
  ])('accepts %s', (input, normalized) => {
    expect(validateEndpoint(input)).toBe(normalized);
  });

  it.each([
    'http://192.168.1.5:8080/binance',
    'http://example.com/binance',
    'http://127.0.0.1.example.com/x',
    'ftp://127.0.0.1/x',
    'not a url',
    'https://user:pw@gateway.example.com',
    'https://gateway.example.com/x?y=1',
  ])('refuses %s', (input) => {
    expect(() => validateEndpoint(input)).toThrow(EndpointError);
  });
});

describe('pointCcxtAt', () => {
  it('rewrites every Binance API URL, keeping the path', () => {
    const ex = new ccxt.binance();
    const before = flatten(ex.urls.api);
    pointCcxtAt(ex, EP);
    const after = flatten(ex.urls.api);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(Object.keys(after).length).toBeGreaterThanOrEqual(20);
    for (const [k, url] of Object.entries(after)) {
      expect(url.startsWith(`${EP}/`), k).toBe(true);
      expect(url.slice(EP.length)).toBe(new URL(before[k] as string).pathname);
    }
    expect(after['sapi']).toBe(`${EP}/sapi/v1`);
    expect(after['private']).toBe(`${EP}/api/v3`);
  });

  it('replaces Bybit {hostname} templates and OKX rest', () => {
    const bybit = new ccxt.bybit();
    pointCcxtAt(bybit, 'http://127.0.0.1:4567/bybit');
    expect(bybit.urls.api).toEqual({
      spot: 'http://127.0.0.1:4567/bybit',
      futures: 'http://127.0.0.1:4567/bybit',
      v2: 'http://127.0.0.1:4567/bybit',
      public: 'http://127.0.0.1:4567/bybit',
      private: 'http://127.0.0.1:4567/bybit',
    });
    const okx = new ccxt.okx();
    pointCcxtAt(okx, 'https://gw.example.com/okx/');
    expect(okx.urls.api).toEqual({ rest: 'https://gw.example.com/okx' });
  });

  it('switches the environment first: sandbox or demo trading, then the rewrite', () => {
    const bnTest = new ccxt.binance();
    pointCcxtAt(bnTest, EP, 'testnet');
    expect(bnTest.isSandboxModeEnabled).toBe(true);
    expect((bnTest.urls.api as Record<string, string>)['public']).toBe(`${EP}/api/v3`);
    expect('sapi' in (bnTest.urls.api as object)).toBe(false); // Binance's testnet has no /sapi
    const bnDemo = new ccxt.binance();
    pointCcxtAt(bnDemo, EP, 'demo');
    expect(bnDemo.options['enableDemoTrading']).toBe(true);
    const byTest = new ccxt.bybit();
    pointCcxtAt(byTest, 'http://127.0.0.1:1/bybit', 'testnet');
    expect(byTest.isSandboxModeEnabled).toBe(true);
    const okDemo = new ccxt.okx();
    pointCcxtAt(okDemo, 'http://127.0.0.1:1/okx', 'demo');
    expect(okDemo.headers['x-simulated-trading']).toBe('1');
    expect((okDemo.urls.api as Record<string, string>)['rest']).toBe('http://127.0.0.1:1/okx');
  });

  it('refuses plain http to a non-loopback host and leaves the instance alone', () => {
    const ex: Exchange = new ccxt.okx();
    expect(() => pointCcxtAt(ex, 'http://10.0.0.1/okx')).toThrow(/non-loopback/);
    expect(ex.urls.api).toEqual({ rest: 'https://{hostname}' });
  });
});

describe('ccxtOptionsFor', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.close());

  it('keeps loadMarkets to one spot request per exchange', async () => {
    const expected = {
      binance: ['GET /api/v3/exchangeInfo'],
      bybit: ['GET /v5/market/instruments-info'],
      okx: ['GET /api/v5/public/instruments'],
    } as const;
    for (const exchange of ['binance', 'bybit', 'okx'] as const) {
      expect(ccxtOptionsFor(exchange).options['fetchMarkets']).toEqual({ types: ['spot'] });
      const ex = ccxtFor(sim, tradeKey(exchange, `${exchange}Markets`));
      const markets = await ex.loadMarkets();
      expect(Object.keys(markets).sort()).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT']);
      expect(sim.requests(exchange).map((r) => `${r.method} ${r.path}`)).toEqual(
        expected[exchange],
      );
    }
    expect(ccxtOptionsFor('okx').options['createOrder']).toBe('privatePostTradeOrder');
  });

  it("gives ccxt the exchanges' trading rules", async () => {
    const bn = await ccxtFor(sim, tradeKey('binance', 'rules')).loadMarkets();
    expect(bn['BTC/USDT']).toMatchObject({
      precision: { price: 0.01, amount: 0.00001 },
      limits: { amount: { min: 0.00001, max: 9000 }, cost: { min: 5 } },
    });
    const by = await ccxtFor(sim, tradeKey('bybit', 'rules')).loadMarkets();
    expect(by['ETH/USDT']).toMatchObject({
      precision: { price: 0.01, amount: 0.00001 },
      limits: { cost: { min: 1 } },
    });
    const ok = await ccxtFor(sim, tradeKey('okx', 'rules')).loadMarkets();
    expect(ok['BTC/USDT']).toMatchObject({
      precision: { price: 0.1, amount: 0.00000001 },
      limits: { amount: { min: 0.00001 } },
    });
    expect(ok['BTC/USDT']?.limits.cost?.min).toBeUndefined();
  });
});
