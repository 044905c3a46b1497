import { describe, expect, it } from 'vitest';
import type { TLSAData } from '../wire/types';
import { checkUsable, splitUsable } from './usable';

const rec = (usage: number, selector: number, matchingType: number, len: number): TLSAData => ({
  kind: 'TLSA',
  usage,
  selector,
  matchingType,
  data: new Uint8Array(len).fill(1),
});

describe('checkUsable (RFC 7671 §4.1)', () => {
  it('accepts every known combination with plausible data', () => {
    for (const u of [0, 1, 2, 3]) {
      for (const s of [0, 1]) {
        expect(checkUsable(rec(u, s, 0, 100)).usable).toBe(true);
        expect(checkUsable(rec(u, s, 1, 32)).usable).toBe(true);
        expect(checkUsable(rec(u, s, 2, 64)).usable).toBe(true);
      }
    }
  });
  it.each([
    [rec(4, 1, 1, 32), /usage 4/],
    [rec(255, 1, 1, 32), /usage 255/],
    [rec(3, 2, 1, 32), /selector 2/],
    [rec(3, 255, 1, 32), /selector 255/],
    [rec(3, 1, 3, 32), /matching type 3/],
    [rec(3, 1, 255, 32), /matching type 255/],
    [rec(3, 1, 1, 31), /SHA-256 digest is 31 octets, expected 32/],
    [rec(3, 1, 1, 64), /SHA-256/],
    [rec(3, 1, 2, 32), /SHA-512 digest is 32 octets, expected 64/],
    [rec(3, 1, 0, 0), /empty/],
    [rec(3, 1, 1, 0), /empty/],
  ])('rejects %o', (r, why) => {
    const u = checkUsable(r);
    expect(u.usable).toBe(false);
    if (!u.usable) expect(u.reason).toMatch(why);
  });
  it('rejects non-records without throwing', () => {
    expect(checkUsable(null as unknown as TLSAData).usable).toBe(false);
    expect(checkUsable({ kind: 'TLSA', usage: 3, selector: 1, matchingType: 1 } as unknown as TLSAData).usable).toBe(false);
  });
});

describe('splitUsable', () => {
  it('keeps original indices', () => {
    const s = splitUsable([rec(9, 1, 1, 32), rec(3, 1, 1, 32), rec(3, 1, 1, 1)]);
    expect(s.usable.map((x) => x.index)).toEqual([1]);
    expect(s.unusable.map((x) => x.index)).toEqual([0, 2]);
  });
  it('tolerates a non-array', () => {
    expect(splitUsable(undefined as unknown as TLSAData[])).toEqual({ usable: [], unusable: [], setAside: [] });
  });
  it('digest algorithm agility (RFC 7671 §9): a SHA2-256 record is set aside beside a SHA2-512 one of the same usage and selector, Full(0) and other pairs kept', () => {
    const s = splitUsable([rec(3, 1, 1, 32), rec(3, 1, 2, 64), rec(3, 1, 0, 91), rec(3, 0, 1, 32), rec(2, 1, 1, 32), rec(2, 0, 2, 64)]);
    expect(s.usable.map((x) => x.index)).toEqual([1, 2, 3, 4, 5]);
    expect(s.setAside.map((x) => x.index)).toEqual([0]);
    expect(s.unusable).toEqual([]);
  });
  it('a malformed SHA2-512 record sets nothing aside (it is unusable, RFC 7671 §4.1)', () => {
    const s = splitUsable([rec(3, 1, 1, 32), rec(3, 1, 2, 63)]);
    expect(s.usable.map((x) => x.index)).toEqual([0]);
    expect(s.setAside).toEqual([]);
    expect(s.unusable.map((x) => x.index)).toEqual([1]);
  });
});
