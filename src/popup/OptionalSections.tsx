/**
 * Signals and orders, once the host offers them: the methods are being built, so a host that
 * answers METHOD_NOT_FOUND simply shows nothing here (not an error).
 */
import { useEffect, useState } from 'preact/hooks';
import { HostCallError, callHost } from './host-rpc.js';

const SECTIONS = [
  {
    method: 'signals.list',
    title: 'Signal feeds',
    empty: 'No signal feed subscribed yet.',
    unit: 'feed',
  },
  { method: 'orders.list', title: 'Orders', empty: 'No orders yet.', unit: 'recent order' },
] as const;

export function OptionalSections({ revision }: { revision: number }) {
  return (
    <>
      {SECTIONS.map((s) => (
        <Optional key={s.method} {...s} revision={revision} />
      ))}
    </>
  );
}

type State =
  | { kind: 'unknown' }
  | { kind: 'absent' }
  | { kind: 'items'; count: number }
  | { kind: 'error'; message: string };

function Optional({
  method,
  title,
  empty,
  unit,
  revision,
}: {
  method: string;
  title: string;
  empty: string;
  unit: string;
  revision: number;
}) {
  const [state, setState] = useState<State>({ kind: 'unknown' });
  useEffect(() => {
    let live = true;
    callHost<unknown>(method).then(
      (r) => {
        const items = Array.isArray(r)
          ? r
          : Array.isArray((r as { items?: unknown })?.items)
            ? (r as { items: unknown[] }).items
            : [];
        if (live) setState({ kind: 'items', count: items.length });
      },
      (err: unknown) => {
        if (!live) return;
        if (err instanceof HostCallError && err.reason === 'METHOD_NOT_FOUND')
          setState({ kind: 'absent' });
        else setState({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [method, revision]);
  if (state.kind === 'unknown' || state.kind === 'absent') return null;
  return (
    <section class="panel" data-testid={`section-${method}`}>
      <h2>{title}</h2>
      {state.kind === 'error' ? (
        <p class="error">{state.message}</p>
      ) : (
        <p>
          {state.count === 0 ? empty : `${state.count} ${unit}${state.count === 1 ? '' : 's'}.`}
        </p>
      )}
    </section>
  );
}
