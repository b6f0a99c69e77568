/** An audit's checks, one line each with its level (ok / warn / block). Popup and setup form. */
import type { AuditCheck } from '../exchanges/index.js';

const LEVEL_WORD: Record<AuditCheck['level'], string> = { ok: 'OK', warn: 'Warn', block: 'Block' };

export function AuditChecks({ checks }: { checks: readonly AuditCheck[] }) {
  return (
    <ul class="checks" data-testid="audit-checks">
      {checks.map((c) => (
        <li key={c.id} class={`check check-${c.level}`} data-check={c.id} data-level={c.level}>
          <span class="level">{LEVEL_WORD[c.level]}</span>
          <span>{c.message}</span>
        </li>
      ))}
    </ul>
  );
}
