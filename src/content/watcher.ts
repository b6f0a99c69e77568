/**
 * Watches the page for changes that can switch a toggle (DOM mutations, and the clicks and change
 * events that flip a native checkbox without touching an attribute) and rescans, throttled.
 */
import { throttle } from './throttle.js';

const SCAN_INTERVAL_MS = 400;
const ATTRIBUTES = [
  'class',
  'aria-checked',
  'aria-pressed',
  'data-state',
  'checked',
  'style',
  'hidden',
];

export function watchPage(doc: Document, onChange: () => void): () => void {
  const scan = throttle(onChange, SCAN_INTERVAL_MS);
  const observer = new MutationObserver(scan);
  observer.observe(doc.documentElement, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ATTRIBUTES,
  });
  const events = ['change', 'click', 'input', 'keyup'] as const;
  for (const e of events) doc.addEventListener(e, scan, { capture: true, passive: true });
  doc.defaultView?.addEventListener('popstate', scan);
  doc.defaultView?.addEventListener('hashchange', scan);
  scan();
  return () => {
    observer.disconnect();
    scan.cancel();
    for (const e of events) doc.removeEventListener(e, scan, { capture: true });
    doc.defaultView?.removeEventListener('popstate', scan);
    doc.defaultView?.removeEventListener('hashchange', scan);
  };
}
