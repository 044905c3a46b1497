import { describe, expect, it } from 'vitest';
import { hostToCheck, isExcluded, skipReasonForHost, targetFor, type HostRules } from './host-rules';

const defaults: HostRules = { exclusions: [], skipTestDomains: true, privateWindows: false };
const testWorld: HostRules = { ...defaults, skipTestDomains: false };

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

describe('skipReasonForHost', () => {
  it.each([
    ['192.0.2.1', 'ip-literal'],
    ['10.1.2.3', 'ip-literal'],
    ['[::1]', 'ip-literal'],
    ['localhost', 'special-use'],
    ['app.localhost', 'special-use'],
    ['intranet', 'single-label'],
    ['printer.local', 'special-use'],
    ['router.home.arpa', 'special-use'],
    ['db.internal', 'special-use'],
    ['x.invalid', 'special-use'],
    ['duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion', 'special-use'],
    ['foo.alt', 'special-use'],
    ['1.2.0.192.in-addr.arpa', 'special-use'],
    ['b.a.9.8.ip6.arpa', 'special-use'],
    ['www.alg13.test', 'test-domain'],
    ['www.dane.example', 'test-domain'],
    ['example', 'single-label'],
    ['www.example.org', null],
    ['example.com', null],
    ['mylocal.org', null], // suffix match is per label
    ['internal.example.net', null],
    ['', 'not-web'],
  ])('%s → %s (defaults)', (host, reason) => {
    expect(skipReasonForHost(host, defaults)).toBe(reason);
  });

  it('checks the test TLDs when skipTestDomains is off, but never the special-use names', () => {
    expect(skipReasonForHost('www.alg13.test', testWorld)).toBeNull();
    expect(skipReasonForHost('www.dane.example', testWorld)).toBeNull();
    expect(skipReasonForHost('printer.local', testWorld)).toBe('special-use');
    expect(skipReasonForHost('localhost', testWorld)).toBe('special-use');
  });

  it('applies the user exclusions, with wildcard suffixes', () => {
    const rules = { ...defaults, exclusions: ['*.corp.example.org', 'intranet.example.net'] };
    expect(skipReasonForHost('corp.example.org', rules)).toBe('excluded');
    expect(skipReasonForHost('a.b.corp.example.org', rules)).toBe('excluded');
    expect(skipReasonForHost('xcorp.example.org', rules)).toBeNull();
    expect(skipReasonForHost('intranet.example.net', rules)).toBe('excluded');
    expect(skipReasonForHost('www.intranet.example.net', rules)).toBeNull();
  });
});

describe('targetFor', () => {
  it('gives host, port and scheme for web URLs', () => {
    expect(targetFor('https://www.Example.org/x', defaults)).toEqual({ check: true, host: 'www.example.org', port: 443, https: true });
    expect(targetFor('http://example.org/', defaults)).toEqual({ check: true, host: 'example.org', port: 80, https: false });
    expect(targetFor('https://port.dane.test:8443/', testWorld)).toEqual({
      check: true,
      host: 'port.dane.test',
      port: 8443,
      https: true,
    });
  });

  it('skips non-web URLs without a host', () => {
    for (const url of [undefined, '', 'about:blank', 'chrome://newtab/', 'moz-extension://x/y.html', 'data:text/plain,x', 'nope']) {
      expect(targetFor(url, defaults)).toEqual({ check: false, host: null, reason: 'not-web' });
    }
  });

  it('keeps the host of a skipped web URL for display', () => {
    expect(targetFor('https://printer.local/', defaults)).toEqual({ check: false, host: 'printer.local', reason: 'special-use' });
    expect(targetFor('https://[2001:db8::1]:8443/', defaults)).toEqual({ check: false, host: '[2001:db8::1]', reason: 'ip-literal' });
  });

  it('does no lookups in private windows unless allowed', () => {
    expect(targetFor('https://example.org/', defaults, true)).toEqual({ check: false, host: 'example.org', reason: 'private-window' });
    expect(targetFor('https://example.org/', { ...defaults, privateWindows: true }, true)).toMatchObject({ check: true });
    expect(targetFor('https://example.org/', defaults, false)).toMatchObject({ check: true });
  });

  it('reports the name rule before the private-window rule', () => {
    expect(targetFor('https://localhost/', defaults, true)).toMatchObject({ reason: 'special-use' });
  });
});
