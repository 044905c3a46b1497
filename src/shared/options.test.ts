import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNegativeAnchors } from '../core/dnssec/anchors';
import {
  DEFAULT_OPTIONS,
  OPTIONS_VERSION,
  RESOLVER_PRESETS,
  checkResolverUrl,
  defaultOptions,
  migrateOptions,
  negativeAnchorNames,
  normalizeExclusion,
  resolverUrl,
  resolverUrls,
  validateOptions,
  withEnforcementException,
  type Options,
} from './options';

describe('defaults', () => {
  it('are current, valid and conservative', () => {
    const d = defaultOptions();
    expect(d.version).toBe(OPTIONS_VERSION);
    expect(validateOptions(d)).toEqual([]);
    expect(d.trustAnchor).toEqual({ kind: 'builtin' });
    expect(d.tlsa).toBe(true);
    expect(d.privateWindows).toBe(false);
    expect(d.enforcement).toBe(false);
    expect(d.exclusions).toEqual([]);
  });

  it('hands out independent copies', () => {
    const a = defaultOptions();
    a.exclusions.push('example.org');
    expect(defaultOptions().exclusions).toEqual([]);
    expect(Object.isFrozen(DEFAULT_OPTIONS)).toBe(true);
  });

  it('lists the five resolver presets with https URLs', () => {
    expect(Object.fromEntries(Object.entries(RESOLVER_PRESETS).map(([k, v]) => [k, v.url]))).toEqual({
      cloudflare: 'https://cloudflare-dns.com/dns-query',
      quad9: 'https://dns.quad9.net/dns-query',
      google: 'https://dns.google/dns-query',
      'cznic-odvr': 'https://odvr.nic.cz/doh',
      mullvad: 'https://dns.mullvad.net/dns-query',
    });
    for (const { url } of Object.values(RESOLVER_PRESETS)) expect(checkResolverUrl(url)).toBeNull();
  });
});

describe('migrateOptions', () => {
  it.each([undefined, null, 42, 'x', [], [1, 2]])('turns %j into the defaults', (stored) => {
    expect(migrateOptions(stored)).toEqual(defaultOptions());
  });

  it('keeps a current object unchanged', () => {
    const o: Options = {
      ...defaultOptions(),
      resolver: { kind: 'custom', url: 'https://doh.example/dns-query' },
      secondaryResolver: null,
      trustAnchor: { kind: 'custom', text: '. IN DS 20326 8 2 E06D44B8...' },
      exclusions: ['*.corp.example', 'intranet'],
      subrequests: true,
      enforcement: true,
      privateWindows: true,
      tlsa: false,
    };
    expect(migrateOptions(structuredClone(o))).toEqual(o);
  });

  it('migrates an unversioned (v0) object with bare resolver URLs', () => {
    const v0 = { resolver: 'https://odvr.nic.cz/doh', secondaryResolver: 'https://doh.example/q', tlsa: false };
    expect(migrateOptions(v0)).toEqual({
      ...defaultOptions(),
      resolver: { kind: 'preset', id: 'cznic-odvr' },
      secondaryResolver: { kind: 'custom', url: 'https://doh.example/q' },
      tlsa: false,
    });
  });

  it('replaces only the malformed fields by their defaults', () => {
    const stored = {
      version: 1,
      resolver: { kind: 'preset', id: 'nonexistent' },
      trustAnchor: { kind: 'custom' },
      exclusions: ['ok.example', 7, null],
      tlsa: 'yes',
      enforcement: true,
    };
    const o = migrateOptions(stored);
    expect(o.resolver).toEqual(DEFAULT_OPTIONS.resolver);
    expect(o.trustAnchor).toEqual({ kind: 'builtin' });
    expect(o.exclusions).toEqual(['ok.example']);
    expect(o.tlsa).toBe(true);
    expect(o.enforcement).toBe(true);
  });

  it('keeps an explicit "no secondary resolver"', () => {
    expect(migrateOptions({ version: 1, secondaryResolver: null }).secondaryResolver).toBeNull();
  });

  it('reads a newer version field by field', () => {
    const o = migrateOptions({ version: 99, tlsa: false, futureField: { x: 1 } });
    expect(o.version).toBe(OPTIONS_VERSION);
    expect(o.tlsa).toBe(false);
    expect(o).not.toHaveProperty('futureField');
  });

  it('never throws and always returns valid-shaped options (property)', () => {
    fc.assert(
      fc.property(fc.anything(), (stored) => {
        const o = migrateOptions(stored);
        expect(o.version).toBe(OPTIONS_VERSION);
        expect(typeof resolverUrl(o.resolver)).toBe('string');
        expect(Array.isArray(o.exclusions)).toBe(true);
        expect(migrateOptions(o)).toEqual(o);
      }),
    );
  });
});

