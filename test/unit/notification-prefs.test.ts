/** Notification prefs (src/ui/notification-prefs.ts): defaults on, one switch per kind. */
import {
  DEFAULT_PREFS,
  PREFS_KEY,
  parsePrefs,
  readPrefs,
  writePref,
  type PrefsStorage,
} from '../../src/ui/notification-prefs.js';

function memoryStorage(initial: Record<string, unknown> = {}): PrefsStorage & {
  data: Record<string, unknown>;
} {
  const data = { ...initial };
  return {
    data,
    get: async (key) => (key in data ? { [key]: data[key] } : {}),
    set: async (items) => void Object.assign(data, items),
  };
}

it('defaults: every kind on', async () => {
  expect(DEFAULT_PREFS).toEqual({ orders: true, keys: true, feeds: true });
  expect(await readPrefs(memoryStorage())).toEqual(DEFAULT_PREFS);
});

it.each([
  ['nothing stored', undefined, DEFAULT_PREFS],
  ['a damaged value', 'off', DEFAULT_PREFS],
  ['a non-boolean switch', { orders: 'no' }, DEFAULT_PREFS],
  ['one switch off', { keys: false }, { ...DEFAULT_PREFS, keys: false }],
  ['an unknown key is dropped', { orders: false, spam: true }, { ...DEFAULT_PREFS, orders: false }],
])('parsePrefs: %s', (_name, stored, expected) => {
  expect(parsePrefs(stored)).toEqual(expected);
});

it('writePref switches one kind and keeps the others', async () => {
  const storage = memoryStorage({ [PREFS_KEY]: { feeds: false } });
  expect(await writePref(storage, 'orders', false)).toEqual({
    orders: false,
    keys: true,
    feeds: false,
  });
  expect(storage.data[PREFS_KEY]).toEqual({ orders: false, keys: true, feeds: false });
  expect(await readPrefs(storage)).toEqual({ orders: false, keys: true, feeds: false });
});

it('a storage that fails to read gives the defaults', async () => {
  const broken: PrefsStorage = {
    get: () => Promise.reject(new Error('no storage')),
    set: () => Promise.resolve(),
  };
  expect(await readPrefs(broken)).toEqual(DEFAULT_PREFS);
});
