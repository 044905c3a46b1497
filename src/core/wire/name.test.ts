import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ancestors,
  canonicalName,
  commonAncestor,
  compareNames,
  isSubdomain,
  joinName,
  labelCount,
  labelsToName,
  nameToLabels,
  nameToWire,
  namesEqual,
  parentName,
  parseName,
  readName,
  rrsigLabelCount,
  truncateToLabels,
  wildcardOf,
} from './name';
import { WireError } from './types';

const u8 = (...b: number[]) => new Uint8Array(b);
const ascii = (s: string) => new TextEncoder().encode(s);

describe('parseName', () => {
  it('adds the trailing dot and keeps case', () => {
    expect(parseName('www.Example.COM')).toBe('www.Example.COM.');
    expect(parseName('www.example.com.')).toBe('www.example.com.');
    expect(parseName('')).toBe('.');
    expect(parseName('.')).toBe('.');
    expect(parseName('*.a_b-c.test')).toBe('*.a_b-c.test.');
  });
  it('normalises escapes (RFC 1035 §5.1)', () => {
    expect(parseName('a\\.b.example')).toBe('a\\.b.example.');
    expect(parseName('a\\\\b.example')).toBe('a\\\\b.example.');
    expect(parseName('\\065bc.example')).toBe('Abc.example.'); // \065 = 'A'
    expect(parseName('\\001.z.example')).toBe('\\001.z.example.');
    expect(parseName('sp ace.example')).toBe('sp\\032ace.example.');
    expect(parseName('\\ x.example')).toBe('\\032x.example.');
    expect(parseName('\\(x\\).example')).toBe('\\040x\\041.example.');
    expect(parseName('\\200.z.example')).toBe('\\200.z.example.');
    expect(parseName('é.example')).toBe('\\195\\169.example.'); // UTF-8 octets
    expect(parseName('a\\046b')).toBe('a\\.b.'); // \046 = '.'
  });
  it('rejects invalid text', () => {
    for (const bad of ['..', 'a..b', '.a', 'a\\', 'a\\25', 'a\\256', '\\2a5.x']) expect(parseName(bad), bad).toBeNull();
    expect(parseName('a'.repeat(63))).toBe('a'.repeat(63) + '.');
    expect(parseName('a'.repeat(64))).toBeNull();
    // 255 octets exactly: 4 × (1+62) = 252 + (1+1) + root = 255
    const max = Array(4).fill('b'.repeat(62)).join('.') + '.c';
    expect(parseName(max)).toBe(max + '.');
    expect(nameToWire(parseName(max)!).length).toBe(255);
    expect(parseName(max + 'c')).toBeNull();
  });
});

describe('labels and wire', () => {
  it('nameToLabels / labelsToName', () => {
    expect(nameToLabels('.')).toEqual([]);
    expect(nameToLabels('a\\.b.C.')).toEqual([ascii('a.b'), ascii('C')]);
    expect(labelsToName([])).toBe('.');
    expect(labelsToName([u8(0, 0x2e, 0x5c, 0x41)])).toBe('\\000\\.\\\\A.');
    expect(() => labelsToName([u8()])).toThrow(RangeError);
  });
  it('nameToWire (lowercase only ASCII A–Z, RFC 4034 §6.2)', () => {
    expect(nameToWire('.')).toEqual(u8(0));
    expect(nameToWire('Ab.C.')).toEqual(u8(2, 0x41, 0x62, 1, 0x43, 0));
    expect(nameToWire('Ab.C.', true)).toEqual(u8(2, 0x61, 0x62, 1, 0x63, 0));
    expect(nameToWire('\\200\\192.', true)).toEqual(u8(2, 200, 192, 0));
  });
  it('round-trips arbitrary labels', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 20 }), { maxLength: 8 }), (labels) => {
        const name = labelsToName(labels);
        expect(parseName(name)).toBe(name);
        expect(nameToLabels(name)).toEqual(labels);
        expect(readName(nameToWire(name), 0)).toEqual({ name, next: nameToWire(name).length });
      }),
    );
  });
});

describe('readName (RFC 1035 §4.1.4)', () => {
  // 12 bytes of padding, then "example.com" at 12, "www" + pointer at 25.
  const msg = u8(
    ...Array(12).fill(0),
    7, ...ascii('example'), 3, ...ascii('com'), 0, // 12..24
    3, ...ascii('www'), 0xc0, 12, // 25..30
    0xc0, 25, // 31..32
  );
  it('reads plain and compressed names', () => {
    expect(readName(msg, 12)).toEqual({ name: 'example.com.', next: 25 });
    expect(readName(msg, 25)).toEqual({ name: 'www.example.com.', next: 31 });
    expect(readName(msg, 31)).toEqual({ name: 'www.example.com.', next: 33 });
  });
  it('refuses pointers when compression is off', () => {
    expect(() => readName(msg, 25, { compression: false })).toThrow(WireError);
  });
  it('respects the end bound', () => {
    expect(() => readName(msg, 12, { end: 20 })).toThrow(WireError);
  });
  it('rejects loops, forward and self pointers', () => {
    expect(() => readName(u8(0xc0, 0), 0)).toThrow(WireError); // self
    expect(() => readName(u8(0xc0, 2, 0), 0)).toThrow(WireError); // forward
    // label then pointer back to the label: loop
    expect(() => readName(u8(1, 0x61, 0xc0, 0), 0)).toThrow(/forward or looping/);
    // two pointers ping-ponging
    expect(() => readName(u8(1, 0x61, 0xc0, 4, 0xc0, 0), 4)).toThrow(WireError);
  });
  it('rejects truncation, extended label types and overlong names', () => {
    expect(() => readName(u8(3, 0x61), 0)).toThrow(WireError);
    expect(() => readName(u8(1, 0x61), 0)).toThrow(WireError); // no root label
    expect(() => readName(u8(0xc0), 0)).toThrow(WireError);
    expect(() => readName(u8(0x41, 0), 0)).toThrow(/label type/);
    expect(() => readName(u8(0x80, 0), 0)).toThrow(/label type/);
    const long: number[] = [];
    for (let i = 0; i < 5; i++) long.push(50, ...Array(50).fill(0x61)); // 255 + root = 256
    long.push(0);
    expect(() => readName(Uint8Array.from(long), 0)).toThrow(/255/);
    // Long via compression: 128 × "\001a" chained by pointers is also caught by the length rule.
    const chain: number[] = [1, 0x61, 0];
    let prev = 0;
    for (let i = 1; i < 200; i++) {
      const here = chain.length;
      chain.push(1, 0x61, 0xc0 | (prev >> 8), prev & 0xff);
      prev = here;
    }
    expect(readName(Uint8Array.from(chain), 3 + 4 * 100).name).toBe('a.'.repeat(102));
    expect(() => readName(Uint8Array.from(chain), prev)).toThrow(/255/);
  });
  it('reads a deep legal pointer chain', () => {
    // a. -> b.a. -> c.b.a. each pointing backward
    const buf = u8(1, 0x61, 0, 1, 0x62, 0xc0, 0, 1, 0x63, 0xc0, 3);
    expect(readName(buf, 7)).toEqual({ name: 'c.b.a.', next: 11 });
  });
});

