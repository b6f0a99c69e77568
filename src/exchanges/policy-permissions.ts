/**
 * The permission rules of the guide: never Withdraw, always Read and Trade, futures / margin /
 * options only if the strategy needs them, no transfers, nothing a trading bot does not use.
 */
import { addCheck, grantedUiNames, uiName, type CheckContext } from './policy-context.js';
import type { Needs } from './types.js';

const OPTIONAL: { p: 'futures' | 'margin' | 'options'; what: string; rule: string }[] = [
  { p: 'futures', what: 'Futures trading', rule: 'Enable only if your strategy trades futures' },
  { p: 'margin', what: 'Margin', rule: 'Enable only if your strategy uses margin' },
  { p: 'options', what: 'Options trading', rule: 'Enable only if your strategy trades options' },
];
const EXTRAS: { p: 'convert' | 'earn' | 'nft'; what: string }[] = [
  { p: 'convert', what: 'Convert' },
  { p: 'earn', what: 'Earn' },
  { p: 'nft', what: 'NFT' },
];

/** Checks "withdraw", "read", "trade", then "futures", "margin", "options" where they apply. */
export function permissionChecks(ctx: CheckContext, needs: Needs): void {
  const { profile, info, page } = ctx;
  const p = info.permissions;
  const withdrawUi = uiName(profile, 'withdraw', '"Withdraw"');
  if (p.withdraw === true) {
    addCheck(
      ctx,
      'withdraw',
      'block',
      `Withdrawals are enabled on this key. NEVER enable withdrawals: no trading bot should ever have withdrawal permissions, and if this machine is compromised an attacker with a withdrawal-enabled key can drain your entire ${profile.name} balance to their own wallet. Untick ${withdrawUi} on ${page}, or delete this key and create a new one.`,
    );
  } else if (p.withdraw === null) {
    addCheck(
      ctx,
      'withdraw',
      'warn',
      `${profile.name}'s answer does not say whether withdrawals are enabled on this key. Check on ${page} that ${withdrawUi} is not ticked.`,
    );
  } else {
    addCheck(ctx, 'withdraw', 'ok', 'Withdrawals are disabled on this key.');
  }

  const readUi = uiName(profile, 'read', '"Read"');
  if (p.read === false) {
    addCheck(
      ctx,
      'read',
      'block',
      `This key cannot read your account, so the bot cannot check balances, positions and orders. Enable ${readUi} on ${page}.`,
    );
  } else if (p.read === null) {
    addCheck(
      ctx,
      'read',
      'warn',
      `${profile.name}'s answer does not say whether this key can read your account. Check that ${readUi} is enabled on ${page}.`,
    );
  } else {
    addCheck(ctx, 'read', 'ok', 'The key can read balances, positions and orders.');
  }

  const tradeUi = uiName(profile, 'spot', '"Trade"');
  if (p.spot === true) {
    addCheck(ctx, 'trade', 'ok', 'The key can place and cancel spot orders.');
  } else if (p.spot === null) {
    addCheck(
      ctx,
      'trade',
      'warn',
      `${profile.name}'s answer does not say whether this key can trade. Check that ${tradeUi} is enabled on ${page}.`,
    );
  } else if (needs.futures === true && p.futures === true) {
    addCheck(
      ctx,
      'trade',
      'warn',
      `This key cannot trade spot, only futures. That is fine if your strategy trades only futures; otherwise enable ${tradeUi} on ${page}.`,
    );
  } else {
    // A read-only key may list trade items it cannot use (Bybit): the profile says what to switch.
    const readWrite = info.readOnly === true ? (profile.auditNotes.readOnlyKeyFix ?? '') : '';
    addCheck(
      ctx,
      'trade',
      'block',
      `This key cannot place orders, so the bot cannot trade. Enable Trade: ${readWrite}tick ${tradeUi} on ${page}.`,
    );
  }

  for (const { p: perm, what, rule } of OPTIONAL) {
    const needed = needs[perm] === true;
    const granted = p[perm];
    const ui = uiName(profile, perm, `${what.toLowerCase()}`);
    if (perm === 'futures' && needed && futuresBlock(ctx)) continue;
    if (needed && granted === true) {
      addCheck(ctx, perm, 'ok', `${what} is enabled, as your strategy needs.`);
    } else if (needed && granted === false) {
      addCheck(
        ctx,
        perm,
        'block',
        `Your strategy needs ${what.toLowerCase()}, but this key does not allow it. Enable ${ui} on ${page}.`,
      );
    } else if (needed) {
      const cover = profile.permissionCatalogue.find(
        (e) => e.covers?.includes(perm) && e.apiNames.some((n) => info.grantedRaw.includes(n)),
      );
      if (cover) {
        addCheck(
          ctx,
          perm,
          'ok',
          `On ${profile.name}, ${cover.uiName} also covers ${what.toLowerCase()}; make sure it is switched on for your ${profile.name} account.`,
        );
      } else {
        addCheck(
          ctx,
          perm,
          'warn',
          `${profile.name}'s answer does not say whether this key allows ${what.toLowerCase()}, which your strategy needs. Check the key on ${page}.`,
        );
      }
    } else if (granted === true) {
      addCheck(
        ctx,
        perm,
        'warn',
        `${what} is enabled on this key, but your strategy does not use it. ${rule}: untick ${ui} on ${page}.`,
      );
    }
  }
}

