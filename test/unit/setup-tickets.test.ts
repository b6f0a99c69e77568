/**
 * The handshake that keeps the credential form from being framed by any page but the guide
 * panel's: the background's ticket registry, the allow-listed request that asks for a ticket, and
 * how the form page decides what to render.
 */
import {
  CLAIMED_TTL_MS,
  MAX_TICKETS,
  NONCE_PATTERN,
  SetupTickets,
  UNCLAIMED_TTL_MS,
  answerClaim,
} from '../../src/background/setup-tickets.js';
import { exchangeOfSender, parseContentRequest } from '../../src/background/sender-gate.js';
import { grantOf, setupStart } from '../../src/setup/ticket.js';

const TAB = 7;
const PANEL_FRAME = 12;
const ADD = { exchange: 'binance', rotate: null } as const;

function registry(start = 1_000_000) {
  let now = start;
  let counter = 0;
  // Distinct "random" bytes per ticket, so nonces differ and the test is deterministic.
  const tickets = new SetupTickets(
    () => now,
    (n) => {
      counter++;
      return new Uint8Array(n).map((_, i) => (i === 0 ? counter : 0));
    },
  );
  return { tickets, advance: (ms: number) => (now += ms) };
}

describe('the ticket registry (background, memory only)', () => {
  it('issues 256-bit base64url nonces, a fresh one each time', () => {
    const { tickets } = registry();
    const a = tickets.issue(TAB, ADD);
    const b = tickets.issue(TAB + 1, ADD);
    expect(a).toMatch(NONCE_PATTERN);
    expect(b).toMatch(NONCE_PATTERN);
    expect(a).not.toBe(b);
  });

  it('the real random source: 43 characters, no two alike', () => {
    const tickets = new SetupTickets();
    const nonces = new Set(Array.from({ length: 50 }, (_, i) => tickets.issue(i, ADD)));
    expect(nonces.size).toBe(50);
    for (const n of nonces) expect(n).toMatch(NONCE_PATTERN);
  });

  it('gives the panel frame of the same tab what the content script registered', () => {
    const { tickets } = registry();
    const nonce = tickets.issue(TAB, { exchange: 'okx', rotate: 'c_Ab1' });
    expect(tickets.claim(nonce, { tabId: TAB, frameId: PANEL_FRAME })).toEqual({
      exchange: 'okx',
      rotate: 'c_Ab1',
    });
  });

  it('refuses an unknown, malformed or missing nonce', () => {
    const { tickets } = registry();
    tickets.issue(TAB, ADD);
    const by = { tabId: TAB, frameId: PANEL_FRAME };
    expect(tickets.claim('A'.repeat(43), by)).toBeNull();
    expect(tickets.claim('short', by)).toBeNull();
    expect(tickets.claim(undefined, by)).toBeNull();
    expect(tickets.claim({ nonce: 'x' }, by)).toBeNull();
  });

  it('is bound to its tab, to a subframe, and to the first frame that claims it', () => {
    const { tickets } = registry();
    const nonce = tickets.issue(TAB, ADD);
    // Another tab (another page of the exchange that learnt the nonce): refused, and it does not
    // use the ticket up.
    expect(tickets.claim(nonce, { tabId: TAB + 1, frameId: PANEL_FRAME })).toBeNull();
    // The form opened as a tab of its own, or a sender without a tab.
    expect(tickets.claim(nonce, { tabId: TAB, frameId: 0 })).toBeNull();
    expect(tickets.claim(nonce, { tabId: undefined, frameId: PANEL_FRAME })).toBeNull();
    // The panel's frame claims it…
    expect(tickets.claim(nonce, { tabId: TAB, frameId: PANEL_FRAME })).toEqual(ADD);
    // …and from then on no other frame of the tab can (a replay by the page's own iframe).
    expect(tickets.claim(nonce, { tabId: TAB, frameId: PANEL_FRAME + 1 })).toBeNull();
    // The same frame again (its own reload) still can.
    expect(tickets.claim(nonce, { tabId: TAB, frameId: PANEL_FRAME })).toEqual(ADD);
  });

  it('expires: unclaimed after a minute, claimed after 30 minutes', () => {
    const { tickets, advance } = registry();
    const by = { tabId: TAB, frameId: PANEL_FRAME };
    const late = tickets.issue(TAB, ADD);
    advance(UNCLAIMED_TTL_MS + 1);
    expect(tickets.claim(late, by)).toBeNull();
    expect(tickets.size).toBe(0);

    const kept = tickets.issue(TAB, ADD);
    advance(UNCLAIMED_TTL_MS - 1);
    expect(tickets.claim(kept, by)).toEqual(ADD);
    advance(CLAIMED_TTL_MS);
    expect(tickets.claim(kept, by)).toEqual(ADD);
    advance(2);
    expect(tickets.claim(kept, by)).toBeNull();
  });

  it("a new ticket for a tab voids the tab's older ones; closing the tab voids them all", () => {
    const { tickets } = registry();
    const first = tickets.issue(TAB, ADD);
    const other = tickets.issue(TAB + 1, ADD);
    const second = tickets.issue(TAB, { exchange: 'bybit', rotate: null });
    expect(tickets.claim(first, { tabId: TAB, frameId: PANEL_FRAME })).toBeNull();
    expect(tickets.claim(second, { tabId: TAB, frameId: PANEL_FRAME })).toMatchObject({
      exchange: 'bybit',
    });
    tickets.forgetTab(TAB);
    expect(tickets.claim(second, { tabId: TAB, frameId: PANEL_FRAME })).toBeNull();
    expect(tickets.claim(other, { tabId: TAB + 1, frameId: 3 })).toEqual(ADD);
  });

  it('holds at most MAX_TICKETS, dropping the oldest', () => {
    const { tickets } = registry();
    const nonces = Array.from({ length: MAX_TICKETS + 5 }, (_, i) => tickets.issue(100 + i, ADD));
    expect(tickets.size).toBe(MAX_TICKETS);
    expect(tickets.claim(nonces[0], { tabId: 100, frameId: 1 })).toBeNull();
    const last = MAX_TICKETS + 4;
    expect(tickets.claim(nonces[last], { tabId: 100 + last, frameId: 1 })).toEqual(ADD);
  });

  it('answers a claim with the grant or a bare refusal (no reason for a stranger)', () => {
    const { tickets } = registry();
    const nonce = tickets.issue(TAB, { exchange: 'okx', rotate: 'c_Ab1' });
    expect(answerClaim(tickets, { nonce: 'x' }, { tabId: TAB, frameId: 2 })).toEqual({ ok: false });
    expect(answerClaim(tickets, { nonce }, { tabId: TAB, frameId: 2 })).toEqual({
      ok: true,
      exchange: 'okx',
      rotate: 'c_Ab1',
    });
  });
});