describe('checkResolverUrl', () => {
  it.each([
    ['https://doh.example/dns-query', null],
    ['https://[2001:db8::1]/dns-query', null],
    ['https://doh.example:8443/q{?dns}', null],
    ['not a url', 'url-invalid'],
    ['', 'url-invalid'],
    ['http://doh.example/dns-query', 'url-not-https'],
    ['ftp://doh.example/', 'url-not-https'],
    ['https://user:pw@doh.example/dns-query', 'url-credentials'],
    ['https://doh.example/dns-query#x', 'url-fragment'],
    ['https://doh.example/dns-query#', 'url-fragment'],
  ])('%s → %s', (url, code) => {
    expect(checkResolverUrl(url)).toBe(code);
  });
});

describe('normalizeExclusion', () => {
  it.each([
    ['Example.ORG', 'example.org'],
    ['  example.org.  ', 'example.org'],
    ['*.Corp.Example', '*.corp.example'],
    ['intranet', 'intranet'],
    ['_dmarc.example.org', '_dmarc.example.org'],
    ['příklad.cz', 'xn--pklad-zsa96e.cz'],
    ['exa mple.org', null],
    ['https://example.org/', null],
    ['example..org', null],
    ['-bad.example', null],
    ['*.', null],
    ['*', null],
    ['a.*.example', null],
    ['', null],
    [`${'a'.repeat(64)}.example`, null],
  ])('%j → %j', (line, expected) => {
    expect(normalizeExclusion(line)).toBe(expected);
  });
});

describe('validateOptions', () => {
  const base = defaultOptions();

  it('reports custom resolver URL problems on the right field', () => {
    expect(validateOptions({ ...base, resolver: { kind: 'custom', url: 'http://x.example/' } })).toEqual([
      { field: 'resolver', code: 'url-not-https' },
    ]);
    expect(validateOptions({ ...base, secondaryResolver: { kind: 'custom', url: 'nope' } })).toEqual([
      { field: 'secondaryResolver', code: 'url-invalid' },
    ]);
  });

  it('rejects a secondary resolver equal to the primary, preset or custom', () => {
    expect(validateOptions({ ...base, secondaryResolver: base.resolver })).toEqual([
      { field: 'secondaryResolver', code: 'secondary-same' },
    ]);
    const url = RESOLVER_PRESETS.quad9.url;
    expect(
      validateOptions({ ...base, resolver: { kind: 'preset', id: 'quad9' }, secondaryResolver: { kind: 'custom', url } }),
    ).toEqual([{ field: 'secondaryResolver', code: 'secondary-same' }]);
    expect(validateOptions({ ...base, secondaryResolver: null })).toEqual([]);
  });

  it('checks a custom trust anchor text', () => {
    expect(validateOptions({ ...base, trustAnchor: { kind: 'custom', text: '  \n ' } })).toEqual([
      { field: 'trustAnchor', code: 'trust-anchor-empty' },
    ]);
    expect(validateOptions({ ...base, trustAnchor: { kind: 'custom', text: 'x'.repeat(70000) } })).toEqual([
      { field: 'trustAnchor', code: 'trust-anchor-too-long' },
    ]);
  });

  it('reports invalid and duplicate exclusions with their index', () => {
    const o = { ...base, exclusions: ['example.org', 'bad host', 'EXAMPLE.org.', '*.example.org'] };
    expect(validateOptions(o)).toEqual([
      { field: 'exclusions', code: 'exclusion-invalid', index: 1, value: 'bad host' },
      { field: 'exclusions', code: 'exclusion-duplicate', index: 2, value: 'EXAMPLE.org.' },
    ]);
  });
});

