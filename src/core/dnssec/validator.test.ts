/**
 * The validator offline: real answers of the test world (recorded by
 * test/validator/record-replay.mts, signed by BIND) replayed through an injected resolver with a
 * pinned clock. Expectations come from the world's catalogue, which the world test proves with
 * delv, unbound-host and openssl.
 */
import { describe, expect, test } from 'vitest';
import { validateHost } from '../check';
import { parseName } from '../wire/name';
import type { QueryResolver } from './fetcher';
import { parseTrustAnchors } from './anchors';
import { LIMITS } from './limits';
import { anchors, fixture, recordedAt, replay } from './replay.test-helper';
import { Validator } from './validator';

function validatorAt(ms: number, resolver: QueryResolver = replay()): Validator {
  return new Validator({ resolver, anchors, now: () => ms });
}

describe('replayed world answers at the recording time', () => {
  test.each(fixture.cases.map((c) => [c.id, c] as const))('%s matches the catalogue', async (_id, c) => {
    const v = await validateHost(validatorAt(recordedAt), parseName(c.host)!, c.port);
    const addressState = [v.a.state, v.aaaa.state].includes('bogus') ? 'bogus' : v.a.state;
    expect({ address: { state: addressState, result: v.a.result }, tlsa: { state: v.tlsa.state, result: v.tlsa.result }, tlsaName: v.tlsaName }).toEqual({
      address: c.address,
      tlsa: c.tlsa,
      tlsaName: `${c.tlsaName}.`,
    });
    expect(v.ctx.fetcher.sent).toBeLessThanOrEqual(LIMITS.maxQueriesPerVerdict);
  });
});

describe('the injected clock decides signature validity (RFC 4034 §3.1.5)', () => {
  const after = Date.parse(fixture.sigExpiration) + 86_400_000;
  const before = recordedAt - 3 * 86_400_000; // inception is one day before the world started

  test.each(fixture.cases.map((c) => [c.id, c] as const))('%s: after expiry nothing is secure', async (_id, c) => {
    const v = await validateHost(validatorAt(after), parseName(c.host)!, c.port);
    for (const r of [v.a, v.aaaa, v.tlsa]) {
      expect(r.state).not.toBe('secure');
      if (r.state === 'bogus') expect(['signature-expired', 'denial-missing', 'no-ds-proof']).toContain(r.reason?.code);
    }
  });

  test('before inception the root itself is not yet valid', async () => {
    const r = await validatorAt(before).lookup('www.alg13.test.', 1);
    expect(r.state).toBe('bogus');
    expect(r.reason?.code).toBe('signature-not-yet-valid');
    expect(r.reason?.zone).toBe('.');
  });
});

