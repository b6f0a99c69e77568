/**
 * Whether signals trade now — live, dry-run, or paused with the reason — and the switch that
 * pauses all trading at once (trading.pause / trading.resume). The state comes from the host.
 */
import { useState } from 'preact/hooks';
import type { Connection, HelloResult } from '../protocol/methods.js';
import { callHost } from './host-rpc.js';
import { tradingHeadline } from './trading-headline.js';
import { errorMessage } from '../lib/error-text.js';

export function TradingSwitch({
  hello,
  trading,
  connections,
}: {
  hello: HelloResult;
  trading: HelloResult['trading'];
  connections: readonly Connection[];
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const paused = trading.paused;
  const headline = tradingHeadline({ vault: hello.vault, trading }, connections);
  const flip = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const result = paused
        ? await callHost('trading.resume', {})
        : await callHost('trading.pause', { reason: 'paused from the extension' });
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
      class={`trading t-${headline.state}`}
      data-testid="trading"
      data-paused={String(paused)}
      data-state={headline.state}
    >
      <div class="row">
        <p data-testid="trading-headline">
          <strong class="t-title">{headline.title}</strong> {headline.detail}
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