describe('version 2 fields', () => {
  it('migrates a version-1 object: test domains skipped, no exceptions', () => {
    const v1 = { version: 1, resolver: { kind: 'preset', id: 'quad9' }, enforcement: true };
    expect(migrateOptions(v1)).toEqual({
      ...defaultOptions(),
      resolver: { kind: 'preset', id: 'quad9' },
      enforcement: true,
    });
    expect(defaultOptions().skipTestDomains).toBe(true);
    expect(defaultOptions().enforcementExceptions).toEqual([]);
  });

  it('keeps only valid, normalized, distinct exception hosts (no wildcards)', () => {
    const o = migrateOptions({ version: 2, enforcementExceptions: ['WWW.Example.org.', 'www.example.org', '*.x.org', 'bad host', 7] });
    expect(o.enforcementExceptions).toEqual(['www.example.org']);
  });

  it('keeps skipTestDomains off when stored off', () => {
    expect(migrateOptions({ version: 2, skipTestDomains: false }).skipTestDomains).toBe(false);
    expect(migrateOptions({ version: 2, skipTestDomains: 'no' }).skipTestDomains).toBe(true);
  });
});

describe('version 3 fields', () => {
  it('migrates a version-2 object: expiry warnings at 7 days, everything else kept', () => {
    const v2 = { version: 2, tlsa: false, skipTestDomains: false, enforcementExceptions: ['www.example.org'] };
    expect(migrateOptions(v2)).toEqual({
      ...defaultOptions(),
      tlsa: false,
      skipTestDomains: false,
      enforcementExceptions: ['www.example.org'],
      expiryWarningDays: 7,
    });
    expect(defaultOptions().expiryWarningDays).toBe(7);
  });

  it('keeps a stored whole number of days within 0..365, else the default', () => {
    expect(migrateOptions({ version: 3, expiryWarningDays: 0 }).expiryWarningDays).toBe(0);
    expect(migrateOptions({ version: 3, expiryWarningDays: 30 }).expiryWarningDays).toBe(30);
    for (const bad of [-1, 2.5, 366, '7', null, Number.NaN]) {
      expect(migrateOptions({ version: 3, expiryWarningDays: bad }).expiryWarningDays).toBe(7);
    }
  });

  it('refuses to save a day count outside 0..365', () => {
    expect(validateOptions({ ...defaultOptions(), expiryWarningDays: 400 })).toEqual([{ field: 'expiryWarningDays', code: 'expiry-days-invalid' }]);
    expect(validateOptions({ ...defaultOptions(), expiryWarningDays: 1.5 })).toEqual([{ field: 'expiryWarningDays', code: 'expiry-days-invalid' }]);
    expect(validateOptions({ ...defaultOptions(), expiryWarningDays: 0 })).toEqual([]);
  });
});

