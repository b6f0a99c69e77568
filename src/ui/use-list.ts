/**
 * A list the host answers (connections, feeds, orders, signals), fetched again whenever
 * `revision` changes. An older host without the method answers METHOD_NOT_FOUND: the list is then
 * "absent" (not an error), and the page leaves its section out.
 */
import { useEffect, useState } from 'preact/hooks';
import type { MethodName, ParamsOf, ResultOf } from '../protocol/methods.js';
import { errorMessage } from '../lib/error-text.js';
import { HostCallError, callHost } from './host-rpc.js';

type ListMethod = {
  [M in MethodName]: ResultOf<M> extends readonly unknown[] ? M : never;
}[MethodName];
export type ItemOf<M extends ListMethod> = ResultOf<M>[number];

export type Loaded<T> =
  | { kind: 'loading' }
  | { kind: 'absent' }
  | { kind: 'items'; items: T[] }
  | { kind: 'error'; message: string };

export function useList<M extends ListMethod>(
  method: M,
  params: ParamsOf<M>,
  revision: number,
): Loaded<ItemOf<M>> {
  const [state, setState] = useState<Loaded<ItemOf<M>>>({ kind: 'loading' });
  const key = JSON.stringify(params);
  useEffect(() => {
    let live = true;
    callHost(method, params).then(
      (items) =>
        live &&
        setState({ kind: 'items', items: Array.isArray(items) ? (items as ItemOf<M>[]) : [] }),
      (err: unknown) => {
        if (!live) return;
        if (err instanceof HostCallError && err.reason === 'METHOD_NOT_FOUND')
          setState({ kind: 'absent' });
        else setState({ kind: 'error', message: errorMessage(err) });
      },
    );
    return () => {
      live = false;
    };
    // params is compared by value (key): a literal per render must not refetch every render.
  }, [method, key, revision]);
  return state;
}

/** The items once loaded, else an empty list (for views that derive from several lists). */
export const itemsOf = <T>(l: Loaded<T>): T[] => (l.kind === 'items' ? l.items : []);
