/**
 * What the guide panel on bybit.com shows: the site, the steps and permissions (guide.ts) and the
 * key it suggests. profile.ts builds on it; the content script loads only this.
 */
import { bybitGuideSteps, bybitPermissions } from './guide.js';
import { bybitSite } from './site.js';
import { spacedLabel } from '../key-label.js';
import type { ExchangeGuide } from '../profile.js';

export const bybitKeyGuide: ExchangeGuide = {
  ...bybitSite,
  // Bybit v5 "Integration guidance": self-generated keys operate with RSA; the user provides only
  // the public key (https://bybit-exchange.github.io/docs/v5/guide, "Select Your API Key Type").
  selfGeneratedKey: {
    algorithm: 'rsa',
    optionName: 'Self-generated API Keys',
    where:
      'On Bybit\'s API Management page choose Create New Key → "Self-generated API Keys" (RSA), paste this public key, then copy the API Key Bybit shows.',
  },
  guideSteps: bybitGuideSteps,
  permissionCatalogue: bybitPermissions,
  suggestedLabel: spacedLabel,
  // Bybit's own limit on key names is not documented in a source we checked; staying within 20
  // letters, digits and spaces is accepted by every form of it we know of.
  labelRule: {
    pattern: /^[A-Za-z0-9 ]+$/,
    maxLength: 20,
    description: 'letters, digits and spaces, at most 20',
  },
};