describe('version 4 fields: negative trust anchors (RFC 7646)', () => {
  it('migrates a version-3 object with no negative anchors, everything else kept', () => {
    const v3 = { version: 3, tlsa: false, expiryWarningDays: 30, exclusions: ['*.corp.example'] };
    expect(migrateOptions(v3)).toEqual({ ...defaultOptions(), tlsa: false, expiryWarningDays: 30, exclusions: ['*.corp.example'], negativeAnchors: [] });
  });

  it('keeps stored strings, drops other values', () => {
    expect(migrateOptions({ version: 4, negativeAnchors: ['broken.example', 7, null] }).negativeAnchors).toEqual(['broken.example']);
    expect(migrateOptions({ version: 4, negativeAnchors: 'broken.example' }).negativeAnchors).toEqual([]);
  });

  it('takes any DNS name but the root, as the CLI does (one parser), with the line index of a refused one; gives the validator absolute names', () => {
    const o = { ...defaultOptions(), negativeAnchors: ['Broken.Example', 'bad..name', '_dmarc.x.example', '.', 'a'.repeat(64) + '.example'] };
    expect(validateOptions(o)).toEqual([
      { field: 'negativeAnchors', code: 'negative-anchor-invalid', index: 1, value: 'bad..name' },
      { field: 'negativeAnchors', code: 'negative-anchor-invalid', index: 3, value: '.' },
      { field: 'negativeAnchors', code: 'negative-anchor-invalid', index: 4, value: 'a'.repeat(64) + '.example' },
    ]);
    // The same text the CLI's --negative-anchor refuses, and only that.
    expect(parseNegativeAnchors(o.negativeAnchors).invalid).toEqual(['bad..name', '.', 'a'.repeat(64) + '.example']);
    expect(negativeAnchorNames({ ...defaultOptions(), negativeAnchors: ['Broken.Example', 'broken.example.', 'x.test'] })).toEqual(['broken.example.', 'x.test.']);
  });
});

describe('resolverUrls', () => {
  it('lists the primary, then a different secondary', () => {
    expect(resolverUrls(defaultOptions())).toEqual([RESOLVER_PRESETS.cloudflare.url, RESOLVER_PRESETS.quad9.url]);
    expect(resolverUrls({ ...defaultOptions(), secondaryResolver: null })).toEqual([RESOLVER_PRESETS.cloudflare.url]);
    const same: Options = { ...defaultOptions(), secondaryResolver: { kind: 'custom', url: RESOLVER_PRESETS.cloudflare.url } };
    expect(resolverUrls(same)).toEqual([RESOLVER_PRESETS.cloudflare.url]);
  });
});

describe('withEnforcementException', () => {
  it('adds a normalized host once and leaves the input unchanged', () => {
    const o = defaultOptions();
    const a = withEnforcementException(o, 'WWW.Example.org');
    expect(a.enforcementExceptions).toEqual(['www.example.org']);
    expect(o.enforcementExceptions).toEqual([]);
    expect(withEnforcementException(a, 'www.example.org.').enforcementExceptions).toEqual(['www.example.org']);
  });

  it('ignores what is not a host name', () => {
    expect(withEnforcementException(defaultOptions(), 'not a host').enforcementExceptions).toEqual([]);
    expect(withEnforcementException(defaultOptions(), '*.example.org').enforcementExceptions).toEqual([]);
  });
});

describe('validateOptions: DoH URL and trust anchor parsing', () => {
  const base = defaultOptions();

  it('applies the DoH client rules to custom resolver URLs', () => {
    for (const url of ['https://doh.example/', 'https://doh.example', 'https://doh.example/q?dns=AAAB', 'https://doh.example/{x}']) {
      expect(validateOptions({ ...base, resolver: { kind: 'custom', url } }), url).toEqual([{ field: 'resolver', code: 'url-not-doh' }]);
    }
    expect(validateOptions({ ...base, resolver: { kind: 'custom', url: 'https://127.0.54.2:443/dns-query' } })).toEqual([]);
  });

  it('reports trust anchor lines that do not parse, with line numbers', () => {
    const errors = validateOptions({ ...base, trustAnchor: { kind: 'custom', text: '; comment\n. IN A 192.0.2.1\n' } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: 'trustAnchor', code: 'trust-anchor-invalid', line: 2 });
  });

  it('accepts the IANA root DS records as a custom anchor', () => {
    const text = [
      '. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D',
      '. IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16',
    ].join('\n');
    expect(validateOptions({ ...base, trustAnchor: { kind: 'custom', text } })).toEqual([]);
  });
});
