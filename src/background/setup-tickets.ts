/**
 * The tickets that let the credential form render inside the guide panel, in the worker's memory
 * only (never chrome.storage: a worker restart simply voids them, and the panel asks again).
 *
 * Why: the form page must be web-accessible to the exchanges' origins for the panel to frame it,
 * and Chrome cannot narrow that to the API pages (paths in the match patterns are ignored). So any
 * page of an exchange site could frame it. With a ticket, only the frame our content script
 * created gets a form:
 *
 * 1. the content script (top frame of a tab, on an exchange host) asks for a ticket before it
 *    creates the iframe; the background draws a 256-bit nonce and keeps {tab, exchange, rotate};
 * 2. the iframe's URL carries the nonce; the page hands it back (`setup.claim`) and gets the
 *    exchange and mode from here — never from its own URL;
 * 3. a claim counts only from an extension page framed in the same tab, and the first frame to
 *    claim owns the ticket: later claims from any other frame are refused (a reload of that same
 *    frame may claim again). Unclaimed tickets expire after a minute, claimed ones after 30.
 *
 * Pure apart from the injected clock and random source, so the rules are unit-tested.
 */
import type { ExchangeId } from '../exchanges/types.js';
import type { SetupClaimReply } from '../protocol/extension-messages.js';

/** Time for the iframe to load and claim; the panel creates it right after the ticket arrives. */
export const UNCLAIMED_TTL_MS = 60_000;
/** How long the owning frame may claim again (its own reload: "Reload frame"). */
export const CLAIMED_TTL_MS = 30 * 60_000;
/** A bound on memory, whatever the content scripts ask: the oldest tickets go first. */
export const MAX_TICKETS = 64;

const NONCE_BYTES = 32;
/** base64url of 32 bytes, no padding. */
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface SetupGrant {
  exchange: ExchangeId;
  rotate: string | null;
}

interface Ticket extends SetupGrant {
  tabId: number;
  issuedAt: number;
  /** The frame that claimed it first, and when; null until then. */
  owner: { frameId: number; at: number } | null;
}

/** What the browser says about a claim's sender (runtime.MessageSender). */
export interface Claimant {
  tabId: number | undefined;
  frameId: number | undefined;
}

function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export class SetupTickets {
  /** Map order is insertion order: the first entry is the oldest ticket. */
  private readonly tickets = new Map<string, Ticket>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly randomBytes: (n: number) => Uint8Array = (n) =>
      crypto.getRandomValues(new Uint8Array(n)),
  ) {}

  get size(): number {
    return this.tickets.size;
  }

  /**
   * A new ticket for the panel in this tab. Older tickets of the tab are voided: the panel keeps
   * one form frame, and a new ticket means the page was reloaded or the frame re-created.
   */
  issue(tabId: number, grant: SetupGrant): string {
    this.sweep();
    this.forgetTab(tabId);
    while (this.tickets.size >= MAX_TICKETS) {
      const oldest = this.tickets.keys().next().value;
      if (oldest === undefined) break;
      this.tickets.delete(oldest);
    }
    const nonce = base64url(this.randomBytes(NONCE_BYTES));
    this.tickets.set(nonce, {
      exchange: grant.exchange,
      rotate: grant.rotate,
      tabId,
      issuedAt: this.now(),
      owner: null,
    });
    return nonce;
  }

  /**
   * The grant for a framed extension page that hands back `nonce`, or null: unknown or expired
   * nonce, another tab, not a subframe, or a frame other than the one that claimed it first.
   */
  claim(nonce: unknown, by: Claimant): SetupGrant | null {
    this.sweep();
    if (typeof nonce !== 'string' || !NONCE_PATTERN.test(nonce)) return null;
    const t = this.tickets.get(nonce);
    if (!t || by.tabId !== t.tabId) return null;
    // The panel's iframe is a subframe; frame 0 would be the form opened as a tab of its own.
    if (typeof by.frameId !== 'number' || by.frameId === 0) return null;
    if (t.owner === null) t.owner = { frameId: by.frameId, at: this.now() };
    else if (t.owner.frameId !== by.frameId) return null;
    return { exchange: t.exchange, rotate: t.rotate };
  }

  /** The tab was closed: its tickets can never be claimed legitimately again. */
  forgetTab(tabId: number): void {
    for (const [nonce, t] of this.tickets) if (t.tabId === tabId) this.tickets.delete(nonce);
  }

  private sweep(): void {
    const now = this.now();
    for (const [nonce, t] of this.tickets) {
      const expired = t.owner
        ? now - t.owner.at > CLAIMED_TTL_MS
        : now - t.issuedAt > UNCLAIMED_TTL_MS;
      if (expired) this.tickets.delete(nonce);
    }
  }
}

/** The background's answer to `setup.claim`: the grant, or a bare refusal. */
export function answerClaim(
  tickets: SetupTickets,
  message: { nonce?: unknown },
  by: Claimant,
): SetupClaimReply {
  const grant = tickets.claim(message.nonce, by);
  return grant ? { ok: true, exchange: grant.exchange, rotate: grant.rotate } : { ok: false };
}
