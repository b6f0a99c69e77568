/**
 * From an element whose text names a permission to the toggle it labels, over any tree given as a
 * few functions (the DOM in the page, plain objects in the tests). Best effort and cautious: when
 * a row holds several toggles the answer is "don't know" rather than a guess.
 */

export interface TreeOps<N> {
  parent(n: N): N | null;
  children(n: N): readonly N[];
  isToggle(n: N): boolean;
  /** The element's explicit state (native checkbox, aria-checked…), null if it states none. */
  explicitState(n: N): boolean | null;
  /** Its state from its own markers, classes included. */
  state(n: N): boolean | null;
  /** The control a <label> points at (label.control), if any. */
  labelled?(n: N): N | null;
  /** The toggle names itself (aria-label / aria-labelledby): nearby text is not its label. */
  hasOwnName?(n: N): boolean;
}

export interface Located<N> {
  /** The outermost toggle element. */
  control: N;
  /** The smallest element holding both the text and the toggle: what the panel outlines. */
  row: N;
  on: boolean;
}

/** How far up from the text to look for its row (label → item → row → group). */
const MAX_UP = 3;
/** Descendants examined per ancestor: a row is small; a bigger subtree is not a row. */
const MAX_NODES = 200;

/** Toggle elements under n (n included), not descending into a toggle already found. */
function outermostToggles<N>(n: N, ops: TreeOps<N>): N[] | null {
  const found: N[] = [];
  const stack: N[] = [n];
  let seen = 0;
  while (stack.length > 0) {
    const cur = stack.pop() as N;
    if (++seen > MAX_NODES) return null;
    if (ops.isToggle(cur)) {
      found.push(cur);
      continue;
    }
    const kids = ops.children(cur);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as N);
  }
  return found;
}

/** An explicit state inside the toggle wins over its classes (a styled box around a checkbox). */
export function resolveState<N>(control: N, ops: TreeOps<N>): boolean {
  const stack: N[] = [control];
  let seen = 0;
  while (stack.length > 0 && seen++ < MAX_NODES) {
    const cur = stack.pop() as N;
    const s = ops.explicitState(cur);
    if (s !== null) return s;
    const kids = ops.children(cur);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as N);
  }
  return ops.state(control) === true;
}

export function locateToggle<N>(textEl: N, ops: TreeOps<N>): Located<N> | null {
  // 1. The text is inside the toggle itself (a switch button or a checkbox component with text).
  let n: N | null = textEl;
  for (let up = 0; n !== null && up <= MAX_UP; up++, n = ops.parent(n)) {
    if (ops.isToggle(n)) return { control: n, row: n, on: resolveState(n, ops) };
  }
  // 2. A <label for=…> that names its control elsewhere.
  n = textEl;
  for (let up = 0; n !== null && up <= 1; up++, n = ops.parent(n)) {
    const target = ops.labelled?.(n) ?? null;
    if (target !== null && ops.isToggle(target))
      return { control: target, row: n, on: resolveState(target, ops) };
  }
  // 3. The nearest ancestor that holds exactly one toggle; more than one: ambiguous, give up.
  n = ops.parent(textEl);
  for (let up = 1; n !== null && up <= MAX_UP; up++, n = ops.parent(n)) {
    const toggles = outermostToggles(n, ops);
    if (toggles === null || toggles.length > 1) return null;
    const [only] = toggles;
    if (only !== undefined && ops.hasOwnName?.(only)) return null; // e.g. a "Dark mode" switch
    if (only !== undefined) return { control: only, row: n, on: resolveState(only, ops) };
  }
  return null;
}
