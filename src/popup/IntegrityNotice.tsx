/**
 * What the host found when it compared the vault with its state DB (host.hello's `integrity`):
 * asked again whenever the host says something changed (unlock, resume, remove). Its words
 * (IntegrityReport.tsx) load only when there is something to report, which is rare.
 */
import { useEffect, useState } from 'preact/hooks';
import type { IntegrityReport } from '../protocol/methods.js';
import { callHost } from '../ui/host-rpc.js';
import { useModule } from '../ui/use-module.js';

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
  const view = useModule(() => import('./IntegrityReport.js'), report !== undefined);
  if (!report) return null;
  if (view.kind === 'failed')
    return (
      <section class="status problem" role="alert" data-testid="integrity">
        <p>{view.message}</p>
      </section>
    );
  return view.kind === 'loaded' ? <view.module.IntegrityReportView report={report} /> : null;
}
