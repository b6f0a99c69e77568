/**
 * The popup: a glanceable status view that fits Chrome's 600-px popup with a few connections —
 * the host link (or the install command), the vault, whether signals trade live, one row per
 * connection, one line per feed and the last orders — kept live by the background's pushes.
 * The details and the per-connection actions are on the dashboard (a tab).
 */
import { useState } from 'preact/hooks';
import { browser } from '../ui/extension-api.js';
import type { HelloResult } from '../protocol/methods.js';
import { CONNECTING, linkAdvice, type Advice } from '../ui/link-advice.js';
import type { HostStatus } from '../protocol/extension-messages.js';
import { openDashboard } from '../ui/open-dashboard.js';
import { itemsOf, useList } from '../ui/use-list.js';
import { resultOf, usePositions } from '../ui/use-positions.js';
import { useHost } from '../ui/use-host.js';
import { useSettled } from '../ui/use-settled.js';
import { VaultPanel } from '../ui/VaultPanel.js';
import { ConnectionsPanel } from './ConnectionsPanel.js';
import { FeedsPanel, OrdersPanel } from './ActivityPanels.js';
import { IntegrityNotice } from './IntegrityNotice.js';
import { TradingSwitch } from '../ui/TradingSwitch.js';
import { useModule } from '../ui/use-module.js';

const VAULT_WORDS: Record<HelloResult['vault'], string> = {
  absent: 'not created yet',
  locked: 'locked',
  unlocked: 'unlocked',
};

export function App() {
  const { status, revision } = useHost();
  const advice = useAdvice(status);
  const hello = status.connection === 'connected' ? status.hello : undefined;
  return (
    <>
      <header class="top">
        <h1>Sentinel Companion</h1>
        {hello && (
          <button type="button" data-testid="open-dashboard" onClick={() => openDashboard()}>
            Dashboard ↗
          </button>
        )}
      </header>
      <HostPanel advice={advice} hello={hello} />
      {hello && <Connected hello={hello} revision={revision} />}
    </>
  );
}

/**
 * The host line's words. What explains a problem (and its fix) loads only when there is one:
 * until then, a few milliseconds, the line still says what it said before the problem came.
 */
function useAdvice(status: HostStatus): Advice {
  const link = linkAdvice(status);
  const problem = useModule(() => import('../ui/problem-advice.js'), link === null);
  if (link) return link;
  if (problem.kind === 'failed')
    return { tone: 'problem', title: 'Cannot talk to the Sentinel host', detail: problem.message };
  if (problem.kind === 'waiting' || !status.problem) return CONNECTING;
  return problem.module.problemAdvice(status.problem, browser.runtime.id);
}

/** What the popup shows once the host answers. */
function Connected({ hello, revision }: { hello: HelloResult; revision: number }) {
  const [ownChanges, setOwnChanges] = useState(0);
  // One signal brings several notifications: fetch the lists once per burst.
  const refresh = useSettled(revision, 150) + ownChanges;
  const connections = useList('connections.list', {}, refresh);
  const positions = resultOf(usePositions(refresh, hello.vault === 'unlocked'));
  // The background's cached hello follows trading.changed, reason included.
  const trading = hello.trading;
  return (
    <>
      <IntegrityNotice initial={hello.integrity} revision={revision} />
      {hello.vault !== 'unlocked' && <VaultPanel vault={hello.vault} compact />}
      <TradingSwitch hello={hello} trading={trading} connections={itemsOf(connections)} />
      <ConnectionsPanel
        list={connections}
        positions={positions}
        onChanged={() => setOwnChanges((n) => n + 1)}
      />
      <FeedsPanel revision={refresh} />
      <OrdersPanel revision={refresh} connections={itemsOf(connections)} />
    </>
  );
}

function HostPanel({ advice, hello }: { advice: Advice; hello: HelloResult | undefined }) {
  return (
    <section
      class={`status ${advice.tone} ${hello ? 'compact' : ''}`}
      data-testid="host-status"
      data-tone={advice.tone}
      aria-live="polite"
    >
      <div class="host-row">
        <h2 title={advice.detail}>{advice.title}</h2>
        {hello?.vault === 'unlocked' && <VaultPanel vault="unlocked" compact />}
      </div>
      {!hello && <p>{advice.detail}</p>}
      {advice.browserSaid && <p class="quote">Browser said: “{advice.browserSaid}”</p>}
      {hello && (
        <p class="host-meta">
          <span data-testid="host-version">
            v{hello.version} (protocol {hello.protocol})
          </span>{' '}
          ·{' '}
          <span
            data-testid="service-pid"
            title={`since ${new Date(hello.service.startedAt).toLocaleString()}`}
          >
            pid {hello.service.pid}
          </span>{' '}
          · vault <span data-testid="vault-state">{VAULT_WORDS[hello.vault]}</span>
        </p>
      )}
      {advice.command && <Command hint={advice.commandHint} command={advice.command} />}
    </section>
  );
}

function Command({ hint, command }: { hint: string | undefined; command: string }) {
  const [copied, setCopied] = useState(false);
  const copy = (): void => {
    void navigator.clipboard.writeText(command).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <>
      {hint && <p>{hint}</p>}
      <div class="command">
        <code data-testid="fix-command">{command}</code>
        <button type="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </>
  );
}
