/**
 * 3. Popup → host → popup through real Chromium: the built extension's popup page calls
 * host.hello the way its pages do in Chromium (src/ui/host-rpc.ts: a MessageChannel to the
 * background's service worker, HOST_RPC_CHANNEL; a HostRpcCall on it, the answer matched by id)
 * and awaits the answer — popup → background worker → native port → bridge (started by Chromium
 * from the manifest the project's installer wrote into the profile) → service socket, and back.
 * Timed inside the page. 3b: the same on the page's runtime port (HOST_RPC_PORT: Firefox's way,
 * and Chromium's until the worker took the channel); 3c: by chrome.runtime.sendMessage({type:
 * 'host.rpc', …}), which the background still answers (a channel per message). 3d–3g time the
 * hops alone (popup-hops.ts) and the notes split 3's p50 by hop.
 *
 * Baseline: the same call through the raw IPC socket from Node (callService: connect, one
 * request, one answer, close). All of them alternate in blocks.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  EXTENSION_DIR,
  PAGE_CLOCK_STEP_MS,
  callHome,
  hostEnv,
  preciseNow,
  runCli,
  stat,
  steppedStat,
  stopServiceIn,
  type Stat,
  until,
} from './common.js';
import { Skip, type Measurement } from './measurement.js';
import {
  SETTLE,
  addWorkerEcho,
  fromPopupChannel,
  fromWorker,
  overSocket,
  throughBridge,
  toWorkerEcho,
} from './popup-hops.js';
import { p50p99, ratio, type Row } from './report.js';
import { EXTENSION_ID } from '../../src/protocol/constants.js';
import { HOST_RPC_PORT } from '../../src/protocol/extension-messages.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, POPUP_URL } from '../harness/chromium.js';
import { errorMessage } from '../../src/lib/error-text.js';

const WARMUP = 20;
const BLOCKS = 4;

/** The port API the page uses; a type only (the functions below run in the page, serialized). */
interface PagePort {
  postMessage(message: unknown): void;
  onMessage: { addListener(l: (m: unknown) => void): void };
  disconnect(): void;
}

/** What the page sees; a type only. */
interface PageChrome {
  chrome: {
    runtime: {
      sendMessage(message: unknown): Promise<unknown>;
      connect(info: { name: string }): PagePort;
    };
  };
}

