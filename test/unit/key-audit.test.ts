/**
 * The audit flow with a stand-in for ccxt (an object with the same methods): the paths the
 * simulator cannot easily produce — malformed or missing key-info answers, network failures.
 */
import type { Exchange } from 'ccxt';
import { auditKeyWith } from '../../src/native-host/service/exchange/key-audit.js';
import { RpcError } from '../../src/protocol/jsonrpc.js';
import type { ExchangeId } from '../../src/exchanges/types.js';

// ccxt's class names are what the host looks at.
class NetworkError extends Error {}

function fakeClient(methods: Record<string, () => Promise<unknown>>): Exchange {
  return { fetchBalance: async () => ({}), ...methods } as unknown as Exchange;
}

const input = (exchange: ExchangeId, environment: 'live' | 'testnet' | 'demo' = 'live') => ({
  exchange,
  environment,
  needs: {},
  thisMachineIp: '203.0.113.10',
  now: new Date('2026-11-26T00:00:00Z'),
});

const safeBybit = {
  retCode: 0,
  result: {
    readOnly: 0,
    permissions: { Spot: ['SpotTrade'], Wallet: [] },
    ips: ['203.0.113.10'],
    createdAt: '2026-11-01T00:00:00Z',
  },
};

describe('auditKeyWith', () => {
  it('a malformed key-info answer is "could not verify", never ok', async () => {
    const { audit } = await auditKeyWith(
      fakeClient({ privateGetV5UserQueryApi: async () => ({ retCode: 0, result: 'nonsense' }) }),
      input('bybit'),
    );
    expect(audit.verdict).toBe('warn');
    expect(audit.checks.map((c) => c.id)).toContain('could-not-verify');
    expect(Object.values(audit.permissions).every((v) => v === null)).toBe(true);
  });

  it('a missing answer (empty body) is "could not verify"', async () => {
    const { audit } = await auditKeyWith(
      fakeClient({ privateGetAccountConfig: async () => undefined }),
      input('okx'),
    );
    expect(audit.verdict).toBe('warn');
    expect(audit.checks.find((c) => c.id === 'could-not-verify')?.level).toBe('warn');
  });

  it("Binance's spot testnet cannot be verified: says so instead of pretending", async () => {
    const { audit } = await auditKeyWith(fakeClient({}), input('binance', 'testnet'));
    expect(audit.verdict).toBe('warn');
    expect(audit.checks.find((c) => c.id === 'could-not-verify')?.message).toMatch(
      /testnet serves no \/sapi/,
    );
  });

  it('a safe answer with a working balance is ok', async () => {
    const { audit, keyCreatedAt } = await auditKeyWith(
      fakeClient({ privateGetV5UserQueryApi: async () => safeBybit }),
      input('bybit'),
    );
    expect(audit.verdict).toBe('ok');
    expect(keyCreatedAt).toBe(Date.parse('2026-11-01T00:00:00Z'));
    expect(audit.checks.find((c) => c.id === 'read-check')?.level).toBe('ok');
  });

  it('the exchange out of reach is EXCHANGE_UNREACHABLE', async () => {
    const client = fakeClient({
      privateGetV5UserQueryApi: async () => {
        throw new NetworkError('bybit GET http://127.0.0.1:1/v5/user/query-api ECONNREFUSED');
      },
    });
    await expect(auditKeyWith(client, input('bybit'))).rejects.toMatchObject({
      reason: 'EXCHANGE_UNREACHABLE',
    });
  });

  it('a refused key is KEY_REJECTED and the message holds nothing of ccxt’s text (signed URL)', async () => {
    const client = fakeClient({
      privateGetAccountConfig: async () => {
        throw new Error(
          'okx GET https://www.okx.com/api/v5/account/config?sign=abc 401 {"msg":"Invalid Sign","code":"50113"}',
        );
      },
    });
    const err = (await auditKeyWith(client, input('okx')).catch((e: unknown) => e)) as RpcError;
    expect(err.reason).toBe('KEY_REJECTED');
    expect(err.message).not.toContain('sign=abc');
    expect(err.details.exchangeCode).toBe('50113');
  });

  it('a balance refused after key info succeeded becomes a blocking check, not an exception', async () => {
    const client = fakeClient({
      privateGetV5UserQueryApi: async () => safeBybit,
      fetchBalance: async () => {
        throw new Error('bybit {"retCode":10005,"retMsg":"Permission denied"}');
      },
    });
    const { audit } = await auditKeyWith(client, input('bybit'));
    expect(audit.verdict).toBe('block');
    expect(audit.checks.find((c) => c.id === 'read-check')?.level).toBe('block');
  });
});

