/**
 * A whole trading setup on loopback for tests: the dev harness's trading stack
 * (dev/harness/trading.ts) — the exchange simulator, the reference signal relay, and the real
 * host service (a separate process, unlocked at start from a passphrase file) with one
 * connection per exchange and a subscription routing strategies to them — with the insecure test
 * KDF (the crash test restarts the service a hundred times) and debug logs.
 */
import { Scope } from '../../dev/harness/scope.js';
import { startTradingStack, type TradingStack } from '../../dev/harness/trading.js';
import type { ExchangeId } from '../../src/exchanges/types.js';
import type { Connection } from '../../src/protocol/methods.js';
import type { Route } from '../../src/native-host/service/trading/risk.js';

export {
  KID,
  PASS,
  PROVIDER_TOKEN,
  SUBSCRIBER_TOKEN,
  marketSignal,
  signalId,
} from '../../dev/harness/trading.js';
export { until } from '../../dev/harness/wait.js';

export interface Rig extends Pick<
  TradingStack,
  'home' | 'sim' | 'relay' | 'keys' | 'connections' | 'call' | 'publish'
> {
  /** Starts the service again (after a SIGKILL, say) and returns its pid. */
  startService(): Promise<number>;
  stopService(): Promise<void>;
  /** Stops everything; fails when something did not stop cleanly. */
  close(): Promise<void>;
}

export async function startRig(
  opts: {
    routes?: (c: Record<ExchangeId, Connection>) => Route[];
    serviceEnv?: NodeJS.ProcessEnv;
    /** Keys that may also trade futures (perpetual swaps). */
    futures?: boolean;
  } = {},
): Promise<Rig> {
  const scope = new Scope('trading rig');
  let stack: TradingStack;
  try {
    stack = await startTradingStack(scope, {
      kdf: 'insecure-test',
      logLevel: 'info',
      ...(opts.serviceEnv ? { serviceEnv: opts.serviceEnv } : {}),
      connect:
        opts.routes || opts.futures
          ? {
              ...(opts.routes ? { routes: opts.routes } : {}),
              ...(opts.futures ? { futures: true } : {}),
            }
          : true,
    });
  } catch (e) {
    await scope.close();
    throw e;
  }
  return {
    home: stack.home,
    sim: stack.sim,
    relay: stack.relay,
    keys: stack.keys,
    connections: stack.connections,
    call: stack.call,
    publish: stack.publish,
    startService: () => stack.service.start(),
    stopService: () => stack.service.stop(),
    async close() {
      const problems = await scope.close();
      if (problems.length > 0) throw new Error(`clean-up: ${problems.join('; ')}`);
    },
  };
}
