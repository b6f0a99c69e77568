/**
 * Row 3's page side as the extension's pages call in Chromium (3), and its hops, each timed alone
 * with no instrumentation in the product (3d–3g), so "where the time went" stays measurable: the
 * background's own native-port round trip (a second native port opened in the worker, so a second
 * bridge), a bridge spawned from Node and spoken to on its stdin/stdout as the browser does, one
 * long-lived connection straight to the service's socket, and the page's channel to the worker
 * answered by an echo the bench adds to the worker. Each keeps its port, bridge, connection or
 * channel open across its calls, as the extension does.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { Page, WebWorker } from 'puppeteer';
import { CLI, exited, preciseNow, withTimeout } from './common.js';
import { EXTENSION_ORIGIN, HOST_NAME } from '../../src/protocol/constants.js';
import { HOST_RPC_CHANNEL } from '../../src/protocol/extension-messages.js';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame.js';
import { request } from '../../src/protocol/jsonrpc.js';
import { hostPaths } from '../../src/native-host/paths.js';

/** Calls made on a fresh port, bridge or connection before the timed ones. */
export const SETTLE = 5;

/** What the worker sees; a type only (the function below runs in the worker, serialized). */
interface WorkerChrome {
  chrome: {
    runtime: {
      connectNative(name: string): {
        postMessage(m: unknown): void;
        onMessage: { addListener(l: (m: unknown) => void): void };
        disconnect(): void;
      };
    };
  };
}

/** 3d: background → native port → bridge → service → back, timed in the background worker. */
export function fromWorker(worker: WebWorker, n: number): Promise<number[]> {
  return worker.evaluate(
    async (count: number, settle: number, hostName: string) => {
      const port = (globalThis as unknown as WorkerChrome).chrome.runtime.connectNative(hostName);
      type Answer = { id?: number; result?: unknown; error?: unknown };
      const waiting = new Map<number, (a: Answer) => void>();
      port.onMessage.addListener((m) => {
        const a = m as Answer;
        if (typeof a.id === 'number') waiting.get(a.id)?.(a);
      });
      const out: number[] = [];
      try {
        for (let id = 1; id <= settle + count; id++) {
          const t0 = performance.now();
          const answer = await new Promise<Answer>((resolve, reject) => {
            waiting.set(id, resolve);
            setTimeout(() => reject(new Error(`no answer to call ${id} in 10 s`)), 10_000);
            port.postMessage({ jsonrpc: '2.0', id, method: 'host.hello', params: {} });
          });
          const t1 = performance.now();
          waiting.delete(id);
          if (answer.result === undefined)
            throw new Error(`host.hello failed: ${JSON.stringify(answer).slice(0, 200)}`);
          if (id > settle) out.push(t1 - t0);
        }
      } finally {
        port.disconnect();
      }
      return out;
    },
    n,
    SETTLE,
    HOST_NAME,
  );
}

/** Sequential host.hello calls on a framed byte stream; `write` sends, `onData` receives. */
async function callsOn(
  write: (bytes: Uint8Array) => void,
  onData: (listener: (chunk: Buffer) => void) => void,
  n: number,
): Promise<number[]> {
  const decoder = new FrameDecoder();
  let answered: ((id: unknown) => void) | null = null;
  onData((chunk) => {
    for (const frame of decoder.push(chunk)) {
      // A bad frame or an error answer fails the call waiting (as an id it cannot match).
      if (!frame.ok) answered?.(new Error(`bad frame: ${frame.error.message}`));
      else {
        const m = frame.message as { id?: unknown; result?: unknown };
        if (m.id !== undefined) answered?.(m.result !== undefined ? m.id : JSON.stringify(m));
      }
    }
  });
  const out: number[] = [];
  for (let id = 1; id <= SETTLE + n; id++) {
    const t0 = preciseNow();
    const got = new Promise<unknown>((resolve) => (answered = resolve));
    write(encodeFrame(request(id, 'host.hello', {})));
    const answeredId = await withTimeout(got, 10_000, `the answer to call ${id}`);
    if (answeredId !== id) throw new Error(`call ${id} got ${String(answeredId).slice(0, 300)}`);
    if (id > SETTLE) out.push(preciseNow() - t0);
  }
  return out;
}

