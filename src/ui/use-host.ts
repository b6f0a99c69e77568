/**
 * The host's status for an extension page (popup, setup form), live: the background pushes the
 * status and forwards every host notification on one port. `revision` changes whenever data a
 * page lists may have changed, so lists refetch instead of polling.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from './extension-api.js';
import {
  POPUP_PORT,
  type HostStatus,
  type NotificationPush,
  type StatusPush,
} from '../protocol/extension-messages.js';

const REFRESHING = new Set([
  'connection.audited',
  'connection.removed',
  'feed.status',
  'order.updated',
  'signal.received',
  'trading.changed',
  'vault.changed',
]);

export function useHost(): { status: HostStatus; revision: number } {
  const [status, setStatus] = useState<HostStatus>({ connection: 'connecting' });
  const [revision, setRevision] = useState(0);
  useEffect(() => {
    const port = browser.runtime.connect({ name: POPUP_PORT });
    port.onMessage.addListener((message: unknown) => {
      const push = message as StatusPush | NotificationPush;
      if (push?.type === 'host.status') setStatus(push.status);
      else if (push?.type === 'host.notification' && REFRESHING.has(push.method))
        setRevision((r) => r + 1);
    });
    // Opening a page is a good moment to retry at once instead of waiting out the backoff.
    void browser.runtime.sendMessage({ type: 'host.status', reconnect: true });
    return () => port.disconnect();
  }, []);
  return { status, revision };
}
