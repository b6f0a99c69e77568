/**
 * Holds a client's requests at the socket until a promise resolves: the order's journal is made
 * durable while ccxt builds and signs the request, instead of before it starts. ccxt sends every
 * REST request through the instance's `fetch(url, method, headers, body)` (fetch2 → sign → fetch,
 * node_modules/ccxt/js/src/base/Exchange.js); the gate wraps that method, so no request of the
 * client leaves while a gate is set and unresolved — whatever ccxt does first (a market load, a
 * time sync) waits too. Signing earlier changes nothing the exchange sees but the request's
 * timestamp, a fraction of a millisecond older against a window of seconds (request-window.ts).
 */
import type { Exchange } from 'ccxt';

/** The journal could not be made durable: nothing was sent. */
export class JournalNotDurable extends Error {
  constructor(cause: unknown) {
    super('the order journal could not be written to disk; nothing was sent', { cause });
    this.name = 'JournalNotDurable';
  }
}

type Fetch = Exchange['fetch'];
const gates = new WeakMap<Exchange, Promise<void>>();
const gated = new WeakSet<Exchange>();

/** Wraps the client's fetch once (client.ts, for every client the service creates). */
export function installSendGate(client: Exchange): void {
  if (gated.has(client)) return;
  gated.add(client);
  const fetch: Fetch = client.fetch.bind(client);
  client.fetch = async (...args: Parameters<Fetch>) => {
    const gate = gates.get(client);
    if (gate) await gate.catch((err: unknown) => Promise.reject(new JournalNotDurable(err)));
    return fetch(...args);
  };
}

/**
 * Runs `send` (one ccxt call) with the client's requests held until `ready` resolves. A rejected
 * `ready` fails the call with JournalNotDurable before anything leaves. Calls on one client are
 * serialized by the caller (the connection's queue); another call made meanwhile waits as well.
 */
export async function sendWhenDurable<T>(
  client: Exchange,
  ready: Promise<void>,
  send: () => Promise<T>,
): Promise<T> {
  void ready.catch(() => undefined); // handled here when no request asks for it (fetch below)
  if (!gated.has(client)) {
    await ready.catch((err: unknown) => Promise.reject(new JournalNotDurable(err)));
    return send();
  }
  gates.set(client, ready);
  try {
    return await send();
  } finally {
    if (gates.get(client) === ready) gates.delete(client);
  }
}
