/** Bybit's site and API Management page: all that pages naming Bybit need (profile.ts has the rest). */
import { apiPageMatcher } from '../api-page.js';
import type { ExchangeSite } from '../profile.js';

export const bybitSite: ExchangeSite = {
  id: 'bybit',
  name: 'Bybit',
  apiPageName: 'API Management',
  ...apiPageMatcher('www.bybit.com', '/app/user/api-management'),
};
