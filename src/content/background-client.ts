/**
 * The content script's only channel to the background: the three allow-listed requests. Nothing
 * here carries a secret, and nothing goes to the page (no postMessage, no DOM events).
 */
import { browser } from '../ui/extension-api.js';
import {
  CONTENT_STATUS_PORT,
  type ContentRequest,
  type ContentStatus,
  type ContentStatusPush,
  type PublicIpReply,
  type SetupTicketReply,
} from '../protocol/extension-messages.js';

async function ask<T>(req: ContentRequest): Promise<T | null> {
  try {
    return ((await browser.runtime.sendMessage(req)) as T | undefined) ?? null;
  } catch {
    return null; // the extension was reloaded or the worker is gone: show "not connected"
  }
}

export const hostStatus = (): Promise<ContentStatus | null> =>
  ask<ContentStatus>({ type: 'content.status' });

export const publicIp = (fresh = false): Promise<PublicIpReply | null> =>
  ask<PublicIpReply>({ type: 'content.publicIp', fresh });

/** A nonce for the form's iframe, registered with the background before the frame exists. */
export const setupTicket = (rotate: string | null): Promise<SetupTicketReply | null> =>
  ask<SetupTicketReply>({ type: 'content.setupTicket', rotate });

/**
 * Be told at once when the host's state changes (the vault created or unlocked in the form or the
 * popup, the host started or stopped). Returns a function that stops listening. If the worker goes
 * away, the port is opened again a little later; callers keep a slow poll as a backstop.
 */
export function watchHostStatus(onStatus: (s: ContentStatus) => void): () => void {
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let port: ReturnType<typeof browser.runtime.connect> | null = null;
  const open = (): void => {
    try {
      port = browser.runtime.connect({ name: CONTENT_STATUS_PORT });
    } catch {
      return; // the extension was reloaded: this script is orphaned
    }
    port.onMessage.addListener((m: unknown) => {
      const push = m as ContentStatusPush | null;
      if (push?.type === 'content.status') onStatus(push.status);
    });
    port.onDisconnect.addListener(() => {
      port = null;
      if (!stopped) retry = setTimeout(open, 2000);
    });
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    port?.disconnect();
  };
}
