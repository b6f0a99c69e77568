/**
 * `npm run demo` (= `npm run build && node dist/dev/demo/main.js [--headless]`): the whole system
 * in one command, narrated. Starts the exchange simulator, the signal relay and a host service in
 * a fresh temporary SENTINEL_HOME; installs the host into a fresh Chromium profile; walks the
 * guided setup on a local copy of Binance's API page; publishes signals (dry-run, forged, over the
 * limit, live, then a perpetual swap whose stop-loss fires); saves screenshots to demo-output/; stops everything it started. Exit 0 when every
 * expected outcome happened, 1 when one did not, 2 when the demo cannot run here (what to do is
 * printed). Ctrl-C stops it cleanly. Chromium is headed when DISPLAY or WAYLAND_DISPLAY is set,
 * headless otherwise (or with --headless). docs/demo.md describes each step.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXTENSION_ID, HOST_NAME } from '../../src/protocol/constants.js';
import { launchBrowser, requireChromium } from './browser.js';
import type { Demo } from './context.js';
import { startFixtures } from './fixtures.js';
import { DemoFailure, DemoPrerequisite, Narrator } from './narrate.js';
import { Scope, sleep, stopOnSignals } from './scope.js';
import { CLI, EXTENSION_DIR, ROOT, startStack, type Stack } from './stack.js';
import { isAlive } from '../harness/host.js';
import { guidedSetup } from './steps-setup.js';
import { goLive, popupAfterSignals, popupConnection } from './steps-popup.js';
import { dryRun, forged, live, overLimit, subscribe } from './steps-signals.js';
import { swapRoute, swapStopLoss } from './steps-swap.js';
import { errorDetail, errorMessage } from '../../src/lib/error-text.js';

const print = (line: string): void => void process.stdout.write(`${line}\n`);

function built(say: Narrator): void {
  if (!existsSync(CLI)) throw new DemoPrerequisite(`${CLI} is missing: run "npm run build" first`);
  requireChromium();
  const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as {
    name: string;
    version: string;
    manifest_version: number;
  };
  say.step(
    `Built: the extension "${manifest.name}" ${manifest.version} (Manifest V${manifest.manifest_version}, id ${EXTENSION_ID}) in dist/extension, the host in dist/host`,
  );
}

interface Options {
  headed: boolean;
  /** Screenshots folder. */
  out: string;
}

const USAGE = `Usage: node dist/dev/demo/main.js [--headless] [--out DIR]
  --headless   no window even when DISPLAY or WAYLAND_DISPLAY is set
  --out DIR    where the screenshots go (default: demo-output/ in the checkout)`;

