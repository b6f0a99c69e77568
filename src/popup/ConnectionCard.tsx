/**
 * One exchange connection: what it is, what its last audit said, and what the user can do —
 * re-audit, switch dry-run/live (live only after a confirmation), rotate, react to a leak, remove.
 */
import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { PROFILES } from '../exchanges/index.js';
import type { Connection, MethodName, ParamsOf } from '../protocol/methods.js';
import { AuditChecks } from '../ui/AuditChecks.js';
import {
  ENVIRONMENT_LABEL,
  VERDICT_LABEL,
  checkSummary,
  rotateUrl,
  rotationView,
} from '../ui/connection-view.js';
import { callHost } from '../ui/host-rpc.js';
import { Confirm } from './Confirm.js';
import { errorMessage } from '../lib/error-text.js';

type Pending = null | 'live' | 'remove';

export function ConnectionCard({ c, onChanged }: { c: Connection; onChanged(): void }) {
  const profile = PROFILES[c.exchange];
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Pending>(null);
  const [leaked, setLeaked] = useState(false);
  const rotation = rotationView(c.keyCreatedAt ?? c.lastAudit?.keyCreatedAt, new Date());
  const verdict = c.lastAudit?.verdict;

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
      onChanged(); // connections.remove sends no notification: refresh after every action
    }
  };
  const keyLeaked = async (): Promise<void> => {
    // Stop this key first (no orders from it, at once), then send the user to delete it.
    if (await run('connections.setMode', { id: c.id, mode: 'dry-run' })) setLeaked(true);
  };

  return (
    <li class="conn" data-testid="connection" data-id={c.id} data-mode={c.mode}>
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
      </div>
      <p class="meta">
        {ENVIRONMENT_LABEL[c.environment]} · key {c.apiKeyHint} ·{' '}
        <span class={`mode ${c.mode}`} data-testid="mode">
          {c.mode === 'live' ? 'LIVE: sends orders' : 'dry-run: sends no orders'}
        </span>
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
      {c.lastAudit && (
        <details>
          <summary>
            Audit checks ({checkSummary(c.lastAudit)}), {new Date(c.lastAudit.at).toLocaleString()}
          </summary>
          <AuditChecks checks={c.lastAudit.checks} />
        </details>
      )}
      <div class="actions">
        {c.mode === 'dry-run' ? (
          <button type="button" disabled={busy} onClick={() => setConfirm('live')}>
            Go live…
          </button>
        ) : (
          <button
            type="button"
            disabled={busy}
            onClick={() => void run('connections.setMode', { id: c.id, mode: 'dry-run' })}
          >
            Switch to dry-run
          </button>
        )}
        <button
          type="button"
          disabled={busy}
          onClick={() => void run('connections.audit', { id: c.id })}
        >
          Re-audit
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => void browser.tabs.create({ url: rotateUrl(profile.apiPageUrl, c.id) })}
        >
          Rotate key
        </button>
        <button type="button" class="danger" disabled={busy} onClick={() => void keyLeaked()}>
          Key leaked?
        </button>
        <button type="button" disabled={busy} onClick={() => setConfirm('remove')}>
          Remove…
        </button>
      </div>
      {confirm === 'live' && (
        <Confirm
          text={`Go live: Sentinel will send real orders to ${profile.name} (${ENVIRONMENT_LABEL[c.environment].toLowerCase()}) with this key when signals arrive.`}
          action="Yes, go live"
          onConfirm={() => void run('connections.setMode', { id: c.id, mode: 'live' })}
          onCancel={() => setConfirm(null)}
        />
      )}
      {confirm === 'remove' && (
        <Confirm
          text={`Remove "${c.label}"? Sentinel erases its key from the vault. The key still exists on ${profile.name}: delete it there too if you no longer use it.`}
          action="Yes, remove"
          onConfirm={() => void run('connections.remove', { id: c.id })}
          onCancel={() => setConfirm(null)}
        />
      )}
      {leaked && (
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
      {error && (
        <p class="error" role="alert" data-testid="connection-error">
          {error}
        </p>
      )}
    </li>
  );
}
