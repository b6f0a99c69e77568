/**
 * Creating the vault: the passphrase twice, with a strength hint. Loaded by VaultPanel only while
 * no vault exists. The passphrases live only in this form's state while typed and are cleared on
 * submit; nothing is stored.
 */
import { useState } from 'preact/hooks';
import { MIN_LENGTH, passphraseStrength } from './passphrase-strength.js';
import type { MethodName, ParamsOf } from '../protocol/methods.js';

/** VaultPanel's call to the host: busy while it runs, `clear` the form's fields after. */
export type Run = <M extends MethodName>(
  method: M,
  params: ParamsOf<M>,
  clear: () => void,
) => Promise<void>;

export function CreateForm({ busy, run }: { busy: boolean; run: Run }) {
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const strength = passphraseStrength(first);
  const mismatch = second.length > 0 && first !== second;
  const ready = [...first].length >= MIN_LENGTH && first === second;
  const submit = (e: Event): void => {
    e.preventDefault();
    if (!ready) return;
    void run('vault.create', { passphrase: first }, () => {
      setFirst('');
      setSecond('');
    });
  };
  return (
    <form onSubmit={submit} autocomplete="off">
      <p>
        Your exchange keys are encrypted with a passphrase only you know. Choose one you can
        remember; it cannot be recovered.
      </p>
      <label>
        Passphrase
        <input
          type="password"
          name="new-passphrase"
          autocomplete="new-password"
          value={first}
          onInput={(e) => setFirst(e.currentTarget.value)}
        />
      </label>
      <p class={`strength s${strength.score}`} data-testid="strength" aria-live="polite">
        {first.length > 0 && `Strength: ${strength.label}. ${strength.hint}`}
      </p>
      <label>
        Repeat it
        <input
          type="password"
          name="repeat-passphrase"
          autocomplete="new-password"
          value={second}
          onInput={(e) => setSecond(e.currentTarget.value)}
        />
      </label>
      {mismatch && <p class="error">The two passphrases differ.</p>}
      <button type="submit" disabled={busy || !ready}>
        Create vault
      </button>
    </form>
  );
}
