/**
 * The core must run unchanged in the extension (service worker, event page), in Node (CLI,
 * tests) and in workers. This test parses every file under src/core and fails on:
 * - imports of webextension-polyfill,
 * - imports of Node built-ins (`node:*` or bare names) outside *.test.ts files,
 * - relative imports that reach src/background, src/popup, src/options or src/ui,
 * - uses of the `chrome` / `browser` extension globals.
 * ESLint (eslint.config.js) enforces the same while editing; this test is the backstop in CI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const CORE = import.meta.dirname;
const SRC = path.dirname(CORE);
const UI_LAYERS = ['background', 'popup', 'options', 'ui'].map((d) => path.join(SRC, d));
const EXTENSION_GLOBALS = new Set(['chrome', 'browser']);
const GLOBAL_OBJECTS = new Set(['globalThis', 'self', 'window']);
const NODE_BUILTINS = new Set(builtinModules);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return /\.(m|c)?[jt]s$/.test(d.name) && !d.name.endsWith('.d.ts') ? [full] : [];
  });
}

function moduleSpecifiers(sf: ts.SourceFile): { spec: string; line: number }[] {
  const found: { spec: string; line: number }[] = [];
  const add = (node: ts.Node, spec: ts.Expression | undefined): void => {
    if (spec && ts.isStringLiteralLike(spec)) {
      found.push({ spec: spec.text, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node, node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if (isImport || isRequire) add(node, node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal as ts.Expression);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function extensionGlobalUses(sf: ts.SourceFile): number[] {
  const lines: number[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const target = node.expression;
      const member = ts.isPropertyAccessExpression(node)
        ? node.name.text
        : ts.isStringLiteralLike(node.argumentExpression)
          ? node.argumentExpression.text
          : '';
      const direct = ts.isIdentifier(target) && EXTENSION_GLOBALS.has(target.text);
      const viaGlobal = ts.isIdentifier(target) && GLOBAL_OBJECTS.has(target.text) && EXTENSION_GLOBALS.has(member);
      if (direct || viaGlobal) lines.push(sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return lines;
}

/** Violations in one file's source text, as "line: reason" strings. */
export function purityViolations(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const isTest = /\.test\.(m|c)?[jt]s$/.test(file);
  const out: string[] = [];
  for (const { spec, line } of moduleSpecifiers(sf)) {
    if (spec === 'webextension-polyfill' || spec.startsWith('webextension-polyfill/')) {
      out.push(`${line}: imports ${spec}`);
    } else if (spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0]!)) {
      if (!isTest) out.push(`${line}: imports Node built-in ${spec} (allowed in *.test.ts only)`);
    } else if (spec.startsWith('.')) {
      const target = path.resolve(path.dirname(file), spec);
      if (UI_LAYERS.some((layer) => target === layer || target.startsWith(layer + path.sep))) {
        out.push(`${line}: imports UI code ${spec}`);
      }
    }
  }
  for (const line of extensionGlobalUses(sf)) out.push(`${line}: uses the chrome/browser extension API`);
  return out;
}

describe('src/core purity', () => {
  const files = sourceFiles(CORE);

  it('finds the core sources', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('has no extension API, Node built-in or UI import in any core file', () => {
    const violations = files.flatMap((file) =>
      purityViolations(file, readFileSync(file, 'utf8')).map((v) => `${path.relative(SRC, file)}:${v}`),
    );
    expect(violations).toEqual([]);
  });
});

describe('purityViolations (the scanner itself)', () => {
  const at = (name: string): string => path.join(CORE, 'dnssec', name);

  it.each([
    ["import browser from 'webextension-polyfill';", 'imports webextension-polyfill'],
    ["import type { Tabs } from 'webextension-polyfill';", 'imports webextension-polyfill'],
    ["const b = await import('webextension-polyfill');", 'imports webextension-polyfill'],
    ["import { readFile } from 'node:fs/promises';", 'Node built-in'],
    ["import { createHash } from 'crypto';", 'Node built-in'],
    ["const fs = require('fs');", 'Node built-in'],
    ["export * from '../../background/index';", 'imports UI code'],
    ["import { render } from '../../popup/render';", 'imports UI code'],
    ["import '../../ui/i18n';", 'imports UI code'],
    ['chrome.runtime.sendMessage({});', 'chrome/browser'],
    ['const id = browser.runtime.id;', 'chrome/browser'],
    ["const api = globalThis['chrome'];", 'chrome/browser'],
    ['const api = self.browser;', 'chrome/browser'],
  ])('flags %s', (source, reason) => {
    const found = purityViolations(at('x.ts'), source);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(reason);
  });

  it.each([
    "import { sha256 } from '../crypto/hash';",
    "import { Name } from '../wire/types';",
    "import { p256 } from '@noble/curves/nist.js';",
    '// chrome.runtime is not used here, nor browser.tabs',
    "const s = 'browser.runtime';",
    'const x = { browser: 1 }.browser; const subtle = crypto.subtle;',
    "import { parse } from '../options';",
  ])('accepts %s', (source) => {
    expect(purityViolations(at('x.ts'), source)).toEqual([]);
  });

  it('allows Node built-ins in test files only', () => {
    expect(purityViolations(at('x.test.ts'), "import { readFileSync } from 'node:fs';")).toEqual([]);
    expect(purityViolations(at('x.test.ts'), "import b from 'webextension-polyfill';")).toHaveLength(1);
  });
});
