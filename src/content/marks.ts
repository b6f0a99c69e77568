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
      tag.textContent = `⚠ ${hint.markLabel}`;
      this.root.append(box, tag);
      return { found: f, box, tag };
    });
    if (this.items.length > 0 && !this.host.isConnected) this.doc.documentElement.append(this.host);
    if (this.items.length === 0) this.host.remove();
    this.position();
  }

  private position(): void {
    const width = this.doc.documentElement.clientWidth;
    for (const { found, box, tag } of this.items) {
      const r = found.row.getBoundingClientRect();
      box.style.left = `${r.left}px`;
      box.style.top = `${r.top}px`;
      box.style.width = `${r.width}px`;
      box.style.height = `${r.height}px`;
      const at = tagPosition(r, contentRight(found), tag.offsetWidth || 180, width);
      tag.style.left = `${at.left}px`;
      tag.style.top = `${at.top}px`;
    }
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.host.remove();
  }
}

/** Where the row's own content (its text and its toggle) ends on the right. */
function contentRight(f: FoundToggle): number {
  return Math.max(f.label.getBoundingClientRect().right, f.control.getBoundingClientRect().right);
}

/**
 * The label goes where it covers nothing of the page's: in the row's empty space just after its
 * text and toggle, else just right of the row, else above it.
 */
export function tagPosition(
  row: { left: number; right: number; top: number; height: number },
  contentEnd: number,
  tagWidth: number,
  viewportWidth: number,
): { left: number; top: number } {
  const middle = row.top + row.height / 2 - 9;
  const after = Math.max(row.left, contentEnd) + 12;
  if (after + tagWidth <= row.right - 4) return { left: after, top: middle };
  if (row.right + 8 + tagWidth <= viewportWidth - 4) return { left: row.right + 8, top: middle };
  return {
    left: Math.max(4, Math.min(row.right - tagWidth, viewportWidth - tagWidth - 4)),
    top: Math.max(4, row.top - 22),
  };
}
