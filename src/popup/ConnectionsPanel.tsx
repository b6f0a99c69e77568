/** The exchange connections, one row each; with none, where to start. */
import { browser } from '../ui/extension-api.js';
import { SITES } from '../exchanges/sites.js';
import { EXCHANGE_IDS } from '../exchanges/types.js';
import type { Connection } from '../protocol/methods.js';
import { ConnectionRow } from '../ui/ConnectionRow.js';
import type { Loaded } from '../ui/use-list.js';
import type { PositionsListResult } from '../protocol/positions.js';
import { positionsOf } from '../ui/connection-positions.js';

export function ConnectionsPanel({
  list,
  positions,
  onChanged,
}: {
  list: Loaded<Connection>;
  positions: PositionsListResult | null;
  onChanged(): void;
}) {
  const now = new Date();
  return (
    <section class="block" data-testid="connections">
      <h2>Exchange connections</h2>
      {list.kind === 'error' && <p class="error">{list.message}</p>}
      {list.kind === 'loading' && <p class="muted">Loading…</p>}
      {list.kind === 'items' && list.items.length === 0 && (
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
                onClick={() => void browser.tabs.create({ url: SITES[id].apiPageUrl })}
              >
                {SITES[id].name}
              </button>
            ))}
          </div>
        </>
      )}
      {list.kind === 'items' && list.items.length > 0 && (
        <ul class="crows">
          {list.items.map((c) => (
            <ConnectionRow
              key={c.id}
              c={c}
              now={now}
              positions={positionsOf(positions, c.id)}
              onChanged={onChanged}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
