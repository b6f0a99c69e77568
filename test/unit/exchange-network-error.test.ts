/**
 * An exchange out of reach: the message names the host (from ccxt's URL, the endpoint or the
 * exchange's API host) and the cause — DNS, refused, timeout, TLS — with what to try, and never
 * the URL's path or query (signed requests carry the key and signature there).
 */
import { NetworkError, RequestTimeout } from 'ccxt';
import {
  describeNetworkFailure,
  keyCheckError,
} from '../../src/native-host/service/exchange/exchange-error.js';

const SIGNED =
  'https://api.binance.com/api/v3/account?symbol=ETHUSDT&timestamp=1&signature=deadbeefcafe';

describe('describeNetworkFailure', () => {
  it.each([
    [
      `binance GET ${SIGNED} fetch failed: getaddrinfo ENOTFOUND api.binance.com`,
      'dns',
      'ENOTFOUND',
    ],
    [
      `binance GET ${SIGNED} fetch failed: getaddrinfo EAI_AGAIN api.binance.com`,
      'dns',
      'EAI_AGAIN',
    ],
    [
      `binance GET ${SIGNED} fetch failed: connect ECONNREFUSED 1.2.3.4:443`,
      'refused',
      'ECONNREFUSED',
    ],
    [`binance GET ${SIGNED} fetch failed: certificate has expired`, 'tls', undefined],
    [
      `binance GET ${SIGNED} fetch failed: unable to verify the first certificate UNABLE_TO_VERIFY_LEAF_SIGNATURE`,
      'tls',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    ],
    [`binance GET ${SIGNED} fetch failed: connect ETIMEDOUT 1.2.3.4:443`, 'timeout', 'ETIMEDOUT'],
  ])('%s → %s', (message, cause, code) => {
    const f = describeNetworkFailure('binance', new NetworkError(message));
    expect(f.host).toBe('api.binance.com');
    expect(f.cause).toBe(cause);
    expect(f.code).toBe(code);
    expect(f.explanation).toContain('api.binance.com');
    expect(JSON.stringify(f)).not.toMatch(/signature|deadbeef|ETHUSDT|timestamp/);
  });

  it('ccxt RequestTimeout is a timeout', () => {
    const f = describeNetworkFailure(
      'bybit',
      new RequestTimeout(
        `bybit GET https://api.bybit.com/v5/x?sign=1 request timed out (10000 ms)`,
      ),
    );
    expect(f).toMatchObject({ host: 'api.bybit.com', cause: 'timeout' });
  });

  it('reads the cause chain of a raw fetch error, and the endpoint when no URL is given', () => {
    const raw = new TypeError('fetch failed', {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND testnet.example'), {
        code: 'ENOTFOUND',
      }),
    });
    const f = describeNetworkFailure('okx', raw, 'https://testnet.example:8443/');
    expect(f).toMatchObject({ host: 'testnet.example:8443', cause: 'dns', code: 'ENOTFOUND' });
  });

  it("falls back to the exchange's name when no URL or endpoint is known", () => {
    expect(describeNetworkFailure('okx', new NetworkError('okx fetch failed')).host).toBe(
      "okx's API",
    );
  });
});

describe('keyCheckError for an unreachable exchange', () => {
  it('names host and cause, with a hint, and no signed URL', () => {
    const e = keyCheckError(
      'binance',
      new NetworkError(`binance GET ${SIGNED} fetch failed: getaddrinfo ENOTFOUND api.binance.com`),
      undefined,
    );
    expect(e?.reason).toBe('EXCHANGE_UNREACHABLE');
    expect(e?.message).toMatch(/^could not reach api\.binance\.com \(ENOTFOUND\): .*DNS/);
    expect(e?.message).not.toMatch(/signature|\/api\/v3/);
    expect(e?.details).toMatchObject({ host: 'api.binance.com', cause: 'dns' });
  });
});
