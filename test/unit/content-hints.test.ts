/**
 * The guide panel's DOM hints without a DOM: toggle-state rules over plain element views, label
 * matching against the profiles' catalogues, and the toggle search over small hand-built trees
 * shaped like the exchanges' markup.
 */
import { PROFILES } from '../../src/exchanges/index.js';
import {
  dangerousLabels,
  hintFor,
  matchLabel,
  normalizeLabel,
} from '../../src/content/hint-match.js';
import { locateToggle, type TreeOps } from '../../src/content/locate.js';
import { tagPosition } from '../../src/content/marks.js';
import { throttle } from '../../src/content/throttle.js';
import {
  explicitState,
  isToggleLike,
  toggleState,
  type ToggleView,
} from '../../src/content/toggle-state.js';

const v = (tag: string, more: Partial<ToggleView> = {}): ToggleView => ({
  tag,
  classes: [],
  ...more,
});

describe('toggle state', () => {
  it.each<[string, ToggleView, boolean | null]>([
    ['checked checkbox', v('input', { inputType: 'checkbox', checked: true }), true],
    ['unchecked checkbox', v('input', { inputType: 'checkbox', checked: false }), false],
    ['aria-checked switch on', v('button', { role: 'switch', ariaChecked: 'true' }), true],
    ['aria-checked switch off', v('button', { role: 'switch', ariaChecked: 'false' }), false],
    ['aria-pressed button', v('button', { ariaPressed: 'true' }), true],
    ['radix data-state', v('button', { role: 'switch', dataState: 'checked' }), true],
    [
      'ant switch on by class',
      v('button', { classes: ['ant-switch', 'ant-switch-checked'] }),
      true,
    ],
    ['ant switch off', v('button', { classes: ['ant-switch'] }), false],
    ['okx checkbox on', v('label', { classes: ['okui-checkbox', 'okui-checkbox-checked'] }), true],
    ['generic switch + active', v('div', { classes: ['switch', 'active'] }), true],
    ['switch--on', v('span', { classes: ['c-switch', 'switch--on'] }), true],
    ['is-checked', v('span', { classes: ['el-checkbox', 'is-checked'] }), true],
    [
      'aria-checked wins over an "active" class',
      v('div', { classes: ['switch', 'active'], ariaChecked: 'false' }),
      false,
    ],
    ['a text input is no toggle', v('input', { inputType: 'text' }), null],
    ['a plain div is no toggle', v('div', { classes: ['row', 'active'] }), null],
  ])('%s', (_name, view, expected) => {
    expect(toggleState(view)).toBe(expected);
  });

  it('only the component class makes an element a toggle, not its parts', () => {
    expect(isToggleLike(v('span', { classes: ['okui-checkbox-box'] }))).toBe(false);
    expect(isToggleLike(v('span', { classes: ['okui-checkbox-label'] }))).toBe(false);
    expect(isToggleLike(v('label', { classes: ['okui-checkbox'] }))).toBe(true);
    expect(isToggleLike(v('button', { classes: ['by-switch'] }))).toBe(true);
    expect(isToggleLike(v('button', { classes: ['button-on'] }))).toBe(false);
  });

  it('a class alone states nothing explicit', () => {
    expect(
      explicitState(v('label', { classes: ['okui-checkbox', 'okui-checkbox-checked'] })),
    ).toBeNull();
  });
});

