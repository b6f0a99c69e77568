/**
 * The setup form page, shown in the guide panel's iframe once its ticket is claimed (main.tsx):
 * the host's state, the vault in place when it is locked or missing, then the credential form
 * (add or rotate). Exchange and mode come from the ticket, never from the page's URL.
 */
import { browser } from '../ui/extension-api.js';
import { PROFILES, type ExchangeId } from '../exchanges/index.js';
import { adviceFor } from '../ui/advice.js';
import { useHost } from '../ui/use-host.js';
import { VaultPanel } from '../ui/VaultPanel.js';
import { CredentialForm } from './CredentialForm.js';
import { RotationIntro } from './RotationIntro.js';

export function SetupApp({ exchange, rotate }: { exchange: ExchangeId; rotate: string | null }) {
  const { status } = useHost();
  const profile = PROFILES[exchange];
  const hello = status.connection === 'connected' ? status.hello : undefined;
  const advice = adviceFor(status, browser.runtime.id);
  return (
    <div data-testid="setup" data-exchange={exchange} data-mode={rotate ? 'rotate' : 'add'}>
      <h1>{rotate ? `Rotate your ${profile.name} key` : `Connect your ${profile.name} API key`}</h1>
      {!hello && (
        <section class={`status ${advice.tone}`} data-testid="setup-host">
          <h2>{advice.title}</h2>
          <p>{advice.detail}</p>
          {advice.command && (
            <p>
              Run in the sentinel-companion folder: <code>{advice.command}</code>
            </p>
          )}
        </section>
      )}
      {hello && hello.vault !== 'unlocked' && (
        <>
          <p class="note" data-testid="vault-needed">
            {hello.vault === 'absent'
              ? 'Sentinel keeps your keys in an encrypted vault on this computer. Create it first:'
              : 'The vault is locked. Unlock it to store the key:'}
          </p>
          <VaultPanel vault={hello.vault} />
        </>
      )}
      {rotate && <RotationIntro id={rotate} profile={profile} />}
      <CredentialForm profile={profile} rotate={rotate} ready={hello?.vault === 'unlocked'} />
    </div>
  );
}
