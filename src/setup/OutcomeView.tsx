/** What happened to the submitted key, check by check, and what to do next. */
import type { ExchangeProfile } from '../exchanges/index.js';
import { AuditChecks } from '../ui/AuditChecks.js';
import { VERDICT_LABEL } from '../ui/connection-view.js';
import type { Outcome } from './form-model.js';

export function OutcomeView({ outcome, profile }: { outcome: Outcome; profile: ExchangeProfile }) {
  switch (outcome.kind) {
    case 'stored':
      return (
        <section
          class="outcome ok"
          data-testid="outcome"
          data-kind="stored"
          data-verdict={outcome.audit.verdict}
        >
          <h2>Connected: {VERDICT_LABEL[outcome.audit.verdict]}</h2>
          <p>
            “{outcome.connection.label}” is stored, encrypted, on this computer. It starts in
            dry-run: it sends no orders until you switch it live in the Sentinel popup or dashboard.
          </p>
          <AuditChecks checks={outcome.audit.checks} />
        </section>
      );
    case 'rotated':
      return (
        <section
          class="outcome ok"
          data-testid="outcome"
          data-kind="rotated"
          data-verdict={outcome.audit.verdict}
        >
          <h2>New key verified and in use</h2>
          <AuditChecks checks={outcome.audit.checks} />
          <p class="note" data-testid="rotate-reminder">
            {outcome.reminder}{' '}
            <a href={outcome.apiPageUrl} target="_blank" rel="noopener noreferrer">
              Open {profile.name}'s API page
            </a>
          </p>
        </section>
      );
    case 'unsafe':
      return (
        <section class="outcome block" role="alert" data-testid="outcome" data-kind="unsafe">
          <h2>Sentinel refused this key. Nothing was stored.</h2>
          <p>Change this on {profile.name}'s page, then paste the key again:</p>
          <ul data-testid="fixes">
            {outcome.fixes.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
          {outcome.audit && (
            <details>
              <summary>All checks</summary>
              <AuditChecks checks={outcome.audit.checks} />
            </details>
          )}
        </section>
      );
    case 'rejected':
      return (
        <section class="outcome block" role="alert" data-testid="outcome" data-kind="rejected">
          <h2>{profile.name} did not accept this key. Nothing was stored.</h2>
          <p>{outcome.message}</p>
        </section>
      );
    case 'vault':
    case 'invalid':
    case 'error':
      return (
        <section class="outcome block" role="alert" data-testid="outcome" data-kind={outcome.kind}>
          <p>{outcome.message}</p>
          {outcome.kind === 'error' && <p>Nothing was stored.</p>}
        </section>
      );
  }
}
