/** The golden rules of permissions, for the guide panel (its own module: the panel loads no profile). */
export interface GoldenRule {
  title: string;
  why: string;
}

/** "Permission Settings: The Golden Rules" of the exchange API-key guide the product is built on. */
export const GOLDEN_RULES: {
  alwaysEnable: readonly GoldenRule[];
  neverEnable: readonly GoldenRule[];
  enableOnlyIfNeeded: readonly GoldenRule[];
  ipWhitelisting: GoldenRule;
  rotation: GoldenRule;
} = {
  alwaysEnable: [
    {
      title: 'Read/View access',
      why: 'Your bot needs to check balances, positions, and market data',
    },
    {
      title: 'Trade access',
      why: 'Your bot needs to place and cancel orders (if you want automated trading)',
    },
  ],
  neverEnable: [
    {
      title: 'Withdrawal access',
      why: "No trading bot should ever have withdrawal permissions. If your bot's server is compromised, an attacker with withdrawal-enabled keys can drain your entire exchange balance to their own wallet.",
    },
  ],
  enableOnlyIfNeeded: [
    { title: 'Futures/derivatives access', why: 'Only if your strategy trades futures' },
    { title: 'Margin access', why: 'Only if your strategy uses margin' },
    { title: 'Transfer access', why: 'Almost never needed for trading bots' },
  ],
  ipWhitelisting: {
    title: 'IP whitelisting: your strongest protection',
    why: 'Without IP restriction, anyone who obtains your API key can trade on your account from any IP address. With IP restriction, a leaked key is useless from unauthorized IPs.',
  },
  rotation: {
    title: 'Rotate keys every 3-6 months',
    why: 'When you rotate, create the new key first, update your bot configuration, verify it works, then delete the old key.',
  },
};