/**
 * Futures needed (a route trades perpetual swaps, or the user said so at setup) and the account or
 * the key cannot trade them: a plain block with the exchange's own fix. False when neither holds.
 */
function futuresBlock(ctx: CheckContext): boolean {
  const { profile, info } = ctx;
  const needed = 'Your strategy trades futures (perpetual swaps), but';
  if (info.futuresUnavailable !== undefined) {
    addCheck(ctx, 'futures', 'block', `${needed} ${info.futuresUnavailable}`);
    return true;
  }
  const fix = profile.auditNotes.futuresFix;
  if (info.permissions.futures !== false || fix === undefined) return false;
  addCheck(
    ctx,
    'futures',
    'block',
    `${needed} this key may not trade futures, so those orders would be refused. Enable futures on this key: ${fix(info)}. Then audit the key again.`,
  );
  return true;
}

/** Checks "transfer", "convert", "earn", "nft" and "other-permissions" where they apply. */
export function extraPermissionChecks(ctx: CheckContext): void {
  const { profile, info, page } = ctx;
  const p = info.permissions;
  const readUi = uiName(profile, 'read', '"Read"');
  const tradeUi = uiName(profile, 'spot', '"Trade"');
  if (p.transfer === true) {
    addCheck(
      ctx,
      'transfer',
      'warn',
      `Transfers are enabled on this key: ${grantedUiNames(profile, info, 'transfer')}. Transfer access is almost never needed for trading bots. Disable this on ${page}.`,
    );
  }
  for (const { p: perm, what } of EXTRAS) {
    if (p[perm] === true) {
      addCheck(
        ctx,
        perm,
        'warn',
        `${what} is enabled on this key: ${grantedUiNames(profile, info, perm)}. A trading bot does not need it: untick it on ${page}.`,
      );
    }
  }

  const known = new Set(profile.permissionCatalogue.flatMap((e) => e.apiNames));
  const unused = profile.permissionCatalogue
    .filter((e) => e.permission === null && (e.advice === 'never' || e.advice === 'disable'))
    .filter((e) => e.apiNames.some((n) => info.grantedRaw.includes(n)))
    .map((e) => e.uiName);
  const unknown = info.grantedRaw.filter((n) => !known.has(n));
  if (unused.length > 0 || unknown.length > 0) {
    const parts = [...new Set(unused)].concat(
      unknown.map((n) => `"${n}" (not recognised by Sentinel)`),
    );
    addCheck(
      ctx,
      'other-permissions',
      'warn',
      `This key also has permissions a trading bot does not use: ${parts.join(', ')}. It needs only ${readUi} and ${tradeUi}: untick the rest on ${page}.`,
    );
  }
}
