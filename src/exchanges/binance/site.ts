/** Binance's site and API Management page: all that pages naming Binance need (profile.ts has the rest). */
import { apiPageMatcher } from '../api-page.js';
import type { ExchangeSite } from '../profile.js';

export const binanceSite: ExchangeSite = {
  id: 'binance',
  name: 'Binance',
  apiPageName: 'API Management',
  ...apiPageMatcher('www.binance.com', '/my/settings/api-management'),
};
