import { basename, join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseName } from '../core/wire/name';
import { SVG_NAME_LIMITS, svgFileName } from './svg-names';

/** The file name of a batch line, as batch.ts derives it (canonical name first). */
const fileOf = (line: string) => svgFileName(parseName(line)!);
const SAFE = /^[a-z0-9._-]+\.svg$/;

describe('--batch --svg <dir>: file names of the pictures', () => {
  test('a plain name keeps its readable form; case and the final dot do not matter (same name, same file)', () => {
    expect(fileOf('www.example.test')).toBe('www.example.test.svg');
    expect(fileOf('WWW.Example.TEST.')).toBe('www.example.test.svg');
    expect(fileOf('_25._tcp.mail.test')).toBe('_5f25._5ftcp.mail.test.svg');
  });

  test('hostile names stay inside the directory', () => {
    const dir = resolve('/pics');
    for (const line of ['../x', '..', '../../etc/passwd', 'a/b.test', 'a\\047b.test', '\\.\\.\\047x', '\\092..\\092x', 'x\\000y.test', '-rf.test', 'con', 'NUL.test', 'a\\ b.test', '.']) {
      const name = parseName(line);
      if (name === null) continue; // not a name: the line is an error, no picture
      const f = svgFileName(name);
      expect(f, line).toMatch(SAFE);
      expect(f, line).not.toMatch(/^[.-]/);
      expect(basename(f)).toBe(f);
      expect(resolve(dir, f).startsWith(dir + '/')).toBe(true);
      expect(join(dir, f)).toBe(`${dir}/${f}`);
    }
    expect(fileOf('a\\047b.test')).toBe('a_5c047b.test.svg'); // the canonical name's escape, escaped again
    expect(fileOf('-rf.test')).toBe('_2drf.test.svg');
    expect(fileOf('con')).toBe('_63on.svg');
    expect(fileOf('.')).toBe('_2e.svg');
  });

  test('different names never share a file; very long names are cut with a hash', () => {
    const names = ['a-b.test', 'a_b.test', 'a\\.b.test', 'a.b.test', 'A\\046b.test', 'a\\095b.test', 'x', '_78', '_2e', '\\095', 'con', '_63on'];
    const files = names.map((n) => [parseName(n)!.toLowerCase(), fileOf(n)] as const);
    const byName = new Map(files);
    expect(new Set(byName.values()).size).toBe(byName.size);
    const label = 'a'.repeat(63);
    const long1 = [label, label, label, 'b'.repeat(60)].join('.');
    const long2 = [label, label, label, 'c'.repeat(60)].join('.');
    const escaped = Array.from({ length: 4 }, () => '\\255'.repeat(60)).join('.');
    for (const n of [long1, long2, escaped]) {
      const f = fileOf(n);
      expect(f).toMatch(SAFE);
      expect(f.length).toBeLessThanOrEqual(SVG_NAME_LIMITS.maxStem + 4);
      expect(f).toMatch(new RegExp(`__[0-9a-f]{${SVG_NAME_LIMITS.hashHex}}\\.svg$`));
    }
    expect(fileOf(long1)).not.toBe(fileOf(long2));
    expect(fileOf(long1.toUpperCase())).toBe(fileOf(long1));
  });

  test('any name: a safe file name, and one-to-one on names (case folded)', () => {
    const label = fc.stringMatching(/^([a-zA-Z0-9_*/ .-]|\\[0-9]{3}){1,20}$/);
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 4 }), fc.array(label, { minLength: 1, maxLength: 4 }), (a, b) => {
        const na = parseName(a.join('.'));
        const nb = parseName(b.join('.'));
        if (!na || !nb) return;
        const fa = svgFileName(na);
        expect(fa).toMatch(SAFE);
        const same = na.replace(/[A-Z]/g, (c) => c.toLowerCase()) === nb.replace(/[A-Z]/g, (c) => c.toLowerCase());
        expect(fa === svgFileName(nb)).toBe(same);
      }),
      { numRuns: 2000 },
    );
  });
});
