/**
 * Pages call the host on one long-lived port (src/ui/host-rpc.ts) and the background answers on
 * it by id (src/background/page-rpc.ts): each side with a stand-in for the other, then both joined.
 */
import type { RpcReply } from '../../src/protocol/extension-messages.js';

type Listener = (message: unknown) => void;

/** One end of a runtime port; `peer` gets what this end posts. */
class FakePort {
  readonly name: string;
  readonly posted: unknown[] = [];
  private readonly messageListeners: Listener[] = [];
  private readonly disconnectListeners: (() => void)[] = [];
  peer: FakePort | null = null;
  connected = true;
  constructor(name: string) {
    this.name = name;
  }
  postMessage(message: unknown): void {
    if (!this.connected) throw new Error('Attempting to use a disconnected port object');
    this.posted.push(message);
    // Structured clone, delivered later, as the browser does.
    const copy = structuredClone(message);
    queueMicrotask(() => this.peer?.deliver(copy));
  }
  deliver(message: unknown): void {
    for (const l of this.messageListeners) l(message);
  }
  onMessage = { addListener: (l: Listener) => void this.messageListeners.push(l) };
  onDisconnect = { addListener: (l: () => void) => void this.disconnectListeners.push(l) };
  disconnect(): void {
    this.connected = false;
  }
  /** The other side went away. */
  drop(): void {
    this.connected = false;
    for (const l of this.disconnectListeners) l();
  }
}

const browserFake = vi.hoisted(() => ({ connects: [] as unknown[], onConnect: null as unknown }));

// Pages reach the extension API through src/ui/extension-api.ts: its `browser` is the fake here.
vi.mock('../../src/ui/extension-api.js', () => ({
  browser: {
    runtime: {
      connect: ({ name }: { name: string }) => {
        const page = new FakePort(name);
        browserFake.connects.push(page);
        (browserFake.onConnect as ((p: FakePort) => void) | null)?.(page);
        return page;
      },
    },
  },
}));

const { callHost, HostCallError } = await import('../../src/ui/host-rpc.js');
const { parseHostRpcCall, servePageRpc } = await import('../../src/background/page-rpc.js');
const { HOST_RPC_PORT } = await import('../../src/protocol/extension-messages.js');
const { serveChannelOffer } = await import('../../src/background/page-channel.js');

const ok = (result: unknown): RpcReply => ({ ok: true, result });
const flush = () => new Promise((r) => setTimeout(r, 0));

/** A background that hands every page port to servePageRpc with `answer` as the host. */
function background(answer: (method: string, params: unknown) => Promise<RpcReply>) {
  const seen: { method: string; params: unknown }[] = [];
  browserFake.onConnect = (page: FakePort) => {
    const bg = new FakePort(page.name);
    page.peer = bg;
    bg.peer = page;
    servePageRpc(bg, (method, params) => {
      seen.push({ method, params });
      return answer(method, params);
    });
  };
  return seen;
}

afterEach(() => {
  // Each test starts with the page's port gone (the client reconnects at its next call).
  for (const p of browserFake.connects as FakePort[]) if (p.connected) p.drop();
  browserFake.connects = [];
  browserFake.onConnect = null;
});

describe('parseHostRpcCall', () => {
  it.each([
    [{ type: 'host.rpc', id: 1, method: 'host.hello' }, true],
    [{ type: 'host.rpc', id: 2, method: 'vault.unlock', params: { passphrase: 'x' } }, true],
    [{ type: 'host.rpc', method: 'host.hello' }, false], // no id: nobody to answer
    [{ type: 'host.rpc', id: '1', method: 'host.hello' }, false],
    [{ type: 'host.rpc', id: 1.5, method: 'host.hello' }, false],
    [{ type: 'host.status', id: 1 }, false],
    [null, false],
    ['host.rpc', false],
  ])('%j → %s', (message, valid) => {
    expect(parseHostRpcCall(message) !== null).toBe(valid);
  });
});

