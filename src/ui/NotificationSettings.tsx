/**
 * One switch per kind of browser notification (live orders, unsafe keys, signal feeds), kept in
 * browser.storage.local (notification-prefs.ts): preferences only, never a secret. The worker
 * reads them at every event, so a switch takes effect at once. Stays in step with a change made
 * in another open page through storage.onChanged.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Storage } from 'webextension-polyfill';
import { browser } from './extension-api.js';
import {
  DEFAULT_PREFS,
  KIND_LABELS,
  NOTIFICATION_KINDS,
  PREFS_KEY,
  parsePrefs,
  readPrefs,
  writePref,
  type NotificationKind,
  type NotificationPrefs,
} from './notification-prefs.js';
import { errorMessage } from '../lib/error-text.js';

export function NotificationSettings() {
  const [prefs, setPrefs] = useState<NotificationPrefs | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void readPrefs(browser.storage.local).then((p) => live && setPrefs(p));
    const onChanged = (changes: Record<string, Storage.StorageChange>, area: string) => {
      if (area === 'local' && PREFS_KEY in changes)
        setPrefs(parsePrefs(changes[PREFS_KEY]?.newValue));
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => {
      live = false;
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, []);

  const toggle = async (kind: NotificationKind, on: boolean) => {
    setError(null);
    setPrefs((p) => ({ ...(p ?? DEFAULT_PREFS), [kind]: on }));
    try {
      setPrefs(await writePref(browser.storage.local, kind, on));
    } catch (err) {
      setError(`Could not save: ${errorMessage(err)}`);
      setPrefs(await readPrefs(browser.storage.local));
    }
  };

  return (
    <section class="panel" data-testid="notification-settings">
      <h2>Notifications</h2>
      <p>
        Browser notifications while the browser runs. They name the connection and the order, never
        a key or a secret; clicking one opens this dashboard.
      </p>
      {NOTIFICATION_KINDS.map((kind) => (
        <div class="setting" key={kind}>
          <label>
            <input
              type="checkbox"
              role="switch"
              data-kind={kind}
              checked={prefs?.[kind] ?? DEFAULT_PREFS[kind]}
              disabled={prefs === null}
              aria-describedby={`notify-${kind}-detail`}
              onChange={(e) => void toggle(kind, (e.currentTarget as HTMLInputElement).checked)}
            />{' '}
            {KIND_LABELS[kind].title}
          </label>
          <p id={`notify-${kind}-detail`}>{KIND_LABELS[kind].detail}</p>
        </div>
      ))}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