/** 3e: Node → bridge's stdin → service → bridge's stdout → Node, one bridge for all n calls. */
export async function throughBridge(env: NodeJS.ProcessEnv, n: number): Promise<number[]> {
  const child = spawn(process.execPath, [CLI, 'native', EXTENSION_ORIGIN], {
    env,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  try {
    return await callsOn(
      (bytes) => child.stdin.write(bytes),
      (l) => child.stdout.on('data', l),
      n,
    );
  } finally {
    child.stdin.end(); // the browser closing the port: the bridge exits
    const gone = exited(child);
    await withTimeout(gone, 5000, 'the bridge to exit').catch(() => {
      child.kill('SIGKILL');
      return gone;
    });
  }
}

/** 3f: one connection straight to the service's socket, kept open for all n calls. */
export async function overSocket(home: string, n: number): Promise<number[]> {
  const socket = connect(hostPaths({ SENTINEL_HOME: home }).socket);
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      }),
      5000,
      'the service socket',
    );
    return await callsOn(
      (bytes) => socket.write(bytes),
      (l) => socket.on('data', l),
      n,
    );
  } finally {
    socket.destroy();
  }
}

/** What the page sees; a type only (the function below runs in the page, serialized). */
interface PageWorkers {
  navigator: {
    serviceWorker: {
      getRegistration(): Promise<{
        active: { postMessage(m: unknown, t: unknown[]): void } | null;
      }>;
    };
  };
}

/** What an echo channel's offer says; the product's worker ignores it (page-channel.ts). */
const ECHO_CHANNEL = 'bench.echo-channel';

/**
 * For 3g: a listener added to the background's worker through CDP (nothing in the product) that
 * takes ECHO_CHANNEL offers and answers each call on such a channel at once, with the answer the
 * product's relay would give — the page ↔ worker hop with no native port behind it.
 */
export function addWorkerEcho(worker: WebWorker): Promise<void> {
  return worker.evaluate((offerType: string) => {
    type Port = { postMessage(message: unknown): void }; // the page's end of a MessageChannel
    type Offer = { data?: { type?: unknown }; ports: readonly Port[] };
    const scope = globalThis as unknown as {
      addEventListener(type: 'message', l: (e: Offer) => void): void;
    };
    scope.addEventListener('message', (event) => {
      const port = event.ports[0];
      if (event.data?.type !== offerType || !port) return;
      (port as unknown as { onmessage: (e: { data: { id?: unknown } }) => void }).onmessage = (e) =>
        port.postMessage({ id: e.data.id, reply: { ok: true, result: {} } });
      port.postMessage({ type: offerType });
    });
  }, ECHO_CHANNEL);
}

/** 3g: the page's calls on a channel to the worker's echo (addWorkerEcho). Timed in the page. */
export const toWorkerEcho = (page: Page, n: number): Promise<number[]> =>
  fromPopupChannel(page, n, ECHO_CHANNEL);

/**
 * 3: the page's calls as src/ui/host-rpc.ts makes them in Chromium — a MessageChannel offered to
 * the background's service worker (HOST_RPC_CHANNEL), its acknowledgement awaited, then each
 * HostRpcCall on it and the HostRpcAnswer of its id back. Timed in the page.
 */
export function fromPopupChannel(
  page: Page,
  n: number,
  channelType: string = HOST_RPC_CHANNEL,
): Promise<number[]> {
  return page.evaluate(
    async (count: number, channelType: string) => {
      const registration = await (
        globalThis as unknown as PageWorkers
      ).navigator.serviceWorker.getRegistration();
      if (!registration.active) throw new Error('the extension has no active service worker');
      const { port1, port2 } = new MessageChannel();
      type Answer = { id?: number; type?: string; reply?: { ok?: boolean } };
      const waiting = new Map<number, (a: Answer) => void>();
      const taken = new Promise<void>((resolve, reject) => {
        setTimeout(() => reject(new Error('the worker did not take the channel in 5 s')), 5000);
        // This runs in the page: the DOM's MessagePort (Node's typings of the global lack onmessage).
        (port1 as unknown as { onmessage: (e: MessageEvent) => void }).onmessage = (e) => {
          const a = e.data as Answer;
          if (a.type === channelType) resolve();
          else if (typeof a.id === 'number') waiting.get(a.id)?.(a);
        };
      });
      registration.active.postMessage({ type: channelType }, [port2]);
      await taken;
      const out: number[] = [];
      try {
        for (let id = 1; id <= count; id++) {
          const t0 = performance.now();
          const answer = await new Promise<Answer>((resolve) => {
            waiting.set(id, resolve);
            port1.postMessage({ type: 'host.rpc', id, method: 'host.hello' });
          });
          const t1 = performance.now();
          waiting.delete(id);
          if (answer.reply?.ok !== true)
            throw new Error(`host.hello failed: ${JSON.stringify(answer).slice(0, 200)}`);
          out.push(t1 - t0);
        }
      } finally {
        port1.close();
      }
      return out;
    },
    n,
    channelType,
  );
}