describe('callHost over the page port', () => {
  it('one port for many calls; answers that overtake each other reach their own calls', async () => {
    const release: Record<string, () => void> = {};
    const seen = background(
      (method) => new Promise((resolve) => (release[method] = () => resolve(ok({ method })))),
    );
    const hello = callHost('host.hello', { client: 'popup' });
    const list = callHost('connections.list', {});
    await flush();
    release['connections.list']!();
    release['host.hello']!();
    await expect(list).resolves.toEqual({ method: 'connections.list' });
    await expect(hello).resolves.toEqual({ method: 'host.hello' });
    expect(browserFake.connects).toHaveLength(1);
    expect((browserFake.connects[0] as FakePort).name).toBe(HOST_RPC_PORT);
    expect(seen).toEqual([
      { method: 'host.hello', params: { client: 'popup' } },
      { method: 'connections.list', params: {} },
    ]);
  });

  it("a host error becomes a HostCallError with the host's reason and data", async () => {
    background(async () => ({
      ok: false,
      error: { code: -32010, message: 'the vault is locked', data: { reason: 'VAULT_LOCKED' } },
    }));
    const call = callHost('connections.list', {});
    await expect(call).rejects.toBeInstanceOf(HostCallError);
    await expect(call).rejects.toMatchObject({
      message: 'the vault is locked',
      reason: 'VAULT_LOCKED',
      data: { reason: 'VAULT_LOCKED' },
    });
  });

  it('the background going away fails the waiting calls, and the next call reconnects', async () => {
    background(() => new Promise<RpcReply>(() => undefined)); // never answers
    const pending = callHost('host.hello', {});
    await flush();
    (browserFake.connects[0] as FakePort).drop();
    await expect(pending).rejects.toMatchObject({ reason: 'SERVICE_UNAVAILABLE' });

    background(async () => ok({ again: true }));
    await expect(callHost('host.hello', {})).resolves.toEqual({ again: true });
    expect(browserFake.connects).toHaveLength(2);
  });

  it('the background posts nothing to a page that closed before the answer', async () => {
    let answer!: () => void;
    const bg = new FakePort(HOST_RPC_PORT);
    servePageRpc(bg, () => new Promise<RpcReply>((resolve) => (answer = () => resolve(ok({})))));
    bg.deliver({ type: 'host.rpc', id: 7, method: 'host.hello' });
    bg.drop(); // the page's side disconnected
    bg.connected = true; // a post would not even throw: only the disconnect event tells
    answer();
    await flush();
    expect(bg.posted).toEqual([]);
  });
});

describe('callHost over a MessageChannel to the service worker (Chromium)', () => {
  const PAGE = 'chrome-extension://ext-id/src/popup/index.html';
  const isExtensionPage = (url: string | undefined) =>
    url?.startsWith('chrome-extension://ext-id/') === true;

  /** A worker that serves offers from `source` on the channel, and pages' runtime ports too. */
  function worker(source: string) {
    const viaPort = background(async (method) => ok({ via: 'port', method }));
    const viaChannel: string[] = [];
    const served: boolean[] = [];
    vi.stubGlobal('navigator', {
      serviceWorker: {
        getRegistration: async () => ({
          active: {
            postMessage: (data: unknown, ports: MessagePort[]) =>
              served.push(
                serveChannelOffer(
                  { data, ports, source: { url: source } },
                  isExtensionPage,
                  async (method) => {
                    viaChannel.push(method);
                    return ok({ via: 'channel', method });
                  },
                ),
              ),
          },
        }),
      },
    });
    return { viaPort, viaChannel, served };
  }
  const settle = () => new Promise((r) => setTimeout(r, 20));

  afterEach(() => vi.unstubAllGlobals());

  it('calls go on the channel once the worker took it; the runtime port carries the first', async () => {
    const { viaPort, viaChannel, served } = worker(PAGE);
    await expect(callHost('host.hello', {})).resolves.toEqual({
      via: 'port',
      method: 'host.hello',
    });
    await settle();
    expect(served).toEqual([true]);
    await expect(callHost('connections.list', {})).resolves.toEqual({
      via: 'channel',
      method: 'connections.list',
    });
    expect(viaPort.map((c) => c.method)).toEqual(['host.hello']);
    expect(viaChannel).toEqual(['connections.list']);
  });

  it('the worker stopping (the runtime port drops) fails calls waiting on the channel', async () => {
    const viaPort = background(async () => ok({}));
    let release!: () => void;
    vi.stubGlobal('navigator', {
      serviceWorker: {
        getRegistration: async () => ({
          active: {
            postMessage: (data: unknown, ports: MessagePort[]) =>
              serveChannelOffer(
                { data, ports, source: { url: PAGE } },
                isExtensionPage,
                () =>
                  new Promise<RpcReply>((resolve) => (release = () => resolve(ok({ late: true })))),
              ),
          },
        }),
      },
    });
    await callHost('host.hello', {}); // the runtime port, while the channel is offered
    await settle();
    const pending = callHost('connections.list', {});
    await settle();
    (browserFake.connects[0] as FakePort).drop();
    await expect(pending).rejects.toMatchObject({ reason: 'SERVICE_UNAVAILABLE' });
    release(); // an answer after that changes nothing
    expect(viaPort).toHaveLength(1);
  });

  it('an offer from anything but an extension page is not served: the runtime port carries all', async () => {
    const { viaPort, viaChannel, served } = worker('https://www.binance.com/en/my/settings/api');
    await callHost('host.hello', {});
    await settle();
    await callHost('connections.list', {});
    expect(served).toEqual([false]);
    expect(viaChannel).toEqual([]);
    expect(viaPort.map((c) => c.method)).toEqual(['host.hello', 'connections.list']);
  });
});
