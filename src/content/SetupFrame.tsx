/**
 * The credential form: an extension page in an iframe. It is cross-origin to the exchange's page,
 * so the page's scripts cannot read what is typed into it; and, inside a closed shadow root, it is
 * not even among the page's `window.frames` (no handle to navigate or message it). It has no
 * name (nothing can target it) and it talks to the background itself.
 *
 * Framing is guarded (docs/security-model.md): the frame is created only after the background has
 * registered a ticket for this tab, and its URL carries nothing but the ticket's nonce, which the
 * form hands back to learn the exchange and mode. A page that frames the form without a live
 * ticket gets an empty page.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from '../ui/extension-api.js';
import { setupTicket } from './background-client.js';
import { SETUP_PAGE_PATH, setupFrameUrl } from './guide-model.js';

type FrameState =
  { kind: 'waiting' } | { kind: 'ready'; src: string } | { kind: 'refused'; message: string };

const NO_ANSWER =
  'The Sentinel extension did not answer (was it just updated or reloaded?). Reload this page to ' +
  'show the form.';

export function SetupFrame({ rotate }: { rotate: string | null }) {
  const [state, setState] = useState<FrameState>({ kind: 'waiting' });
  useEffect(() => {
    let mounted = true;
    void setupTicket(rotate).then((reply) => {
      if (!mounted) return; // the panel was collapsed meanwhile: the ticket expires unused
      if (!reply) setState({ kind: 'refused', message: NO_ANSWER });
      else if (!reply.ok) setState({ kind: 'refused', message: reply.message });
      else
        setState({
          kind: 'ready',
          src: setupFrameUrl(browser.runtime.getURL(SETUP_PAGE_PATH), reply.nonce),
        });
    });
    return () => {
      mounted = false;
    };
  }, [rotate]);

  if (state.kind === 'waiting') return <p class="muted">Opening the form…</p>;
  if (state.kind === 'refused')
    return (
      <p class="warning" role="alert" data-testid="setup-frame-refused">
        {state.message}
      </p>
    );
  return (
    <iframe
      class="setup-frame"
      title="Sentinel Companion: connect your API key"
      src={state.src}
      data-testid="setup-frame"
    />
  );
}
