/**
 * The credential form. The secret (and OKX passphrase) live only in this component's state while
 * typed and are cleared the moment the form is submitted, whatever the outcome; they go to the
 * host through the background (host.rpc) and nowhere else — no storage, no page, no log.
 * Submit reads the fields themselves, not the state of the last render (valuesAtSubmit).
 * With a key Sentinel generated (KeySource), there is no secret at all: the form asks only for the
 * API key the exchange showed and sends `{apiKey, keyId}`.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ExchangeProfile } from '../exchanges/index.js';
import { ENVIRONMENTS } from '../protocol/params.js';
import { ENVIRONMENT_LABEL } from '../ui/connection-view.js';
import { HostCallError, callHost } from '../ui/host-rpc.js';
import {
  checkAdd,
  checkRotate,
  initialValues,
  outcomeOfError,
  valuesAtSubmit,
  type Field,
  type FormReader,
  type FormValues,
  type Outcome,
} from './form-model.js';
import { OutcomeView } from './OutcomeView.js';
import { KeySource, type KeyMode } from './KeySource.js';
import type { GeneratedKey } from '../protocol/methods.js';

interface Props {
  profile: ExchangeProfile;
  rotate: string | null;
  /** The host is connected and the vault unlocked. */
  ready: boolean;
}

/** The form's controls as they are now (form.elements, by name). */
function controlsOf(form: HTMLFormElement): FormReader {
  const control = (name: string) => form.elements.namedItem(name);
  return {
    text(name) {
      const c = control(name);
      return c instanceof HTMLInputElement || c instanceof HTMLSelectElement ? c.value : null;
    },
    checked(name) {
      const c = control(name);
      return c instanceof HTMLInputElement && c.type === 'checkbox' ? c.checked : null;
    },
  };
}

const SECRET_FIELDS = ['secret', 'passphrase'] as const;

const NEEDS = [
  { id: 'futures', label: 'Futures' },
  { id: 'margin', label: 'Margin' },
  { id: 'options', label: 'Options' },
] as const;