export function popupRoundTrip(calls: number): Measurement {
  return {
    id: '3',
    title: 'Popup → host → popup round trip',
    timeoutMs: 120_000,
    async run(scope, progress) {
      if (!existsSync(CHROMIUM_PATH))
        throw new Skip(
          `Chromium is not installed (looked for ${CHROMIUM_PATH}; "apt-get install -y chromium", or set CHROMIUM_PATH)`,
        );
      if (!existsSync(join(EXTENSION_DIR, 'manifest.json')))
        throw new Skip('dist/extension is missing: run "npm run build"');
      const puppeteer = await import('puppeteer').catch((e: unknown) => {
        throw new Skip(`puppeteer cannot be loaded (${errorMessage(e)}); run "npm ci"`);
      });

      const base = scope.tempDir('scb-cr-');
      const sentinelHome = scope.tempDir('scb-h-');
      // The bridge Chromium starts launches the service detached: stop it after the browser.
      scope.defer('stop the service the bridge started', () => stopServiceIn(sentinelHome));
      const profile = join(base, 'profile');
      const home = join(base, 'home'); // Crashpad writes under $HOME even with a custom profile
      mkdirSync(profile);
      mkdirSync(home);
      const installed = await runCli(
        ['install', '--browser', 'chromium', '--user-data-dir', profile],
        hostEnv(sentinelHome, { HOME: home }),
      );
      if (installed.code !== 0)
        throw new Error(`install failed: ${(installed.stdout + installed.stderr).trim()}`);

      const browser = await puppeteer.launch({
        executablePath: CHROMIUM_PATH,
        headless: true,
        pipe: true,
        // The bench's own signal handlers close the browser with everything else.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
        enableExtensions: [EXTENSION_DIR],
        userDataDir: profile,
        env: { ...hostEnv(sentinelHome), HOME: home },
        args: [...CHROMIUM_ARGS],
      });
      scope.defer('close Chromium', () => browser.close());
      const version = await browser.version();
      const workerTarget = await browser.waitForTarget(
        (t) =>
          t.type() === 'service_worker' &&
          t.url().startsWith(`chrome-extension://${EXTENSION_ID}/`),
        { timeout: 20_000 },
      );
      const worker = await workerTarget.worker();
      if (!worker) throw new Error('the background service worker cannot be reached (CDP)');
      const page = await browser.newPage();
      await page.goto(POPUP_URL);

      // Until the worker's native port is up and the service answers.
      await until(
        () =>
          page.evaluate(async () => {
            const reply = (await (globalThis as unknown as PageChrome).chrome.runtime.sendMessage({
              type: 'host.rpc',
              method: 'host.hello',
            })) as { ok?: boolean } | undefined;
            return reply?.ok === true;
          }),
        30_000,
        'the host to answer the popup',
        200,
      );

      /**
       * 3b: n sequential round trips on one runtime port, as src/ui/host-rpc.ts makes them in
       * Firefox (a HostRpcCall out, the HostRpcAnswer of its id back), timed in the page; fails on
       * any non-ok reply.
       */
      const fromPopupPort = (n: number): Promise<number[]> =>
        page.evaluate(
          async (count: number, portName: string) => {
            const runtime = (globalThis as unknown as PageChrome).chrome.runtime;
            const port = runtime.connect({ name: portName });
            type Answer = { id?: number; reply?: { ok?: boolean } };
            const waiting = new Map<number, (a: Answer) => void>();
            port.onMessage.addListener((m) => {
              const a = m as Answer;
              if (typeof a.id === 'number') waiting.get(a.id)?.(a);
            });
            const out: number[] = [];
            try {
              for (let id = 1; id <= count; id++) {
                const t0 = performance.now();
                const answer = await new Promise<Answer>((resolve) => {
                  waiting.set(id, resolve);
                  port.postMessage({ type: 'host.rpc', id, method: 'host.hello' });
                });
                const t1 = performance.now();
                waiting.delete(id);
                if (answer.reply?.ok !== true)
                  throw new Error(`host.hello failed: ${JSON.stringify(answer).slice(0, 200)}`);
                out.push(t1 - t0);
              }
            } finally {
              port.disconnect();
            }
            return out;
          },
          n,
          HOST_RPC_PORT,
        );
      /** The same by runtime.sendMessage (a channel per message), for 3c. */
      const fromPopupMessage = (n: number): Promise<number[]> =>
        page.evaluate(async (count: number) => {
          const runtime = (globalThis as unknown as PageChrome).chrome.runtime;
          const out: number[] = [];
          for (let i = 0; i < count; i++) {
            const t0 = performance.now();
            const reply = (await runtime.sendMessage({
              type: 'host.rpc',
              method: 'host.hello',
            })) as { ok?: boolean; error?: { message?: string } } | undefined;
            const t1 = performance.now();
            if (reply?.ok !== true)
              throw new Error(`host.hello failed: ${JSON.stringify(reply).slice(0, 200)}`);
            out.push(t1 - t0);
          }
          return out;
        }, n);
      const fromNode = async (n: number): Promise<number[]> => {
        const out: number[] = [];
        for (let i = 0; i < n; i++) {
          const t0 = preciseNow();
          await callHome(sentinelHome, 'host.hello', undefined, 10_000);
          out.push(preciseNow() - t0);
        }
        return out;
      };

      const bridgeEnv = hostEnv(sentinelHome);
      await addWorkerEcho(worker);
      await fromPopupChannel(page, WARMUP);
      await toWorkerEcho(page, WARMUP);
      await fromPopupPort(WARMUP);
      await fromPopupMessage(WARMUP);
      await fromNode(WARMUP);
      progress(`host answers the popup; ${calls} calls each way…`);
      const popup: number[] = [];
      const byPort: number[] = [];
      const byMessage: number[] = [];
      const ipc: number[] = [];
      const hops = {
        echo: [] as number[],
        worker: [] as number[],
        bridge: [] as number[],
        socket: [] as number[],
      };
      for (let b = 0; b < BLOCKS; b++) {
        const n = Math.ceil((calls * (b + 1)) / BLOCKS) - Math.ceil((calls * b) / BLOCKS);
        popup.push(...(await fromPopupChannel(page, n)));
        hops.echo.push(...(await toWorkerEcho(page, n)));
        byPort.push(...(await fromPopupPort(n)));
        byMessage.push(...(await fromPopupMessage(n)));
        ipc.push(...(await fromNode(n)));
        hops.worker.push(...(await fromWorker(worker, n)));
        hops.bridge.push(...(await throughBridge(bridgeEnv, n)));
        hops.socket.push(...(await overSocket(sentinelHome, n)));
      }
      // Timed in the page or the worker: Chromium's clock steps 0.1 ms (steppedStat).
      const pageTimed = (x: number[]) => steppedStat(x, PAGE_CLOCK_STEP_MS);
      const [p, r, m, e, w] = [
        pageTimed(popup),
        pageTimed(byPort),
        pageTimed(byMessage),
        pageTimed(hops.echo),
        pageTimed(hops.worker),
      ];
      // Timed in Node.
      const [s, br, so] = [stat(ipc), stat(hops.bridge), stat(hops.socket)];
      const hopRow = (id: string, what: string, h: Stat, data: string): Row => ({
        id,
        what,
        result: p50p99(h),
        baseline,
        ratio: ratio(h.p50, s.p50),
        n: `${h.n} + ${s.n}`,
        data: { unit: 'ms', [data]: h, ipc: s },
      });
      const ms = (x: number): string => `${x.toFixed(2)} ms`;
      const baseline = `${p50p99(s)} (the same call from Node over the raw IPC socket: callService, connect per call)`;
      return {
        rows: [
          {
            id: '3',
            what: `Popup → host → popup (host.hello from the popup page over its MessageChannel to the background worker, as src/ui/host-rpc.ts in Chromium; headless ${version})`,
            result: p50p99(p),
            baseline,
            ratio: ratio(p.p50, s.p50),
            n: `${p.n} + ${s.n}`,
            data: { unit: 'ms', popup: p, ipc: s, chromium: version },
          },
          {
            id: '3b',
            what: 'The same on the page’s runtime port (sentinel-host-rpc: Firefox’s way)',
            result: p50p99(r),
            baseline,
            ratio: ratio(r.p50, s.p50),
            n: `${r.n} + ${s.n}`,
            data: { unit: 'ms', runtimePort: r, ipc: s },
          },
          {
            id: '3c',
            what: 'The same by chrome.runtime.sendMessage host.rpc (a message channel per call)',
            result: p50p99(m),
            baseline,
            ratio: ratio(m.p50, s.p50),
            n: `${m.n} + ${s.n}`,
            data: { unit: 'ms', sendMessage: m, ipc: s },
          },
          hopRow(
            '3d',
            'Hop: background worker → its own native port → bridge → service → back (timed in the worker)',
            w,
            'worker',
          ),
          hopRow(
            '3e',
            'Hop: Node → a bridge’s stdin → service → its stdout (one bridge, as the browser keeps it)',
            br,
            'bridge',
          ),
          hopRow(
            '3f',
            'Hop: Node → the service’s socket → back (one connection kept open)',
            so,
            'socket',
          ),
          hopRow(
            '3g',
            'Hop: popup page → background worker → page on a MessageChannel alone (the worker answers at once: an echo the bench adds to it through CDP)',
            e,
            'channelEcho',
          ),
        ],
        notes: [
          `not counted: ${WARMUP} warm-up calls each way (and ${SETTLE} on each new port, bridge or connection of 3d–3f); all alternate in ${BLOCKS} blocks.`,
          `3, 3b–3d, 3g: timed in Chromium, whose clock reads in steps of ${PAGE_CLOCK_STEP_MS} ms; their p50 and p99 are read between the steps (samples on a step spread evenly over it). On the steps: 3 ${ms(p.p50OnStep)}, 3d ${ms(w.p50OnStep)}, 3g ${ms(e.p50OnStep)}; means 3 ${ms(p.mean)}, 3g ${ms(e.mean)}.`,
          `3 by hop (p50 differences): page ↔ background ${ms(p.p50 - w.p50)} (the channel alone, 3g: ${ms(e.p50)}), browser's native messaging ${ms(w.p50 - br.p50)}, bridge relay ${ms(br.p50 - so.p50)}, service and its socket ${ms(so.p50)}.`,
        ],
        details: { chromium: version, chromiumPath: CHROMIUM_PATH },
      };
    },
  };
}
