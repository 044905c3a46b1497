// ESLint flat config. Besides the usual recommended rules it keeps src/core pure: the core runs
// unchanged in the extension, in Node (CLI, tests) and in workers, so it must not reach for
// browser-extension APIs, Node built-ins or the UI layers.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const UI_LAYERS = ['background', 'popup', 'options', 'ui'];
const MAX_CORE_DEPTH = 8;
const PURITY = 'src/core must stay free of browser-extension APIs, Node built-ins and UI code.';
const SOURCE = '{ts,mts,cts,js,mjs,cjs}';

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.replace(/[/.]/g, '\\$&'));

/**
 * no-restricted-imports for a file `depth` folders below src/core: a relative import that climbs
 * depth + 1 levels lands in src/, so "../" × (depth + 1) followed by a UI layer is forbidden.
 */
function coreImportRule(depth, allowNode) {
  const up = '\\.\\./'.repeat(depth + 1);
  const layers = UI_LAYERS.join('|');
  const patterns = [
    { regex: `^${up}(${layers})(/|$)`, message: PURITY },
    { regex: `(^|/)src/(${layers})(/|$)`, message: PURITY },
    { group: ['webextension-polyfill/*'], message: PURITY },
  ];
  if (!allowNode) {
    patterns.push({ regex: `^node:`, message: `${PURITY} (node: is allowed in *.test.ts only)` });
    patterns.push({ regex: `^(${nodeBuiltins.join('|')})(/|$)`, message: PURITY });
  }
  return ['error', { paths: [{ name: 'webextension-polyfill', message: PURITY }], patterns }];
}

const coreDepthConfigs = Array.from({ length: MAX_CORE_DEPTH + 1 }, (_, depth) => {
  const dir = `src/core/${'*/'.repeat(depth)}`;
  return [
    {
      name: `core-purity/depth-${depth}`,
      files: [`${dir}*.${SOURCE}`],
      ignores: [`${dir}*.test.${SOURCE}`],
      rules: { 'no-restricted-imports': coreImportRule(depth, false) },
    },
    {
      name: `core-purity/depth-${depth}-tests`,
      files: [`${dir}*.test.${SOURCE}`],
      rules: { 'no-restricted-imports': coreImportRule(depth, true) },
    },
  ];
}).flat();

const extensionGlobal = (name) => ({ name, message: `${PURITY} Pass what the core needs as a parameter.` });
const viaGlobalObject = ['globalThis', 'self', 'window'].flatMap((object) =>
  ['browser', 'chrome'].map((property) => ({ object, property, message: PURITY })),
);

export default defineConfig([
  { ignores: ['dist/', 'node_modules/', 'test/world/run/', 'test/artifacts/', 'coverage/', 'scratch/', 'demo-output/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'project/defaults',
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // Best-effort cleanup (`try { … } catch {}`) is fine; other empty blocks are not.
      'no-empty': ['error', { allowEmptyCatch: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    name: 'project/commonjs',
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    name: 'project/extension-pages',
    files: ['src/background/**', 'src/popup/**', 'src/options/**', 'src/ui/**', 'src/shared/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.webextensions } },
  },
  {
    name: 'project/node',
    files: ['scripts/**', 'test/**', 'bench/**', 'src/cli/**', 'bin/**', '*.config.{js,ts,mjs}', '**/*.test.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    name: 'core-purity/globals',
    files: [`src/core/**/*.${SOURCE}`],
    languageOptions: { globals: { ...globals.es2021, ...globals.worker } },
    rules: {
      'no-restricted-globals': ['error', extensionGlobal('browser'), extensionGlobal('chrome')],
      'no-restricted-properties': ['error', ...viaGlobalObject],
    },
  },
  ...coreDepthConfigs,
]);
