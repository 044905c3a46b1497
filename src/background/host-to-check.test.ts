import { describe, expect, it } from 'vitest';
import { hostToCheck, isExcluded } from './host-to-check';

describe('hostToCheck', () => {
  it.each([
    ['https://www.Example.org/path?q=1', 'www.example.org'],
    ['http://example.org:8080/', 'example.org'],
    ['https://example.org./', 'example.org'],
    ['https://příklad.cz/', 'xn--pklad-zsa96e.cz'],
    ['about:blank', null],
    ['moz-extension://abc/popup.html', null],
    ['chrome://settings', null],
    ['file:///etc/hosts', null],
    ['https://192.0.2.1/', null],
    ['https://[2001:db8::1]/', null],
    ['not a url', null],
    [undefined, null],
  ])('%s → %s', (url, host) => {
    expect(hostToCheck(url, [])).toBe(host);
  });

  it('returns null for excluded hosts', () => {
    expect(hostToCheck('https://intranet.corp.example/', ['*.corp.example'])).toBeNull();
    expect(hostToCheck('https://corp.example/', ['*.corp.example'])).toBeNull();
    expect(hostToCheck('https://notcorp.example/', ['*.corp.example'])).toBe('notcorp.example');
  });
});

describe('isExcluded', () => {
  it('matches exact names and wildcards, ignoring invalid lines', () => {
    const list = ['Example.org.', '*.test.example', 'bad line'];
    expect(isExcluded('example.org', list)).toBe(true);
    expect(isExcluded('www.example.org', list)).toBe(false);
    expect(isExcluded('a.b.test.example', list)).toBe(true);
    expect(isExcluded('test.example', list)).toBe(true);
    expect(isExcluded('xtest.example', list)).toBe(false);
    expect(isExcluded('bad line', list)).toBe(false);
  });
});
