/**
 * The DOM side of the hints: find the page's permission toggles by their visible text and read
 * their state. Reads only; it never clicks, types or changes an element of the page.
 */
import type { PermissionEntry } from '../exchanges/index.js';
import { matchLabel, type LabelIndex } from './hint-match.js';
import { locateToggle, type TreeOps } from './locate.js';
import { explicitState, isToggleLike, toggleState, type ToggleView } from './toggle-state.js';

export interface FoundToggle {
  entry: PermissionEntry;
  /** The element whose text named the permission. */
  label: Element;
  control: Element;
  row: Element;
  on: boolean;
}

function viewOf(el: Element): ToggleView {
  const input = el.localName === 'input' ? (el as HTMLInputElement) : null;
  return {
    tag: el.localName,
    inputType: input ? input.type : null,
    ...(input ? { checked: input.checked } : {}),
    role: el.getAttribute('role'),
    ariaChecked: el.getAttribute('aria-checked'),
    ariaPressed: el.getAttribute('aria-pressed'),
    dataState: el.getAttribute('data-state'),
    classes: [...el.classList],
  };
}

const domOps: TreeOps<Element> = {
  parent: (n) => n.parentElement,
  children: (n) => [...n.children],
  isToggle: (n) => isToggleLike(viewOf(n)),
  explicitState: (n) => explicitState(viewOf(n)),
  state: (n) => toggleState(viewOf(n)),
  labelled: (n) => (n.localName === 'label' ? ((n as HTMLLabelElement).control ?? null) : null),
  hasOwnName: (n) => n.hasAttribute('aria-label') || n.hasAttribute('aria-labelledby'),
};

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'textarea', 'option', 'title']);

const visible = (el: Element): boolean => el.getClientRects().length > 0;

/** Every dangerous toggle the page shows, on or off, once each. */
export function scanDocument(doc: Document, index: LabelIndex): FoundToggle[] {
  const root = doc.body;
  if (!root) return [];
  const found = new Map<Element, FoundToggle>();
  const consider = (textEl: Element, entry: PermissionEntry): void => {
    if (!visible(textEl)) return;
    const hit = locateToggle(textEl, domOps);
    if (hit && !found.has(hit.control)) found.set(hit.control, { entry, label: textEl, ...hit });
  };

  // Toggles that carry their own name (aria-label) come first: that is the surest match.
  for (const el of root.querySelectorAll('[aria-label]')) {
    if (!domOps.isToggle(el)) continue;
    const entry = matchLabel(el.getAttribute('aria-label') ?? '', index);
    if (entry && visible(el) && !found.has(el))
      found.set(el, {
        entry,
        label: el,
        control: el,
        row: el,
        on: toggleState(viewOf(el)) === true,
      });
  }

  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const seen = new Set<Element>();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node as Text).data;
    if (text.length > index.maxLength + 40 || text.trim() === '') continue;
    const parent = node.parentElement;
    if (!parent || seen.has(parent) || SKIP.has(parent.localName)) continue;
    seen.add(parent);
    // Menus and links ("Wallet", "Withdraw" in the header) are not permission labels.
    if (parent.closest('a[href], nav')) continue;
    // The text node alone ("Withdraw"), or its element when the label is split across nodes.
    const entry = matchLabel(text, index) ?? matchLabel(parent.textContent ?? '', index);
    if (entry) consider(parent, entry);
  }
  return [...found.values()];
}
