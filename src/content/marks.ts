/**
 * Marks on the page next to a dangerous toggle that is on: an outline and a small label, drawn in
 * a layer of our own (a fixed, click-through overlay in a closed shadow root). The page's own
 * elements are never modified, so its layout and its framework's view of the DOM stay untouched.
 */
import { hintFor } from './hint-match.js';
import type { FoundToggle } from './hint-dom.js';

const LAYER_CSS = `
:host { all: initial !important; position: fixed !important; inset: 0 !important;
  pointer-events: none !important; z-index: 2147483646 !important; display: block !important; }
.mark { position: fixed; box-sizing: border-box; border-radius: 6px; outline: 3px solid #d1242f;
  outline-offset: 2px; }
.mark.caution { outline-color: #bf8700; }
.tag { position: fixed; font: 600 11px/1.3 system-ui, sans-serif; color: #fff; background: #d1242f;
  padding: 2px 6px; border-radius: 4px; white-space: nowrap; box-shadow: 0 1px 3px rgba(0,0,0,.3); }
.tag.caution { background: #9a6700; }
.tag.compact { padding: 2px 4px; min-width: 16px; text-align: center; }
`;

export class MarkLayer {
  private readonly host: HTMLElement;
  private readonly root: ShadowRoot;
  private items: { found: FoundToggle; box: HTMLElement; tag: HTMLElement }[] = [];
  private frame = 0;

  constructor(private readonly doc: Document) {
    this.host = doc.createElement('sentinel-companion-marks');
    this.root = this.host.attachShadow({ mode: 'closed' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(LAYER_CSS);
    this.root.adoptedStyleSheets = [sheet];
    const reposition = (): void => {
      if (this.frame || this.items.length === 0) return;
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.position();
      });
    };
    // Capture: scrolls of inner containers (a dialog) do not bubble to the document.
    doc.addEventListener('scroll', reposition, { capture: true, passive: true });
    doc.defaultView?.addEventListener('resize', reposition, { passive: true });
  }

  /** Show a mark for each toggle that is on and visible; remove the others. */
  update(found: readonly FoundToggle[], visible: boolean): void {
    const on = visible ? found.filter((f) => f.on) : [];
    for (const item of this.items) {
      item.box.remove();
      item.tag.remove();
    }
    this.items = on.map((f) => {
      const hint = hintFor(f.entry);
      const box = this.doc.createElement('div');
      box.className = `mark ${hint.severity}`;
      const tag = this.doc.createElement('div');
      tag.className = `tag ${hint.severity}`;
      tag.dataset.full = `⚠ ${hint.markLabel}`;
      tag.textContent = tag.dataset.full;
      tag.setAttribute('aria-label', hint.markLabel);
      this.root.append(box, tag);
      return { found: f, box, tag };
    });
    if (this.items.length > 0 && !this.host.isConnected) this.doc.documentElement.append(this.host);
    if (this.items.length === 0) this.host.remove();
    this.position();
  }

  private position(): void {
    const width = this.doc.documentElement.clientWidth;
    const height = this.doc.documentElement.clientHeight;
    for (const { found, box, tag } of this.items) {
      const r = found.row.getBoundingClientRect();
      box.style.left = `${r.left}px`;
      box.style.top = `${r.top}px`;
      box.style.width = `${r.width}px`;
      box.style.height = `${r.height}px`;
      // Measure the full label, then place it (or its compact form) where it covers nothing.
      tag.textContent = tag.dataset.full ?? '';
      tag.classList.remove('compact');
      const size = {
        width: tag.offsetWidth || 180,
        height: tag.offsetHeight || 18,
        compactWidth: 24,
      };
      const at = tagPosition(r, contentRight(found), size, { width, height }, (b) =>
        freeOfControls(this.doc, found.row, b),
      );
      if (at.compact) {
        tag.textContent = '⚠';
        tag.classList.add('compact');
      }
      tag.style.left = `${at.left}px`;
      tag.style.top = `${at.top}px`;
    }
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.host.remove();
  }
}

/**
 * Where the row's own content (its text and its toggle) ends on the right. The row element itself
 * often spans its whole grid cell or line, so measure what it holds: a Range over its contents
 * gives the union of its children's and text's boxes.
 */
function contentRight(f: FoundToggle): number {
  // The range covers the toggle too: the row holds it.
  const range = f.row.ownerDocument.createRange();
  range.selectNodeContents(f.row);
  const inner = range.getBoundingClientRect();
  return inner.width > 0 ? inner.right : f.row.getBoundingClientRect().left;
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * True if nothing of the page's but blank space lies under the box: at points across it the
 * topmost element is the marked row itself (its empty part) or one of its containers. Our own
 * layer is click-through (pointer-events: none), so hit-testing sees through it; the guide panel
 * counts as something to keep clear of. Off-screen points are not free.
 */
export function freeOfControls(doc: Document, row: Element, box: Box): boolean {
  const xs = [box.left + 2, box.left + box.width / 2, box.left + box.width - 2];
  for (let x = box.left + 20; x < box.left + box.width - 20; x += 20) xs.push(x);
  const ys = [box.top + 2, box.top + box.height / 2, box.top + box.height - 2];
  for (const x of xs)
    for (const y of ys) {
      const hit = doc.elementFromPoint(x, y);
      if (!hit) return false;
      if (hit !== row && !hit.contains(row)) return false;
    }
  return true;
}

/**
 * Where the label goes: beside the row's controls, never over them or over a neighbour's (the
 * toggles sit close together in grids). In order: the row's empty space just after its text and
 * toggle; right of the row; left of it; above; below — the first spot `isFree` accepts. If none
 * is free, a compact label ("⚠", `compactWidth` wide) in the same order, and at the last resort
 * just after the row's content.
 */
export function tagPosition(
  row: { left: number; right: number; top: number; height: number },
  contentEnd: number,
  tag: { width: number; height: number; compactWidth: number },
  viewport: { width: number; height: number },
  isFree: (box: Box) => boolean,
): { left: number; top: number; compact: boolean } {
  const middle = row.top + row.height / 2 - tag.height / 2;
  const after = Math.max(row.left, contentEnd) + 10;
  const spots = (width: number): { left: number; top: number }[] => [
    { left: after, top: middle },
    { left: row.right + 10, top: middle },
    { left: row.left - 10 - width, top: middle },
    { left: Math.max(row.left, after - width / 2), top: row.top - tag.height - 6 },
    { left: Math.max(row.left, after - width / 2), top: row.top + row.height + 6 },
  ];
  const inView = (b: Box): boolean =>
    b.left >= 0 &&
    b.top >= 0 &&
    b.left + b.width <= viewport.width &&
    b.top + b.height <= viewport.height;
  for (const [width, compact] of [
    [tag.width, false],
    [tag.compactWidth, true],
  ] as const) {
    for (const [i, at] of spots(width).entries()) {
      const box = { ...at, width, height: tag.height };
      if (i === 0 && box.left + width > row.right - 2) continue; // the row has no room for it
      if (inView(box) && isFree(box)) return { ...at, compact };
    }
  }
  return { left: after, top: middle, compact: true };
}
