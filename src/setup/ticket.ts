/**
 * How the form page starts, pure: it renders a form only for the frame our content script
 * created, proven by the ticket's nonce (src/background/setup-tickets.ts). Its URL is never trusted
 * for anything else: the exchange and the mode (add, or rotate which connection) come from the
 * background's answer to the claim.
 */
import { EXCHANGE_IDS, type ExchangeId } from '../exchanges/types.js';

export type SetupStart =
  /** Opened as a tab of its own: nothing can be overlaid on it, but it has no ticket either. */
  | { kind: 'standalone' }
  /** Framed without a well-formed nonce, or not by the top frame: an empty page. */
  | { kind: 'blank' }
  /** Framed by the top frame with a nonce: ask the background. */
  | { kind: 'claim'; nonce: string };

/** `#ticket=<43 base64url characters>`, exactly (the panel's setupFrameUrl). */
const TICKET_HASH = /^#ticket=([A-Za-z0-9_-]{43})$/;

export function setupStart(
  hash: string,
  frame: { isTop: boolean; parentIsTop: boolean },
): SetupStart {
  if (frame.isTop) return { kind: 'standalone' };
  // The panel lives in the top document (the content script runs in no subframe): a form framed
  // one level deeper was framed by something else, nonce or not.
  if (!frame.parentIsTop) return { kind: 'blank' };
  const m = TICKET_HASH.exec(hash);
  return m?.[1] ? { kind: 'claim', nonce: m[1] } : { kind: 'blank' };
}

export interface SetupMode {
  exchange: ExchangeId;
  rotate: string | null;
}

const CONNECTION_ID = /^c_[A-Za-z0-9]{1,40}$/;

/** The background's answer to setup.claim, checked field by field; anything else: null. */
export function grantOf(reply: unknown): SetupMode | null {
  if (typeof reply !== 'object' || reply === null) return null;
  const r = reply as Record<string, unknown>;
  if (r.ok !== true) return null;
  const exchange = EXCHANGE_IDS.find((id) => id === r.exchange);
  if (!exchange) return null;
  if (r.rotate === null) return { exchange, rotate: null };
  return typeof r.rotate === 'string' && CONNECTION_ID.test(r.rotate)
    ? { exchange, rotate: r.rotate }
    : null;
}
