/**
 * The dashboard: the details behind the popup, in a tab. The host line and the trading switch;
 * every connection with its audit checks and actions; the timeline of signals → orders per
 * connection; the order and signal history with filters; the notification switches. Live: lists refetch whenever the host
 * announces a change (the revision of use-host).
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from '../ui/extension-api.js';
import type { Connection, HelloResult } from '../protocol/methods.js';
import type { PositionsListResult } from '../protocol/positions.js';
import { adviceFor } from '../ui/advice.js';
import { TradingSwitch } from '../ui/TradingSwitch.js';
import { VaultPanel } from '../ui/VaultPanel.js';
import { useHost } from '../ui/use-host.js';
import { itemsOf, useList, type Loaded } from '../ui/use-list.js';
import { resultOf, usePositions } from '../ui/use-positions.js';
import { ConnectionCard } from './ConnectionCard.js';
import { History } from './History.js';
import { NotificationSettings } from '../ui/NotificationSettings.js';
import { positionsOf } from '../ui/positions-view.js';

export function App() {
  const { status, revision } = useHost();
  const advice = adviceFor(status, browser.runtime.id);
  const hello = status.connection === 'connected' ? status.hello : undefined;
  return (
    <>
      <header class="top">
        <h1>Sentinel Companion — Dashboard</h1>
        <p class={`host-line ${advice.tone}`} data-testid="host-status" data-tone={advice.tone}>
          {advice.title}
          {hello && ` · host v${hello.version} · vault ${hello.vault}`}
        </p>
      </header>
      {!hello && (
        <section class={`status ${advice.tone}`}>
          <p>{advice.detail}</p>
          {advice.command && (
            <p>
              {advice.commandHint} <code>{advice.command}</code>
            </p>
          )}
        </section>
      )}
      {hello && <Connected hello={hello} revision={revision} />}
      {/* The switches are the extension's own settings: they work with or without the host. */}
      <NotificationSettings />
    </>
  );
}

function Connected({ hello, revision }: { hello: HelloResult; revision: number }) {
  const [ownChanges, setOwnChanges] = useState(0);
  const refresh = revision + ownChanges;
  const connections = useList('connections.list', {}, refresh);
  const positions = resultOf(usePositions(refresh, hello.vault === 'unlocked'));
  // The background's cached hello follows trading.changed, reason included.
  const trading = hello.trading;
  return (
    <>
      {hello.vault !== 'unlocked' && <VaultPanel vault={hello.vault} />}
      <TradingSwitch hello={hello} trading={trading} connections={itemsOf(connections)} />
      <Connections
        list={connections}
        positions={positions}
        onChanged={() => setOwnChanges((n) => n + 1)}
      />
      <History revision={refresh} connections={itemsOf(connections)} />
    </>
  );
}

function Connections({
  list,
  positions,
  onChanged,
}: {
  list: Loaded<Connection>;
  positions: PositionsListResult | null;
  onChanged(): void;
}) {
  const loaded = list.kind === 'items';
  // Opened from the popup at one connection (#conn-ID): show that card once the list is there.
  useEffect(() => {
    if (loaded && location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  }, [loaded]);
  return (
    <section class="panel" data-testid="connections">
      <h2>Exchange connections</h2>
      {list.kind === 'error' && <p class="error">{list.message}</p>}
      {list.kind === 'loading' && <p class="muted">Loading…</p>}
      {list.kind === 'items' && list.items.length === 0 && (
        <p data-testid="no-connections">
          No exchange connected yet. Open your exchange's API page: Sentinel guides you through
          creating a safe key there and connects it.
        </p>
      )}
      {list.kind === 'items' && list.items.length > 0 && (
        <ul class="conns cards">
          {list.items.map((c) => (
            <ConnectionCard
              key={c.id}
              c={c}
              positions={positionsOf(positions, c.id)}
              onChanged={onChanged}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
