/** Checks the locale catalogues that i18n.ts reads, and every key the pages and manifest use. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

interface Entry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}
type Catalogue = Record<string, Entry>;

const root = path.resolve(import.meta.dirname, '../..');
const localesDir = path.join(root, 'public/_locales');
const LOCALES = ['cs', 'de', 'en', 'fr', 'nl', 'pl'];

function load(locale: string): Catalogue {
  return JSON.parse(readFileSync(path.join(localesDir, locale, 'messages.json'), 'utf8')) as Catalogue;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)],
  );
}

/** $NAME$ tokens of a message, lower-cased; "$$" is a literal dollar sign. */
function tokens(message: string): string[] {
  return [...message.replaceAll('$$', '').matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1]!.toLowerCase()).sort();
}

const en = load('en');

describe('locale catalogues', () => {
  it('exist for exactly the supported locales', () => {
    expect(readdirSync(localesDir).sort()).toEqual(LOCALES);
  });

  it('English keys are valid message names with non-empty text', () => {
    for (const [key, entry] of Object.entries(en)) {
      expect(key).toMatch(/^[A-Za-z0-9_]+$/);
      expect(entry.message.trim(), key).not.toBe('');
    }
  });

  it('fit the store limits', () => {
    for (const locale of LOCALES) {
      const c = load(locale);
      expect(c.extName?.message.length, locale).toBeLessThanOrEqual(45);
      expect(c.extDescription?.message.length, locale).toBeLessThanOrEqual(132);
    }
  });

  describe.each(LOCALES)('%s', (locale) => {
    const catalogue = load(locale);

    it('has every English key and no other', () => {
      expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
    });

    it('has no empty message', () => {
      for (const [key, entry] of Object.entries(catalogue)) expect(entry.message.trim(), key).not.toBe('');
    });

    it('declares the same placeholders as English and uses each of them', () => {
      for (const [key, entry] of Object.entries(catalogue)) {
        const reference = en[key];
        if (!reference) continue;
        const declared = Object.keys(entry.placeholders ?? {}).map((p) => p.toLowerCase()).sort();
        expect(declared, key).toEqual(Object.keys(reference.placeholders ?? {}).map((p) => p.toLowerCase()).sort());
        for (const [name, p] of Object.entries(entry.placeholders ?? {})) {
          expect(p.content, `${key}.${name}`).toBe(reference.placeholders?.[name]?.content);
        }
        expect([...new Set(tokens(entry.message))], key).toEqual(declared);
      }
    });
  });
});

describe('keys used by the extension', () => {
  it('every data-i18n key in the pages is in the English catalogue', () => {
    const html = walk(path.join(root, 'src')).filter((f) => f.endsWith('.html'));
    expect(html.length).toBeGreaterThan(0);
    for (const file of html) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]*)"/g)) {
        expect(en, `${path.relative(root, file)}: ${m[1]}`).toHaveProperty([m[1]!]);
      }
    }
  });

  it('every __MSG_key__ in manifest.json is in the English catalogue', () => {
    const manifest = readFileSync(path.join(root, 'manifest.json'), 'utf8');
    const keys = [...manifest.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)].map((m) => m[1]!);
    expect(keys).toContain('extName');
    for (const key of keys) expect(en).toHaveProperty([key]);
  });
});
