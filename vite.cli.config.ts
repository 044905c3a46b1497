/**
 * Builds the installed commands: `vite build --config vite.cli.config.ts` (npm run build:cli) →
 * dist/cli/dnssec-tlsa.mjs and dist/cli/dnssec-tlsa-helper.mjs (the Chrome build's native helper,
 * src/helper/), plain JavaScript for Node (no TypeScript loader at run time); what both use lives
 * once, in shared chunks. The packages in "dependencies" stay imports (installed beside the
 * package); the validator is a separate chunk that `--help` and `--version` never load
 * (src/cli/run.ts).
 */
import path from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  // No public/ copying, no index.html: a Node library build.
  publicDir: false,
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: path.resolve(import.meta.dirname, 'dist/cli'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    rollupOptions: {
      // The entry names are the file names in dist/cli/ (package.json "bin").
      input: {
        'dnssec-tlsa': path.resolve(import.meta.dirname, 'src/cli/dnssec-tlsa.ts'),
        'dnssec-tlsa-helper': path.resolve(import.meta.dirname, 'src/helper/entry.ts'),
      },
      output: {
        format: 'es',
        banner: (chunk) => (chunk.isEntry ? '#!/usr/bin/env node' : ''),
        entryFileNames: '[name].mjs',
        chunkFileNames: '[name]-[hash].mjs',
      },
    },
  },
  ssr: { target: 'node' },
});
