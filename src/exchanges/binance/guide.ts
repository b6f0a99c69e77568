/**
 * Binance's permission catalogue and guide steps: pure data for the guide panel, the DOM hints and
 * the audit. Sources: the exchange API-key guide the product is built on (its steps are this
 * file); developers.binance.com (wallet/account/api-key-permission: the key-info fields and what
 * each toggle allows).
 */
import type { GuideStep, PermissionEntry } from '../profile.js';

export const binancePermissions: PermissionEntry[] = [
  {
    permission: 'read',
    apiNames: ['enableReading'],
    pageLabels: ['Enable Reading'],
    uiName: '"Enable Reading"',
    advice: 'enable',
    why: 'Your bot needs to check balances, positions, and market data.',
  },
  {
    permission: 'spot',
    apiNames: ['enableSpotAndMarginTrading'],
    pageLabels: ['Enable Spot & Margin Trading'],
    uiName: '"Enable Spot & Margin Trading"',
    advice: 'enable',
    why: 'Allows placing and canceling spot and margin orders. Enable this if your bot trades spot.',
  },
  {
    // Binance's "Spot & Margin Trading" toggle also places margin orders; this one adds borrowing,
    // repaying and margin transfers, which is what "margin" means on Binance's key-info answer.
    permission: 'margin',
    apiNames: ['enableMargin'],
    pageLabels: ['Enable Margin Loan, Repay & Transfer'],
    uiName: '"Enable Margin Loan, Repay & Transfer"',
    advice: 'only-if-needed',
    why: 'Only if your strategy uses margin.',
  },
  {
    permission: 'futures',
    apiNames: ['enableFutures'],
    pageLabels: ['Enable Futures'],
    uiName: '"Enable Futures"',
    advice: 'only-if-needed',
    why: 'Allows futures trading. Enable only if your bot trades futures.',
  },
  {
    permission: 'options',
    apiNames: ['enableVanillaOptions'],
    pageLabels: ['Enable Vanilla Options'],
    uiName: '"Enable Vanilla Options"',
    advice: 'only-if-needed',
    why: 'Allows options trading. Disable unless specifically needed.',
  },
  {
    permission: 'withdraw',
    apiNames: ['enableWithdrawals'],
    pageLabels: ['Enable Withdrawals'],
    uiName: '"Enable Withdrawals"',
    advice: 'never',
    why: 'NEVER ENABLE THIS. There is no legitimate reason for a trading bot to withdraw funds.',
  },
  {
    permission: 'transfer',
    apiNames: ['enableInternalTransfer'],
    pageLabels: ['Enable Internal Transfer'],
    uiName: '"Enable Internal Transfer"',
    advice: 'disable',
    why: 'Allows transfers between sub-accounts. Disable this.',
  },
  {
    permission: 'transfer',
    apiNames: ['permitsUniversalTransfer'],
    pageLabels: ['Permits Universal Transfer'],
    uiName: '"Permits Universal Transfer"',
    advice: 'disable',
    why: 'Moves funds between your Binance accounts. Transfer access is almost never needed for trading bots.',
  },
  {
    permission: null,
    apiNames: ['enablePortfolioMarginTrading'],
    pageLabels: ['Enable Portfolio Margin Trading'],
    uiName: '"Enable Portfolio Margin Trading"',
    advice: 'only-if-needed',
    why: 'Only for a Portfolio Margin account, and only if your strategy uses margin.',
  },
  {
    // Sentinel signs REST requests; FIX trading is a second way in that it never uses.
    permission: null,
    apiNames: ['enableFixApiTrade'],
    pageLabels: ['Enable FIX API Trading'],
    uiName: '"FIX API" trading',
    advice: 'disable',
    why: 'Sentinel Companion trades over the REST API, not FIX: leave FIX trading off.',
  },
  {
    permission: null,
    apiNames: ['enableFixReadOnly'],
    pageLabels: ['Enable FIX API Read Only'],
    uiName: '"FIX API" read-only',
    advice: 'only-if-needed',
    why: 'Read-only access over FIX; harmless, and not used by Sentinel Companion.',
  },
];

export const binanceGuideSteps: GuideStep[] = [
  {
    id: '2fa',
    title: 'Enable Two-Factor Authentication',
    items: [
      'Before creating any API key, ensure your Binance account has 2FA enabled (Google Authenticator or hardware key). API key creation requires 2FA verification.',
    ],
  },
  {
    id: 'navigate',
    title: 'Navigate to API Management',
    items: [
      'Log in to your Binance account',
      'Click on your profile icon (top right)',
      'Select "API Management" from the dropdown',
      'You may be prompted to verify with 2FA',
    ],
  },
  {
    id: 'create-key',
    title: 'Create a New Key',
    items: [
      'Click "Create API"',
      'Recommended: select "Self-generated" and paste the public key Sentinel makes ("Connect key" → "Let Sentinel make the key"): the private key never leaves this computer',
      'Or: Select "System Generated" for an API key and Secret Key that Binance makes',
      'Give your key a descriptive label (e.g. the one shown here), so you can tell later which tool uses it',
      'Complete email verification, 2FA verification, and any additional security prompts',
    ],
    copy: 'label',
  },
  {
    id: 'permissions',
    title: 'Configure Permissions',
    items: [
      'Enable Reading: Allows viewing account balances, trade history, and market data. Enable this.',
      'Enable Spot & Margin Trading: Allows placing and canceling spot and margin orders. Enable this if your bot trades spot.',
      'Enable Futures: Allows futures trading. Enable only if your bot trades futures.',
      'Enable Internal Transfer: Allows transfers between sub-accounts. Disable this.',
      'Enable Vanilla Options: Allows options trading. Disable unless specifically needed.',
    ],
    warning:
      'Enable Withdrawals: NEVER ENABLE THIS. There is no legitimate reason for a trading bot to withdraw funds.',
  },
  {
    id: 'ip-whitelist',
    title: 'Restrict to IP Whitelist',
    items: [
      'Under "Restrict access to trusted IPs only," click "Restrict"',
      'Add the IP address(es) of the machine running your trading bot',
      "For Sentinel Companion, add this machine's public IP, shown here: orders are signed and sent from this machine, not from Sentinel's servers",
      'Binance also switches "Enable Spot & Margin Trading" off 30 days after it was enabled on a key without trusted IPs',
    ],
    warning:
      'Critical: Without IP restriction, anyone who obtains your API key can trade on your account from any IP address. With IP restriction, a leaked key is useless from unauthorized IPs.',
    copy: 'ip',
  },
  {
    id: 'save-secret',
    title: 'Save Your Credentials Securely',
    items: [
      'Copy the API Key and Secret Key immediately. The secret is shown only once.',
      "Paste them into Sentinel Companion's setup form: they are encrypted and kept on this machine only",
      'Store them in a password manager (not a text file, not an email, not a screenshot)',
      'Never share your API secret with anyone or paste it in public channels',
    ],
    warning:
      'The Secret Key is shown only once. If you lose it, delete the key and create a new one.',
  },
];
