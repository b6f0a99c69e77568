/**
 * Vault controls: create (passphrase twice, with a strength hint), unlock, lock. Passphrases live
 * only in this component's state while typed and are cleared on submit; nothing is stored.
 */
import { useState } from 'preact/hooks';
import type { VaultState } from '../protocol/methods.js';
import { callHost } from './host-rpc.js';
import { useModule } from './use-module.js';
import type { Run } from './VaultCreateForm.js';
import { errorMessage } from '../lib/error-text.js';

/**
 * `compact`: the popup's version once the vault exists — no heading (the host line says the
 * vault's state): the unlock form on one row, or only the Lock button, which sits in that line.
 */
export function VaultPanel({ vault, compact = false }: { vault: VaultState; compact?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run: Run = async (method, params, clear) => {
    setBusy(true);
    setError(null);
    try {
      await callHost(method, params);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      clear();
      setBusy(false);
    }
  };

  return (
    <section
      class={
        !compact || vault === 'absent'
          ? 'panel'
          : vault === 'locked'
            ? 'panel vault-compact'
            : 'vault-inline'
      }
      data-testid="vault-panel"
      data-vault={vault}
    >
      {!(compact && vault !== 'absent') && <h2>Vault</h2>}
      {vault === 'absent' && <Create busy={busy} run={run} />}
      {vault === 'locked' && <UnlockForm busy={busy} run={run} compact={compact} />}
      {vault === 'unlocked' && compact && (
        <button
          type="button"
          class="small"
          title="Lock the vault: no key can be used until it is unlocked again"
          disabled={busy}
          onClick={() => void run('vault.lock', {}, () => undefined)}
        >
          Lock
        </button>
      )}
      {vault === 'unlocked' && !compact && (
        <div class="row">
          <p>Unlocked: the host can use your keys.</p>
          <button
            type="button"
            disabled={busy}
            onClick={() => void run('vault.lock', {}, () => undefined)}
          >
            Lock
          </button>
        </div>
      )}
      {error && (
        <p class="error" role="alert" data-testid="vault-error">
          {error}
        </p>
      )}
    </section>
  );
}

/**
 * The create form (with its strength hint) is shown once, before the vault exists: it loads
 * then, not with every page that shows the vault (the popup's usual view has the Lock button).
 */
function Create({ busy, run }: { busy: boolean; run: Run }) {
  const form = useModule(() => import('./VaultCreateForm.js'), true);
  if (form.kind === 'failed') return <p class="error">{form.message}</p>;
  return form.kind === 'loaded' ? <form.module.CreateForm busy={busy} run={run} /> : null;
}

function UnlockForm({ busy, run, compact }: { busy: boolean; run: Run; compact: boolean }) {
  const [passphrase, setPassphrase] = useState('');
  const submit = (e: Event): void => {
    e.preventDefault();
    if (!passphrase) return;
    void run('vault.unlock', { passphrase }, () => setPassphrase(''));
  };
  return (
    <form onSubmit={submit} autocomplete="off" class="row">
      <label>
        {compact ? 'Vault locked — passphrase' : 'Passphrase'}
        <input
          type="password"
          name="passphrase"
          autocomplete="current-password"
          value={passphrase}
          onInput={(e) => setPassphrase(e.currentTarget.value)}
        />
      </label>
      <button type="submit" disabled={busy || passphrase.length === 0}>
        Unlock
      </button>
    </form>
  );
}
