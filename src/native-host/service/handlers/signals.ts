/**
 * signals.subscribe / list / unsubscribe and orders.list. The relay token is kept in the vault
 * (never the state DB) and never echoed; subscribing needs the vault unlocked.
 */
import { randomBytes } from 'node:crypto';
import { RpcError } from '../../../protocol/jsonrpc.js';
import { paramsObject } from '../../../protocol/methods.js';
import type { Subscription } from '../../../protocol/trading.js';
import { isLoopbackHost } from '../../../protocol/params.js';
import type { Feeds } from '../feeds/feeds.js';
import type { RelaySecrets } from '../feeds/relay-secrets.js';
import type { HandlerGroup } from '../../ipc/rpc-server.js';
import type { SubscriptionRow, TradingStore } from '../store/trading-store.js';
import { parseRoutes } from '../trading/risk.js';
import type { ServiceContext } from './context.js';
import { futuresRefusal, swapConnectionIds } from '../futures-need.js';
import { reauditChangedNeeds } from '../reaudit.js';
import { errorMessage } from '../../../lib/error-text.js';

const bad = (m: string): RpcError => new RpcError('INVALID_PARAMS', m);

function parseRelayUrl(value: unknown): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw bad("url must be the relay's WebSocket address, e.g. wss://relay.example/feed");
  }
  if (url.protocol === 'ws:' && !isLoopbackHost(url.hostname))
    throw bad('url: ws:// is accepted only for loopback addresses; use wss://');
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
    throw bad('url must start with wss:// (or ws:// for loopback)');
  if (url.username || url.password)
    throw bad('url must not carry credentials; pass the token separately');
  return url.href;
}

function parseProviderKey(value: unknown): string {
  if (
    typeof value !== 'string' ||
    !/^[A-Za-z0-9_-]{43}$/.test(value) ||
    Buffer.from(value, 'base64url').length !== 32
  ) {
    throw bad(
      "providerKey must be the provider's raw 32-byte Ed25519 public key, base64url (43 characters)",
    );
  }
  return value;
}

export function publicSubscription(
  s: SubscriptionRow,
  feeds: Feeds,
  secrets: RelaySecrets,
): Subscription {
  // The hint comes from the vault: while it is locked, only the ellipsis.
  const token = secrets.token(s.id);
  return {
    ...s,
    tokenHint: `${token ? token.slice(0, 3) : ''}…`,
    feed: feeds.status(s.id) ?? { state: 'stopped' },
  };
}

export type SignalMethod =
  'signals.subscribe' | 'signals.list' | 'signals.unsubscribe' | 'signals.history' | 'orders.list';

export function signalHandlers(
  ctx: ServiceContext,
  store: TradingStore,
  feeds: Feeds,
  secrets: RelaySecrets,
) {
  return {
    'signals.subscribe': async (params) => {
      const p = paramsObject('signals.subscribe', params);
      const url = parseRelayUrl(p.url);
      if (typeof p.token !== 'string' || !/^[\x21-\x7e]{8,512}$/.test(p.token))
        throw bad('token must be 8–512 printable characters (the relay gives it)');
      const providerKey = parseProviderKey(p.providerKey);
      let routes;
      try {
        routes = parseRoutes(p.routes);
      } catch (err) {
        throw bad(errorMessage(err));
      }
      for (const r of routes) {
        const connection = ctx.db.getConnection(r.connectionId);
        if (!connection)
          throw new RpcError(
            'NOT_FOUND',
            `routes: no connection ${r.connectionId}; see the connections list (popup, or "sentinel-host connections list")`,
          );
        const refusal = r.markets?.includes('swap') ? futuresRefusal(connection) : null;
        if (refusal) throw new RpcError('INVALID_PARAMS', refusal, { connectionId: connection.id });
      }
      // The token goes to the vault: VAULT_LOCKED / VAULT_ABSENT before anything is written.
      secrets.requireUnlocked();
      const sub: SubscriptionRow = {
        id: `s_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`,
        url,
        providerKey,
        routes,
        createdAt: new Date().toISOString(),
      };
      // The row first: a crash between the two leaves a row without a token (its feed stays
      // stopped and says so), never a token the host has no row for.
      const swapsBefore = swapConnectionIds(store.listSubscriptions());
      store.addSubscription(sub);
      try {
        await secrets.store(sub, p.token);
      } catch (err) {
        store.removeSubscription(sub.id);
        throw err;
      }
      feeds.add(sub);
      reauditChangedNeeds(ctx, swapsBefore, swapConnectionIds(store.listSubscriptions()));
      ctx.log.info(`subscription ${sub.id} added (${new URL(url).host}, ${routes.length} routes)`);
      return publicSubscription(sub, feeds, secrets);
    },
    'signals.list': () =>
      store.listSubscriptions().map((s) => publicSubscription(s, feeds, secrets)),
    'signals.unsubscribe': async (params) => {
      const id = paramsObject('signals.unsubscribe', params).id;
      if (typeof id !== 'string' || !store.listSubscriptions().some((s) => s.id === id))
        throw new RpcError('NOT_FOUND', `no subscription ${String(id)}`);
      // Recorded before the row goes: the vault entry is then erased (now, or at the next unlock
      // when locked), never taken for a subscription the state DB lost and rebuilt.
      secrets.markRemoved(id, store);
      const swapsBefore = swapConnectionIds(store.listSubscriptions());
      store.removeSubscription(id);
      reauditChangedNeeds(ctx, swapsBefore, swapConnectionIds(store.listSubscriptions()));
      feeds.remove(id);
      await secrets.erase(id, store);
      return {};
    },
    'signals.history': (params) => {
      const limit = paramsObject('signals.history', params).limit;
      if (
        limit !== undefined &&
        (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1)
      )
        throw bad('limit must be a positive integer');
      return store.recentSignals(typeof limit === 'number' ? limit : 50);
    },
    'orders.list': (params) => {
      const p = paramsObject('orders.list', params);
      if (
        p.limit !== undefined &&
        (typeof p.limit !== 'number' || !Number.isInteger(p.limit) || p.limit < 1)
      )
        throw bad('limit must be a positive integer');
      if (p.connectionId !== undefined && typeof p.connectionId !== 'string')
        throw bad('connectionId must be a string');
      return store.listOrders({
        ...(typeof p.limit === 'number' ? { limit: p.limit } : {}),
        ...(typeof p.connectionId === 'string' ? { connectionId: p.connectionId } : {}),
      });
    },
  } satisfies HandlerGroup<SignalMethod>;
}
