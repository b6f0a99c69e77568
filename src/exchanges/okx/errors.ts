/**
 * OKX's error codes mapped to what the user should do next. Sources: OKX API docs (REST error
 * codes 50xxx/51xxx), ccxt 4.5 okx.js exception table, FACTS.md.
 */
import {
  CLOCK_ADVICE,
  UNKNOWN_OUTCOME_ADVICE,
  makeErrorExplainer,
  type ErrorEntry,
} from '../errors.js';

const KEY_PAGE = "OKX's API page";

export const okxErrors: ErrorEntry[] = [
  {
    code: '50111',
    kind: 'invalid-key',
    exchangeText: 'Invalid OK-ACCESS-KEY',
    message: `OKX does not accept this API key. Copy it again, completely, from ${KEY_PAGE}, or create a new key.`,
  },
  {
    code: '50119',
    kind: 'invalid-key',
    exchangeText: "API key doesn't exist",
    message: `OKX says this API key does not exist: it may have been deleted, or it was created for the other environment (live or demo trading). Check the key on ${KEY_PAGE}, or create a new one.`,
  },
  {
    code: '50113',
    kind: 'bad-signature',
    exchangeText: 'Invalid signature',
    message:
      'OKX says the request signature is wrong: the Secret Key does not belong to this API key. Paste the Secret Key again; if you no longer have it (OKX shows it only once), delete the key and create a new one.',
  },
  {
    code: '50105',
    kind: 'bad-passphrase',
    exchangeText: 'Request header "OK-ACCESS-PASSPHRASE" incorrect',
    message:
      'OKX says the passphrase is wrong. Enter the passphrase you chose when you created this API key (not your OKX login password). OKX cannot recover a forgotten passphrase: if you lost it, create a new key.',
  },
  {
    code: '50104',
    kind: 'bad-passphrase',
    exchangeText: 'Request header "OK-ACCESS-PASSPHRASE" cannot be empty',
    message: "OKX says no passphrase was sent. Enter the key's passphrase in the setup form.",
  },
  {
    code: '50110',
    kind: 'ip-not-allowed',
    exchangeText: 'Your IP is not in the linking trusted IP addresses.',
    message: `OKX says this request came from an IP address that is not on the key's whitelist. Add this machine's IP (shown in the setup panel) to the key on ${KEY_PAGE}, or create a new key.`,
  },
  {
    code: '50102',
    kind: 'clock-skew',
    exchangeText: 'Timestamp request expired',
    message: `OKX says the request's timestamp has expired: this machine's clock is too far from OKX's. ${CLOCK_ADVICE}`,
  },
  {
    code: '50112',
    kind: 'clock-skew',
    exchangeText: 'Invalid OK-ACCESS-TIMESTAMP',
    message: `OKX did not accept the request's timestamp, which usually means this machine's clock is wrong. ${CLOCK_ADVICE}`,
  },
  {
    code: '50120',
    kind: 'permission-denied',
    exchangeText: "API key doesn't have permission",
    message: `OKX says this key lacks the permission for this request. Edit the key on ${KEY_PAGE}: tick "Read" and "Trade", never "Withdraw".`,
  },
  {
    code: '50101',
    kind: 'wrong-environment',
    exchangeText: 'APIKey does not match current environment',
    message:
      "OKX says this key belongs to the other environment: a live key was used for demo trading, or a demo-trading key on the live exchange. Create the key in the environment you chose (switch OKX to Demo Trading before creating a demo key), or change the connection's environment.",
  },
  {
    code: '50100',
    kind: 'other',
    exchangeText: 'API frozen, please contact customer service',
    message:
      'OKX has frozen this API key. Contact OKX support, or delete the key and create a new one.',
  },
  {
    code: '50011',
    kind: 'rate-limited',
    exchangeText: 'Rate limit reached',
    message: 'OKX is limiting requests (rate limit reached). Sentinel slows down and retries.',
  },
  {
    code: '50061',
    kind: 'rate-limited',
    exchangeText: "You've reached the maximum order rate limit for this account.",
    message:
      "OKX refused the order: the account's order rate limit was reached. Lower the route's orders-per-minute limit.",
  },
  ...(
    [
      ['50001', 'Service temporarily unavailable'],
      [
        '50004',
        'API endpoint request timeout (does not mean that the request was successful or failed)',
      ],
      ['50013', 'Systems are busy. Please try again later.'],
      ['50026', 'System error. Try again later.'],
      [
        '51149',
        'Order timed out. Please try again later. (does not mean that the request was successful or failed)',
      ],
    ] as const
  ).map(([code, exchangeText]): ErrorEntry => ({
    code,
    kind: 'unknown-outcome',
    exchangeText,
    message: `OKX did not say whether the order was placed (code ${code}). ${UNKNOWN_OUTCOME_ADVICE}`,
  })),
  {
    code: '50037',
    kind: 'other',
    exchangeText: 'Order expired.',
    message:
      "OKX did not process the order because it arrived after the request's deadline (expTime), so nothing was placed. This happens when the network or OKX is slow; the next signal is sent as usual.",
  },
  {
    code: '51016',
    kind: 'duplicate-order',
    exchangeText: 'Duplicated clOrdId',
    message:
      'OKX says an open order with this client order id (clOrdId) already exists, so it was not placed twice. Sentinel treats it as the same order and does not send it again.',
  },
];

export const explainOKXError = makeErrorExplainer('OKX', okxErrors);
