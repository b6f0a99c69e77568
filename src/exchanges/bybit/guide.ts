/**
 * Bybit's permission catalogue and guide steps: pure data for the guide panel, the DOM hints and
 * the audit. Sources: the exchange API-key guide the product is built on (its steps are this
 * file); bybit-exchange/docs docs/v5/user/apikey-info.mdx (the full permission list, incl. Wallet
 * "Withdraw" on master keys).
 */
import type { GuideStep, PermissionEntry } from '../profile.js';

/** Entries for groups Sentinel never uses: each is a way in that a trading bot does not need. */
const unused = (group: string, items: string[], label: string, why: string): PermissionEntry => ({
  permission: null,
  apiNames: items.map((i) => `${group}: ${i}`),
  pageLabels: [label],
  uiName: `"${label}"`,
  advice: 'disable',
  why,
});

const NOT_USED = 'Not used by Sentinel Companion: leave it off.';

export const bybitPermissions: PermissionEntry[] = [
  {
    // Every Bybit key can read; "Read-Only" vs "Read-Write" decides whether it can also trade.
    permission: 'read',
    apiNames: [],
    pageLabels: ['Read-Only', 'Read-Write'],
    uiName: '"Read-Write"',
    advice: 'enable',
    why: 'View account and market data: every Bybit key can read. Choose "Read-Write" so the bot can also place orders.',
  },
  {
    permission: 'spot',
    apiNames: ['Spot: SpotTrade'],
    pageLabels: ['Trade', 'Spot', 'SPOT'],
    uiName: '"Trade" under Spot',
    advice: 'enable',
    why: 'Trade: Place and manage orders (Spot, Derivatives, Options). Enable for your trading pairs.',
  },
  {
    permission: 'futures',
    apiNames: ['ContractTrade: Order', 'ContractTrade: Position'],
    pageLabels: ['Contract', 'Orders', 'Positions'],
    uiName: '"Orders" and "Positions" under Contract',
    advice: 'only-if-needed',
    why: 'Futures/derivatives access: Only if your strategy trades futures.',
  },
  {
    // Bybit's docs: added "automatically according to your account is UTA or Classic", so the
    // user cannot choose it; the audit reports it but does not ask for a change.
    permission: null,
    apiNames: ['Derivatives: DerivativesTrade'],
    pageLabels: ['Derivatives', 'Unified Trading'],
    uiName: '"Derivatives"',
    advice: 'only-if-needed',
    why: 'Bybit adds this for unified trading accounts; it follows the account type.',
  },
  {
    permission: 'options',
    apiNames: ['Options: OptionsTrade'],
    pageLabels: ['USDC Contracts', 'Options'],
    uiName: '"USDC Contracts" (options)',
    advice: 'only-if-needed',
    why: 'Options and USDC contracts: enable only if your strategy trades them.',
  },
  {
    permission: 'withdraw',
    apiNames: ['Wallet: Withdraw'],
    pageLabels: ['Withdraw', 'Withdrawal'],
    uiName: '"Withdrawal" under Wallet',
    advice: 'never',
    why: 'NEVER enable this. No trading bot should ever have withdrawal permissions.',
  },
  {
    permission: 'transfer',
    apiNames: [
      'Wallet: AccountTransfer',
      'Wallet: SubMemberTransfer',
      'Wallet: SubMemberTransferList',
    ],
    pageLabels: ['Wallet', 'Account Transfer', 'Subaccount Transfer'],
    uiName: '"Account Transfer" and "Subaccount Transfer" under Wallet',
    advice: 'disable',
    why: 'Wallet: Transfer and sub-account management. Disable this.',
  },
  {
    permission: 'convert',
    apiNames: ['Exchange: ExchangeHistory'],
    pageLabels: ['Exchange', 'Convert'],
    uiName: '"Exchange" (Convert)',
    advice: 'disable',
    why: 'Exchange: Convert between currencies. Disable unless needed.',
  },
  {
    permission: 'earn',
    apiNames: ['Earn: Earn'],
    pageLabels: ['Earn'],
    uiName: '"Earn"',
    advice: 'disable',
    why: 'Moves funds into earn products; a trading bot does not need it.',
  },
  {
    permission: 'nft',
    apiNames: ['NFT: NFTQueryProductList'],
    pageLabels: ['NFT'],
    uiName: '"NFT"',
    advice: 'disable',
    why: 'NFT: NFT marketplace access. Disable this.',
  },
  unused('CopyTrading', ['CopyTrading'], 'Copy Trading', NOT_USED),
  unused('BlockTrade', ['BlockTrade'], 'Block Trade', NOT_USED),
  unused('Affiliate', ['Affiliate'], 'Affiliate', NOT_USED),
  unused(
    'FiatP2P',
    ['FiatP2POrder', 'Advertising'],
    'P2P',
    'P2P orders and adverts; a trading bot has no use for them.',
  ),
  unused(
    'FiatBybitPay',
    ['FaitPayOrder'],
    'Bybit Pay',
    'Payments from your account; a trading bot has no use for them.',
  ),
  unused(
    'FiatBitPay',
    ['FaitPayOrder'],
    'Bybit Pay',
    'Payments from your account; a trading bot has no use for them.',
  ),
  unused('FiatConvertBroker', ['FiatConvertBrokerOrder'], 'Fiat Convert', NOT_USED),
  unused(
    'BitCard',
    ['BitCard'],
    'Bybit Card',
    'Bybit Card spending; a trading bot has no use for it.',
  ),
  unused('ByXPost', ['ByXPost'], 'Community post', NOT_USED),
];