describe('caching and failures', () => {
  test('a second site in the same zones reuses the verified keys', async () => {
    const validator = validatorAt(recordedAt);
    const first = await validateHost(validator, 'www.alg13.test.', 443);
    const second = await validateHost(validator, 'www.alg13.test.', 443);
    expect(first.a.state).toBe('secure');
    expect(second.a.state).toBe('secure');
    // Cold: the questions plus DS/DNSKEY of every level; warm: verified answers come from the cache.
    expect(first.ctx.fetcher.sent).toBeGreaterThan(3);
    expect(second.ctx.fetcher.sent).toBe(0);
    expect(second.a.records).toEqual(first.a.records);
  });

  test('another zone under the same TLD reuses the root and TLD keys', async () => {
    const validator = validatorAt(recordedAt);
    await validateHost(validator, 'www.alg13.test.', 443);
    const other = await validateHost(validator, 'www.alg16.test.', 443);
    expect(other.a.state).toBe('secure');
    const asked = other.ctx.fetcher.sent;
    // No DNSKEY of "." or "test." and no DS of "test." again.
    const cold = await validateHost(validatorAt(recordedAt), 'www.alg16.test.', 443);
    expect(asked).toBeLessThan(cold.ctx.fetcher.sent);
  });

  test('prime() authenticates the root keys ahead: the first verdict asks neither them again, with the same outcome', async () => {
    const resolver = replay();
    const primed = validatorAt(recordedAt, resolver);
    const keys = await primed.prime();
    expect(keys.map((k) => [k.name, k.type, k.state])).toEqual([['.', 48, 'secure']]);
    expect(resolver.asked).toEqual(['./48']);
    expect(primed.cfg.caches.zones.get('anchor:.')?.state).toBe('secure');
    const after = await validateHost(primed, 'www.alg13.test.', 443);
    const cold = await validateHost(validatorAt(recordedAt), 'www.alg13.test.', 443);
    expect([after.a.state, after.tlsa.state]).toEqual([cold.a.state, cold.tlsa.state]);
    expect(after.a.records).toEqual(cold.a.records);
    expect(resolver.asked.filter((k) => k === './48')).toHaveLength(1);
    expect(after.ctx.fetcher.sent).toBe(cold.ctx.fetcher.sent - 1);
  });

  test('prime() under a lying resolver keeps nothing: the verdict after it is what a cold one says', async () => {
    const dead: QueryResolver = { query: async () => ({ ok: false, error: { kind: 'network', message: 'connection refused', url: 'x' } }) };
    const v = validatorAt(recordedAt, dead);
    const [root] = await v.prime();
    expect(root.state).toBe('indeterminate');
    expect(v.cfg.caches.zones.get('anchor:.')).toBeUndefined();
    expect(v.answers.get('./48')).toBeUndefined();
  });

  test('a host check asks A, AAAA and TLSA first, then the chain (anchor first, the speculative cut at the host last)', async () => {
    const resolver = replay();
    const v = await validateHost(validatorAt(recordedAt, resolver), 'www.alg13.test.', 443);
    expect([v.a.state, v.tlsa.state]).toEqual(['secure', 'secure']);
    expect(resolver.asked.slice(0, 4)).toEqual(['www.alg13.test./1', 'www.alg13.test./28', '_443._tcp.www.alg13.test./52', './48']);
    const chain = resolver.asked.slice(4);
    expect(chain.indexOf('test./43')).toBeLessThan(chain.indexOf('alg13.test./43'));
    expect(chain.indexOf('alg13.test./48')).toBeLessThan(chain.indexOf('www.alg13.test./43'));
    // Cached verified answers are not asked again; only what is missing goes out.
    const validator = validatorAt(recordedAt, resolver);
    await validator.lookup('www.alg13.test.', 1);
    resolver.asked.length = 0;
    await validateHost(validator, 'www.alg13.test.', 443);
    expect(resolver.asked).not.toContain('www.alg13.test./1');
    expect(resolver.asked[0]).toBe('www.alg13.test./28');
  });

  test('a CNAME met by the TLSA lookup itself (DNAME above it, RFC 6672) starts no TLSA query under the TLSA name; an address CNAME does (RFC 7671 §7)', async () => {
    const dname = replay();
    const v = await validateHost(validatorAt(recordedAt, dname), 'www.sub.cname.test.', 443);
    expect([v.a.state, v.tlsa.state]).toEqual(['secure', 'secure']);
    expect(dname.asked).toContain('_443._tcp.www.alg13.test./52'); // where the DNAME leads the TLSA name
    expect(dname.asked.filter((k) => k.startsWith('_443._tcp._443._tcp.'))).toEqual([]);
    const cname = replay();
    await validateHost(validatorAt(recordedAt, cname), 'dane-alias.cname.test.', 443);
    expect(cname.asked).toContain('_443._tcp.dane-target.dane.test./52');
  });

  test('names are normalised: no trailing dot and mixed case give the same verdict', async () => {
    const v = await validateHost(validatorAt(recordedAt), 'WWW.Alg13.Test', 443);
    expect([v.a.state, v.tlsa.state]).toEqual(['secure', 'secure']);
  });

  test('an unreachable resolver gives indeterminate with the transport reason, never secure', async () => {
    const dead: QueryResolver = { query: async () => ({ ok: false, error: { kind: 'network', message: 'connection refused', url: 'x' } }) };
    const r = await validatorAt(recordedAt, dead).lookup('www.alg13.test.', 1);
    expect(r.state).toBe('indeterminate');
    expect(r.reason?.code).toBe('resolver-error');
  });

  test('a name under no trust anchor is indeterminate ("no trust anchor"), not insecure', async () => {
    const onlyTest = parseTrustAnchors('nsec3.test. IN DS 1 13 2 ' + '00'.repeat(32));
    if (!onlyTest.ok) throw new Error('anchor');
    const v = new Validator({ resolver: replay(), anchors: onlyTest.anchors, now: () => recordedAt });
    const r = await v.lookup('www.alg13.test.', 1);
    expect(r.state).toBe('indeterminate');
    expect(r.reason?.code).toBe('no-trust-anchor');
  });

  test('a wrong trust anchor makes the root bogus (anchor-no-match)', async () => {
    const wrong = parseTrustAnchors('. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D');
    if (!wrong.ok) throw new Error('anchor');
    const v = new Validator({ resolver: replay(), anchors: wrong.anchors, now: () => recordedAt });
    const r = await v.lookup('www.alg13.test.', 1);
    expect(r.state).toBe('bogus');
    expect(r.reason?.code).toBe('anchor-no-match');
  });

  test('a negative trust anchor turns a bogus zone insecure with that reason (RFC 7646)', async () => {
    const v = new Validator({ resolver: replay(), anchors, negativeAnchors: ['expired.test.'], now: () => recordedAt });
    const r = await v.lookup('www.expired.test.', 1);
    expect(r.state).toBe('insecure');
    expect(r.reason?.code).toBe('negative-trust-anchor');
  });
});
