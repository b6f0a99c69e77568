/** The dashboard, opened in a tab from any extension page (optionally at one connection's card). */
import { browser } from './extension-api.js';

export const DASHBOARD_PATH = 'src/dashboard/index.html';

export function openDashboard(connectionId?: string): void {
  const hash = connectionId ? `#conn-${encodeURIComponent(connectionId)}` : '';
  void browser.tabs.create({ url: browser.runtime.getURL(DASHBOARD_PATH) + hash });
}
