/**
 * One ccxt client per connection, kept while the vault is unlocked, with its markets loaded
 * once. Dropped on lock (they hold the secrets) and when a connection's key changes.
 */
import type { Exchange } from 'ccxt';
import type { Connection, Credentials } from '../../../protocol/methods.js';
import { createExchangeClient } from '../exchange/client.js';

export class ClientPool {
  private readonly clients = new Map<string, { keyHint: string; client: Promise<Exchange> }>();

  constructor(
    private readonly opts: { enableRateLimit?: boolean; timeoutMs?: number; orderWindowMs: number },
  ) {}

  get(connection: Connection, credentials: Credentials): Promise<Exchange> {
    const cached = this.clients.get(connection.id);
    if (cached && cached.keyHint === connection.apiKeyHint) return cached.client;
    const client = createExchangeClient({
      exchange: connection.exchange,
      environment: connection.environment,
      ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
      credentials,
      timeoutMs: this.opts.timeoutMs ?? 10_000,
      orderWindowMs: this.opts.orderWindowMs,
      ...(this.opts.enableRateLimit !== undefined
        ? { enableRateLimit: this.opts.enableRateLimit }
        : {}),
    }).then(async (c) => {
      await c.loadMarkets();
      return c;
    });
    client.catch(() => this.clients.delete(connection.id)); // a failed start is not cached
    this.clients.set(connection.id, { keyHint: connection.apiKeyHint, client });
    return client;
  }

  drop(connectionId?: string): void {
    if (connectionId) this.clients.delete(connectionId);
    else this.clients.clear();
  }
}
