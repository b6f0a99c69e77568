/** The list of exchange connections, refetched whenever the host says something changed. */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { EXCHANGE_IDS, PROFILES } from '../exchanges/index.js';
import type { Connection } from '../protocol/methods.js';
import { ConnectionCard } from './ConnectionCard.js';
import { callHost } from '../ui/host-rpc.js';
import { errorMessage } from '../lib/error-text.js';

export function ConnectionsPanel({ revision }: { revision: number }) {
  const [list, setList] = useState<Connection[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ownChanges, setOwnChanges] = useState(0);

  useEffect(() => {
    let live = true;
    callHost('connections.list', {}).then(
      (l) => live && (setList(l), setError(null)),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [revision, ownChanges]);

  return (
    <section class="panel" data-testid="connections">
      <h2>Exchange connections</h2>
      {error && <p class="error">{error}</p>}
      {list === null && !error && <p class="muted">Loading…</p>}
      {list?.length === 0 && (
        <>
          <p data-testid="no-connections">
            No exchange connected yet. Open your exchange's API page: Sentinel guides you through
            creating a safe key there and connects it.
          </p>
          <div class="actions">
            {EXCHANGE_IDS.map((id) => (
              <button
                key={id}
                type="button"
                onClick={() => void browser.tabs.create({ url: PROFILES[id].apiPageUrl })}
              >
                {PROFILES[id].name}
              </button>
            ))}
          </div>
        </>
      )}
      {list && list.length > 0 && (
        <ul class="conns">
          {list.map((c) => (
            <ConnectionCard key={c.id} c={c} onChanged={() => setOwnChanges((n) => n + 1)} />
          ))}
        </ul>
      )}
    </section>
  );
}
