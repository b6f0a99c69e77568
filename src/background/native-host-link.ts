/**
 * The extension's one native port to the Sentinel host: connects, says hello, reconnects with
 * backoff after the host exits, and matches JSON-RPC answers to requests.
 */
import type { Runtime } from 'webextension-polyfill';
import { HOST_NAME } from '../protocol/constants.js';
import type { HostStatus, RpcReply } from '../protocol/extension-messages.js';
import {
  ERROR_CODES,
  classify,
  isFailure,
  request,
  type JsonRpcNotification,
} from '../protocol/jsonrpc.js';
import type { HelloResult } from '../protocol/methods.js';
import { backoffDelayMs, classifyDisconnect } from './host-problem.js';
import { errorMessage } from '../lib/error-text.js';

const REQUEST_TIMEOUT_MS = 15_000;

type Pending = { resolve: (reply: RpcReply) => void; timer: ReturnType<typeof setTimeout> };

export class NativeHostLink {
  private port: Runtime.Port | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private status: HostStatus = { connection: 'disconnected' };
  private readonly statusListeners = new Set<(s: HostStatus) => void>();
  private readonly notificationListeners = new Set<(n: JsonRpcNotification) => void>();

  constructor(private readonly connectNative: (name: string) => Runtime.Port) {}

  get current(): HostStatus {
    return this.status;
  }

  onStatus(listener: (s: HostStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onNotification(listener: (n: JsonRpcNotification) => void): () => void {
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }

  /** Connect now (skipping any backoff wait) unless a port is already open. */
  connect(): void {
    if (this.port) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.setStatus({ connection: 'connecting' });
    let port: Runtime.Port;
    try {
      port = this.connectNative(HOST_NAME);
    } catch (err) {
      this.handleDisconnect(errorMessage(err));
      return;
    }
    this.port = port;
    port.onMessage.addListener((message: unknown) => this.handleMessage(message));
    port.onDisconnect.addListener((p: Runtime.Port) => {
      if (this.port !== port) return;
      this.port = null;
      // Firefox's ports carry `error` (null when the host simply exited); Chrome's have no such
      // property and put the reason in runtime.lastError.
      if ('error' in p) {
        const error = (p as Runtime.Port & { error?: { message?: string } | null }).error;
        this.handleDisconnect(error?.message ?? undefined, 'firefox');
        return;
      }
      this.handleDisconnect(
        typeof chrome !== 'undefined' ? chrome.runtime.lastError?.message : undefined,
      );
    });
    void this.request('host.hello', { client: 'extension' }).then((reply) => {
      if (this.port !== port) return;
      if (reply.ok) {
        this.attempt = 0;
        this.setStatus({ connection: 'connected', hello: reply.result as HelloResult });
      } else {
        this.setStatus({
          connection: 'disconnected',
          problem: { kind: 'failed', browserMessage: reply.error.message },
        });
      }
    });
  }

  /** Wait until the link settles (connected or disconnected), at most timeoutMs. */
  settled(timeoutMs: number): Promise<HostStatus> {
    if (this.status.connection !== 'connecting') return Promise.resolve(this.status);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(this.status);
      }, timeoutMs);
      const off = this.onStatus((s) => {
        if (s.connection === 'connecting') return;
        clearTimeout(timer);
        off();
        resolve(s);
      });
    });
  }

  request(method: string, params: unknown = {}): Promise<RpcReply> {
    if (!this.port) this.connect();
    const port = this.port;
    if (!port)
      return Promise.resolve(
        unavailable(this.status.problem?.browserMessage ?? 'the host is not connected'),
      );
    const id = this.nextId++;
    return new Promise<RpcReply>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(
          unavailable(`the host did not answer ${method} within ${REQUEST_TIMEOUT_MS / 1000} s`),
        );
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, timer });
      try {
        port.postMessage(request(id, method, params));
      } catch (err) {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(unavailable(errorMessage(err)));
      }
    });
  }

  private handleMessage(message: unknown): void {
    const c = classify(message);
    if (c.kind === 'notification') {
      this.applyNotification(c.message);
      for (const listener of this.notificationListeners) listener(c.message);
      return;
    }
    if (c.kind !== 'response') return;
    const response = c.message;
    if (response.id === null) {
      // An answer to no request: the host refused the whole connection (e.g. FORBIDDEN_ORIGIN).
      if (isFailure(response))
        this.setStatus({
          ...this.status,
          problem: { kind: 'failed', browserMessage: response.error.message },
        });
      return;
    }
    const entry = typeof response.id === 'number' ? this.pending.get(response.id) : undefined;
    if (!entry) return;
    this.pending.delete(response.id as number);
    clearTimeout(entry.timer);
    entry.resolve(
      isFailure(response)
        ? { ok: false, error: response.error }
        : { ok: true, result: response.result },
    );
  }

  /** Keep the cached hello current, so every open page sees vault and trading changes made anywhere. */
  private applyNotification(n: JsonRpcNotification): void {
    const hello = this.status.hello;
    if (!hello) return;
    const params = n.params as { vault?: unknown; paused?: unknown; reason?: unknown } | undefined;
    if (n.method === 'vault.changed') {
      const vault = params?.vault;
      if (vault === 'absent' || vault === 'locked' || vault === 'unlocked') {
        this.setStatus({ ...this.status, hello: { ...hello, vault } });
      }
    } else if (n.method === 'trading.changed' && typeof params?.paused === 'boolean') {
      // The reason travels with it (host.hello's trading.reason), so a page can say why.
      const reason = params.paused && typeof params.reason === 'string' ? params.reason : undefined;
      const trading = { paused: params.paused, ...(reason !== undefined ? { reason } : {}) };
      this.setStatus({ ...this.status, hello: { ...hello, trading } });
    }
  }

  private handleDisconnect(
    browserMessage: string | undefined,
    browser: 'chromium' | 'firefox' = 'chromium',
  ): void {
    const problem = classifyDisconnect(browserMessage, browser);
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.resolve(unavailable(problem.browserMessage));
      this.pending.delete(id);
    }
    const delay = backoffDelayMs(this.attempt++);
    this.setStatus({ connection: 'disconnected', problem, retryAt: Date.now() + delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private setStatus(status: HostStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}

function unavailable(message: string): RpcReply {
  return {
    ok: false,
    error: {
      code: ERROR_CODES.SERVICE_UNAVAILABLE,
      message,
      data: { reason: 'SERVICE_UNAVAILABLE' },
    },
  };
}
