/**
 * The audit flow with a stand-in for ccxt (an object with the same methods): the paths the
 * simulator cannot easily produce — malformed or missing key-info answers, network failures.
 */
import type { Exchange } from 'ccxt';
import { auditKeyWith } from '../../src/native-host/exchange/key-audit.js';
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