describe('label matching', () => {
  const binance = dangerousLabels(PROFILES.binance);
  const bybit = dangerousLabels(PROFILES.bybit);
  const okx = dangerousLabels(PROFILES.okx);

  it('normalises case, spacing, a trailing colon or note', () => {
    expect(normalizeLabel('  Enable\n  Withdrawals : ')).toBe('enable withdrawals');
    expect(normalizeLabel('Withdraw (not recommended)')).toBe('withdraw');
  });

  it("matches each exchange's dangerous toggles by their page labels", () => {
    expect(matchLabel('Enable Withdrawals', binance)?.permission).toBe('withdraw');
    expect(matchLabel('Enable Internal Transfer', binance)?.permission).toBe('transfer');
    expect(matchLabel('Withdrawal', bybit)?.permission).toBe('withdraw');
    expect(matchLabel('Wallet', bybit)?.permission).toBe('transfer');
    expect(matchLabel('Withdraw', okx)?.permission).toBe('withdraw');
  });

  it('ignores what is to be enabled, and longer texts that merely contain a label', () => {
    expect(matchLabel('Enable Reading', binance)).toBeNull();
    expect(matchLabel('Trade', okx)).toBeNull();
    expect(matchLabel('How to withdraw crypto from Binance', binance)).toBeNull();
    expect(matchLabel('Withdraw history', okx)).toBeNull();
  });

  it('says what to untick, with the exchange’s own toggle name', () => {
    const w = PROFILES.binance.permissionCatalogue.find((e) => e.permission === 'withdraw')!;
    expect(hintFor(w)).toMatchObject({
      severity: 'danger',
      message: 'Withdrawals are ON: untick "Enable Withdrawals".',
    });
    const t = PROFILES.binance.permissionCatalogue.find(
      (e) => e.apiNames[0] === 'enableInternalTransfer',
    )!;
    expect(hintFor(t)).toMatchObject({
      severity: 'caution',
      message: 'Transfers are ON: untick "Enable Internal Transfer".',
    });
    const bybitW = PROFILES.bybit.permissionCatalogue.find((e) => e.permission === 'withdraw')!;
    expect(hintFor(bybitW).message).toBe('Withdrawals are ON: untick "Withdrawal" under Wallet.');
  });
});

/** A tiny element tree: enough of the DOM for locateToggle. */
interface N {
  view: ToggleView;
  attrs: Record<string, string>;
  children: N[];
  parent: N | null;
}
function el(
  tag: string,
  props: Partial<ToggleView> & { attrs?: Record<string, string> } = {},
  ...children: N[]
): N {
  const { attrs = {}, ...view } = props;
  const n: N = { view: { tag, classes: [], ...view }, attrs, children, parent: null };
  for (const c of children) c.parent = n;
  return n;
}
const all = (n: N): N[] => [n, ...n.children.flatMap(all)];
function opsFor(root: N): TreeOps<N> {
  return {
    parent: (n) => n.parent,
    children: (n) => n.children,
    isToggle: (n) => isToggleLike(n.view),
    explicitState: (n) => explicitState(n.view),
    state: (n) => toggleState(n.view),
    labelled: (n) =>
      n.attrs.for ? (all(root).find((x) => x.attrs.id === n.attrs.for) ?? null) : null,
    hasOwnName: (n) => 'aria-label' in n.attrs,
  };
}

