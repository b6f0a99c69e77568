import { defineConfig, type PluginOption } from 'vite';
import preact from '@preact/preset-vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import manifest from './manifest.json' with { type: 'json' };
import { FIREFOX_BUILD_TARGET } from './dev/build/firefox-manifest.js';
import { noPreloadHelper, popupBundle } from './dev/build/popup-bundle.js';

/** Chrome's build target (manifest.json's minimum_chrome_version); Firefox's is its own. */
const CHROME_BUILD_TARGET = 'chrome116';

/** The plugins of one browser's build (vite.firefox.config.ts builds Firefox's from the same inputs). */
export function extensionPlugins(
  m: ManifestV3Export,
  browser: 'chrome' | 'firefox' = 'chrome',
): PluginOption[] {
  return [
    preact(),
    noPreloadHelper(),
    crx({ manifest: m, browser }),
    popupBundle({
      page: manifest.action.default_popup,
      entry: 'src/popup/main.tsx',
      target: browser === 'firefox' ? FIREFOX_BUILD_TARGET : CHROME_BUILD_TARGET,
    }),
  ];
}

/**
 * The small pure modules every page and script loads (constants, message types, error text, the
 * exchanges' sites and key labels) as one chunk: left to themselves they come out as a handful of
 * files of a few hundred bytes, each with its own gzip header and dictionary (bench row 6).
 */
const SHARED_CHUNK = {
  name: 'shared',
  test: /src[\\/](?:lib[\\/]error-text|protocol[\\/](?:constants|extension-messages)|exchanges[\\/](?:sites|types|api-page|key-label|\w+[\\/]site))\.ts$/,
};

// The extension: MV3 service worker, popup, content script, the setup form (an extension page
// the guide panel shows in an iframe) and the dashboard (a full-page tab the popup opens).
// Output: dist/extension (load unpacked).
export default defineConfig({
  plugins: extensionPlugins(manifest),
  build: {
    outDir: 'dist/extension',
    emptyOutDir: true,
    target: CHROME_BUILD_TARGET,
    sourcemap: false,
    // Vite's modulepreload polyfill (a MutationObserver on every page) is for browsers without
    // <link rel="modulepreload">; Chrome 116 and Firefox 115 have it, and a missing preload only
    // costs a prefetch, never correctness.
    modulePreload: { polyfill: false },
    // crxjs copies web-accessible HTML as is and knows nothing of pages no manifest entry names;
    // listing them here makes vite bundle them.
    rollupOptions: {
      input: { setup: 'src/setup/index.html', dashboard: 'src/dashboard/index.html' },
      output: { codeSplitting: { groups: [SHARED_CHUNK] } },
    },
  },
  // The dev server is not used by the project; keep it loopback-only if someone starts it.
  server: { host: '127.0.0.1', strictPort: true, port: 5173, hmr: { host: '127.0.0.1' } },
});
