/**
 * OKX's permission catalogue and guide steps: pure data for the guide panel, the DOM hints and the
 * audit. Sources: the exchange API-key guide the product is built on (its steps are this file);
 * OKX API FAQ (passphrase cannot be recovered).
 */
import type { GuideStep, PermissionEntry } from '../profile.js';

export const okxPermissions: PermissionEntry[] = [
  {
    permission: 'read',
    apiNames: ['read_only'],
    pageLabels: ['Read'],
    uiName: '"Read"',
    advice: 'enable',
    why: 'Read: View account data. Enable.',
  },
  {
    permission: 'spot',
    apiNames: ['trade'],
    pageLabels: ['Trade'],
    uiName: '"Trade"',
    advice: 'enable',
    why: 'Trade: Place orders. Enable for your trading use case.',
    // OKX has one Trade permission for every product; whether futures, margin or options can be
    // traded depends on the account mode, not on the key.
    covers: ['margin', 'futures', 'options'],
  },
  {
    permission: 'withdraw',
    apiNames: ['withdraw'],
    pageLabels: ['Withdraw'],
    uiName: '"Withdraw"',
    advice: 'never',
    why: 'Withdraw: Withdraw funds. NEVER enable this.',
  },
];

export const okxGuideSteps: GuideStep[] = [
  {
    id: '2fa',
    title: 'Enable 2FA',
    items: ['Activate Google Authenticator and/or mobile authenticator on your OKX account.'],
  },
  {
    id: 'navigate',
    title: 'Navigate to API',
    items: [
      'Log in to OKX',
      'Click your profile icon',
      'Go to "API" under account settings',
      'Click "Create API Key"',
    ],
  },
  {
    id: 'configure',
    title: 'Configure the Key',
    items: [
      'Enter a name for the key (e.g. the name shown here)',
      'Create a passphrase: This is unique to OKX. The passphrase is required alongside the API Key and Secret for all API requests. Choose a strong, unique passphrase.',
      'Read: View account data. Enable.',
      'Trade: Place orders. Enable for your trading use case.',
      "For demo trading, create the key while OKX is in Demo Trading mode: live and demo keys do not work in each other's environment.",
    ],
    warning: 'Withdraw: Withdraw funds. NEVER enable this.',
    copy: 'label',
  },
  {
    id: 'ip-whitelist',
    title: 'IP Restriction',
    items: [
      "Add IP addresses to the whitelist: for Sentinel Companion, this machine's public IP, shown here",
      'OKX strongly recommends IP whitelisting and warns about security risks of unrestricted keys',
    ],
    warning:
      'Critical: Without IP restriction, anyone who obtains your API key can trade on your account from any IP address. With IP restriction, a leaked key is useless from unauthorized IPs.',
    copy: 'ip',
  },
  {
    id: 'save-secret',
    title: 'Save Three Credentials',
    items: [
      'API Key (the public identifier)',
      'Secret Key (the signing secret)',
      'Passphrase (the additional authentication factor)',
      'Store all three in your password manager. You will need all three when connecting to Sentinel Companion.',
    ],
    warning:
      'OKX cannot show the Secret Key again or recover a forgotten passphrase: if you lose either, delete the key and create a new one.',
  },
];
