/**
 * Where the key comes from: "Let Sentinel make the key (recommended)" where the exchange accepts
 * self-generated keys (Binance Ed25519, Bybit RSA — the profile's `selfGeneratedKey`), or a key and
 * secret the exchange made (HMAC). Generating asks the host (keys.generate): the private key is
 * sealed in the vault there and never reaches this page; only the public key is shown, to copy
 * onto the exchange's page. A key made earlier and not attached yet is offered again (keys.list),
 * so closing the panel loses nothing. OKX: said plainly that it is not offered.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ExchangeProfile } from '../exchanges/index.js';
import type { GeneratedKey } from '../protocol/methods.js';
import { HostCallError, callHost } from '../ui/host-rpc.js';

export type KeyMode = 'generated' | 'secret';

interface Props {
  profile: ExchangeProfile;
  mode: KeyMode;
  onMode(mode: KeyMode): void;
  /** The generated key in use (null until one is made or found). */
  generated: GeneratedKey | null;
  onGenerated(key: GeneratedKey | null): void;
  /** The host is connected and the vault unlocked. */
  ready: boolean;
}

export function KeySource({ profile, mode, onMode, generated, onGenerated, ready }: Props) {
  const offer = profile.selfGeneratedKey;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);

  // A key made earlier for this exchange and still waiting: offer it again.
  useEffect(() => {
    if (!offer || !ready || mode !== 'generated' || generated) return;
    callHost('keys.list', {})
      .then((keys) => {
        const waiting = keys.filter((k) => k.exchange === profile.id).at(-1);
        if (waiting)
          onGenerated({
            keyId: waiting.keyId,
            algorithm: waiting.algorithm,
            publicKeyPem: waiting.publicKeyPem,
          });
      })
      .catch(() => undefined); // generating still works; the list is a convenience
  }, [offer, ready, mode, generated, profile.id, onGenerated]);

  if (!offer)
    return (
      <p class="hint" data-testid="no-generated-keys">
        {profile.name} offers no self-generated keys, so Sentinel cannot make this key for you:
        create it on {profile.name} and paste what it shows below.
      </p>
    );

  const generate = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    try {
      onGenerated(await callHost('keys.generate', { exchange: profile.id }));
    } catch (err) {
      setProblem(err instanceof HostCallError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const copy = async (): Promise<void> => {
    if (!generated) return;
    try {
      await navigator.clipboard.writeText(generated.publicKeyPem);
    } catch {
      // A frame without clipboard permission: copy the selected text instead.
      box.current?.select();
      document.execCommand('copy');
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };

  return (
    <section class="key-source" data-testid="key-source">
      <div class="choices" role="radiogroup" aria-label="Where the key comes from">
        <label class="inline">
          <input
            type="radio"
            name="key-source"
            value="generated"
            checked={mode === 'generated'}
            data-testid="mode-generated"
            onChange={() => onMode('generated')}
          />
          Let Sentinel make the key (recommended)
        </label>
        <label class="inline">
          <input
            type="radio"
            name="key-source"
            value="secret"
            checked={mode === 'secret'}
            data-testid="mode-secret"
            onChange={() => onMode('secret')}
          />
          Paste a key and secret {profile.name} made
        </label>
      </div>
      {mode === 'generated' && (
        <div data-testid="generated-key">
          <p class="hint">
            Sentinel makes the key pair on this computer and keeps the private key in its vault: it
            is never shown, copied or sent. {profile.name} gets only the public key.
          </p>
          {!generated && (
            <button
              type="button"
              class="primary"
              disabled={busy || !ready}
              data-testid="generate"
              onClick={() => void generate()}
            >
              {busy ? 'Making the key…' : `Make the ${profile.name} key`}
            </button>
          )}
          {problem && <p class="error">{problem}</p>}
          {generated && (
            <>
              <label>
                Public key ({generated.algorithm === 'ed25519' ? 'Ed25519' : 'RSA'})
                <textarea
                  ref={box}
                  readOnly
                  rows={generated.algorithm === 'ed25519' ? 4 : 10}
                  value={generated.publicKeyPem}
                  data-testid="public-key"
                  data-key-id={generated.keyId}
                  onFocus={(e) => e.currentTarget.select()}
                />
              </label>
              <button type="button" data-testid="copy-public-key" onClick={() => void copy()}>
                {copied ? 'Copied' : 'Copy the public key'}
              </button>
              <p class="note" data-testid="paste-where">
                {offer.where} Tick the permissions and add the IP as the guide says.
              </p>
              <p class="hint">
                Not used within a day, this key is erased. The API key {profile.name} shows is what
                goes below — there is no secret to paste.
              </p>
            </>
          )}
        </div>
      )}
    </section>
  );
}
