/** This machine's public IP (from the host, via the background's allow-list), to whitelist. */
import { useEffect, useState } from 'preact/hooks';
import type { PublicIpReply } from '../protocol/extension-messages.js';
import { publicIp } from './background-client.js';
import { CopyBox } from './CopyBox.js';

export function IpBox() {
  const [reply, setReply] = useState<PublicIpReply | null | 'loading'>('loading');
  const load = (fresh: boolean): void => {
    setReply('loading');
    void publicIp(fresh).then(setReply);
  };
  useEffect(() => load(false), []);

  if (reply === 'loading') return <p class="muted">Finding this machine's public IP…</p>;
  if (reply?.ok && reply.ip)
    return (
      <>
        <CopyBox label="This machine's public IP" value={reply.ip} testId="ip-copy" />
        <p class="muted small">
          Orders are signed and sent from this machine, so this is the IP to whitelist — not
          Sentinel's servers.{' '}
          <button type="button" class="link" onClick={() => load(true)}>
            Check again
          </button>
        </p>
      </>
    );
  const why =
    reply === null
      ? 'the Sentinel host is not connected'
      : reply.ok
        ? reply.problem
        : reply.message;
  return (
    <p class="note" data-testid="ip-problem">
      Sentinel could not find this machine's public IP ({why ?? 'no answer'}). Look it up on the
      machine that runs Sentinel and add it to the whitelist.{' '}
      <button type="button" class="link" onClick={() => load(true)}>
        Try again
      </button>
    </p>
  );
}
