import { describe, expect, it } from 'vitest';
import { defaultOptions } from '../shared/options';
import { replayFetch, replayFixture } from './replay.test-helper';
import { CACHE_FAILURE_MS, CACHE_MAX_MS, CACHE_MIN_MS, Engine, anchorsFor, cacheLifetimeMs } from './engine';

describe('cacheLifetimeMs', () => {
  it('follows the smallest validated TTL within bounds', () => {
    expect(cacheLifetimeMs([{ state: 'secure', ttl: 300 }, { state: 'insecure', ttl: 120 }])).toBe(120_000);
    expect(cacheLifetimeMs([{ state: 'secure', ttl: 1 }])).toBe(CACHE_MIN_MS);
    expect(cacheLifetimeMs([{ state: 'bogus', ttl: 86400 * 7 }])).toBe(CACHE_MAX_MS);
    expect(cacheLifetimeMs([{ state: 'secure', ttl: Infinity }])).toBe(CACHE_MIN_MS);
  });
  it('retries soon after a failure', () => {
    expect(cacheLifetimeMs([{ state: 'secure', ttl: 3600 }, { state: 'indeterminate', ttl: 0 }])).toBe(CACHE_FAILURE_MS);
  });
});

describe('anchorsFor', () => {
  it('gives the built-in root anchor or the parsed custom one', () => {
    const builtin = anchorsFor({ kind: 'builtin' });
    expect('anchors' in builtin && builtin.anchors[0]?.zone).toBe('.');
    const custom = anchorsFor({ kind: 'custom', text: '. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D' });
    expect('anchors' in custom && custom.anchors[0]?.ds).toHaveLength(1);
    expect(anchorsFor({ kind: 'custom', text: 'nonsense' })).toHaveProperty('error');
  });
});

describe('Engine', () => {
  const unreachable = () => Promise.reject(new TypeError('network down'));

  it('reports a failed resolver as indeterminate and does not cache the failure for long', async () => {
    let now = 1_000_000;
    let calls = 0;
    const engine = new Engine({
      fetch: () => {
        calls++;
        return unreachable();
      },
      now: () => now,
    });
    engine.configure({ ...defaultOptions(), secondaryResolver: null });
    const first = await engine.check('www.example.org', 443);
    expect(first.result.address.state).toBe('indeterminate');
    expect(first.result.address.reasonCode).toBe('resolver-error');
    const sent = calls;
    expect(await engine.check('www.example.org', 443)).toBe(first); // cached
    expect(calls).toBe(sent);
    now += CACHE_FAILURE_MS + 1;
    await engine.check('www.example.org', 443);
    expect(calls).toBeGreaterThan(sent);
  });

  it('applies negative trust anchors from the options (RFC 7646): a bogus zone becomes insecure, with that reason', async () => {
    const fx = replayFixture;
    const base = { ...defaultOptions(), secondaryResolver: null, trustAnchor: { kind: 'custom' as const, text: fx.anchor } };
    const engine = new Engine({ fetch: replayFetch, now: () => Date.parse(fx.recordedAt) });
    engine.configure(base);
    expect((await engine.check('www.expired.test', 443)).result.address.state).toBe('bogus');
    engine.configure({ ...base, negativeAnchors: ['expired.test'] });
    const r = await engine.check('www.expired.test', 443);
    expect([r.result.address.state, r.result.address.reasonCode]).toEqual(['insecure', 'negative-trust-anchor']);
  });

  it('fails over to the secondary resolver', async () => {
    const asked: string[] = [];
    const engine = new Engine({
      fetch: (url) => {
        asked.push(new URL(url).host);
        return unreachable();
      },
    });
    engine.configure(defaultOptions());
    await engine.check('www.example.org', 443);
    expect(new Set(asked)).toEqual(new Set(['cloudflare-dns.com', 'dns.quad9.net']));
  });

  it('refuses to check with an unusable custom trust anchor', async () => {
    const engine = new Engine({ fetch: unreachable });
    engine.configure({ ...defaultOptions(), trustAnchor: { kind: 'custom', text: '. IN A 192.0.2.1' } });
    await expect(engine.check('www.example.org', 443)).rejects.toThrow(/trust anchor unusable/);
  });

  it('sends no TLSA query when TLSA checking is off', async () => {
    const engine = new Engine({ fetch: unreachable });
    engine.configure({ ...defaultOptions(), tlsa: false });
    const r = await engine.check('www.example.org', 443);
    expect(r.tlsaEnabled).toBe(false);
    expect(r.verdict.tlsa.records).toEqual([]);
  });

  it('test resolver: an unreachable resolver fails with the reason', async () => {
    const engine = new Engine({ fetch: unreachable });
    const r = await engine.testResolver('https://dns.example/dns-query', { kind: 'builtin' });
    expect(r).toMatchObject({ ok: false, state: 'indeterminate', reasonCode: 'resolver-error' });
    expect((await engine.testResolver('http://dns.example/dns-query', { kind: 'builtin' })).ok).toBe(false);
  });

  it('mail check: an unreachable resolver gives an indeterminate MX, kept only briefly', async () => {
    let now = 5_000_000;
    let calls = 0;
    const engine = new Engine({
      fetch: () => {
        calls++;
        return unreachable();
      },
      now: () => now,
    });
    engine.configure({ ...defaultOptions(), secondaryResolver: null });
    const r = await engine.checkMail('example.org');
    expect(r).toMatchObject({ domain: 'example.org', summary: 'indeterminate', hosts: [] });
    expect(r.mx.state).toBe('indeterminate');
    const sent = calls;
    expect(await engine.checkMail('EXAMPLE.org')).toBe(r); // cached, case-insensitive
    expect(calls).toBe(sent);
    now += CACHE_FAILURE_MS + 1;
    await engine.checkMail('example.org');
    expect(calls).toBeGreaterThan(sent);
  });

  it('mail check and TLSA lookup refuse a bad trust anchor or name', async () => {
    const engine = new Engine({ fetch: unreachable });
    await expect(engine.checkMail('example.org')).rejects.toThrow(/not configured/);
    engine.configure({ ...defaultOptions(), trustAnchor: { kind: 'custom', text: '. IN A 192.0.2.1' } });
    await expect(engine.checkMail('example.org')).rejects.toThrow(/trust anchor unusable/);
    await expect(engine.lookupTlsa('www.example.org', 443)).rejects.toThrow(/trust anchor unusable/);
    engine.configure(defaultOptions());
    await expect(engine.checkMail('bad..name')).rejects.toThrow(/not a DNS name/);
    await expect(engine.lookupTlsa('www.example.org', 443)).rejects.toThrow();
  });
});
