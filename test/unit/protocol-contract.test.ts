/**
 * The JSON-RPC contract is one typed map (src/protocol/methods.ts `HostMethods`). Most of this
 * file is checked by `npm run typecheck`, not run: each `@ts-expect-error` line must fail to
 * compile (a misspelt method, wrong params, a wrong use of a result, a handler table that does
 * not match the map), else the typecheck itself fails ("Unused '@ts-expect-error' directive").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { callHost as CallHost } from '../../src/ui/host-rpc.js';
import type { callService as CallService } from '../../src/native-host/ipc/client.js';
import type { HandlerGroup, Handlers } from '../../src/native-host/ipc/rpc-server.js';
import type { HostPaths } from '../../src/native-host/paths.js';
import type { MethodName, ParamsOf, ResultOf } from '../../src/protocol/methods.js';

// Declared, never called: the extension's module needs a browser, the client a running service.
declare const callHost: typeof CallHost;
declare const callService: typeof CallService;
declare const paths: HostPaths;

/** Every method, once: a method missing here or not in the map fails to compile. */
const EVERY_METHOD: Record<MethodName, true> = {
  'host.hello': true,
  'host.repair': true,
  'vault.create': true,
  'vault.unlock': true,
  'vault.lock': true,
  'vault.changePassphrase': true,
  'connections.list': true,
  'connections.add': true,
  'connections.audit': true,
  'connections.rotate': true,
  'connections.remove': true,
  'connections.setMode': true,
  'network.publicIp': true,
  'keys.generate': true,
  'keys.list': true,
  'keys.discard': true,
  'trading.pause': true,
  'trading.resume': true,
  'signals.subscribe': true,
  'signals.list': true,
  'signals.unsubscribe': true,
  'signals.history': true,
  'orders.list': true,
  'positions.list': true,
};

export async function extensionCalls(): Promise<void> {
  // @ts-expect-error a misspelt method
  await callHost('conections.list', {});
  // @ts-expect-error the mode is "dry-run" or "live"
  await callHost('connections.setMode', { id: 'c_1', mode: 'paper' });
  // @ts-expect-error connections.remove needs the id
  await callHost('connections.remove', {});

  const paused = await callHost('trading.pause', { reason: 'test' });
  const saved: boolean = paused.saved;
  // @ts-expect-error trading.pause answers {paused, saved, warning?}: no "reason"
  const reason: string = paused.reason;

  const orders = await callHost('orders.list', { limit: 5 });
  // @ts-expect-error orders.list answers an array of rows, not one row
  const state: string = orders.state;
  void [saved, reason, state];
}

export async function cliCalls(): Promise<void> {
  // @ts-expect-error a misspelt method
  await callService(paths, 'vault.unlok', { passphrase: 'correct horse' });
  // @ts-expect-error vault.unlock takes {passphrase}
  await callService(paths, 'vault.unlock', { password: 'correct horse' });

  const hello = await callService(paths, 'host.hello', { client: 'test' });
  const pid: number = hello.service.pid;
  // @ts-expect-error the version is a string
  const version: number = hello.version;

  const subs = await callService(paths, 'signals.list', {});
  // @ts-expect-error the relay token is never returned, only its hint
  const token: string = subs[0]!.token;
  void [pid, version, token];
}

type Result<M extends MethodName> = ResultOf<M> | Promise<ResultOf<M>>;
const locked = (): Result<'vault.lock'> => ({ vault: 'locked' });

export const handlerTables: unknown[] = [
  { 'vault.lock': locked } satisfies HandlerGroup<'vault.lock'>,
  // @ts-expect-error a handler for a method that is not in the contract
  { 'vault.lock': locked, 'vault.destroy': () => ({}) } satisfies HandlerGroup<'vault.lock'>,
  // @ts-expect-error a handler missing from its group
  { 'vault.lock': locked } satisfies HandlerGroup<'vault.lock' | 'vault.unlock'>,
  // @ts-expect-error a handler with the wrong result
  { 'vault.lock': () => ({ vault: 'unlocked' }) } satisfies HandlerGroup<'vault.lock'>,
];

// @ts-expect-error the service's table must answer every method of the contract
export const incomplete: Handlers = { 'vault.lock': locked };

// The map's shapes, as the docs state them.
export const shapes: [
  ParamsOf<'connections.setMode'>['mode'],
  ResultOf<'trading.resume'>['paused'],
  ResultOf<'network.publicIp'>['ip'],
] = ['live', false, null];

it('docs/protocol.md documents every method of the contract', () => {
  const docs = readFileSync(join(import.meta.dirname, '../../docs/protocol.md'), 'utf8');
  const undocumented = Object.keys(EVERY_METHOD).filter((m) => !docs.includes(`\`${m}\``));
  expect(undocumented).toEqual([]);
});