describe('comparison', () => {
  it('canonicalName / namesEqual', () => {
    expect(canonicalName('WwW.Ex\\200AMPLE.')).toBe('www.ex\\200ample.');
    expect(namesEqual('Example.COM.', 'example.com.')).toBe(true);
    expect(namesEqual('example.com.', 'example.org.')).toBe(false);
  });
  it('sorts the RFC 4034 §6.1 example list', () => {
    const ordered = [
      'example.',
      'a.example.',
      'yljkjljk.a.example.',
      'Z.a.example.',
      'zABC.a.EXAMPLE.',
      'z.example.',
      '\\001.z.example.',
      '*.z.example.',
      '\\200.z.example.',
    ];
    const shuffled = [...ordered].reverse();
    shuffled.push(shuffled.shift()!);
    expect([...shuffled].sort(compareNames)).toEqual(ordered);
    for (let i = 0; i + 1 < ordered.length; i++) {
      expect(compareNames(ordered[i], ordered[i + 1])).toBe(-1);
      expect(compareNames(ordered[i + 1], ordered[i])).toBe(1);
    }
    expect(compareNames('A.example.', 'a.EXAMPLE.')).toBe(0);
    expect(compareNames('.', 'com.')).toBe(-1);
    expect(compareNames('a\\.b.', 'b.a.')).toBe(1); // one label "a.b" vs rightmost label "a" (prefix first)
  });
});

describe('hierarchy helpers', () => {
  it('isSubdomain (inclusive, case-insensitive, label-wise)', () => {
    expect(isSubdomain('www.Example.com.', 'example.COM.')).toBe(true);
    expect(isSubdomain('example.com.', 'example.com.')).toBe(true);
    expect(isSubdomain('example.com.', '.')).toBe(true);
    expect(isSubdomain('badexample.com.', 'example.com.')).toBe(false);
    expect(isSubdomain('a\\.example.com.', 'example.com.')).toBe(false);
    expect(isSubdomain('com.', 'example.com.')).toBe(false);
  });
  it('parentName, labelCount, rrsigLabelCount', () => {
    expect(parentName('www.example.com.')).toBe('example.com.');
    expect(parentName('com.')).toBe('.');
    expect(parentName('.')).toBeNull();
    expect(parentName('a\\.b.c.')).toBe('c.');
    expect(labelCount('.')).toBe(0);
    expect(labelCount('www.example.com.')).toBe(3);
    expect(rrsigLabelCount('*.example.com.')).toBe(2);
    expect(rrsigLabelCount('a.*.example.com.')).toBe(4);
    expect(rrsigLabelCount('\\042x.example.com.')).toBe(3);
    expect(rrsigLabelCount('.')).toBe(0);
    expect(rrsigLabelCount('*.')).toBe(0);
  });
  it('joinName, wildcardOf', () => {
    expect(joinName('www', 'example.com.')).toBe('www.example.com.');
    expect(joinName('_443._tcp', 'example.com.')).toBe('_443._tcp.example.com.');
    expect(joinName('com', '.')).toBe('com.');
    expect(joinName('a\\.b', 'c.')).toBe('a\\.b.c.');
    expect(joinName('', 'c.')).toBeNull();
    expect(joinName('a'.repeat(64), 'c.')).toBeNull();
    expect(joinName('x'.repeat(32), Array(4).fill('b'.repeat(55)).join('.') + '.')).toBeNull();
    expect(wildcardOf('example.com.')).toBe('*.example.com.');
    expect(wildcardOf('.')).toBe('*.');
  });
  it('ancestors, commonAncestor, truncateToLabels', () => {
    expect(ancestors('www.example.com.')).toEqual(['.', 'com.', 'example.com.', 'www.example.com.']);
    expect(ancestors('.')).toEqual(['.']);
    expect(commonAncestor('a.b.Example.com.', 'c.example.COM.')).toBe('Example.com.');
    expect(commonAncestor('a.com.', 'a.org.')).toBe('.');
    expect(truncateToLabels('a.b.example.com.', 2)).toBe('example.com.');
    expect(truncateToLabels('a.b.example.com.', 0)).toBe('.');
    expect(truncateToLabels('a.b.example.com.', 9)).toBe('a.b.example.com.');
  });
});
