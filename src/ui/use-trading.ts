/**
 * The trading switch's state with its reason. The background's cached hello follows
 * `trading.changed` but keeps only `paused`, so after a change the page asks the host itself
 * (host.hello) for the reason; the cached `paused` stays the authority on the switch.
 */
import { useEffect, useState } from 'preact/hooks';
import type { HelloResult } from '../protocol/methods.js';
import { callHost } from './host-rpc.js';

export function useTrading(hello: HelloResult, revision: number): HelloResult['trading'] {
  const [asked, setAsked] = useState<HelloResult['trading'] | null>(null);
  useEffect(() => {
    let live = true;
    callHost('host.hello', { client: 'extension-page' }).then(
      (h) => live && setAsked(h.trading),
      () => undefined, // the host line already says when the host cannot be reached
    );
    return () => {
      live = false;
    };
  }, [revision, hello.trading.paused]);
  const cached = hello.trading;
  if (cached.reason !== undefined || !asked || asked.paused !== cached.paused) return cached;
  return asked;
}
