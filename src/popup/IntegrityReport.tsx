/**
 * The integrity notice's words (IntegrityNotice.tsx loads this only when the host reports a
 * problem): one clear line — the state was lost and connections were rebuilt, a connection has
 * no secret — what to do, and what Sentinel found and did.
 */
import type { IntegrityReport } from '../protocol/methods.js';

function headline(r: IntegrityReport): string {
  if (r.problems.some((p) => p.kind.startsWith('state-db-')))
    return 'Sentinel’s state database was lost — the keys in the vault are safe.';
  if (r.problems.some((p) => p.rebuilt)) return 'Connections were rebuilt from the vault.';
  return 'The vault and Sentinel’s records disagree.';
}

export function IntegrityReportView({ report }: { report: IntegrityReport }) {
  return (
    <section class="status problem" role="alert" data-testid="integrity">
      <h2>{headline(report)}</h2>
      <p data-testid="integrity-advice">{report.advice}</p>
      <details>
        <summary>What Sentinel found and did</summary>
        <ul>
          {report.problems.map((p) => (
            <li key={`${p.kind}-${p.connectionId ?? ''}`} data-kind={p.kind}>
              {p.message}
              {p.keptAt ? ` (the old file is kept as ${p.keptAt})` : ''}
            </li>
          ))}
          {report.repaired.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </details>
    </section>
  );
}
