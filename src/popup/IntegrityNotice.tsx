/**
 * What the host found when it compared the vault with its state DB (host.hello's `integrity`):
 * one clear line — the state was lost and connections were rebuilt, a connection has no secret —
 * and what to do. Asked again whenever the host says something changed (unlock, resume, remove).
 */
import { useEffect, useState } from 'preact/hooks';
import type { IntegrityReport } from '../protocol/methods.js';
import { callHost } from '../ui/host-rpc.js';

function headline(r: IntegrityReport): string {
  if (r.problems.some((p) => p.kind.startsWith('state-db-')))
    return 'Sentinel’s state database was lost — the keys in the vault are safe.';
  if (r.problems.some((p) => p.rebuilt)) return 'Connections were rebuilt from the vault.';
  return 'The vault and Sentinel’s records disagree.';
}

export function IntegrityNotice({
  initial,
  revision,
}: {
  initial: IntegrityReport | undefined;
  revision: number;
}) {
  const [report, setReport] = useState<IntegrityReport | undefined>(initial);
  useEffect(() => setReport(initial), [initial]);
  useEffect(() => {
    if (revision === 0) return;
    let live = true;
    callHost('host.hello', { client: 'popup' }).then(
      (h) => live && setReport(h.integrity),
      () => undefined, // the host panel already says when the host cannot be reached
    );
    return () => {
      live = false;
    };
  }, [revision]);
  if (!report) return null;
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
