/** Rotation in the seed's order: new key first, verify it, then delete the old one. */
import { useEffect, useState } from 'preact/hooks';
import type { ExchangeProfile } from '../exchanges/index.js';
import type { Connection } from '../protocol/methods.js';
import { callHost } from '../ui/host-rpc.js';

export function RotationIntro({ id, profile }: { id: string; profile: ExchangeProfile }) {
  const [c, setC] = useState<Connection | null | 'missing'>(null);
  useEffect(() => {
    callHost('connections.list', {}).then(
      (list) => setC(list.find((x) => x.id === id) ?? 'missing'),
      () => setC(null),
    );
  }, [id]);
  if (c === 'missing')
    return (
      <p class="error" role="alert">
        Sentinel has no connection {id} any more (was it removed?). Add the new key as a new
        connection instead: open this page again without the rotation link.
      </p>
    );
  return (
    <section class="panel" data-testid="rotation-intro">
      <p>
        Replacing the key of{' '}
        <strong>{c ? `“${c.label}” (${c.apiKeyHint})` : 'this connection'}</strong>. Rotate in this
        order, so the bot never runs without a working key:
      </p>
      <ol>
        <li>
          Create the new key first on this page, with the same settings: Read and Trade, never
          Withdraw, this machine's IP on the whitelist.
        </li>
        <li>
          Paste it below. Sentinel verifies it with {profile.name} and switches to it only if it
          passes; until then the old key stays in use.
        </li>
        <li>Then delete the old key{c ? ` (${c.apiKeyHint})` : ''} on this page.</li>
      </ol>
    </section>
  );
}
