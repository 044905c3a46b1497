import { describe, expect, it } from 'vitest';
import { wildcardInfo } from './wildcard';

describe('wildcardInfo (RFC 4035 §5.3.4, RFC 4034 §3.1.3, RFC 5155 §8.8)', () => {
  it('RRSIG Labels equal to the owner labels: not synthesized', () => {
    expect(wildcardInfo('a.example.', 2)).toEqual({ synthesized: false, source: 'a.example.', closestEncloser: 'a.example.', nextCloser: 'a.example.' });
  });
  it('RFC 5155 B.4: a.z.w.example with Labels 2 comes from *.w.example', () => {
    expect(wildcardInfo('a.z.w.example.', 2)).toEqual({
      synthesized: true,
      source: '*.w.example.',
      closestEncloser: 'w.example.',
      nextCloser: 'z.w.example.',
    });
  });
  it('one label below the wildcard', () => {
    expect(wildcardInfo('foo.wild.example.test.', 3)).toEqual({
      synthesized: true,
      source: '*.wild.example.test.',
      closestEncloser: 'wild.example.test.',
      nextCloser: 'foo.wild.example.test.',
    });
  });
  it('wildcard at the root: Labels 0', () => {
    expect(wildcardInfo('a.b.', 0)).toEqual({ synthesized: true, source: '*.', closestEncloser: '.', nextCloser: 'b.' });
  });
  it('the wildcard owner itself (RFC 4034 §3.1.3: "*" not counted) is not an expansion', () => {
    expect(wildcardInfo('*.w.example.', 2)).toEqual({ synthesized: false, source: '*.w.example.', closestEncloser: '*.w.example.', nextCloser: '*.w.example.' });
  });
  it('a literal "*" name expanded from a wildcard higher up', () => {
    expect(wildcardInfo('*.w.example.', 1)).toEqual({ synthesized: true, source: '*.example.', closestEncloser: 'example.', nextCloser: 'w.example.' });
  });
  it('keeps the case of the owner', () => {
    expect(wildcardInfo('Foo.Wild.Example.', 2)).toMatchObject({ source: '*.Wild.Example.', closestEncloser: 'Wild.Example.' });
  });
  it('Labels above the owner label count is invalid (RFC 4035 §5.3.1)', () => {
    expect(wildcardInfo('a.example.', 3)).toEqual({ invalid: true });
    expect(wildcardInfo('*.w.example.', 3)).toEqual({ invalid: true }); // "*" does not count
    expect(wildcardInfo('.', 1)).toEqual({ invalid: true });
  });
  it('nonsense Labels values are invalid', () => {
    expect(wildcardInfo('a.example.', -1)).toEqual({ invalid: true });
    expect(wildcardInfo('a.example.', 1.5)).toEqual({ invalid: true });
    expect(wildcardInfo('a.example.', Number.NaN)).toEqual({ invalid: true });
  });
});
