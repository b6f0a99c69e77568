/**
 * What the guide panel on binance.com shows: the site, the steps and permissions (guide.ts) and
 * the key it suggests. profile.ts builds on it; the content script loads only this.
 */
import { binanceGuideSteps, binancePermissions } from './guide.js';
import { binanceSite } from './site.js';
import { spacedLabel } from '../key-label.js';
import type { ExchangeGuide } from '../profile.js';

export const binanceKeyGuide: ExchangeGuide = {
  ...binanceSite,
  // Binance calls HMAC keys deprecated and recommends Ed25519 keys made by the user ("Self-generated"):
  // https://developers.binance.com/docs/binance-spot-api-docs/rest-api/request-security
  selfGeneratedKey: {
    algorithm: 'ed25519',
    optionName: 'Self-generated',
    where:
      'On Binance\'s API Management page choose Create API → "Self-generated", paste this public key, then copy the API Key Binance shows.',
  },
  guideSteps: binanceGuideSteps,
  permissionCatalogue: binancePermissions,
  suggestedLabel: spacedLabel,
  // Binance's own limit on key labels is not documented in a source we checked; staying within 20
  // letters, digits and spaces is accepted by every form of it we know of.
  labelRule: {
    pattern: /^[A-Za-z0-9 ]+$/,
    maxLength: 20,
    description: 'letters, digits and spaces, at most 20',
  },
};
