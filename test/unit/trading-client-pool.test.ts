/**
 * ClientPool: one ccxt client per connection AND market kind — a swap client is a separate
 * instance (the linear perpetuals loaded), the spot one unchanged — cached while the key is the
 * same, and a connection's clients all dropped together.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Connection, Credentials } from '../../src/protocol/methods.js';

const made = vi.hoisted(() => [] as { market: string | undefined; loads: number }[]);
vi.mock('../../src/native-host/service/exchange/client.js', () => ({
  createExchangeClient: async (spec: { market?: string }) => {
    const entry = { market: spec.market, loads: 0 };
    made.push(entry);
    return {
      n: made.length,
      loadMarkets: async () => {
        entry.loads++;
      },
    };
  },
}));
const { ClientPool } = await import('../../src/native-host/service/trading/client-pool.js');

const conn = (id: string, hint = 'AB…') =>
  ({ id, exchange: 'binance', environment: 'testnet', apiKeyHint: hint }) as Connection;
const creds = { apiKey: 'k', secret: 's' } as Credentials;

describe('ClientPool', () => {
  beforeEach(() => {
    made.length = 0;
  });

  it('spot and swap clients per connection, each created and loaded once', async () => {
    const pool = new ClientPool({ orderWindowMs: 5_000 });
    const spot = await pool.get(conn('c1'), creds);
    const swap = await pool.get(conn('c1'), creds, 'swap');
    expect(swap).not.toBe(spot);
    expect(await pool.get(conn('c1'), creds, 'spot')).toBe(spot);
    expect(await pool.get(conn('c1'), creds, 'swap')).toBe(swap);
    expect(made).toEqual([
      { market: 'spot', loads: 1 },
      { market: 'swap', loads: 1 },
    ]);
  });

  it('a new key, or drop(connection), replaces both; other connections keep theirs', async () => {
    const pool = new ClientPool({ orderWindowMs: 5_000 });
    await pool.get(conn('c1'), creds, 'swap');
    const other = await pool.get(conn('c2'), creds, 'swap');
    await pool.get(conn('c1', 'CD…'), creds, 'swap');
    expect(made).toHaveLength(3);
    pool.drop('c1');
    await pool.get(conn('c1', 'CD…'), creds, 'swap');
    expect(made).toHaveLength(4);
    expect(await pool.get(conn('c2'), creds, 'swap')).toBe(other);
    pool.drop();
    await pool.get(conn('c2'), creds, 'swap');
    expect(made).toHaveLength(5);
  });
});
