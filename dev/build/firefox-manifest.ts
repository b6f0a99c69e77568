/**
 * The Firefox manifest, derived from manifest.json (the Chromium one) in code, so the two never
 * drift: the same name, version, permissions, popup, content scripts and web-accessible form page,
 * with what Firefox needs instead of what only Chrome reads. Pure; vite.firefox.config.ts builds
 * dist/firefox with it and test/unit/firefox-manifest.test.ts checks it.
 */
import { FIREFOX_ADDON_ID } from '../../src/protocol/constants.js';

/**
 * Firefox 128 (ESR) and later. Firefox 127 is the first to grant an MV3 add-on's host permissions
 * (here: the content scripts' matches) at install: before it the guide panel would stay off until
 * the user opted in on about:addons. 128 is the ESR that carries it; every API the extension
 * calls (runtime ports, connectNative, storage.local, tabs.create/onRemoved) and every web feature
 * it relies on (constructable stylesheets, closed shadow roots, ES modules in background scripts)
 * is older.
 */
export const FIREFOX_MIN_VERSION = '128.0';

/** The esbuild target matching FIREFOX_MIN_VERSION. */
export const FIREFOX_BUILD_TARGET = 'firefox128';

/** The keys of manifest.json this derivation reads (the rest is copied as is). */
export interface ChromeManifest {
  manifest_version: number;
  background?: { service_worker: string; type?: string };
  web_accessible_resources?: {
    resources: string[];
    matches?: string[];
    use_dynamic_url?: boolean;
  }[];
  [key: string]: unknown;
}

/** Keys only Chrome reads: the public key pinning the Chromium id, and Chrome's version floor. */
export const CHROME_ONLY_KEYS = ['key', 'minimum_chrome_version', 'update_url'] as const;

export function firefoxManifest(chrome: ChromeManifest): Record<string, unknown> {
  if (chrome.manifest_version !== 3) throw new Error('manifest.json must be MV3');
  const worker = chrome.background?.service_worker;
  if (!worker) throw new Error('manifest.json has no background.service_worker');
  const out: Record<string, unknown> = { ...chrome };
  for (const key of CHROME_ONLY_KEYS) delete out[key];
  // Firefox runs an MV3 background as an event page (background.scripts, non-persistent: it has no
  // extension service workers); the same module, loaded as an ES module.
  out.background = { scripts: [worker], type: chrome.background?.type ?? 'module' };
  if (chrome.web_accessible_resources) {
    // Firefox has no use_dynamic_url (its schema warns on it): every install already gets its own
    // random moz-extension:// UUID, which web pages cannot learn (docs/architecture.md, Firefox).
    out.web_accessible_resources = chrome.web_accessible_resources.map(
      ({ use_dynamic_url: _dynamic, ...rest }) => rest,
    );
  }
  out.browser_specific_settings = {
    gecko: {
      id: FIREFOX_ADDON_ID,
      strict_min_version: FIREFOX_MIN_VERSION,
      // The extension collects nothing: only the user's own host gets what they type. (Asked of
      // every new add-on by addons.mozilla.org; Firefox before 140 ignores the key, and web-ext
      // lint says so in a warning.)
      data_collection_permissions: { required: ['none'] },
    },
  };
  return out;
}
