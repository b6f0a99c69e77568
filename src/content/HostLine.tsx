/** One line about the host: the form needs it connected and the vault unlocked. */
import { useEffect, useState } from 'preact/hooks';
import type { ContentStatus } from '../protocol/extension-messages.js';
import { hostStatus, watchHostStatus } from './background-client.js';

const VAULT: Record<string, string> = {
  absent: 'no vault yet (create it under “Connect key”)',
  locked: 'vault locked (unlock it under “Connect key”)',
  unlocked: 'vault unlocked',
};

/**
 * Changes are pushed (watchHostStatus); the poll is only a backstop. Its answer is the
 * background's cached state (no host call), so it costs nothing.
 */
const POLL_MS = 10_000;

export function HostLine() {
  const [status, setStatus] = useState<ContentStatus | null | 'loading'>('loading');
  useEffect(() => {
    const refresh = (): void => {
      if (document.visibilityState === 'visible') void hostStatus().then(setStatus);
    };
    refresh();
    // The user may install the host, or create or unlock the vault in the form, meanwhile.
    const unwatch = watchHostStatus(setStatus);
    const timer = setInterval(refresh, POLL_MS);
    document.addEventListener('visibilitychange', refresh);
    return () => {
      unwatch();
      clearInterval(timer);
      document.removeEventListener('visibilitychange', refresh);
    };
  }, []);
  if (status === 'loading') return <p class="host muted">Checking the Sentinel host…</p>;
  if (status?.connection === 'connected')
    return (
      <p class="host ok" data-testid="host-line">
        Sentinel host connected · {VAULT[status.vault ?? ''] ?? 'vault state unknown'}
      </p>
    );
  return (
    <p class="host problem" data-testid="host-line">
      The Sentinel host is not connected: click the Sentinel Companion icon in the toolbar for the
      one command that installs it. The guide below works without it.
    </p>
  );
}
