/** Which toggles to enable, which only if needed, which never, and why (catalogue + golden rules). */
import { GOLDEN_RULES } from '../exchanges/golden-rules.js';
import type { ExchangeGuide } from '../exchanges/index.js';
import { permissionGroups } from './guide-model.js';

export function PermissionAdvice({ profile }: { profile: ExchangeGuide }) {
  return (
    <section data-testid="permission-advice">
      <h3>Permissions on {profile.name}</h3>
      {permissionGroups(profile).map((g) => (
        <div key={g.advice} class={`perm-group ${g.advice}`} data-advice={g.advice}>
          <h4>{g.title}</h4>
          <ul>
            {g.lines.map((l) => (
              <li key={l.uiName}>
                <strong>{l.uiName}</strong> — {l.why}
              </li>
            ))}
          </ul>
        </div>
      ))}
      <div class="rules">
        <h4>The golden rules</h4>
        {GOLDEN_RULES.neverEnable.map((r) => (
          <p key={r.title}>
            <strong>Never: {r.title}.</strong> {r.why}
          </p>
        ))}
        <p>
          <strong>{GOLDEN_RULES.ipWhitelisting.title}.</strong> {GOLDEN_RULES.ipWhitelisting.why}
        </p>
        <p>
          <strong>Save the secret now: it is shown once.</strong> Put it in your password manager,
          then paste it into the form under “Connect key” — never into a chat, a file or a
          screenshot.
        </p>
      </div>
    </section>
  );
}
