/**
 * Bybit's error codes mapped to what the user should do next. Sources: bybit-exchange/docs
 * docs/v5/error.mdx, ccxt 4.5 bybit.js exception table, FACTS.md.
 */
import {
  CLOCK_ADVICE,
  UNKNOWN_OUTCOME_ADVICE,
  makeErrorExplainer,
  type ErrorEntry,
} from '../errors.js';

const KEY_PAGE = "Bybit's API Management page";

export const bybitErrors: ErrorEntry[] = [
  {
    code: '10003',
    kind: 'invalid-key',
    exchangeText: 'API key is invalid. Check whether the key and domain are matched.',
    message: `Bybit does not accept this API key. Check that it was pasted completely and that it belongs to the environment you chose: a key works only where it was created (mainnet, testnet, or demo trading). Otherwise create a new key on ${KEY_PAGE}.`,
  },
  {
    code: '10004',
    kind: 'bad-signature',
    exchangeText: 'Error sign, please check your signature generation algorithm.',
    message:
      'Bybit says the request signature is wrong: the API Secret does not belong to this API key. Paste the secret again; if you no longer have it (Bybit shows it only once), delete the key and create a new one.',
  },
  {
    code: '10005',
    kind: 'permission-denied',
    exchangeText: 'Permission denied, please check your API key permissions.',
    message: `Bybit says this key lacks the permission for this request. Edit the key on ${KEY_PAGE}: choose "Read-Write" and tick "Trade" under Spot ("Orders" and "Positions" under Contract only if your strategy trades futures), never "Withdrawal".`,
  },
  {
    code: '10010',
    kind: 'ip-not-allowed',
    exchangeText: "Unmatched IP, please check your API key's bound IP addresses.",
    message: `Bybit says this request came from an IP address that is not bound to the key. Add this machine's IP (shown in the setup panel) to the key on ${KEY_PAGE}, or create a new key.`,
  },
  {
    code: '10002',
    kind: 'clock-skew',
    exchangeText: 'The request time exceeds the time window range.',
    message: `Bybit says this machine's clock is too far from Bybit's (the request time is outside the allowed window). ${CLOCK_ADVICE}`,
  },
  {
    code: '33004',
    kind: 'invalid-key',
    exchangeText: 'Your api key has expired.',
    message: `Bybit says this API key has expired (Bybit makes keys without a bound IP invalid after 90 days). Create a new key with this machine's IP bound on ${KEY_PAGE}, add it to Sentinel, then delete the old one.`,
  },
  {
    code: '10007',
    kind: 'invalid-key',
    exchangeText: 'User authentication failed.',
    message: `Bybit could not authenticate this key. Check on ${KEY_PAGE} that it still exists, then paste the API Key and API Secret again, or create a new key.`,
  },
  {
    code: '10006',
    kind: 'rate-limited',
    exchangeText: 'Too many visits. Exceeded the API Rate Limit.',
    message:
      'Bybit is limiting requests from this key (rate limit exceeded). Sentinel slows down and retries.',
  },
  {
    code: '10018',
    kind: 'rate-limited',
    exchangeText: 'Exceeded the IP rate limit.',
    message:
      'Bybit is limiting requests from this IP address. Sentinel slows down and retries; check whether another program on this IP uses the Bybit API heavily.',
  },
  ...(
    [
      ['10000', 'Server Timeout'],
      ['10016', 'Server error.'],
      ['170007', 'Timeout waiting for response from backend server.'],
      ['170146', 'Order creation timeout'],
    ] as const
  ).map(([code, exchangeText]): ErrorEntry => ({
    code,
    kind: 'unknown-outcome',
    exchangeText,
    message: `Bybit did not say whether the order was placed (code ${code}). ${UNKNOWN_OUTCOME_ADVICE}`,
  })),
  ...(
    [
      ['110072', 'OrderLinkedID is duplicate'],
      ['170141', 'Duplicate clientOrderId'],
    ] as const
  ).map(([code, exchangeText]): ErrorEntry => ({
    code,
    kind: 'duplicate-order',
    exchangeText,
    message:
      'Bybit says an order with this client order id (orderLinkId) already exists, so it was not placed twice. Sentinel treats it as the same order and does not send it again.',
  })),
];

export const explainBybitError = makeErrorExplainer('Bybit', bybitErrors);
