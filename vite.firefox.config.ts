import { defineConfig } from 'vite';
import type { ManifestV3Export } from '@crxjs/vite-plugin';
import base, { extensionPlugins } from './vite.config';
import manifest from './manifest.json' with { type: 'json' };
import {
  FIREFOX_BUILD_TARGET,
  firefoxManifest,
  type ChromeManifest,
} from './dev/build/firefox-manifest';

// The Firefox build: the same inputs as vite.config.ts (every page, script and option it lists),
// with the manifest derived from manifest.json (dev/build/firefox-manifest.ts) and crxjs in its
// Firefox mode (background.scripts, no use_dynamic_url). Output: dist/firefox (about:debugging →
// Load Temporary Add-on, or web-ext run); `npm run xpi` packs it.
export default defineConfig({
  ...base,
  plugins: extensionPlugins(
    firefoxManifest(manifest as ChromeManifest) as unknown as ManifestV3Export,
    'firefox',
  ),
  build: { ...base.build, outDir: 'dist/firefox', target: FIREFOX_BUILD_TARGET },
});
