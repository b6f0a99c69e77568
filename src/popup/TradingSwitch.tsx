/** Pause all trading at once (trading.pause / trading.resume); the state comes from the host. */
import { useState } from 'preact/hooks';
import { callHost } from '../ui/host-rpc.js';
import { errorMessage } from '../lib/error-text.js';

export function TradingSwitch({ paused }: { paused: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const flip = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const result = paused
        ? await callHost('trading.resume', {})
        : await callHost('trading.pause', { reason: 'paused from the popup' });
      // The switch holds, but only until the service stops: the user must know.
      if (result.saved === false) setError(result.warning ?? 'the change could not be saved');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section
      class={`panel trading ${paused ? 'paused' : ''}`}
      data-testid="trading"
      data-paused={String(paused)}
    >
      <div class="row">
        <p>
          <strong>{paused ? 'All trading is paused.' : 'Trading is active.'}</strong>{' '}
          {paused ? 'No connection sends orders.' : 'Live connections send orders on signals.'}
        </p>
        <button
          type="button"
          role="switch"
          aria-checked={paused}
          aria-label="Pause all trading"
          disabled={busy}
          class={paused ? 'primary' : 'danger'}
          data-testid="pause-all"
          onClick={() => void flip()}
        >
          {paused ? 'Resume' : 'Pause all'}
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
