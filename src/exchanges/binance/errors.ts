/**
 * Binance's error codes mapped to what the user should do next. Sources: developers.binance.com
 * (error codes), ccxt 4.5 binance.js exception table, FACTS.md.
 */
import {
  CLOCK_ADVICE,
  UNKNOWN_OUTCOME_ADVICE,
  makeErrorExplainer,
  type ErrorEntry,
} from '../errors.js';

const KEY_PAGE = "Binance's API Management page";

export const binanceErrors: ErrorEntry[] = [
  {
    code: '-2015',
    kind: 'invalid-key',
    exchangeText: 'Invalid API-key, IP, or permissions for action.',
    message: `Binance rejected the key (code -2015: invalid API key, IP, or permissions). On ${KEY_PAGE}, check that this machine's IP (shown in the setup panel) is on the key's trusted IPs, that the key still exists and was pasted completely (a testnet key does not work on the live exchange, nor the other way round), and that "Enable Reading" and "Enable Spot & Margin Trading" are ticked. If in doubt, create a new key.`,
  },
  {
    code: '-2014',
    kind: 'invalid-key',
    exchangeText: 'API-key format invalid.',
    message: `Binance says the API key is not in a valid format: it was probably copied incompletely or with extra characters. Copy the API Key again from ${KEY_PAGE} and paste it into the setup form.`,
  },
  {
    code: '-2008',
    kind: 'invalid-key',
    exchangeText: 'Invalid Api-Key ID.',
    message: `Binance does not know this API key. It may have been deleted, or it belongs to the other environment (a testnet key on the live exchange, or the other way round). Check the key on ${KEY_PAGE}, or create a new one.`,
  },
  {
    code: '-1022',
    kind: 'bad-signature',
    exchangeText: 'Signature for this request is not valid.',
    message:
      'Binance says the request signature is wrong: the Secret Key does not belong to this API key. Paste the Secret Key again; if you no longer have it (Binance shows it only once), delete the key and create a new one.',
  },
  {
    code: '-1021',
    kind: 'clock-skew',
    exchangeText: 'Timestamp for this request is outside of the recvWindow.',
    message: `Binance says this machine's clock is too far from Binance's (the request's timestamp is outside the allowed window). ${CLOCK_ADVICE}`,
  },
  {
    code: '-1002',
    kind: 'permission-denied',
    exchangeText: 'You are not authorized to execute this request.',
    message: `Binance says this key is not allowed to do this. Edit the key on ${KEY_PAGE}: tick "Enable Reading" and "Enable Spot & Margin Trading" ("Enable Futures" only if your strategy trades futures) and never "Enable Withdrawals".`,
  },
  {
    code: '-1003',
    kind: 'rate-limited',
    exchangeText: 'Too many requests.',
    message:
      'Binance is limiting requests from this machine (too many requests). Sentinel slows down and retries; if it keeps happening, check whether another program on this IP address uses the Binance API heavily.',
  },
  {
    code: '-1015',
    kind: 'rate-limited',
    exchangeText: 'Too many new orders.',
    message:
      "Binance refused the order because too many new orders were sent in a short time. Lower the route's orders-per-minute limit.",
  },
  {
    code: '-1000',
    kind: 'unknown-outcome',
    exchangeText: 'An unknown error occurred while processing the request.',
    message: `Binance had an internal error and did not say whether the order was placed (code -1000). ${UNKNOWN_OUTCOME_ADVICE}`,
  },
  {
    code: '-1001',
    kind: 'unknown-outcome',
    exchangeText: 'Internal error; unable to process your request. Please try again.',
    message: `Binance lost the connection to its back end while handling the request (code -1001), so the order may or may not exist. ${UNKNOWN_OUTCOME_ADVICE}`,
  },
  {
    code: '-1006',
    kind: 'unknown-outcome',
    exchangeText:
      'An unexpected response was received from the message bus. Execution status unknown.',
    message: `Binance could not say whether the order was executed (code -1006). ${UNKNOWN_OUTCOME_ADVICE}`,
  },
  {
    code: '-1007',
    kind: 'unknown-outcome',
    exchangeText:
      'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
    message: `Binance timed out before saying whether the order was placed (code -1007). ${UNKNOWN_OUTCOME_ADVICE}`,
  },
  {
    code: '-2010',
    kind: 'duplicate-order',
    messageIncludes: 'Duplicate order',
    exchangeText: 'Duplicate order sent.',
    message:
      'Binance says an open order with this client order id already exists, so the order was not placed twice. Sentinel treats it as the same order and does not send it again.',
  },
  {
    code: '-2010',
    kind: 'other',
    exchangeText: 'NEW_ORDER_REJECTED',
    message:
      'Binance rejected the new order (code -2010), for example for an insufficient balance or a price or size outside its limits. Check the order and your balance on Binance.',
  },
];

export const explainBinanceError = makeErrorExplainer('Binance', binanceErrors);
