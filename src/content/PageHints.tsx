/** What the panel saw on the page: dangerous toggles that are on, and the limits of looking. */
import { hintFor } from './hint-match.js';
import type { FoundToggle } from './hint-dom.js';

export function PageHints({ found }: { found: readonly FoundToggle[] }) {
  const on = found.filter((f) => f.on);
  return (
    <section
      class={`hints ${on.length > 0 ? 'danger' : ''}`}
      data-testid="page-hints"
      aria-live="polite"
    >
      {on.length > 0 ? (
        <>
          <h3>Switch these off before you save the key</h3>
          <ul>
            {on.map((f) => {
              const hint = hintFor(f.entry);
              return (
                <li key={f.entry.uiName} class={hint.severity} data-testid="page-hint">
                  <strong>{hint.message}</strong> <span class="why">{hint.why}</span>
                </li>
              );
            })}
          </ul>
        </>
      ) : (
        <p>
          {found.length === 1
            ? 'The risky toggle Sentinel can see on this page is off.'
            : found.length > 1
              ? `None of the ${found.length} risky toggles Sentinel can see on this page is on.`
              : 'Sentinel marks risky toggles (like withdrawals) here when this page shows them.'}
        </p>
      )}
      <p class="muted small">
        These marks only read this page. What counts is the host's audit: when you connect the key,
        Sentinel asks the exchange what the key can really do, and refuses a key that can withdraw.
      </p>
    </section>
  );
}