function options(): Options | null {
  try {
    const { values } = parseArgs({
      options: {
        headless: { type: 'boolean' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) return null;
    return {
      headed: !values.headless && Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY),
      out: values.out ? resolve(values.out) : join(ROOT, 'demo-output'),
    };
  } catch (e) {
    print(errorMessage(e));
    return null;
  }
}

async function run(
  say: Narrator,
  scope: Scope,
  { headed, out }: Options,
  started: { stack?: Stack },
): Promise<void> {
  built(say);
  const stack = await startStack(scope);
  started.stack = stack;
  say.step(
    `Started the exchange simulator (Binance, Bybit, OKX) at ${stack.sim.url}, the signal relay at ${stack.relay.wsUrl}, and the host service (pid ${stack.servicePid}) with a fresh SENTINEL_HOME ${stack.home}`,
  );
  const fixtures = await startFixtures(scope);
  const profile = join(scope.tempDir('sc-demo-browser-'), 'profile');
  const installed = await stack.cli([
    'install',
    '--browser',
    'chromium',
    '--user-data-dir',
    profile,
  ]);
  say.expect(
    installed.code === 0,
    'the host is installed for the browser profile',
    `"sentinel-host install" failed: ${installed.stdout}${installed.stderr}`,
  );
  const hosts = join(profile, 'NativeMessagingHosts');
  const manifests = existsSync(hosts) ? readdirSync(hosts) : [];
  say.step(
    `Installed the host into a fresh Chromium profile ("sentinel-host install --browser chromium --user-data-dir …"): ${join(hosts, manifests[0] ?? '?')}`,
  );
  say.expect(
    manifests.includes(`${HOST_NAME}.json`),
    'the native-messaging manifest is in the profile',
    `found ${JSON.stringify(manifests)}`,
  );
  const session = await launchBrowser(scope, {
    profile,
    env: stack.env, // HOME and SENTINEL_HOME are the demo's own temp folders
    args: fixtures.chromiumArgs,
    headed,
  });
  say.step(
    `Launched ${session.version} ${headed ? 'with a window (a display is set)' : 'headless (no DISPLAY or WAYLAND_DISPLAY)'}, with the extension loaded; www.binance.com is answered by a local copy of its API page`,
  );
  const d: Demo = {
    scope,
    say,
    stack,
    session,
    out,
    pace: () => (headed ? sleep(900) : Promise.resolve()),
  };
  const { conn, key } = await guidedSetup(d);
  const popup = await popupConnection(d, conn);
  await subscribe(d, conn);
  await dryRun(d);
  await forged(d, conn);
  await overLimit(d);
  await goLive(d, popup, conn);
  await live(d);
  await popupAfterSignals(d, popup);
  await swapRoute(d, conn, key);
  await swapStopLoss(d, key, popup);
  if (headed) await sleep(2_000); // a last look before the window closes
  say.line();
  say.line(`Every expected outcome happened (${say.checks.length} checks).`);
}

async function main(): Promise<number> {
  const opts = options();
  if (!opts) {
    print(USAGE);
    return process.argv.some((a) => a === '--help' || a === '-h') ? 0 : 2;
  }
  const say = new Narrator(print);
  const scope = new Scope();
  stopOnSignals(scope, print);
  // Screenshots of an earlier run would pass for this run's: remove the demo's own files only.
  if (existsSync(opts.out))
    for (const f of readdirSync(opts.out))
      if (/^\d-[a-z-]+\.png$/.test(f)) rmSync(join(opts.out, f));
  print('Sentinel Companion demo: the extension, the host, a relay and a simulated exchange.');
  print('Nothing here touches a real exchange, your browser profile or your Sentinel data.\n');
  let code = 0;
  const started: { stack?: Stack } = {};
  try {
    await run(say, scope, opts, started);
  } catch (e) {
    if (scope.stopping) await new Promise(() => undefined); // the signal handler exits
    if (e instanceof DemoPrerequisite) {
      print(`\nThe demo cannot run here: ${e.message}`);
      code = 2;
    } else {
      // An expected outcome that did not happen says so; anything else shows where it broke.
      const what =
        e instanceof DemoFailure ? e.message : errorDetail(e).split('\n').slice(0, 4).join('\n');
      print(`\nFAILED after step ${say.currentStep}: ${what}`);
      if (started.stack) print(`The service's log ends with:\n${started.stack.serviceLogTail()}`);
      code = 1;
    }
  }
  if (scope.stopping) await new Promise(() => undefined);
  const problems = await scope.close();
  for (const p of problems) print(`Clean-up problem: ${p}`);
  if (started.stack) {
    const { servicePid: pid, home } = started.stack;
    for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100); // exiting after its socket closed
    const left = [
      ...(isAlive(pid) ? [`the service (pid ${pid}) still runs`] : []),
      ...(existsSync(home) ? [`${home} is still there`] : []),
    ];
    print(
      problems.length === 0 && left.length === 0
        ? `\nCleaned up: browser closed, service (pid ${pid}) stopped, relay and simulator closed, temp folders removed.`
        : `\nClean-up incomplete${left.length > 0 ? `: ${left.join('; ')}` : ''}.`,
    );
    if (left.length > 0) code ||= 1;
  }
  if (problems.length > 0) code ||= 1;
  if (say.screenshots.length > 0) {
    print(`Screenshots (${opts.out}):`);
    for (const s of say.screenshots) print(`  ${s}`);
  }
  print(`${code === 0 ? 'Demo passed' : 'Demo failed'} in ${say.elapsed()} (exit ${code}).`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    print(`demo crashed: ${errorDetail(e)}`);
    process.exit(1);
  },
);
