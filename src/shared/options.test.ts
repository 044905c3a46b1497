import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OPTIONS,
  OPTIONS_VERSION,
  RESOLVER_PRESETS,
  checkResolverUrl,
  defaultOptions,
  migrateOptions,
  normalizeExclusion,
  resolverUrl,
  validateOptions,
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
