/**
 * The panel's home on the page: an element of our own at the end of <html> with a closed shadow
 * root. Closed: the page's scripts get no handle on the panel's DOM; styles are adopted sheets
 * (no <style> element for the page's CSP to refuse) and cannot leak either way.
 */
import { h, render } from 'preact';
import css from './panel.css?inline';
import { Panel, type PanelProps } from './Panel.js';

export interface Mounted {
  setVisible(visible: boolean): void;
  /** Take the panel off the page (the user navigated away from the API page). */
  unmount(): void;
}

export function mountPanel(doc: Document, props: PanelProps): Mounted {
  const host = doc.createElement('sentinel-companion-guide');
  const shadow = host.attachShadow({ mode: 'closed' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  shadow.adoptedStyleSheets = [sheet];
  const container = doc.createElement('div');
  container.className = 'root';
  shadow.append(container);
  render(h(Panel, props), container);
  doc.documentElement.append(host);
  return {
    setVisible(visible) {
      // The page may rebuild <html>'s children (rare): put the panel back where it belongs.
      if (visible && !host.isConnected) doc.documentElement.append(host);
      host.hidden = !visible;
      container.hidden = !visible;
    },
    unmount() {
      render(null, container); // runs the components' cleanups (timers, listeners, ports)
      host.remove();
    },
  };
}
