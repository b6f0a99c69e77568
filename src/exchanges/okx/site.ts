/** OKX's site and API page: all that pages naming OKX need (profile.ts has the rest). */
import { apiPageMatcher } from '../api-page.js';
import type { ExchangeSite } from '../profile.js';

export const okxSite: ExchangeSite = {
  id: 'okx',
  name: 'OKX',
  apiPageName: 'API',
  ...apiPageMatcher('www.okx.com', '/account/my-api'),
};