describe('auditKeyWith: the Binance trade check (order/test)', () => {
  // Binance's key-info answer for a read + spot key with a trusted IP.
  const safeBinance = {
    ipRestrict: true,
    createTime: Date.parse('2026-11-01T00:00:00Z'),
    enableReading: true,
    enableWithdrawals: false,
    enableInternalTransfer: false,
    permitsUniversalTransfer: false,
    enableMargin: false,
    enableFutures: false,
    enableVanillaOptions: false,
    enableSpotAndMarginTrading: true,
  };
  const filters = [
    { filterType: 'PRICE_FILTER', minPrice: '0.01', maxPrice: '1000000', tickSize: '0.01' },
    { filterType: 'LOT_SIZE', minQty: '0.00001', maxQty: '9000', stepSize: '0.00001' },
    {
      filterType: 'PERCENT_PRICE_BY_SIDE',
      bidMultiplierUp: '5',
      bidMultiplierDown: '0.2',
      askMultiplierUp: '5',
      askMultiplierDown: '0.2',
      avgPriceMins: 5,
    },
    { filterType: 'NOTIONAL', minNotional: '5', maxNotional: '9000000', avgPriceMins: 5 },
  ];

  function binanceClient(orderTest: (params: Record<string, unknown>) => Promise<unknown>) {
    return fakeClient({
      sapiGetAccountApiRestrictions: async () => safeBinance,
      loadMarkets: async () => ({}),
      market: (() => ({ info: { filters } })) as unknown as () => Promise<unknown>,
      publicGetAvgPrice: async () => ({ mins: 5, price: '97000.00000000', closeTime: 1 }),
      privatePostOrderTest: orderTest as unknown as () => Promise<unknown>,
    });
  }
  const tradeCheck = async (client: Exchange) =>
    (await auditKeyWith(client, input('binance'))).audit.checks.find((c) => c.id === 'trade-check');

  it('prices the test order from the average price and the filters', async () => {
    const sent: Record<string, unknown>[] = [];
    const check = await tradeCheck(
      binanceClient(async (p) => {
        sent.push(p);
        return {};
      }),
    );
    expect(check?.level).toBe('ok');
    expect(sent).toEqual([
      {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        price: '77600',
        quantity: '0.00007',
      },
    ]);
  });

  it('a filter failure after the key was accepted proves the key may trade: ok, saying so', async () => {
    class InvalidOrder extends Error {}
    const check = await tradeCheck(
      binanceClient(async () => {
        throw new InvalidOrder('binance Filter failure: PERCENT_PRICE_BY_SIDE');
      }),
    );
    expect(check?.level).toBe('ok');
    expect(check?.message).toMatch(/PERCENT_PRICE_BY_SIDE/);
    expect(check?.message).toMatch(/may trade/);
  });

  it('a refused permission (-2015) still blocks', async () => {
    const check = await tradeCheck(
      binanceClient(async () => {
        throw new Error(
          'binance {"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}',
        );
      }),
    );
    expect(check?.level).toBe('block');
  });

  it('no average price: a warning that says to audit again, and no order/test is sent', async () => {
    let sent = 0;
    const client = binanceClient(async () => {
      sent++;
      return {};
    });
    (client as unknown as Record<string, unknown>)['publicGetAvgPrice'] = async () => ({});
    const check = await tradeCheck(client);
    expect(check?.level).toBe('warn');
    expect(check?.message).toMatch(/again/);
    expect(sent).toBe(0);
  });
});
