/**
 * The guided-setup tests' world: the exchanges' API pages over HTTPS at their real hostnames
 * (src/dev/exchange-pages.ts), the exchange simulator, the real host service and Chromium.
 */
import { readFileSync } from 'node:fs';
import { callServiceRaw } from '../../src/native-host/ipc/client.js';
import { hostPaths } from '../../src/native-host/paths.js';
import { startSimulator, type Simulator } from '../../tools/simulator/index.js';
import { launchChromium, type BrowserSession } from './chromium.js';
import { cleanupHome, hostEnv, requireBuiltHost, runCli, tempHome } from './host.js';
import { startFixtureServer, type FixtureServer } from '../../dev/harness/exchange-pages.js';

export {
  FIXTURE_HOSTS,
  startFixtureServer,
  type FixtureServer,
} from '../../dev/harness/exchange-pages.js';

/**
 * Everything the guided-setup tests run against: the fixture pages, the exchange simulator, the
 * real host service (pointed at the simulator, with the simulator's /ip as this machine's public
 * IP), and Chromium with the built extension and the host installed for its profile.
 */
export interface ExchangeWorld {
  sim: Simulator;
  fixtures: FixtureServer;
  home: string;
  session: BrowserSession;
  /** A request straight to the service (as the CLI would), to check what it really stored. */
  call<T = unknown>(method: string, params?: unknown): Promise<T>;
  serviceLog(): string;
  close(): Promise<void>;
}

/**
 * The exchange simulator and the real host service pointed at it (with the simulator's /ip as this
 * machine's public IP), started by `sentinel-host service start` in a temp SENTINEL_HOME: the part
 * of the guided-setup world that does not depend on the browser (Chromium here, Firefox in
 * firefox.ts).
 */
export async function startSimulatedHost(): Promise<{
  sim: Simulator;
  home: string;
  serviceLogPath: string;
  call<T = unknown>(method: string, params?: unknown): Promise<T>;
}> {
  requireBuiltHost();
  const sim = await startSimulator({});
  const home = tempHome();
  // The bridge the browser starts finds this service on its socket (the installed launcher
  // exports the same SENTINEL_HOME).
  const env = hostEnv(home, {
    SENTINEL_PUBLIC_IP_URL: `${sim.url}/ip`,
    SENTINEL_ENDPOINT_BINANCE: sim.endpoint('binance'),
    SENTINEL_ENDPOINT_BYBIT: sim.endpoint('bybit'),
    SENTINEL_ENDPOINT_OKX: sim.endpoint('okx'),
  });
  const started = await runCli(['service', 'start'], env);
  if (started.code !== 0) {
    await cleanupHome(home);
    await sim.close();
    throw new Error(`service start: ${started.stderr}`);
  }
  const paths = hostPaths({ SENTINEL_HOME: home });
  const call = <T>(method: string, params: unknown = {}) =>
    callServiceRaw(paths, method, params, { timeoutMs: 30_000 }) as Promise<T>;
  return { sim, home, serviceLogPath: paths.serviceLog, call };
}

export async function startExchangeWorld(
  vault: { state: 'absent' } | { state: 'locked' | 'unlocked'; passphrase: string },
): Promise<ExchangeWorld> {
  const { sim, home, serviceLogPath, call } = await startSimulatedHost();
  if (vault.state !== 'absent') {
    await call('vault.create', { passphrase: vault.passphrase });
    if (vault.state === 'locked') await call('vault.lock');
  }
  const fixtures = await startFixtureServer();
  const session = await launchChromium({}, { args: fixtures.chromiumArgs });
  const install = await runCli(
    ['install', '--browser', 'chromium', '--user-data-dir', session.profile],
    hostEnv(home),
  );
  if (install.code !== 0) throw new Error(`install: ${install.stdout}\n${install.stderr}`);
  return {
    sim,
    fixtures,
    home,
    session,
    call,
    serviceLog: () => readFileSync(serviceLogPath, 'utf8'),
    async close() {
      await session.close();
      await fixtures.close();
      await cleanupHome(home);
      await sim.close();
    },
  };
}
