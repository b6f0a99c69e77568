/**
 * The popup: the host link's state (or the install command), the vault, the trading switch and
 * the exchange connections, kept live by the background's pushes.
 */
import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { HelloResult } from '../protocol/methods.js';
import { adviceFor, type Advice } from '../ui/advice.js';
import { ConnectionsPanel } from './ConnectionsPanel.js';
import { IntegrityNotice } from './IntegrityNotice.js';
import { OptionalSections } from './OptionalSections.js';
import { TradingSwitch } from './TradingSwitch.js';
import { useHost } from '../ui/use-host.js';
import { VaultPanel } from '../ui/VaultPanel.js';

const VAULT_WORDS: Record<HelloResult['vault'], string> = {
  absent: 'not created yet',
  locked: 'locked',
  unlocked: 'unlocked',
};

export function App() {
  const { status, revision } = useHost();
  const advice = adviceFor(status, browser.runtime.id);
  const hello = status.connection === 'connected' ? status.hello : undefined;
  return (
    <>
      <h1>Sentinel Companion</h1>
      <HostPanel advice={advice} hello={hello} />
      {hello && (
        <>
          <IntegrityNotice initial={hello.integrity} revision={revision} />
          <VaultPanel vault={hello.vault} />
          <TradingSwitch paused={hello.trading.paused} />
          <ConnectionsPanel revision={revision} />
          <OptionalSections revision={revision} />
        </>
      )}
    </>
  );
}

function HostPanel({ advice, hello }: { advice: Advice; hello: HelloResult | undefined }) {
  return (
    <section
      class={`status ${advice.tone}`}
      data-testid="host-status"
      data-tone={advice.tone}
      aria-live="polite"
    >
      <h2>{advice.title}</h2>
      <p>{advice.detail}</p>
      {advice.browserSaid && <p class="quote">Browser said: “{advice.browserSaid}”</p>}
      {hello && (
        <dl>
          <dt>Host</dt>
          <dd data-testid="host-version">
            v{hello.version} (protocol {hello.protocol})
          </dd>
          <dt>Vault</dt>
          <dd data-testid="vault-state">{VAULT_WORDS[hello.vault]}</dd>
          <dt>Trading</dt>
          <dd>{hello.trading.paused ? 'paused' : 'active'}</dd>
          <dt>Service</dt>
          <dd data-testid="service-pid">
            pid {hello.service.pid}, since {new Date(hello.service.startedAt).toLocaleString()}
          </dd>
        </dl>
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
