/**
 * One ccxt client per connection and market kind (spot; linear perpetuals), kept while the vault
 * is unlocked, with its markets loaded once. Dropped on lock (they hold the secrets) and when a
 * connection's key changes. A swap client loads only the perpetuals and defaults to them (the
 * adapter's options), so its balance and positions are the derivatives account's.
 */
import type { Exchange } from 'ccxt';
import type { Connection, Credentials } from '../../../protocol/methods.js';
import type { RouteMarket } from '../../../protocol/trading.js';
import { createExchangeClient } from '../exchange/client.js';

export class ClientPool {
  private readonly clients = new Map<string, { keyHint: string; client: Promise<Exchange> }>();

  constructor(
    private readonly opts: { enableRateLimit?: boolean; timeoutMs?: number; orderWindowMs: number },
  ) {}

  get(
    connection: Connection,
    credentials: Credentials,
    market: RouteMarket = 'spot',
  ): Promise<Exchange> {
    const key = `${connection.id}\n${market}`;
    const cached = this.clients.get(key);
    if (cached && cached.keyHint === connection.apiKeyHint) return cached.client;
    const client = createExchangeClient({
      exchange: connection.exchange,
      environment: connection.environment,
      ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
      credentials,
      timeoutMs: this.opts.timeoutMs ?? 10_000,
      orderWindowMs: this.opts.orderWindowMs,
      market,
      ...(this.opts.enableRateLimit !== undefined
        ? { enableRateLimit: this.opts.enableRateLimit }
        : {}),
    }).then(async (c) => {
      await c.loadMarkets();
      return c;
    });
    client.catch(() => this.clients.delete(key)); // a failed start is not cached
    this.clients.set(key, { keyHint: connection.apiKeyHint, client });
    return client;
  }

  drop(connectionId?: string): void {
    if (!connectionId) return this.clients.clear();
    for (const key of [...this.clients.keys()])
      if (key.startsWith(`${connectionId}\n`)) this.clients.delete(key);
  }
}