export function CredentialForm({ profile, rotate, ready }: Props) {
  const [values, setValues] = useState<FormValues>(() =>
    initialValues(profile.id, profile.suggestedLabel(new Date())),
  );
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [mode, setMode] = useState<KeyMode>('secret');
  const [generated, setGenerated] = useState<GeneratedKey | null>(null);
  const keyId = mode === 'generated' ? generated?.keyId : undefined;
  const fields = profile.credentialFields.filter((f) => mode === 'secret' || f.id === 'apiKey');
  const outcomeBox = useRef<HTMLDivElement>(null);
  // The verdict appears under the form: scroll this frame (only this frame, never the exchange's
  // page, as scrollIntoView could) to show it.
  useEffect(() => {
    const top = outcomeBox.current?.offsetTop;
    if (outcome && top !== undefined) window.scrollTo({ top: Math.max(0, top - 8) });
  }, [outcome]);
  const set = (patch: Partial<FormValues>): void => setValues((v) => ({ ...v, ...patch }));
  const fieldError = (f: string) =>
    outcome?.kind === 'invalid' && outcome.field === f ? outcome.message : null;

  const submit = async (form: HTMLFormElement): Promise<void> => {
    const typed = valuesAtSubmit(controlsOf(form), values);
    // Clear the secrets at once: whatever happens next, they are not kept in the form. In the
    // fields too: when the state lagged (still ''), the re-render would leave them as they are.
    for (const name of SECRET_FIELDS) {
      const c = form.elements.namedItem(name);
      if (c instanceof HTMLInputElement) c.value = '';
    }
    // The state takes what was submitted (bar the secrets), so the re-render does not bring back
    // a lagging value in the fields that stay.
    setValues({ ...typed, secret: '', passphrase: '' });
    // Checked with the host's own rules, then bound to the method that takes those values.
    let send: () => Promise<Outcome>;
    const invalid = (c: { field: Field; message: string }): void =>
      setOutcome({ kind: 'invalid', field: c.field, message: c.message });
    if (rotate) {
      const checked = checkRotate(profile.id, typed, keyId);
      if (!checked.ok) return invalid(checked);
      send = async () => ({
        kind: 'rotated',
        ...(await callHost('connections.rotate', { id: rotate, credentials: checked.value })),
      });
    } else {
      const checked = checkAdd(profile.id, typed, keyId);
      if (!checked.ok) return invalid(checked);
      send = async () => ({
        kind: 'stored',
        ...(await callHost('connections.add', checked.value)),
      });
    }
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome(await send());
      setValues(initialValues(profile.id, profile.suggestedLabel(new Date())));
      if (keyId !== undefined) setGenerated(null); // attached: it is the connection's key now
    } catch (err) {
      setOutcome(
        err instanceof HostCallError
          ? outcomeOfError(err.reason, err.message, err.data)
          : { kind: 'error', message: String(err) },
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <KeySource
        profile={profile}
        mode={mode}
        onMode={setMode}
        generated={generated}
        onGenerated={setGenerated}
        ready={ready}
      />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit(e.currentTarget);
        }}
        autocomplete="off"
        data-testid="credential-form"
        noValidate
      >
        {fields.map((f) => (
          <label key={f.id}>
            {mode === 'generated'
              ? `${f.label} (${profile.name} shows it for the public key)`
              : f.label}
            <input
              name={f.id}
              type={f.secret ? 'password' : 'text'}
              autocomplete="off"
              spellcheck={false}
              value={values[f.id]}
              aria-invalid={fieldError(f.id) ? 'true' : undefined}
              onInput={(e) => set({ [f.id]: e.currentTarget.value })}
            />
            {fieldError(f.id) && <span class="error field-error">{fieldError(f.id)}</span>}
          </label>
        ))}
        {!rotate && (
          <>
            <label>
              Label (how you will recognise this key)
              <input
                name="label"
                maxLength={64}
                value={values.label}
                onInput={(e) => set({ label: e.currentTarget.value })}
              />
              {fieldError('label') && <span class="error field-error">{fieldError('label')}</span>}
            </label>
            <label>
              Environment
              <select
                name="environment"
                value={values.environment}
                onChange={(e) =>
                  set({ environment: e.currentTarget.value as FormValues['environment'] })
                }
              >
                {ENVIRONMENTS[profile.id].map((env) => (
                  <option key={env} value={env}>
                    {ENVIRONMENT_LABEL[env]}
                  </option>
                ))}
              </select>
            </label>
            <fieldset>
              <legend>My strategy also trades</legend>
              {NEEDS.map((n) => (
                <label key={n.id} class="inline">
                  <input
                    type="checkbox"
                    name={`needs-${n.id}`}
                    checked={values.needs[n.id]}
                    onChange={(e) =>
                      set({ needs: { ...values.needs, [n.id]: e.currentTarget.checked } })
                    }
                  />
                  {n.label}
                </label>
              ))}
              <p class="hint">
                Tick only what it needs: the audit warns about any other permission the key has.
              </p>
            </fieldset>
          </>
        )}
        {fieldError('form') && <p class="error">{fieldError('form')}</p>}
        <button
          type="submit"
          class="primary"
          disabled={busy || !ready || (mode === 'generated' && !generated)}
          data-testid="submit"
        >
          {busy
            ? `Checking the key with ${profile.name}…`
            : rotate
              ? 'Verify and switch to the new key'
              : 'Check and connect'}
        </button>
        <p class="hint">
          Sentinel first asks {profile.name} what this key can do; a key that can withdraw is
          refused and nothing is stored.
        </p>
      </form>
      <div ref={outcomeBox}>
        {outcome && outcome.kind !== 'invalid' && (
          <OutcomeView outcome={outcome} profile={profile} />
        )}
      </div>
    </>
  );
}
