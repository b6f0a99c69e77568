/**
 * What the user can do to one connection — re-audit, go live (after a confirmation), back to
 * dry-run, rotate, key leaked, remove — as one hook, so the popup's row and the dashboard's card run the
 * same code. Every action refreshes the caller's list afterwards: connections.remove sends no
 * notification, and a failed action may still have changed something.
 */
import { useState } from 'preact/hooks';
import { browser } from './extension-api.js';
import { SITES } from '../exchanges/sites.js';
import type { Connection, MethodName, ParamsOf } from '../protocol/methods.js';
import { errorMessage } from '../lib/error-text.js';
import { ENVIRONMENT_LABEL, rotateUrl } from './connection-view.js';
import { callHost } from './host-rpc.js';

export type PendingConfirm = null | 'live' | 'remove';

export interface ConnectionActions {
  busy: boolean;
  error: string | null;
  confirm: PendingConfirm;
  /** The leak advice shows once "Key leaked?" has stopped the key. */
  leaked: boolean;
  ask(which: PendingConfirm): void;
  goLive(): void;
  dryRun(): void;
  reaudit(): void;
  remove(): void;
  keyLeaked(): void;
  /** The exchange's API page with the guide panel in rotation mode for this connection. */
  rotate(): void;
}

export function useConnectionActions(c: Connection, onChanged: () => void): ConnectionActions {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<PendingConfirm>(null);
  const [leaked, setLeaked] = useState(false);

  const run = async <M extends MethodName>(method: M, params: ParamsOf<M>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await callHost(method, params);
      return true;
    } catch (err) {
      setError(errorMessage(err));
      return false;
    } finally {
      setBusy(false);
      setConfirm(null);
      onChanged();
    }
  };
  return {
    busy,
    error,
    confirm,
    leaked,
    ask: setConfirm,
    goLive: () => void run('connections.setMode', { id: c.id, mode: 'live' }),
    dryRun: () => void run('connections.setMode', { id: c.id, mode: 'dry-run' }),
    reaudit: () => void run('connections.audit', { id: c.id }),
    remove: () => void run('connections.remove', { id: c.id }),
    rotate: () => void browser.tabs.create({ url: rotateUrl(SITES[c.exchange].apiPageUrl, c.id) }),
    keyLeaked: () =>
      // Stop this key first (no orders from it, at once), then send the user to delete it.
      void run('connections.setMode', { id: c.id, mode: 'dry-run' }).then(
        (ok) => ok && setLeaked(true),
      ),
  };
}

/** What going live means for this connection, said before the user confirms. */
export function goLiveText(c: Pick<Connection, 'exchange' | 'environment'>): string {
  return `Go live: Sentinel will send real orders to ${SITES[c.exchange].name} (${ENVIRONMENT_LABEL[c.environment].toLowerCase()}) with this key when signals arrive.`;
}

/** What removing erases, and what it does not. */
export function removeText(c: Pick<Connection, 'exchange' | 'label'>): string {
  const name = SITES[c.exchange].name;
  return `Remove "${c.label}"? Sentinel erases its key from the vault. The key still exists on ${name}: delete it there too if you no longer use it.`;
}
