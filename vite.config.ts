/**
 * Builds the extension for one browser: `vite build --mode chrome|firefox` → dist/<browser>.
 * manifest.json holds both browsers' keys ({{chrome}}. / {{firefox}}. prefixes).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import webExtension from 'vite-plugin-web-extension';
import { renderIconPixels, renderIcons } from './scripts/render-icons.mjs';

const BROWSERS = ['chrome', 'firefox'] as const;
type Browser = (typeof BROWSERS)[number];

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/** Renders src/icons/*.svg into <outDir>/icons/*-<size>.png once the bundle is written. */
function iconsPlugin(outDir: string): Plugin {
  return {
    name: 'dnssec-tlsa-validator:render-icons',
    apply: 'build',
    async writeBundle() {
      // vite-plugin-web-extension runs child builds with this config too; render once, in the parent.
      if (process.env.VITE_PLUGIN_WEB_EXTENSION_CHILD_BUILD === 'true') return;
      await renderIcons({ outDir: path.join(outDir, 'icons') });
    },
  };
}

/**
 * `virtual:icon-pixels`: the toolbar icons as RGBA pixels (scripts/render-icons.mjs), so that a
 * starting Chrome worker paints without fetching and decoding PNGs (src/background/show-state.ts).
 * Firefox's event page is a document and paints from the PNG paths: null there.
 */
function iconPixelsPlugin(browser: Browser): Plugin {
  const id = 'virtual:icon-pixels';
  return {
    name: 'dnssec-tlsa-validator:icon-pixels',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    async load(source) {
      if (source !== `\0${id}`) return null;
      return `export default ${JSON.stringify(browser === 'chrome' ? await renderIconPixels() : null)};`;
    },
  };
}

export default defineConfig(({ mode }) => {
  if (!(BROWSERS as readonly string[]).includes(mode)) {
    throw new Error(`Build with --mode ${BROWSERS.join('|')} (got "${mode}")`);
  }
  const browser = mode as Browser;
  const outDir = path.resolve(import.meta.dirname, 'dist', browser);
  return {
    build: {
      outDir,
      emptyOutDir: true,
      target: browser === 'chrome' ? 'chrome116' : 'firefox115',
      // Readable output: store reviewers read it, and it is small anyway.
      minify: false,
      sourcemap: false,
      modulePreload: false,
    },
    plugins: [
      webExtension({
        browser,
        manifest: 'manifest.json',
        // The enforcement block page is reached by redirect only, so the manifest does not list it.
        additionalInputs: ['src/blocked/index.html'],
        // Never start a browser from the build.
        disableAutoLaunch: true,
        // Validation downloads a JSON schema from the network; there is none here.
        skipManifestValidation: true,
        transformManifest: (manifest) => ({ ...manifest, version: pkg.version }),
      }),
      iconsPlugin(outDir),
      iconPixelsPlugin(browser),
    ],
  };
});
