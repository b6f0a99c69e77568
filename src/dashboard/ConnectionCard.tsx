/**
 * One exchange connection in full: what it is, its last audit check by check with the fixes, and
 * every action — re-audit, go live (after a confirmation) or back to dry-run, rotate, key leaked,
 * remove (after a confirmation). The actions are the popup row's (src/ui/use-connection-actions).
 */
import { PROFILES } from '../exchanges/index.js';
import type { Connection } from '../protocol/methods.js';
import { AuditChecks } from '../ui/AuditChecks.js';
import { PositionsTable } from '../ui/Positions.js';
import type { ConnectionPositions } from '../ui/positions-view.js';
import { Confirm } from '../ui/Confirm.js';
import {
  ENVIRONMENT_LABEL,
  VERDICT_LABEL,
  checkSummary,
  rotationView,
} from '../ui/connection-view.js';
import { goLiveText, removeText, useConnectionActions } from '../ui/use-connection-actions.js';

export function ConnectionCard({
  c,
  positions,
  onChanged,
}: {
  c: Connection;
  positions: ConnectionPositions;
  onChanged(): void;
}) {
  const profile = PROFILES[c.exchange];
  const actions = useConnectionActions(c, onChanged);
  const rotation = rotationView(c.keyCreatedAt ?? c.lastAudit?.keyCreatedAt, new Date());
  const verdict = c.lastAudit?.verdict;
  const { busy } = actions;
  return (
    <li
      class="conn card"
      id={`conn-${c.id}`}
      data-testid="connection"
      data-id={c.id}
      data-mode={c.mode}
    >
      <div class="conn-head">
        <strong>{profile.name}</strong>
        <span class="conn-label">{c.label}</span>
        <span
          class={`badge ${verdict ?? 'none'}`}
          data-testid="verdict"
          data-verdict={verdict ?? 'none'}
        >
          {verdict ? VERDICT_LABEL[verdict] : 'Not audited'}
        </span>
        <span class={`pill mode ${c.mode}`} data-testid="mode">
          {c.mode === 'live' ? 'LIVE: sends orders' : 'dry-run: simulates orders'}
        </span>
      </div>
      <p class="meta">
        {c.environment === 'live' ? 'Real account' : ENVIRONMENT_LABEL[c.environment]} · key{' '}
        {c.apiKeyHint} · connected {new Date(c.createdAt).toLocaleDateString()}
      </p>
      <p
        class={`meta rotation rot-${rotation.tone}`}
        data-testid="rotation"
        data-state={rotation.state}
      >
        {rotation.text}
      </p>
      {c.pausedReason && (
        <p class="paused" data-testid="paused-reason">
          Paused: {c.pausedReason}
        </p>
      )}
      <PositionsTable data={positions} />
      {c.lastAudit && (
        <details open={verdict === 'block'}>
          <summary>
            Audit checks ({checkSummary(c.lastAudit)}), {new Date(c.lastAudit.at).toLocaleString()}
          </summary>
          <AuditChecks checks={c.lastAudit.checks} />
        </details>
      )}
      <div class="actions">
        {c.mode === 'dry-run' ? (
          <button type="button" disabled={busy} onClick={() => actions.ask('live')}>
            Go live…
          </button>
        ) : (
          <button type="button" disabled={busy} onClick={actions.dryRun}>
            Switch to dry-run
          </button>
        )}
        <button type="button" disabled={busy} onClick={actions.reaudit}>
          Re-audit
        </button>
        <button type="button" disabled={busy} onClick={actions.rotate}>
          Rotate key
        </button>
        <button type="button" class="danger" disabled={busy} onClick={actions.keyLeaked}>
          Key leaked?
        </button>
        <button type="button" disabled={busy} onClick={() => actions.ask('remove')}>
          Remove…
        </button>
      </div>
      {actions.confirm === 'live' && (
        <Confirm
          text={goLiveText(c)}
          action="Yes, go live"
          onConfirm={actions.goLive}
          onCancel={() => actions.ask(null)}
        />
      )}
      {actions.confirm === 'remove' && (
        <Confirm
          text={removeText(c)}
          action="Yes, remove"
          onConfirm={actions.remove}
          onCancel={() => actions.ask(null)}
        />
      )}
      {actions.leaked && (
        <div class="alert" role="alert" data-testid="leak-advice">
          <p>
            <strong>This key now sends no orders (dry-run).</strong> Delete it on {profile.name} now
            — a deleted key is useless to whoever has it:
          </p>
          <p>
            <a href={profile.apiPageUrl} target="_blank" rel="noopener noreferrer">
              {profile.name} {profile.apiPageName}
            </a>
          </p>
          <p>Then create a new key there and use “Rotate key” to give it to Sentinel.</p>
        </div>
      )}
      {actions.error && (
        <p class="error" role="alert" data-testid="connection-error">
          {actions.error}
        </p>
      )}
    </li>
  );
}
