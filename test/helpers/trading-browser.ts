/**
 * The popup and dashboard tests' world: the dev harness's trading stack (exchange simulator,
 * signal relay, the real host service with three connections and a subscription) and Chromium
 * with the built extension, the host installed for its profile by the project's installer, so
 * the pages reach that same service over real native messaging.
 */
import type { Page } from 'puppeteer';
import { Scope } from '../../dev/harness/scope.js';
import { startTradingStack, type TradingStack } from '../../dev/harness/trading.js';
import { until } from '../../dev/harness/wait.js';
import type { OrderRow } from '../../src/protocol/trading.js';
import { EXTENSION_ID } from '../../src/protocol/constants.js';
import { launchChromium, type BrowserSession } from './chromium.js';
import { hostEnv, runCli } from './host.js';

export { EXCHANGES, marketSignal } from '../../dev/harness/trading.js';
export { until };

export const DASHBOARD_URL = `chrome-extension://${EXTENSION_ID}/src/dashboard/index.html`;

export interface TradingBrowser {
  stack: TradingStack;
  session: BrowserSession;
  /** A second feed, to a relay nobody runs (its state: not connected). */
  deadFeedId: string;
  call<T = unknown>(method: string, params?: unknown): Promise<T>;
  /** Publishes signals and waits until the journal holds `total` orders. */
  ordersUntil(signals: object[], total: number): Promise<OrderRow[]>;
  close(): Promise<void>;
}

export async function startTradingBrowser(): Promise<TradingBrowser> {
  const scope = new Scope('trading browser');
  try {
    const stack = await startTradingStack(scope, {
      kdf: 'insecure-test',
      connect: { tag: 'main' },
    });
    const call = <T>(method: string, params: unknown = {}) =>
      stack.call(method, params) as Promise<T>;
    // A second feed for another strategy, from a relay that is not running.
    const dead = await call<{ id: string }>('signals.subscribe', {
      url: 'ws://127.0.0.1:9/feed',
      token: 'swing-subscriber-token-0123',
      providerKey: stack.keys.publicKey,
      routes: [
        { strategy: 'eth-swing', connectionId: stack.connections.okx.id, maxOrderQuote: '500' },
      ],
    });
    const session = await launchChromium();
    scope.defer('close Chromium', () => session.close());
    const install = await runCli(
      ['install', '--browser', 'chromium', '--user-data-dir', session.profile],
      hostEnv(stack.home),
    );
    if (install.code !== 0) throw new Error(`install: ${install.stdout}\n${install.stderr}`);
    return {
      stack,
      session,
      deadFeedId: dead.id,
      call,
      async ordersUntil(signals, total) {
        for (const s of signals) await stack.publish(s);
        return until(
          async () => {
            const rows = await call<OrderRow[]>('orders.list', { limit: 1000 });
            return rows.length >= total && rows.every((r) => r.state !== 'intent') ? rows : null;
          },
          30_000,
          `${total} orders in the journal`,
        );
      },
      async close() {
        const problems = await scope.close();
        if (problems.length > 0) throw new Error(`clean-up: ${problems.join('; ')}`);
      },
    };
  } catch (e) {
    await scope.close();
    throw e;
  }
}

/** Light or dark page, as the operating system would ask. */
export const colorScheme = (page: Page, value: 'light' | 'dark') =>
  page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value }]);
