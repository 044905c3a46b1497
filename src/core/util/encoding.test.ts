import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bytesEqual,
  compareBytes,
  concatBytes,
  fromBase32Hex,
  fromBase64,
  fromBase64Url,
  fromHex,
  toBase32Hex,
  toBase64,
  toBase64Url,
  toHex,
} from './encoding';

const u8 = (...b: number[]) => new Uint8Array(b);
const ascii = (s: string) => new TextEncoder().encode(s);

describe('hex', () => {
  it('encodes lowercase and decodes either case', () => {
    expect(toHex(u8(0, 1, 0xab, 0xff))).toBe('0001abff');
    expect(fromHex('0001ABff')).toEqual(u8(0, 1, 0xab, 0xff));
    expect(fromHex('')).toEqual(u8());
  });
  it('returns null on bad input', () => {
    expect(fromHex('abc')).toBeNull();
    expect(fromHex('zz')).toBeNull();
    expect(fromHex('0 1')).toBeNull();
    expect(fromHex('0x')).toBeNull();
  });
});

describe('base64 (RFC 4648 §10 test vectors)', () => {
  const vectors: [string, string, string][] = [
    ['', '', ''],
    ['f', 'Zg==', 'Zg'],
    ['fo', 'Zm8=', 'Zm8'],
    ['foo', 'Zm9v', 'Zm9v'],
    ['foob', 'Zm9vYg==', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE=', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy', 'Zm9vYmFy'],
  ];
  it.each(vectors)('%s', (plain, b64, b64url) => {
    expect(toBase64(ascii(plain))).toBe(b64);
    expect(toBase64Url(ascii(plain))).toBe(b64url);
    expect(fromBase64(b64)).toEqual(ascii(plain));
    expect(fromBase64(b64url)).toEqual(ascii(plain)); // padding optional
    expect(fromBase64Url(b64url)).toEqual(ascii(plain));
  });
  it('uses the url-safe alphabet', () => {
    expect(toBase64(u8(0xfb, 0xff))).toBe('+/8=');
    expect(toBase64Url(u8(0xfb, 0xff))).toBe('-_8');
    expect(fromBase64Url('-_8')).toEqual(u8(0xfb, 0xff));
    expect(fromBase64Url('+/8')).toBeNull();
    expect(fromBase64('-_8=')).toBeNull();
  });
  it('returns null on bad input', () => {
    for (const bad of ['Z', 'Zg=', 'Zg===', 'Z=g=', 'Zm9v!', 'Zm 9v', 'Zh==', 'Zm9=']) {
      expect(fromBase64(bad), bad).toBeNull();
    }
  });
  it('round-trips random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        expect(fromBase64(toBase64(b))).toEqual(b);
        expect(fromBase64Url(toBase64Url(b))).toEqual(b);
        expect(fromHex(toHex(b))).toEqual(b);
        expect(fromBase32Hex(toBase32Hex(b))).toEqual(b);
      }),
    );
  });
});

describe('base32hex (RFC 4648 §10, §7)', () => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'co'],
    ['fo', 'cpng'],
    ['foo', 'cpnmu'],
    ['foob', 'cpnmuog'],
    ['fooba', 'cpnmuoj1'],
    ['foobar', 'cpnmuoj1e8'],
  ];
  it.each(vectors)('%s', (plain, enc) => {
    expect(toBase32Hex(ascii(plain))).toBe(enc);
    expect(fromBase32Hex(enc)).toEqual(ascii(plain));
    expect(fromBase32Hex(enc.toUpperCase())).toEqual(ascii(plain));
  });
  it('decodes an NSEC3 hash label (RFC 5155 Appendix A)', () => {
    const h = fromBase32Hex('0P9MHAVEQVM6T7VBL5LOP2U3T2RP3TOM');
    expect(h).not.toBeNull();
    expect(h!.length).toBe(20);
    expect(toBase32Hex(h!)).toBe('0p9mhaveqvm6t7vbl5lop2u3t2rp3tom');
  });
  it('accepts padding, rejects bad input', () => {
    expect(fromBase32Hex('CO======')).toEqual(ascii('f'));
    expect(fromBase32Hex('c')).toBeNull();
    expect(fromBase32Hex('cpn')).toBeNull();
    expect(fromBase32Hex('cw')).toBeNull(); // 'w' is outside the alphabet
    expect(fromBase32Hex('cp')).toBeNull(); // non-zero trailing bits
    expect(fromBase32Hex('co=')).toBeNull();
  });
});

describe('byte helpers', () => {
  it('concatBytes', () => {
    expect(concatBytes()).toEqual(u8());
    expect(concatBytes(u8(1), u8(), u8(2, 3))).toEqual(u8(1, 2, 3));
  });
  it('bytesEqual', () => {
    expect(bytesEqual(u8(1, 2), u8(1, 2))).toBe(true);
    expect(bytesEqual(u8(1, 2), u8(1))).toBe(false);
    expect(bytesEqual(u8(1, 2), u8(1, 3))).toBe(false);
  });
  it('compareBytes', () => {
    expect(compareBytes(u8(), u8())).toBe(0);
    expect(compareBytes(u8(1), u8(1, 0))).toBe(-1);
    expect(compareBytes(u8(1, 0), u8(1))).toBe(1);
    expect(compareBytes(u8(2), u8(1, 9))).toBe(1);
    expect(compareBytes(u8(0x7f), u8(0x80))).toBe(-1);
  });
});
