/**
 * Exchange error codes as data, and the one function that turns a code into what the user should do
 * next. Messages are fixed sentences: they never echo a request, a header or a secret.
 */

export type ErrorKind =
  | 'invalid-key'
  | 'bad-signature'
  | 'bad-passphrase'
  | 'ip-not-allowed'
  | 'clock-skew'
  | 'wrong-environment'
  | 'permission-denied'
  | 'unknown-outcome'
  | 'duplicate-order'
  | 'rate-limited'
  | 'other';

/** The kinds for which the exchange refused the key itself (docs/protocol.md `KEY_REJECTED`). */
export const KEY_REJECTED_KINDS: readonly ErrorKind[] = [
  'invalid-key',
  'bad-signature',
  'bad-passphrase',
  'ip-not-allowed',
  'clock-skew',
  'wrong-environment',
  'permission-denied',
];

export interface ErrorExplanation {
  kind: ErrorKind;
  message: string;
}

export interface ErrorEntry extends ErrorExplanation {
  /** As the exchange sends it, in string form ("-2015", "10003", "50110"). */
  code: string;
  /** The exchange's own text for the code, for logs and docs (not shown as advice). */
  exchangeText: string;
  /**
   * When one code covers several cases (Binance -2010 "NEW_ORDER_REJECTED"), this entry applies
   * only if the exchange's message contains this text, case-insensitively.
   */
  messageIncludes?: string;
}

/** Sentences several exchanges share. */
export const UNKNOWN_OUTCOME_ADVICE =
  'Sentinel looks the order up by its client order id before sending anything again, so do not place it again by hand.';

export const CLOCK_ADVICE =
  "Turn on automatic time synchronisation (NTP) in this machine's date and time settings, then try again.";

/**
 * Looks up `code` (string or number) in `entries`. Entries with `messageIncludes` win when the
 * exchange's message matches; an unknown code gets an honest "no specific advice" answer.
 */
export function makeErrorExplainer(
  exchangeName: string,
  entries: readonly ErrorEntry[],
): (code: string | number, exchangeMessage?: string) => ErrorExplanation {
  return (code, exchangeMessage) => {
    const wanted = String(code).trim();
    const candidates = entries.filter((e) => e.code === wanted);
    const text = (exchangeMessage ?? '').toLowerCase();
    const specific = candidates.find(
      (e) => e.messageIncludes !== undefined && text.includes(e.messageIncludes.toLowerCase()),
    );
    const general = candidates.find((e) => e.messageIncludes === undefined);
    const hit = specific ?? general;
    if (hit) return { kind: hit.kind, message: hit.message };
    // Echo the code only when it looks like one: whatever else was passed stays out of the message.
    const shown = /^-?\d{1,8}$/.test(wanted) ? `error code ${wanted}` : 'an unrecognised error';
    return {
      kind: 'other',
      message: `${exchangeName} answered with ${shown}. Sentinel has no specific advice for it: look the code up in ${exchangeName}'s API documentation, or try again later.`,
    };
  };
}
