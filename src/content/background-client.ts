/**
 * The content script's only channel to the background: the three allow-listed requests. Nothing
 * here carries a secret, and nothing goes to the page (no postMessage, no DOM events).
 */
import browser from 'webextension-polyfill';
import type {
  ContentRequest,
  ContentStatus,
  PublicIpReply,
  SetupTicketReply,
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
