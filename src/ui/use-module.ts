/**
 * A module the page loads only when it shows what the module renders (a dynamic import): the
 * popup's first open reads less (docs/benchmarks.md row 6). Extension files load from disk in a
 * few milliseconds; until then the caller renders what it showed before, or nothing.
 */
import { useEffect, useState } from 'preact/hooks';

export type Lazy<T> =
  { kind: 'waiting' } | { kind: 'loaded'; module: T } | { kind: 'failed'; message: string };

/** Loads once `wanted` turns true, then keeps the module. */
export function useModule<T>(load: () => Promise<T>, wanted: boolean): Lazy<T> {
  const [state, setState] = useState<Lazy<T>>({ kind: 'waiting' });
  const loaded = state.kind === 'loaded';
  useEffect(() => {
    if (!wanted || loaded) return;
    let live = true;
    load().then(
      (module) => live && setState({ kind: 'loaded', module }),
      // Only a damaged install loses its own files: say so, and what fixes it.
      () =>
        live &&
        setState({
          kind: 'failed',
          message: 'Part of this page could not be loaded: reload the extension or reinstall it.',
        }),
    );
    return () => {
      live = false;
    };
    // `load` is a new arrow each render; what it loads never changes for one caller.
  }, [wanted, loaded]);
  return state;
}
