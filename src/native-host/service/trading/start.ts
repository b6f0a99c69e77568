/**
 * Assembles signal trading for the service: the journal store, the ccxt client pool, the engine
 * and the feeds. Feeds run only while the vault is unlocked; locking stops them and drops the
 * clients (they hold secrets). Unlocking first reconciles the journal, then reconnects.
 */
import type { KeyObject } from 'node:crypto';
import type { Exchange } from 'ccxt';
import type { Connection, Credentials } from '../../../protocol/methods.js';
import { importPublicKey, verifySignalFrame } from '../../../node/signal-envelope.js';
import { Feeds } from '../feeds/feeds.js';
import { RelaySecrets } from '../feeds/relay-secrets.js';
import type { ServiceContext } from '../handlers/context.js';
import { signalHandlers, type SignalMethod } from '../handlers/signals.js';
import type { HandlerGroup } from '../../ipc/rpc-server.js';
import { TradingStore } from '../store/trading-store.js';
import { ClientPool } from './client-pool.js';
import { TradingEngine } from './engine.js';
import { sendTimingFrom } from './place-order.js';
import { MarketData } from './market-data.js';
import { priceConfigFrom } from './price-cache.js';
import { errorDetail } from '../../../lib/error-text.js';

/**
 * How often unconfirmed orders are looked up again and protective legs reconciled with their
 * positions: every minute, or SENTINEL_SETTLE_INTERVAL_MS (1000–60000; tests shorten it).
 */
function recheckMs(env: NodeJS.ProcessEnv): number {
  const v = Number(env.SENTINEL_SETTLE_INTERVAL_MS);
  return Number.isInteger(v) && v >= 1_000 && v <= 60_000 ? v : 60_000;
}

export interface Trading {
  handlers: HandlerGroup<SignalMethod>;
  vaultChanged(unlocked: boolean): void;
  stop(): void;
  /** The connection's perpetual-swap client from the trading pool (positions.list reads with it). */
  swapClient(connection: Connection, credentials: Credentials): Promise<Exchange>;
}

/**
 * A pinned provider key imported once (importing it cost more per signal than the rest of the
 * checks but the signature). A key that does not import is passed on as text: the verification
 * then refuses the frame with its own "bad-key" message.
 */
const imported = new Map<string, KeyObject>();
function providerKey(text: string): KeyObject | string {
  let key = imported.get(text);
  if (!key) {
    try {
      key = importPublicKey(text);
    } catch {
      return text;
    }
    if (imported.size > 256) imported.clear(); // a few per subscription; never grows unbounded
    imported.set(text, key);
  }
  return key;
}

export function startTrading(ctx: ServiceContext, env: NodeJS.ProcessEnv = process.env): Trading {
  const store = new TradingStore(ctx.db.handle);
  // Load tests against the simulator turn ccxt's throttle off and shorten its request timeout;
  // real use keeps the defaults.
  const timeout = Number(env.SENTINEL_CCXT_TIMEOUT_MS);
  const timing = sendTimingFrom(env);
  const pool = new ClientPool({
    enableRateLimit: env.SENTINEL_CCXT_RATE_LIMIT !== 'off',
    ...(Number.isInteger(timeout) && timeout >= 500 ? { timeoutMs: timeout } : {}),
    orderWindowMs: timing.windowMs,
  });
  const prices = new MarketData(
    priceConfigFrom(env),
    Date.now,
    Number.isInteger(timeout) && timeout >= 500 ? timeout : 10_000,
  );
  const engine = new TradingEngine(ctx, store, pool, timing, prices);
  const secrets = new RelaySecrets(ctx.vault);
  const feeds = new Feeds(
    ctx,
    store,
    engine,
    (frame, key, kid) =>
      verifySignalFrame(frame, providerKey(key), kid === undefined ? {} : { kid }),
    secrets,
  );
  // Orders the exchange could not confirm are looked up again every minute while unlocked, and
  // protective legs are read back against their positions (engine.settleUnknown).
  const interval = recheckMs(env);
  let recheck: NodeJS.Timeout | undefined;
  const begin = (): void => {
    feeds
      .start()
      .catch((err: unknown) => ctx.log.error(`could not start the feeds: ${errorDetail(err)}`));
    recheck ??= setInterval(() => {
      engine
        .settleUnknown()
        .catch((err: unknown) =>
          ctx.log.warn(`could not look up unconfirmed orders: ${errorDetail(err)}`),
        );
    }, interval).unref();
  };
  const end = (): void => {
    clearInterval(recheck);
    recheck = undefined;
    feeds.stop();
    prices.stop();
    pool.drop();
  };
  if (ctx.vault.state() === 'unlocked') begin();
  return {
    handlers: signalHandlers(ctx, store, feeds, secrets),
    vaultChanged(unlocked) {
      if (unlocked) begin();
      else end();
    },
    stop: end,
    swapClient: (connection, credentials) => pool.get(connection, credentials, 'swap'),
  };
}
