import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { crx } from '@crxjs/vite-plugin';
import manifest from './manifest.json' with { type: 'json' };

// The extension: MV3 service worker, popup, content script, the setup form (an extension page
// the guide panel shows in an iframe) and the dashboard (a full-page tab the popup opens).
// Output: dist/extension (load unpacked).
export default defineConfig({
  plugins: [preact(), crx({ manifest })],
  build: {
    outDir: 'dist/extension',
    emptyOutDir: true,
    target: 'chrome116',
    sourcemap: false,
    // crxjs copies web-accessible HTML as is and knows nothing of pages no manifest entry names;
    // listing them here makes vite bundle them.
    rollupOptions: {
      input: { setup: 'src/setup/index.html', dashboard: 'src/dashboard/index.html' },
    },
  },
  // The dev server is not used by the project; keep it loopback-only if someone starts it.
  server: { host: '127.0.0.1', strictPort: true, port: 5173, hmr: { host: '127.0.0.1' } },
});