export const bybitGuideSteps: GuideStep[] = [
  {
    id: '2fa',
    title: 'Enable 2FA',
    items: ['Ensure Google Authenticator or SMS 2FA is active on your Bybit account.'],
  },
  {
    id: 'navigate',
    title: 'Navigate to API',
    items: [
      'Log in to Bybit',
      'Click your profile icon (top right)',
      'Select "API" from the account menu',
      'Click "Create New Key"',
    ],
  },
  {
    id: 'key-type',
    title: 'Select API Key Type',
    items: [
      'Recommended: choose "Self-generated API Keys" and paste the public key Sentinel makes ("Connect key" → "Let Sentinel make the key"): the private key never leaves this computer',
      'Or: choose "System-generated API Keys" for an API key and secret that Bybit makes',
      'Name your key descriptively (e.g. the name shown here)',
      'Select "API Transaction" for key usage',
    ],
    copy: 'label',
  },
  {
    id: 'permissions',
    title: 'Configure Permissions',
    items: [
      'Read: View account and market data. Every Bybit key can read; choose "Read-Write" so the bot can also place orders.',
      'Trade: Place and manage orders (Spot, Derivatives, Options). Enable for your trading pairs.',
      'Within Trade permissions, you can further limit to specific contract types. Only enable exactly what your trading strategy requires.',
      'Wallet: Transfer and sub-account management. Disable this.',
      'Exchange: Convert between currencies. Disable unless needed.',
      'NFT: NFT marketplace access. Disable this.',
    ],
    warning:
      'Withdrawal (under Wallet): NEVER enable this. No trading bot should ever have withdrawal permissions.',
  },
  {
    id: 'ip-whitelist',
    title: 'Set IP Restrictions',
    items: [
      'Toggle "Link to IP" to enabled',
      "Enter the IP address(es) of your bot server: for Sentinel Companion, this machine's public IP, shown here",
      'Bybit allows up to 20 whitelisted IPs',
      'Bybit makes keys without a bound IP invalid after 90 days',
    ],
    warning:
      'Critical: Without IP restriction, anyone who obtains your API key can trade on your account from any IP address. With IP restriction, a leaked key is useless from unauthorized IPs.',
    copy: 'ip',
  },
  {
    id: 'save-secret',
    title: 'Save Credentials',
    items: [
      'Bybit shows both API Key and Secret upon creation. Save both in your password manager immediately.',
      "Paste them into Sentinel Companion's setup form: they are encrypted and kept on this machine only",
    ],
    warning:
      'The secret cannot be retrieved later. If you lose it, delete the key and create a new one.',
  },
];
