/**
 * Is a page element a permission toggle, and is it on? Exchanges build toggles in many ways
 * (native checkboxes, ARIA switches, class-styled divs), so the rules read a small, plain view of
 * an element: pure, and testable without a DOM.
 */

/** What the rules need to know about one element. */
export interface ToggleView {
  /** Lower-case tag name. */
  tag: string;
  /** `type` of an <input>. */
  inputType?: string | null;
  /** The live `checked` property of a checkbox/radio input (not the attribute). */
  checked?: boolean;
  role?: string | null;
  ariaChecked?: string | null;
  ariaPressed?: string | null;
  /** `data-state` (Radix-style components: "checked" / "unchecked", "on" / "off"). */
  dataState?: string | null;
  classes: readonly string[];
}

/** A class that names a toggle component: `ant-switch`, `okui-checkbox`, `switch`, `by-toggle`. */
const COMPONENT_CLASS = /(^|[-_])(switch|toggle|checkbox)$/i;
/** A class that marks one as on: `checked`, `is-checked`, `ant-switch-checked`, `active`, `switch--on`. */
const ON_CLASS = /(^|[-_])(checked|active|on|selected)$/i;
const TOGGLE_ROLES = new Set(['switch', 'checkbox']);

/** The element states its state explicitly (a native checkbox or an ARIA/data attribute). */
export function explicitState(v: ToggleView): boolean | null {
  if (v.tag === 'input' && v.inputType === 'checkbox') return v.checked === true;
  if (v.ariaChecked != null) return v.ariaChecked === 'true' || v.ariaChecked === 'mixed';
  if (v.ariaPressed != null) return v.ariaPressed === 'true' || v.ariaPressed === 'mixed';
  if (v.dataState != null) {
    const s = v.dataState.toLowerCase();
    if (s === 'checked' || s === 'on') return true;
    if (s === 'unchecked' || s === 'off') return false;
  }
  return null;
}

export function isToggleLike(v: ToggleView): boolean {
  if (v.tag === 'input') return v.inputType === 'checkbox';
  if (v.role != null && TOGGLE_ROLES.has(v.role.toLowerCase())) return true;
  if (v.ariaChecked != null || v.ariaPressed != null) return true;
  return v.classes.some((c) => COMPONENT_CLASS.test(c));
}

/** On/off from the element's own markers; a class-styled toggle without an "on" class is off. */
export function toggleState(v: ToggleView): boolean | null {
  const explicit = explicitState(v);
  if (explicit !== null) return explicit;
  if (!isToggleLike(v)) return null;
  return v.classes.some((c) => ON_CLASS.test(c));
}
