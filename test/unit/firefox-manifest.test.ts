/** The Firefox manifest is derived from manifest.json in code (dev/build/firefox-manifest.ts). */
import { readFileSync } from 'node:fs';
import {
  CHROME_ONLY_KEYS,
  FIREFOX_BUILD_TARGET,
  FIREFOX_MIN_VERSION,
  firefoxManifest,
  type ChromeManifest,
} from '../../dev/build/firefox-manifest.js';
import { FIREFOX_ADDON_ID } from '../../src/protocol/constants.js';

const chrome = JSON.parse(
  readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'),
) as ChromeManifest;
const firefox = firefoxManifest(chrome);

it('keeps everything both browsers read: name, version, permissions, popup, content scripts', () => {
  for (const key of [
    'manifest_version',
    'name',
    'version',
    'description',
    'permissions',
    'action',
    'content_scripts',
  ])
    expect(firefox[key], key).toEqual(chrome[key]);
  expect(firefox.manifest_version).toBe(3);
});

it('drops the keys only Chrome reads', () => {
  for (const key of CHROME_ONLY_KEYS) expect(firefox).not.toHaveProperty(key);
  expect(chrome).toHaveProperty('key'); // still in the Chromium manifest
});

it('runs the same background module as a non-persistent event page (background.scripts)', () => {
  expect(firefox.background).toEqual({
    scripts: [chrome.background!.service_worker],
    type: 'module',
  });
  expect(firefox.background).not.toHaveProperty('persistent');
});

it('pins the add-on id the host allows by default, and Firefox 128 (ESR) as the floor', () => {
  expect(firefox.browser_specific_settings).toEqual({
    gecko: {
      id: FIREFOX_ADDON_ID,
      strict_min_version: FIREFOX_MIN_VERSION,
      data_collection_permissions: { required: ['none'] },
    },
  });
  expect(FIREFOX_MIN_VERSION).toBe('128.0');
  expect(FIREFOX_BUILD_TARGET).toBe('firefox128');
});

it('keeps the form page web-accessible to the three exchanges only, without use_dynamic_url', () => {
  const war = firefox.web_accessible_resources as Record<string, unknown>[];
  expect(war).toEqual(
    chrome.web_accessible_resources!.map((r) => ({ resources: r.resources, matches: r.matches })),
  );
  for (const r of war) expect(r).not.toHaveProperty('use_dynamic_url');
  // The Chromium manifest keeps it (security-model.md).
  expect(chrome.web_accessible_resources![0]!.use_dynamic_url).toBe(true);
});

it('refuses a manifest without a background worker or not MV3', () => {
  const { background: _bg, ...noWorker } = chrome;
  expect(() => firefoxManifest(noWorker as ChromeManifest)).toThrow(/service_worker/);
  expect(() => firefoxManifest({ ...chrome, manifest_version: 2 })).toThrow(/MV3/);
});
