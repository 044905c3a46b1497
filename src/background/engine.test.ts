import { describe, expect, it } from 'vitest';
import { defaultOptions } from '../shared/options';
import { replayFetch, replayFixture } from './replay.test-helper';
import { countingFetch, memoryAnswerStorage } from './kept-answers.test-helper';
import { CACHE_FAILURE_MS, CACHE_MAX_MS, CACHE_MIN_MS, Engine, anchorsFor, cacheLifetimeMs } from './engine';
import { fromBase64, toBase64, toHex } from '../core/util/encoding';
import { parseMessage } from '../core/wire/packet';
import { RRType } from '../core/wire/types';

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

describe('Engine: answers kept for the next life of the background', () => {
  const fx = replayFixture;
  const options = { ...defaultOptions(), secondaryResolver: null, trustAnchor: { kind: 'custom' as const, text: fx.anchor } };

  const counting = () => countingFetch(replayFetch);

  it('a restarted background judges a site again from the kept answers, without a query', async () => {
    let now = Date.parse(fx.recordedAt);
    const mem = memoryAnswerStorage();
    const net1 = counting();
    const first = new Engine({ fetch: net1.fetch, now: () => now, answers: mem.storage });
    first.configure(options);
    first.prime();
    const r1 = await first.check('www.alg13.test', 443);
    expect([r1.result.address.state, r1.result.tlsa.state]).toEqual(['secure', 'secure']);
    expect(net1.asked()).toBeGreaterThan(5);
    expect(mem.s.stored?.answers.length).toBeGreaterThan(5);

    now += 20_000;
    const net2 = counting();
    const second = new Engine({ fetch: net2.fetch, now: () => now, answers: mem.storage });
    second.configure(options);
    second.prime();
    const r2 = await second.check('www.alg13.test', 443);
    expect(net2.asked()).toBe(0);
    expect(second.lastLoad).toMatchObject({ dropped: 0 });
    expect([r2.result.address.state, r2.result.tlsa.state]).toEqual(['secure', 'secure']);
    expect(r2.tlsaRecords).toEqual(r1.tlsaRecords);
  });

  /** An earlier life of the background that checked www.alg13.test and kept its answers in `mem`. */
  async function earlierLife(now: number): Promise<ReturnType<typeof memoryAnswerStorage>> {
    const mem = memoryAnswerStorage();
    const first = new Engine({ fetch: replayFetch, now: () => now, answers: mem.storage });
    first.configure(options);
    await first.check('www.alg13.test', 443);
    return mem;
  }

  it('another resolver, or "check again", does not use the kept answers', async () => {
    const now = Date.parse(fx.recordedAt);
    const mem = await earlierLife(now);

    const net = counting();
    const other = new Engine({ fetch: net.fetch, now: () => now, answers: mem.storage });
    other.configure({ ...options, resolver: { kind: 'custom', url: 'https://other.test/dns-query' } });
    await other.check('www.alg13.test', 443);
    expect(other.lastLoad).toEqual({ loaded: 0, refused: 'other-resolvers' });
    expect(net.asked()).toBeGreaterThan(5);

    const net2 = counting();
    const again = new Engine({ fetch: net2.fetch, now: () => now, answers: mem.storage });
    again.configure(options, true);
    await again.check('www.alg13.test', 443);
    expect(net2.asked()).toBeGreaterThan(5);
  });

  /** Changes the last byte of the first `type` record's RDATA in the kept answer to `q` (its signature kept). Returns the real RDATA. */
  function tamper(mem: ReturnType<typeof memoryAnswerStorage>, q: string, type: number): Uint8Array {
    const entry = mem.s.stored!.answers.find((a) => a.q === q)!;
    const bytes = fromBase64(entry.b)!;
    const rdata = parseMessage(bytes).answer.find((rr) => rr.type === type)!.rdata;
    const at = bytes.findIndex((_, i) => rdata.every((x, j) => bytes[i + j] === x));
    bytes[at + rdata.length - 1] ^= 0x01;
    entry.b = toBase64(bytes);
    return rdata;
  }

  it('kept answers that no longer prove the verdict are dropped and the resolver is asked', async () => {
    const now = Date.parse(fx.recordedAt);
    const mem = await earlierLife(now);
    // The kept A RRset changed in storage (another address, the same signature).
    const address = tamper(mem, 'www.alg13.test./1', RRType.A);

    const net = counting();
    const second = new Engine({ fetch: net.fetch, now: () => now, answers: mem.storage });
    second.configure(options);
    const r = await second.check('www.alg13.test', 443);
    expect(r.result.address.state).toBe('secure');
    expect(r.verdict.a.records.map((rr) => rr.rdata)).toEqual([address]);
    expect(net.asked()).toBeGreaterThan(0);
  });

  it("the record generator's TLSA lookup likewise asks the resolver when a kept TLSA answer no longer proves it", async () => {
    const now = Date.parse(fx.recordedAt);
    const mem = await earlierLife(now);
    const tlsa = tamper(mem, '_443._tcp.www.alg13.test./52', RRType.TLSA);
    const net = counting();
    const second = new Engine({ fetch: net.fetch, now: () => now, answers: mem.storage });
    second.configure(options);
    await second.check('www.alg8.test', 443); // the earlier life's answers are loaded by now
    const before = net.asked();
    const t = await second.lookupTlsa('www.alg13.test', 443);
    expect(t.state).toBe('secure');
    // The real record (RFC 6698 §2.2 presentation), not the changed one.
    expect(t.records).toEqual([`${tlsa[0]} ${tlsa[1]} ${tlsa[2]} ${toHex(tlsa.subarray(3))}`]);
    expect(net.asked()).toBeGreaterThan(before);
  });
});
