/**
 * What the guide panel on okx.com shows: the site, the steps and permissions (guide.ts) and the key
 * it suggests. profile.ts builds on it; the content script loads only this.
 */
import { okxGuideSteps, okxPermissions } from './guide.js';
import { okxSite } from './site.js';
import { compactLabel } from '../key-label.js';
import type { ExchangeGuide } from '../profile.js';

export const okxKeyGuide: ExchangeGuide = {
  ...okxSite,
  guideSteps: okxGuideSteps,
  permissionCatalogue: okxPermissions,
  suggestedLabel: compactLabel,
  // OKX refuses anything else: letters and digits only, at most 50 (FACTS.md, checked 2026-12-01).
  labelRule: {
    pattern: /^[A-Za-z0-9]+$/,
    maxLength: 50,
    description: 'letters and digits only, at most 50',
  },
};
