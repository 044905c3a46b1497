/**
 * Issue 14: the chain of trust goes to the signer's zone (RFC 4035 §5.3.1: the RRSIG signer name),
 * not to every label of the name; the zone-cut walk is only for proving an unsigned answer
 * insecure, and a signed proof found in any answer of the verdict counts (RFC 4035 §5.2–§5.3,
 * RFC 6840 §4.1–§4.4). Own signed data: small zones signed here with fresh P-256 keys (algorithm
 * 13), DS records computed from them, served by a scripted resolver that answers SERVFAIL (or a
 * stray referral) to every question it does not hold — as the replaying resolvers of the issue do.
 * Every answer goes through buildMessage/parseMessage, as from the wire.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseZoneText } from '../wire/present';
import { RRType, type RData, type RR } from '../wire/types';
import { n, rr, scripted, SignedZone, type Scripted } from './fixtures/signer';
import type { LookupResult } from './result';
import { Validator } from './validator';

const { A, AAAA, CNAME, DNSKEY, DS, MX, NS, NSEC, NSEC3, RRSIG, SOA, TXT } = RRType;
const NOW = Date.UTC(2026, 0, 15) / 1000;

const a = (owner: string, ip: string) => rr(owner, A, { kind: 'A', address: ip });
const aaaa = (owner: string, ip: string) => rr(owner, AAAA, { kind: 'AAAA', address: ip });
const cname = (owner: string, target: string) => rr(owner, CNAME, { kind: 'CNAME', target: n(target) });
const soa = (zone: string) => rr(zone, SOA, { kind: 'SOA', mname: n(`ns.${zone}`), rname: n(`hostmaster.${zone}`), serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: 300 } as RData);
const nsec = (owner: string, next: string, types: number[]) => rr(owner, NSEC, { kind: 'NSEC', nextName: n(next), types: [...types, RRSIG, NSEC].sort((x, y) => x - y) });

class Zone extends SignedZone {
  constructor(name: string) {
    super(n(name), NOW);
  }
}

const show = (r: LookupResult) =>
  `${r.state}/${r.result} ${r.reason?.code ?? ''} ${r.reason?.message ?? ''} records=${r.records.map((x) => x.type).join(',')} reasons=${(r.reasons ?? []).map((x) => x.code).join(',')}`;

function validator(anchor: Zone, script: Record<string, Scripted>, otherwise: 'servfail' | 'referral' = 'servfail') {
  const resolver = scripted(script, otherwise);
  const v = new Validator({ resolver, anchors: [{ zone: anchor.name, ds: [], dnskeys: [anchor.key.data] }], now: () => NOW * 1000 });
  return { v, resolver };
}

// ------------------------------------------------------------------------------------------------
// nl. (anchor) → nlnetlabs.nl. → testzone.nlnetlabs.nl.: NODATA below the signer, data of a zone
// apex's child, NXDOMAIN — no DS question below a zone apex is answered.
// ------------------------------------------------------------------------------------------------
describe('the chain of trust ends at the signer: labels below it need no DS (RFC 4035 §5.3.1)', () => {
  let nl: Zone, nlnetlabs: Zone, testzone: Zone;
  let chain: Record<string, Scripted>;
  beforeAll(async () => {
    [nl, nlnetlabs, testzone] = await Promise.all([new Zone('nl.').init(), new Zone('nlnetlabs.nl.').init(), new Zone('testzone.nlnetlabs.nl.').init()]);
    chain = {
      'nl./48': await nl.dnskey(),
      'nlnetlabs.nl./43': await nl.signed(await nlnetlabs.ds()),
      'nlnetlabs.nl./48': await nlnetlabs.dnskey(),
      'testzone.nlnetlabs.nl./43': await nlnetlabs.signed(await testzone.ds()),
      'testzone.nlnetlabs.nl./48': await testzone.dnskey(),
    };
  });

  test('NODATA signed by testzone.nlnetlabs.nl for alligator.testzone.nlnetlabs.nl A is secure while its DS question fails', async () => {
    const { v, resolver } = validator(nl, {
      ...chain,
      'alligator.testzone.nlnetlabs.nl./1': {
        authority: [...(await testzone.signed(soa('testzone.nlnetlabs.nl.'))), ...(await testzone.signed(nsec('alligator.testzone.nlnetlabs.nl.', 'bear.testzone.nlnetlabs.nl.', [TXT])))],
      },
    });
    const r = await v.lookup(n('alligator.testzone.nlnetlabs.nl.'), A);
    expect(r.state, show(r)).toBe('secure');
    expect(r.result).toBe('nodata');
    expect(r.chain.map((l) => l.zone)).toEqual(['nl.', 'nlnetlabs.nl.', 'testzone.nlnetlabs.nl.']);
    // The speculative questions at the denied name were sent, failed, and changed nothing.
    expect(resolver.asked).toContain('alligator.testzone.nlnetlabs.nl./43');
  });

  test('www.nlnetlabs.nl AAAA signed by nlnetlabs.nl is secure while "www.nlnetlabs.nl DS" fails or is a referral', async () => {
    for (const otherwise of ['servfail', 'referral'] as const) {
      const { v } = validator(nl, { ...chain, 'www.nlnetlabs.nl./28': await nlnetlabs.signed(aaaa('www.nlnetlabs.nl.', '2001:db8::1')) }, otherwise);
      const r = await v.lookup(n('www.nlnetlabs.nl.'), AAAA);
      expect(r.state, `${otherwise}: ${show(r)}`).toBe('secure');
      expect(r.records).toHaveLength(1);
    }
  });

  test('an NXDOMAIN signed by nlnetlabs.nl needs no answer at the name it denies', async () => {
    const { v } = validator(nl, {
      ...chain,
      'k7x2q9.nlnetlabs.nl./1': {
        rcode: 3,
        authority: [
          ...(await nlnetlabs.signed(soa('nlnetlabs.nl.'))),
          ...(await nlnetlabs.signed(nsec('nlnetlabs.nl.', 'testzone.nlnetlabs.nl.', [SOA, NS, DNSKEY]))),
          ...(await nlnetlabs.signed(nsec('testzone.nlnetlabs.nl.', 'www.nlnetlabs.nl.', [NS, DS]))),
        ],
      },
    });
    const r = await v.lookup(n('k7x2q9.nlnetlabs.nl.'), A);
    expect(r.state, show(r)).toBe('secure');
    expect(r.result).toBe('nxdomain');
  });

  test('no false secure: the signer must be a zone, an ancestor of the owner, at or below the anchor', async () => {
    // Signed by a key the resolver made up for "www.nlnetlabs.nl.": nlnetlabs.nl proves www is no delegation.
    const fake = await new Zone('www.nlnetlabs.nl.').init();
    const wwwNsec = await nlnetlabs.signed(nsec('www.nlnetlabs.nl.', 'nlnetlabs.nl.', [A, AAAA]));
    const self = validator(nl, {
      ...chain,
      'www.nlnetlabs.nl./1': await fake.signed(a('www.nlnetlabs.nl.', '192.0.2.66')),
      'www.nlnetlabs.nl./43': { authority: wwwNsec },
      'www.nlnetlabs.nl./48': await fake.dnskey(),
    });
    const r1 = await self.v.lookup(n('www.nlnetlabs.nl.'), A);
    expect(r1.state, show(r1)).toBe('bogus');
    expect(r1.reason?.code, show(r1)).toBe('signer-mismatch');

    // Signed by a sibling zone (not an ancestor): no usable signature; the walk finds nlnetlabs.nl signed.
    const sibling = validator(nl, { ...chain, 'www.nlnetlabs.nl./1': await testzone.signed(a('www.nlnetlabs.nl.', '192.0.2.66')), 'www.nlnetlabs.nl./43': { authority: wwwNsec } });
    const r2 = await sibling.v.lookup(n('www.nlnetlabs.nl.'), A);
    expect(r2.state, show(r2)).toBe('bogus');

    // Signed by the anchor's own parent ("."): above the anchor, never used.
    const root = await new Zone('.').init();
    const above = validator(nl, { ...chain, 'www.nlnetlabs.nl./1': await root.signed(a('www.nlnetlabs.nl.', '192.0.2.66')), 'www.nlnetlabs.nl./43': { authority: wwwNsec } });
    const r3 = await above.v.lookup(n('www.nlnetlabs.nl.'), A);
    expect(r3.state, show(r3)).toBe('bogus');
  });

  test('an unsigned answer needs the walk: with no proof for the owner\'s DS anywhere it is never secure', async () => {
    const { v } = validator(nl, { ...chain, 'www.nlnetlabs.nl./1': [a('www.nlnetlabs.nl.', '192.0.2.66')] });
    const r = await v.lookup(n('www.nlnetlabs.nl.'), A);
    expect(r.state, show(r)).toBe('indeterminate');
    expect(r.reasons?.length, show(r)).toBeGreaterThan(0);
  });

  test('an unsigned answer in a signed zone is bogus when a proof of "no delegation" is in any answer', async () => {
    const { v } = validator(nl, {
      ...chain,
      'www.nlnetlabs.nl./1': [a('www.nlnetlabs.nl.', '192.0.2.66')],
      // The speculative DNSKEY question's NODATA holds nlnetlabs.nl's NSEC at www: not a delegation.
      'www.nlnetlabs.nl./48': { authority: await nlnetlabs.signed(nsec('www.nlnetlabs.nl.', 'nlnetlabs.nl.', [A, AAAA])) },
    });
    const r = await v.lookup(n('www.nlnetlabs.nl.'), A);
    expect(r.state, show(r)).toBe('bogus');
    expect(r.reason?.code, show(r)).toBe('missing-rrsig');
  });
});

// ------------------------------------------------------------------------------------------------
// RFC 5155 Appendix B shapes, with the NSEC3 chain of Appendix A signed by our own key for example.
// ------------------------------------------------------------------------------------------------
describe('RFC 5155 Appendix B: the DS questions below the apex get a referral, the verdicts stand', () => {
  let example: Zone;
  let nsec3s: RR[];
  const at = (hash: string) => nsec3s.filter((r) => r.name.toLowerCase().startsWith(hash));
  beforeAll(async () => {
    example = await new Zone('example.').init();
    const z = parseZoneText(readFileSync(new URL('./fixtures/denial/rfc5155-appendix-a.zone', import.meta.url), 'utf8'));
    if (z.errors.length > 0) throw new Error(JSON.stringify(z.errors));
    nsec3s = z.records.filter((r) => r.type === NSEC3);
  });
  const proof = async (...hashes: string[]) => [...(await example.signed(soa('example.'))), ...(await Promise.all(hashes.map(async (h) => example.signed(...at(h))))).flat()];

  test('B.2: NODATA for ns1.example MX (NSEC3 matching ns1.example) is secure', async () => {
    const { v } = validator(example, { 'example./48': await example.dnskey(), 'ns1.example./15': { authority: await proof('2t7b4g4vsa5smi47k61mv5bv1a22bojr') } }, 'referral');
    const r = await v.lookup(n('ns1.example.'), MX);
    expect(r.state, show(r)).toBe('secure');
    expect(r.result).toBe('nodata');
  });

  test('B.2.1: NODATA for the empty non-terminal y.w.example A is secure', async () => {
    const { v } = validator(example, { 'example./48': await example.dnskey(), 'y.w.example./1': { authority: await proof('ji6neoaepv8b5o6k4ev33abha8ht9fgc') } }, 'referral');
    const r = await v.lookup(n('y.w.example.'), A);
    expect(r.state, show(r)).toBe('secure');
    expect(r.result).toBe('nodata');
  });

  test('B.4: a.z.w.example MX, a wildcard answer whose next closer lies in an opt-out span, is insecure (not bogus)', async () => {
    const mx = rr('a.z.w.example.', MX, { kind: 'MX', preference: 1, exchange: n('ai.example.') } as RData);
    const answer = [mx, await example.sign([mx], '*.w.example.')];
    const { v } = validator(example, { 'example./48': await example.dnskey(), 'a.z.w.example./15': { answer, authority: (await proof('q04jkcevqvmu85r014c7dkba38o0ji5r')).slice(2) } }, 'referral');
    const r = await v.lookup(n('a.z.w.example.'), MX);
    expect(r.state, show(r)).toBe('insecure');
    expect(r.reason?.code, show(r)).toBe('nsec3-optout');
    expect(r.wildcard).toBe('*.w.example.');
  });

  test('B.4 without the covering NSEC3: bogus, never secure', async () => {
    const mx = rr('a.z.w.example.', MX, { kind: 'MX', preference: 1, exchange: n('ai.example.') } as RData);
    const { v } = validator(example, { 'example./48': await example.dnskey(), 'a.z.w.example./15': [mx, await example.sign([mx], '*.w.example.')] }, 'referral');
    const r = await v.lookup(n('a.z.w.example.'), MX);
    expect(r.state, show(r)).toBe('bogus');
  });
});

// ------------------------------------------------------------------------------------------------
// com. (anchor) → example.com.; www.example.com CNAME unsafe.example.com, an unsigned delegation
// proven only by example.com's NSEC in that answer's authority section.
// ------------------------------------------------------------------------------------------------
describe('a CNAME into an insecure delegation proven by the NSEC in the answer itself', () => {
  let com: Zone, exampleCom: Zone;
  let base: Record<string, Scripted>;
  let answer: RR[];
  let delegationProof: RR[];
  beforeAll(async () => {
    [com, exampleCom] = await Promise.all([new Zone('com.').init(), new Zone('example.com.').init()]);
    base = {
      'com./48': await com.dnskey(),
      'example.com./43': await com.signed(await exampleCom.ds()),
      'example.com./48': await exampleCom.dnskey(),
    };
    answer = [...(await exampleCom.signed(cname('www.example.com.', 'unsafe.example.com.'))), aaaa('unsafe.example.com.', '2001:db8::7')];
    delegationProof = await exampleCom.signed(nsec('unsafe.example.com.', 'www.example.com.', [NS]));
  });

  test('www.example.com AAAA is insecure, with the record, while both DS questions below the apex fail', async () => {
    const { v, resolver } = validator(com, { ...base, 'www.example.com./28': { answer, authority: delegationProof } });
    const r = await v.lookup(n('www.example.com.'), AAAA);
    expect(r.state, show(r)).toBe('insecure');
    expect(r.reason?.code, show(r)).toBe('insecure-delegation');
    expect(r.records.map((x) => x.type)).toEqual([AAAA]);
    expect(r.links).toEqual([{ owner: 'www.example.com.', target: 'unsafe.example.com.', type: 'CNAME', state: 'secure' }]);
    // The chain of causes names the zone and the rule.
    expect(r.reasons?.[0]).toMatchObject({ code: 'insecure-delegation', zone: 'unsafe.example.com.', rule: expect.stringMatching(/RFC 4035 §5\.2/) });
    expect(resolver.asked).toContain('unsafe.example.com./43'); // asked (SERVFAIL), not needed
  });

  test('the same answer without the proof: the insecure delegation cannot be shown, never secure', async () => {
    const { v } = validator(com, { ...base, 'www.example.com./28': answer });
    const r = await v.lookup(n('www.example.com.'), AAAA);
    expect(r.state, show(r)).toBe('indeterminate');
    // Which question failed, for which zone step: the chain of causes keeps it.
    expect(r.reasons?.some((x) => x.code === 'resolver-rcode' && x.name === 'unsafe.example.com.'), show(r)).toBe(true);
  });

  test('a NODATA from the unsigned child with the parent\'s delegation NSEC is insecure, not bogus (RFC 6840 §4.1)', async () => {
    const { v } = validator(com, {
      ...base,
      'unsafe.example.com./28': { authority: [soa('unsafe.example.com.'), ...delegationProof] },
    });
    const r = await v.lookup(n('unsafe.example.com.'), AAAA);
    expect(r.state, show(r)).toBe('insecure');
    expect(r.reason?.code, show(r)).toBe('insecure-delegation');
  });

  test('the delegation NSEC cannot make data of the parent insecure: a forged A at www with the proof is bogus', async () => {
    const forged = [a('www.example.com.', '192.0.2.66')];
    const { v } = validator(com, {
      ...base,
      'www.example.com./1': { answer: forged, authority: delegationProof },
      'www.example.com./48': { authority: await exampleCom.signed(nsec('www.example.com.', 'example.com.', [A])) },
    });
    const r = await v.lookup(n('www.example.com.'), A);
    expect(r.state, show(r)).toBe('bogus');
  });
});
