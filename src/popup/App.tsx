/** The popup: the host link's state, and what to do when it is missing. */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { POPUP_PORT, type HostStatus, type StatusPush } from '../protocol/extension-messages.js';
import type { HelloResult } from '../protocol/methods.js';
import { adviceFor, type Advice } from './advice.js';
import { VaultPanel } from './VaultPanel.js';

const VAULT_WORDS: Record<HelloResult['vault'], string> = {
  absent: 'not created yet',
  locked: 'locked',
  unlocked: 'unlocked',
};

export function App() {
  const [status, setStatus] = useState<HostStatus>({ connection: 'connecting' });

  useEffect(() => {
    const port = browser.runtime.connect({ name: POPUP_PORT });
    port.onMessage.addListener((message: unknown) => {
      const push = message as StatusPush;
      if (push?.type === 'host.status') setStatus(push.status);
    });
    // Opening the popup is a good moment to retry at once instead of waiting out the backoff.
    void browser.runtime.sendMessage({ type: 'host.status', reconnect: true });
    return () => port.disconnect();
  }, []);

  const advice = adviceFor(status, browser.runtime.id);
  return (
    <>
      <h1>Sentinel Companion</h1>
      <HostPanel
        advice={advice}
        hello={status.connection === 'connected' ? status.hello : undefined}
      />
      {status.connection === 'connected' && status.hello && (
        <VaultPanel vault={status.hello.vault} />
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