describe('asking for a ticket (content script → background)', () => {
  it('is on the allow-list with a well-formed connection id or none', () => {
    expect(parseContentRequest({ type: 'content.setupTicket', rotate: null })).toEqual({
      type: 'content.setupTicket',
      rotate: null,
    });
    expect(parseContentRequest({ type: 'content.setupTicket' })).toEqual({
      type: 'content.setupTicket',
      rotate: null,
    });
    expect(
      parseContentRequest({ type: 'content.setupTicket', rotate: 'c_x1', exchange: 'okx' }),
    ).toEqual({
      type: 'content.setupTicket',
      rotate: 'c_x1',
    });
    expect(parseContentRequest({ type: 'content.setupTicket', rotate: '<img>' })).toBeNull();
    expect(parseContentRequest({ type: 'content.setupTicket', rotate: 5 })).toBeNull();
  });

  it("takes the exchange from the sender's URL, https and the three hosts only", () => {
    expect(exchangeOfSender('https://www.okx.com/zh-hans/account/my-api')).toBe('okx');
    expect(exchangeOfSender('https://www.binance.com/en/my/settings/api-management')).toBe(
      'binance',
    );
    expect(exchangeOfSender('http://www.bybit.com/app/user/api-management')).toBeNull();
    expect(exchangeOfSender('https://binance.com.evil.example/')).toBeNull();
    expect(exchangeOfSender('not a url')).toBeNull();
    expect(exchangeOfSender(undefined)).toBeNull();
  });
});

describe('the form page: what it renders', () => {
  const nonce = 'aB3_-'.repeat(8) + 'xyz';
  const panelFrame = { isTop: false, parentIsTop: true };

  it('framed by the top document with a nonce: asks the background', () => {
    expect(nonce).toMatch(NONCE_PATTERN);
    expect(setupStart(`#ticket=${nonce}`, panelFrame)).toEqual({ kind: 'claim', nonce });
  });

  it('framed without a nonce, with a bad one, or one frame deeper: an empty page', () => {
    expect(setupStart('', panelFrame)).toEqual({ kind: 'blank' });
    expect(setupStart('#ticket=guess', panelFrame)).toEqual({ kind: 'blank' });
    expect(setupStart(`#ticket=${nonce}&rotate=c_1`, panelFrame)).toEqual({ kind: 'blank' });
    expect(setupStart(`#ticket=${nonce}`, { isTop: false, parentIsTop: false })).toEqual({
      kind: 'blank',
    });
  });

  it('opened as a tab of its own: a pointer to the panel, no form', () => {
    expect(setupStart(`#ticket=${nonce}`, { isTop: true, parentIsTop: true })).toEqual({
      kind: 'standalone',
    });
  });

  it("takes the mode from the background's answer only, checked field by field", () => {
    expect(grantOf({ ok: true, exchange: 'bybit', rotate: null })).toEqual({
      exchange: 'bybit',
      rotate: null,
    });
    expect(grantOf({ ok: true, exchange: 'okx', rotate: 'c_Ab1' })).toEqual({
      exchange: 'okx',
      rotate: 'c_Ab1',
    });
    expect(grantOf({ ok: false })).toBeNull();
    expect(grantOf(null)).toBeNull();
    expect(grantOf(undefined)).toBeNull();
    expect(grantOf({ ok: true, exchange: 'kraken', rotate: null })).toBeNull();
    expect(grantOf({ ok: true, exchange: 'okx', rotate: 'x' })).toBeNull();
    expect(grantOf({ ok: true, exchange: 'okx' })).toBeNull();
  });
});
