/**
 * One exchange connection on one or two lines, for the popup: exchange, label, verdict, mode and
 * key age, with what matters at a glance — rotate the key, go live (after a confirmation) or back
 * to dry-run. Everything else (checks, re-audit, leak, remove) is on the dashboard's card.
 */
import { SITES } from '../exchanges/sites.js';
import type { Connection } from '../protocol/methods.js';
import { Confirm } from './Confirm.js';
import type { ConnectionPositions } from './connection-positions.js';
import { openDashboard } from './open-dashboard.js';
import { ENVIRONMENT_LABEL, VERDICT_LABEL, keyAgeShort, rotationView } from './connection-view.js';
import { goLiveText, useConnectionActions } from './use-connection-actions.js';
import { useModule } from './use-module.js';

export function ConnectionRow({
  c,
  now,
  positions,
  onChanged,
}: {
  c: Connection;
  now: Date;
  positions: ConnectionPositions;
  onChanged(): void;
}) {
  const actions = useConnectionActions(c, onChanged);
  const keyCreatedAt = c.keyCreatedAt ?? c.lastAudit?.keyCreatedAt;
  const rotation = rotationView(keyCreatedAt, now);
  const verdict = c.lastAudit?.verdict;
  // The positions line's code loads with the first open position (most rows never show one);
  // until it has, the row shows what it showed before the positions came: the key's age.
  const line = useModule(() => import('./PositionsLine.js'), positions.positions.length > 0);
  const holding = positions.positions.length > 0 && line.kind === 'loaded';
  return (
    <li class="crow" data-testid="connection" data-id={c.id} data-mode={c.mode}>
      <div class="crow-line">
        <button
          type="button"
          class="crow-name"
          title="Checks and actions on the dashboard"
          onClick={() => openDashboard(c.id)}
        >
          <strong>{SITES[c.exchange].name}</strong> <span class="crow-label">{c.label}</span>
        </button>
        <span
          class={`badge ${verdict ?? 'none'}`}
          data-testid="verdict"
          data-verdict={verdict ?? 'none'}
        >
          {verdict ? VERDICT_LABEL[verdict] : 'Not audited'}
        </span>
        <span
          class={`pill mode ${c.mode}`}
          data-testid="mode"
          title={c.mode === 'live' ? 'Sends real orders' : 'Simulates orders; sends none'}
        >
          {c.mode === 'live' ? 'LIVE' : 'dry-run'}
        </span>
      </div>
      <div class="crow-line crow-meta">
        {c.environment !== 'live' && <span>{ENVIRONMENT_LABEL[c.environment]} ·</span>}
        {holding && <line.module.PositionsLine data={positions} />}
        {/* Beside positions the key age shows only when it asks for a rotation (the card has it). */}
        {(!holding || rotation.tone === 'warn' || rotation.tone === 'block') && (
          <span
            class={`rotation rot-${rotation.tone}`}
            data-testid="rotation"
            data-state={rotation.state}
            title={rotation.text}
          >
            {holding && '· '}
            {keyAgeShort(keyCreatedAt, now)}
          </span>
        )}
        {c.pausedReason && (
          <span class="paused crow-paused" data-testid="paused-reason" title={c.pausedReason}>
            · paused: {c.pausedReason}
          </span>
        )}
        <span class="crow-action">
          <button type="button" class="small" disabled={actions.busy} onClick={actions.rotate}>
            Rotate key
          </button>
          {c.mode === 'dry-run' ? (
            <button
              type="button"
              class="small"
              disabled={actions.busy}
              onClick={() => actions.ask('live')}
            >
              Go live…
            </button>
          ) : (
            <button type="button" class="small" disabled={actions.busy} onClick={actions.dryRun}>
              Switch to dry-run
            </button>
          )}
        </span>
      </div>
      {actions.confirm === 'live' && (
        <Confirm
          text={goLiveText(c)}
          action="Yes, go live"
          onConfirm={actions.goLive}
          onCancel={() => actions.ask(null)}
        />
      )}
      {line.kind === 'failed' && (
        <p class="error" role="alert">
          {line.message}
        </p>
      )}
      {actions.error && (
        <p class="error" role="alert" data-testid="connection-error">
          {actions.error}
        </p>
      )}
    </li>
  );
}