describe('finding the toggle a text labels', () => {
  it('Binance: a styled label around a hidden checkbox (the checkbox decides)', () => {
    const input = el('input', { inputType: 'checkbox', checked: true });
    const text = el('span');
    const row = el('label', { classes: ['bn-checkbox'] }, input, el('span'), text);
    const root = el(
      'div',
      {},
      row,
      el('label', { classes: ['bn-checkbox'] }, el('input', { inputType: 'checkbox' }), el('span')),
    );
    expect(locateToggle(text, opsFor(root))).toEqual({ control: row, row, on: true });
  });

  it('Bybit: a row with an ARIA switch next to the text', () => {
    const sw = el('button', { role: 'switch', ariaChecked: 'false', classes: ['by-switch'] });
    const text = el('span');
    const row = el('div', { classes: ['perm-item'] }, sw, text);
    const group = el('div', {}, el('div'), row);
    expect(locateToggle(text, opsFor(group))).toEqual({ control: sw, row, on: false });
  });

  it('OKX: a class-styled checkbox that contains its text', () => {
    const text = el('span', { classes: ['okui-checkbox-label'] });
    const box = el(
      'label',
      { classes: ['okui-checkbox', 'okui-checkbox-checked'] },
      el('span', { classes: ['okui-checkbox-box'] }),
      text,
    );
    expect(locateToggle(text, opsFor(box))).toEqual({ control: box, row: box, on: true });
  });

  it('a <label for> that points at its checkbox elsewhere', () => {
    const input = el('input', { inputType: 'checkbox', checked: true, attrs: { id: 'w' } });
    const label = el('label', { attrs: { for: 'w' } });
    const root = el(
      'div',
      {},
      el('div', {}, label),
      el('div', {}, el('div', {}, el('div', {}, input))),
    );
    expect(locateToggle(label, opsFor(root))).toMatchObject({
      control: input,
      row: label,
      on: true,
    });
  });

  it('a group title over several toggles is ambiguous: no guess', () => {
    const title = el('div');
    const group = el(
      'div',
      {},
      title,
      el('div', {}, el('button', { role: 'switch', ariaChecked: 'true' }), el('span')),
      el('div', {}, el('button', { role: 'switch', ariaChecked: 'false' }), el('span')),
    );
    expect(locateToggle(title, opsFor(group))).toBeNull();
  });

  it('a menu link next to a named switch (e.g. "Dark mode") is not that switch', () => {
    const link = el('a');
    const header = el(
      'div',
      {},
      link,
      el('button', { role: 'switch', ariaChecked: 'true', attrs: { 'aria-label': 'Dark mode' } }),
    );
    expect(locateToggle(link, opsFor(header))).toBeNull();
  });

  it('text with no toggle nearby', () => {
    const text = el('p');
    expect(locateToggle(text, opsFor(el('div', {}, el('div', {}, text))))).toBeNull();
  });
});

describe('the mark label position', () => {
  const row = { left: 40, right: 460, top: 100, height: 20 };
  const tag = { width: 160, height: 18, compactWidth: 24 };
  const view = { width: 1280, height: 900 };
  const all = () => true;
  it('sits in the row right after its content when there is room', () => {
    expect(tagPosition(row, 200, tag, view, all)).toEqual({ left: 210, top: 101, compact: false });
  });
  it('else right of the row, else left of it, else above or below', () => {
    expect(tagPosition(row, 400, tag, view, all)).toEqual({ left: 470, top: 101, compact: false });
    // Right of the row is the next toggle of a grid (Binance's "Enable Internal Transfer").
    const notRight = (b: { left: number }) => b.left < 460;
    expect(tagPosition({ ...row, left: 240, right: 660 }, 600, tag, view, notRight)).toEqual({
      left: 70,
      top: 101,
      compact: false,
    });
    const onlyAbove = (b: { top: number }) => b.top < 100;
    expect(tagPosition(row, 400, tag, { width: 600, height: 900 }, onlyAbove)).toEqual({
      left: 330,
      top: 76,
      compact: false,
    });
  });
  it('a compact label in the row when no full-size spot is free, never over the controls', () => {
    const onlyInRow = (b: { left: number; width: number }) =>
      b.left >= 400 && b.left + b.width <= 460;
    expect(tagPosition(row, 400, tag, view, onlyInRow)).toEqual({
      left: 410,
      top: 101,
      compact: true,
    });
  });
});

describe('throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs once per interval however often it is called, and always after the last call', () => {
    const fn = vi.fn();
    const t = throttle(fn, 400);
    t();
    expect(fn).not.toHaveBeenCalled(); // asynchronous, even the first time
    vi.advanceTimersByTime(0);
    expect(fn).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 20; i++) {
      t();
      vi.advanceTimersByTime(50);
    }
    expect(fn).toHaveBeenCalledTimes(3); // at 400 and 800 ms
    vi.advanceTimersByTime(400);
    expect(fn).toHaveBeenCalledTimes(4); // the trailing run sees the last change
    t.cancel();
  });

  it('cancel drops a scheduled run', () => {
    const fn = vi.fn();
    const t = throttle(fn, 100);
    t();
    t.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).not.toHaveBeenCalled();
  });
});
