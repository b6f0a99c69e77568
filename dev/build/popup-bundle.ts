/**
 * The popup's script as one file of its own, bundled apart from the other pages (bench row 6).
 *
 * In the extension's build the popup would share chunks with the setup page and the dashboard:
 * the Preact runtime, the small shared modules, and two chunks of src/ui that hold the modules
 * the popup has in common with either page, each whole (the dashboard's positions table and card
 * helpers came with it). Each file is gzipped on its own, so five scripts weigh more than one
 * holding the same code. Here the popup's entry (src/popup/main.tsx) is built once more on its
 * own, with only what it imports (tree-shaken for the popup alone), and the result — one script,
 * plus a chunk per module the popup imports dynamically (what it shows only on demand) — is
 * emitted into the extension's output; the popup page gets its <script> from this plugin, which
 * is why src/popup/index.html names none. The cost is on disk only: Preact and the shared src/ui
 * modules exist twice in dist (a page loads one copy). `vite build --watch` does not rebuild the
 * popup when only its files change.
 */
import { resolve } from 'node:path';
import { build, type Plugin, type Rolldown } from 'vite';
import preact from '@preact/preset-vite';

export interface PopupBundleOptions {
  /** The popup page as the manifest names it (its fileName in the extension's bundle). */
  page: string;
  /** The popup's script (built here, not by the extension's build). */
  entry: string;
  /** The extension build's target (chrome116, firefox128). */
  target: string;
}

const isOutput = (o: unknown): o is Rolldown.RolldownOutput =>
  typeof o === 'object' && o !== null && 'output' in o;

export function popupBundle({ page, entry, target }: PopupBundleOptions): Plugin {
  let root = process.cwd();
  return {
    name: 'sentinel:popup-bundle',
    apply: 'build',
    configResolved(config) {
      root = config.root;
    },
    // After vite's own generateBundle, which emits the HTML pages.
    generateBundle: {
      order: 'post',
      async handler(_options, bundle) {
        const html = bundle[page];
        if (!html || html.type !== 'asset')
          this.error(`the popup page ${page} is not in the build: check manifest.json's popup`);
        const built = await build({
          root,
          configFile: false,
          logLevel: 'warn',
          plugins: [preact(), noPreloadHelper()],
          build: {
            write: false,
            target,
            sourcemap: false,
            copyPublicDir: false,
            modulePreload: false,
            rollupOptions: {
              input: resolve(root, entry),
              output: {
                entryFileNames: 'assets/popup-[hash].js',
                chunkFileNames: 'assets/popup-[name]-[hash].js',
                assetFileNames: 'assets/popup-[name]-[hash][extname]',
              },
            },
          },
        });
        let script: string | undefined;
        for (const file of (Array.isArray(built) ? built : [built])
          .filter(isOutput)
          .flatMap((o) => o.output)) {
          if (file.type === 'asset') {
            this.emitFile({ type: 'asset', fileName: file.fileName, source: file.source });
            continue;
          }
          // The page links its one stylesheet itself; CSS imported from a script would be left out.
          if (file.viteMetadata?.importedCss.size)
            this.error(`${entry} imports CSS: import it from src/popup/popup.css instead`);
          if (file.isEntry) script = file.fileName;
          this.emitFile({ type: 'asset', fileName: file.fileName, source: file.code });
        }
        if (!script) this.error(`building ${entry} gave no script`);
        const text =
          typeof html.source === 'string' ? html.source : Buffer.from(html.source).toString();
        if (!text.includes('</head>')) this.error(`${page} has no </head> to put the script in`);
        html.source = text.replace(
          '</head>',
          `  <script type="module" crossorigin src="/${script}"></script>\n  </head>`,
        );
      },
    },
  };
}

/**
 * Vite wraps every dynamic import in a helper (about 0.7 KiB gzip in the popup) that preloads the
 * imported chunk's own imports and injects its CSS first. The extension's chunks loaded on demand
 * import only chunks their page has loaded already, and no CSS (the build stops if one does: the
 * CSS would then never load): the import alone does the same.
 */
export function noPreloadHelper(): Plugin {
  return {
    name: 'sentinel:no-preload-helper',
    enforce: 'pre',
    load(id) {
      if (id === '\0vite/preload-helper.js')
        return 'export const __vitePreload = (load) => load();';
    },
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle))
        if (file.type === 'chunk' && file.isDynamicEntry && file.viteMetadata?.importedCss.size)
          this.error(
            `${file.fileName} is loaded on demand and imports CSS, which only vite's preload ` +
              'helper would load: link that CSS from the page instead (or drop noPreloadHelper)',
          );
    },
  };
}
