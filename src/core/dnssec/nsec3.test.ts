import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromBase32Hex, fromHex, toBase32Hex } from '../util/encoding';
import { parseZoneText } from '../wire/present';
import { RRType, type NSEC3Data, type RR } from '../wire/types';
import { LIMITS } from './limits';
import type { DenialResult } from './denial';
import {
  findClosestEncloser,
  isNsec3,
  nsec3CoversHash,
  nsec3Hash,
  nsec3MatchesHash,
  proveInsecureDelegationNsec3,
  proveNodataNsec3,
  proveNxdomainNsec3,
  proveWildcardAnswerNsec3,
  type Nsec3RR,
} from './nsec3';

function load(file: string): RR[] {
  const z = parseZoneText(readFileSync(new URL(`./fixtures/denial/${file}`, import.meta.url), 'utf8'));
  if (z.errors.length > 0) throw new Error(`${file}: ${JSON.stringify(z.errors)}`);
  return z.records;
}

const rfc = load('rfc5155-appendix-a.zone').filter(isNsec3);
const bind = load('nsec3.example.test.zone').filter(isNsec3);
const bindOptOut = load('nsec3-optout.example.test.zone').filter(isNsec3);
const EX = 'example.';
const ET = 'example.test.';

/** The RFC 5155 Appendix A NSEC3 RRs whose owner hash starts with one of `prefixes`. */
function pick(records: Nsec3RR[], ...prefixes: string[]): Nsec3RR[] {
  const out = prefixes.map((p) => {
    const r = records.find((rr) => rr.name.toLowerCase().startsWith(p.toLowerCase()));
    if (!r) throw new Error(`no NSEC3 ${p}`);
    return r;
  });
  return out;
}

function withData(records: Nsec3RR[], patch: Partial<NSEC3Data>): Nsec3RR[] {
  return records.map((r) => ({ ...r, data: { ...r.data, ...patch } }));
}
const noOptOut = (records: Nsec3RR[]) => withData(records, { flags: 0 });
const budget = () => ({ hashes: LIMITS.maxNsec3HashesPerVerdict });
const SALT = fromHex('aabbccdd')!;

function expectFailed(r: DenialResult, code?: string): void {
  expect(r.kind).toBe('failed');
  if (code && r.kind === 'failed') expect(r.reason.code).toBe(code);
}

describe('nsec3Hash (RFC 5155 §5, Appendix A)', () => {
  // RFC 5155 Appendix A: salt aabbccdd, 12 iterations.
  const vectors: [string, string][] = [
    ['example.', '0p9mhaveqvm6t7vbl5lop2u3t2rp3tom'],
    ['a.example.', '35mthgpgcu1qg68fab165klnsnk3dpvl'],
    ['ai.example.', 'gjeqe526plbf1g8mklp59enfd789njgi'],
    ['ns1.example.', '2t7b4g4vsa5smi47k61mv5bv1a22bojr'],
    ['ns2.example.', 'q04jkcevqvmu85r014c7dkba38o0ji5r'],
    ['w.example.', 'k8udemvp1j2f7eg6jebps17vp3n8i58h'],
    ['*.w.example.', 'r53bq7cc2uvmubfu5ocmm6pers9tk9en'],
    ['x.w.example.', 'b4um86eghhds6nea196smvmlo4ors995'],
    ['y.w.example.', 'ji6neoaepv8b5o6k4ev33abha8ht9fgc'],
    ['x.y.w.example.', '2vptu5timamqttgl4luu9kg21e0aor3s'],
    ['xx.example.', 't644ebqk9bibcna874givr6joj62mlhv'],
    ['2t7b4g4vsa5smi47k61mv5bv1a22bojr.example.', 'kohar7mbb8dc2ce8a9qvl8hon4k53uhi'],
    // RFC 5155 Appendix B.1 comments: H(c.x.w.example)
    ['c.x.w.example.', '0va5bpr2ou0vk0lbqeeljri88laipsfh'],
  ];
  it.each(vectors)('H(%s) = %s', async (name, want) => {
    expect(toBase32Hex(await nsec3Hash(name, SALT, 12))).toBe(want);
  });

  it('lowercases the name (RFC 5155 §5: canonical wire form)', async () => {
    expect(toBase32Hex(await nsec3Hash('X.W.Example.', SALT, 12))).toBe('b4um86eghhds6nea196smvmlo4ors995');
  });

  it('matches BIND nsec3hash with empty salt and 0 iterations', async () => {
    // `nsec3hash - 1 0 example.test` / `x.example.test`
    expect(toBase32Hex(await nsec3Hash('example.test.', new Uint8Array(), 0))).toBe('jbas736chung3bb701jkjdhqkqlhvug7');
    expect(toBase32Hex(await nsec3Hash('x.example.test.', new Uint8Array(), 0))).toBe('2k1cgh953g2pc5r99obcsef3b8kb9u5i');
  });

  it('rejects an out-of-range iteration count', async () => {
    await expect(nsec3Hash('example.', SALT, 65536)).rejects.toThrow(RangeError);
  });
});

describe('matching and covering by hash (RFC 5155 §1.3, §3.1.7)', () => {
  const h = (s: string) => fromBase32Hex(s)!;
  const [apex, last] = pick(rfc, '0p9m', 't644');
  it('matches the owner hash only', () => {
    expect(nsec3MatchesHash(apex, h('0p9mhaveqvm6t7vbl5lop2u3t2rp3tom'), EX)).toBe(true);
    expect(nsec3MatchesHash(apex, h('0p9mhaveqvm6t7vbl5lop2u3t2rp3too'), EX)).toBe(false);
    expect(nsec3CoversHash(apex, h('0p9mhaveqvm6t7vbl5lop2u3t2rp3tom'), EX)).toBe(false); // equal is "matches"
  });
  it('covers strictly between owner and next', () => {
    expect(nsec3CoversHash(apex, h('0va5bpr2ou0vk0lbqeeljri88laipsfh'), EX)).toBe(true);
    expect(nsec3CoversHash(apex, h('2t7b4g4vsa5smi47k61mv5bv1a22bojr'), EX)).toBe(false); // = next
    expect(nsec3CoversHash(apex, h('35mthgpgcu1qg68fab165klnsnk3dpvl'), EX)).toBe(false);
  });
  it('wraps around at the last NSEC3 of the chain', () => {
    expect(nsec3CoversHash(last, h('vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv'), EX)).toBe(true); // above the last owner
    expect(nsec3CoversHash(last, h('06pjpo0bna507odhmdh856ignbmhtjf3'), EX)).toBe(true); // below the first owner
    expect(nsec3CoversHash(last, h('0p9mhaveqvm6t7vbl5lop2u3t2rp3tom'), EX)).toBe(false);
    expect(nsec3CoversHash(last, h('35mthgpgcu1qg68fab165klnsnk3dpvl'), EX)).toBe(false);
  });
  it('a chain of one covers everything but its own hash', () => {
    const only = { ...apex, data: { ...apex.data, nextHashed: h('0p9mhaveqvm6t7vbl5lop2u3t2rp3tom') } };
    expect(nsec3CoversHash(only, h('35mthgpgcu1qg68fab165klnsnk3dpvl'), EX)).toBe(true);
    expect(nsec3CoversHash(only, h('0p9mhaveqvm6t7vbl5lop2u3t2rp3tom'), EX)).toBe(false);
  });
  it('ignores records whose owner is not one hash label directly under the zone', () => {
    expect(nsec3MatchesHash(apex, h('0p9mhaveqvm6t7vbl5lop2u3t2rp3tom'), 'other.')).toBe(false);
    expect(nsec3MatchesHash({ ...apex, name: '0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.sub.example.' }, h('0p9mhaveqvm6t7vbl5lop2u3t2rp3tom'), EX)).toBe(false);
  });
  it('in a complete chain every hash is matched or covered by exactly one record', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (hash) => {
        const n = rfc.filter((r) => nsec3MatchesHash(r, hash, EX) || nsec3CoversHash(r, hash, EX)).length;
        return n === 1;
      }),
    );
  });
});

describe('RFC 5155 Appendix B', () => {
  it('B.1 Name Error: a.c.x.w.example — Opt-Out on the next closer span → insecure-optout', async () => {
    const recs = pick(rfc, '0p9m', 'b4um', '35mt');
    expect(await proveNxdomainNsec3(recs, 'a.c.x.w.example.', EX, budget())).toEqual({ kind: 'insecure-optout', zone: EX });
  });
  it('B.1 Name Error with Opt-Out clear → proven, closest encloser x.w.example', async () => {
    const recs = noOptOut(pick(rfc, '0p9m', 'b4um', '35mt'));
    expect(await proveNxdomainNsec3(recs, 'a.c.x.w.example.', EX, budget())).toEqual({ kind: 'proven', closestEncloser: 'x.w.example.' });
  });
  it('B.1 closest encloser proof', async () => {
    const r = await findClosestEncloser(pick(rfc, '0p9m', 'b4um', '35mt'), 'a.c.x.w.example.', EX, budget());
    expect(r).toEqual({ kind: 'closest-encloser', closestEncloser: 'x.w.example.', nextCloser: 'c.x.w.example.', optOut: true });
  });
  it('B.2 No Data: ns1.example MX', async () => {
    expect(await proveNodataNsec3(pick(rfc, '2t7b'), 'ns1.example.', RRType.MX, EX, budget())).toEqual({ kind: 'proven' });
  });
  it('B.2 the same NSEC3 does not deny A at ns1.example', async () => {
    expectFailed(await proveNodataNsec3(pick(rfc, '2t7b'), 'ns1.example.', RRType.A, EX, budget()), 'denial-invalid');
  });
  it('B.2.1 No Data, empty non-terminal: y.w.example A', async () => {
    expect(await proveNodataNsec3(pick(rfc, 'ji6n'), 'y.w.example.', RRType.A, EX, budget())).toEqual({ kind: 'proven' });
  });
  it('B.3 referral to an Opt-Out unsigned zone: no DS for c.example → insecure-optout', async () => {
    const recs = pick(rfc, '35mt', '0p9m');
    expect(await proveNodataNsec3(recs, 'c.example.', RRType.DS, EX, budget())).toEqual({ kind: 'insecure-optout', zone: EX });
    expect(await proveInsecureDelegationNsec3(recs, 'c.example.', EX, budget())).toEqual({ kind: 'insecure-optout', zone: EX });
  });
  it('B.3 without Opt-Out the same records prove nothing about c.example DS', async () => {
    expectFailed(await proveNodataNsec3(noOptOut(pick(rfc, '35mt', '0p9m')), 'c.example.', RRType.DS, EX, budget()));
    expectFailed(await proveInsecureDelegationNsec3(noOptOut(pick(rfc, '35mt', '0p9m')), 'c.example.', EX, budget()));
  });
  it('B.4 wildcard expansion: a.z.w.example MX from *.w.example — Opt-Out span → insecure-optout', async () => {
    expect(await proveWildcardAnswerNsec3(pick(rfc, 'q04j'), 'a.z.w.example.', 'w.example.', EX, budget())).toEqual({ kind: 'insecure-optout', zone: EX });
  });
  it('B.4 with Opt-Out clear → proven', async () => {
    expect(await proveWildcardAnswerNsec3(noOptOut(pick(rfc, 'q04j')), 'a.z.w.example.', 'w.example.', EX, budget())).toEqual({ kind: 'proven', closestEncloser: 'w.example.' });
  });
  it('B.5 wildcard No Data: a.z.w.example AAAA', async () => {
    const recs = pick(rfc, 'k8ud', 'q04j', 'r53b');
    expect(await proveNodataNsec3(recs, 'a.z.w.example.', RRType.AAAA, EX, budget())).toEqual({ kind: 'insecure-optout', zone: EX });
    expect(await proveNodataNsec3(noOptOut(recs), 'a.z.w.example.', RRType.AAAA, EX, budget())).toEqual({ kind: 'proven', closestEncloser: 'w.example.' });
  });
  it('B.5 records do not deny MX (the wildcard owns MX)', async () => {
    expectFailed(await proveNodataNsec3(noOptOut(pick(rfc, 'k8ud', 'q04j', 'r53b')), 'a.z.w.example.', RRType.MX, EX, budget()), 'denial-invalid');
  });
  it('B.6 DS child zone No Data: example DS signed by example itself is not a DS denial', async () => {
    expectFailed(await proveNodataNsec3(pick(rfc, '0p9m'), 'example.', RRType.DS, EX, budget()), 'denial-invalid');
  });
  it('the root zone may deny DS at the root (NS and SOA set is not a delegation)', async () => {
    const h = toBase32Hex(await nsec3Hash('.', new Uint8Array(), 0));
    const root: Nsec3RR = {
      name: `${h}.`, type: RRType.NSEC3, class: 1, ttl: 300, rdata: new Uint8Array(),
      data: { kind: 'NSEC3', hashAlgorithm: 1, flags: 0, iterations: 0, salt: new Uint8Array(), nextHashed: fromBase32Hex(h)!, types: [RRType.NS, RRType.SOA, RRType.RRSIG, RRType.DNSKEY, RRType.NSEC3PARAM] },
    };
    expect(await proveNodataNsec3([root], '.', RRType.DS, '.', budget())).toEqual({ kind: 'proven' });
  });
  it('B.6 the apex NSEC3 (SOA set) cannot deny DS even if the signer were the parent', async () => {
    // Same record evaluated as if from the parent zone "." would not even be in the zone; a
    // matching NSEC3 with SOA set is the child's (RFC 4035 §5.2).
    const childApex = withData(pick(rfc, '35mt'), { types: [RRType.NS, RRType.SOA, RRType.RRSIG] });
    expectFailed(await proveNodataNsec3(childApex, 'a.example.', RRType.DS, EX, budget()), 'denial-invalid');
  });
});

describe('BIND-signed NSEC3 zone (no salt, 0 iterations, no Opt-Out)', () => {
  it('NXDOMAIN below the apex, last NSEC3 wraps around', async () => {
    expect(await proveNxdomainNsec3(bind, 'x.example.test.', ET, budget())).toEqual({ kind: 'proven', closestEncloser: ET });
  });
  it('NXDOMAIN below an existing name', async () => {
    expect(await proveNxdomainNsec3(bind, 'deep.x.a.example.test.', ET, budget())).toEqual({ kind: 'proven', closestEncloser: 'a.example.test.' });
  });
  it('NODATA, ENT NODATA, wildcard NODATA', async () => {
    expect(await proveNodataNsec3(bind, 'a.example.test.', RRType.TXT, ET, budget())).toEqual({ kind: 'proven' });
    expect(await proveNodataNsec3(bind, 'c.example.test.', RRType.A, ET, budget())).toEqual({ kind: 'proven' });
    expect(await proveNodataNsec3(bind, 'foo.wild.example.test.', RRType.A, ET, budget())).toEqual({ kind: 'proven', closestEncloser: 'wild.example.test.' });
  });
  it('wildcard answer', async () => {
    expect(await proveWildcardAnswerNsec3(bind, 'foo.wild.example.test.', 'wild.example.test.', ET, budget())).toEqual({ kind: 'proven', closestEncloser: 'wild.example.test.' });
    expect(await proveWildcardAnswerNsec3(bind, '*.wild.example.test.', 'wild.example.test.', ET, budget())).toEqual({ kind: 'proven', closestEncloser: 'wild.example.test.' });
  });
  it('DS: unsigned delegation, secure delegation, non-delegation', async () => {
    expect(await proveNodataNsec3(bind, 'sub.example.test.', RRType.DS, ET, budget())).toEqual({ kind: 'insecure-delegation', zone: 'sub.example.test.' });
    expect(await proveInsecureDelegationNsec3(bind, 'sub.example.test.', ET, budget())).toEqual({ kind: 'insecure-delegation', zone: 'sub.example.test.' });
    expectFailed(await proveNodataNsec3(bind, 'secure.example.test.', RRType.DS, ET, budget()), 'denial-invalid');
    expectFailed(await proveInsecureDelegationNsec3(bind, 'secure.example.test.', ET, budget()), 'denial-invalid');
    expect(await proveNodataNsec3(bind, 'a.example.test.', RRType.DS, ET, budget())).toEqual({ kind: 'proven' });
    expectFailed(await proveInsecureDelegationNsec3(bind, 'a.example.test.', ET, budget()), 'denial-invalid');
  });
  it('refuses what the zone does not prove', async () => {
    expectFailed(await proveNodataNsec3(bind, 'cname.example.test.', RRType.A, ET, budget()), 'denial-invalid'); // CNAME bit
    expectFailed(await proveNodataNsec3(bind, 'sub.example.test.', RRType.A, ET, budget()), 'denial-invalid'); // delegation
    expectFailed(await proveNxdomainNsec3(bind, 'x.sub.example.test.', ET, budget()), 'denial-invalid'); // below a delegation
    expectFailed(await proveNxdomainNsec3(bind, 'x.dn.example.test.', ET, budget()), 'denial-invalid'); // below a DNAME
    expectFailed(await proveNxdomainNsec3(bind, 'a.example.test.', ET, budget()), 'denial-invalid'); // exists
    expectFailed(await proveNxdomainNsec3(bind, 'c.example.test.', ET, budget()), 'denial-invalid'); // ENT exists
    expectFailed(await proveNxdomainNsec3(bind, 'foo.wild.example.test.', ET, budget()), 'denial-invalid'); // wildcard exists
    expectFailed(await proveNodataNsec3(bind, 'x.example.test.', RRType.A, ET, budget()), 'denial-invalid'); // NXDOMAIN, not NODATA
  });
});

describe('BIND-signed NSEC3 zone with Opt-Out', () => {
  it('an unsigned delegation without NSEC3 of its own → insecure-optout', async () => {
    expect(await proveNodataNsec3(bindOptOut, 'sub.example.test.', RRType.DS, ET, budget())).toEqual({ kind: 'insecure-optout', zone: ET });
    expect(await proveInsecureDelegationNsec3(bindOptOut, 'sub.example.test.', ET, budget())).toEqual({ kind: 'insecure-optout', zone: ET });
  });
  it('names in an Opt-Out span are insecure, not proven', async () => {
    expect(await proveNxdomainNsec3(bindOptOut, 'x.example.test.', ET, budget())).toEqual({ kind: 'insecure-optout', zone: ET });
    expect(await proveNodataNsec3(bindOptOut, 'www.sub.example.test.', RRType.A, ET, budget())).toEqual({ kind: 'insecure-optout', zone: ET });
  });
  it('matching NSEC3 still prove NODATA and secure delegations still have DS', async () => {
    expect(await proveNodataNsec3(bindOptOut, 'a.example.test.', RRType.TXT, ET, budget())).toEqual({ kind: 'proven' });
    expectFailed(await proveNodataNsec3(bindOptOut, 'secure.example.test.', RRType.DS, ET, budget()), 'denial-invalid');
  });
});

describe('hostile and malformed NSEC3 input', () => {
  it('mixed salts: a proof needing records of two parameter sets is refused', async () => {
    const [ce, nc, wc] = noOptOut(pick(rfc, 'b4um', '0p9m', '35mt'));
    const other = { ...nc, data: { ...nc.data, salt: fromHex('aabbccde')! } };
    expectFailed(await proveNxdomainNsec3([ce, other, wc], 'a.c.x.w.example.', EX, budget()));
  });
  it('mixed iterations are not combined either', async () => {
    const [ce, nc, wc] = noOptOut(pick(rfc, 'b4um', '0p9m', '35mt'));
    const other = { ...wc, data: { ...wc.data, iterations: 11 } };
    expectFailed(await proveNxdomainNsec3([ce, nc, other], 'a.c.x.w.example.', EX, budget()));
  });
  it('Opt-Out claimed for a name that exists: the matching NSEC3 wins', async () => {
    // a.example has DS: an Opt-Out closest encloser proof next to its own NSEC3 proves nothing.
    const recs = pick(rfc, '35mt', '0p9m', '2vpt');
    expectFailed(await proveNodataNsec3(recs, 'a.example.', RRType.DS, EX, budget()), 'denial-invalid');
    expectFailed(await proveInsecureDelegationNsec3(recs, 'a.example.', EX, budget()), 'denial-invalid');
    // x.w.example exists: no NXDOMAIN, whatever Opt-Out spans come along.
    expectFailed(await proveNxdomainNsec3(pick(rfc, 'b4um', '0p9m', '35mt', 'k8ud'), 'x.w.example.', EX, budget()), 'denial-invalid');
  });
  it('missing wildcard denial', async () => {
    expectFailed(await proveNxdomainNsec3(noOptOut(pick(rfc, '0p9m', 'b4um')), 'a.c.x.w.example.', EX, budget()), 'denial-missing');
  });
  it('missing next closer cover', async () => {
    expectFailed(await proveNxdomainNsec3(noOptOut(pick(rfc, 'b4um', '35mt')), 'a.c.x.w.example.', EX, budget()), 'denial-missing');
  });
  it('no closest encloser at all', async () => {
    expectFailed(await proveNxdomainNsec3(noOptOut(pick(rfc, '35mt')), 'a.c.x.w.example.', EX, budget()), 'denial-missing');
  });
  it('wildcard answer whose next closer name exists', async () => {
    // x.w.example exists: a.x.w.example cannot come from *.w.example.
    expectFailed(await proveWildcardAnswerNsec3(noOptOut(rfc), 'a.x.w.example.', 'w.example.', EX, budget()), 'wildcard-invalid');
  });
  it('iterations above the limit → insecure-iterations without hashing', async () => {
    const recs = withData(pick(rfc, '0p9m', 'b4um', '35mt'), { iterations: LIMITS.maxNsec3Iterations + 1 });
    const b = budget();
    expect(await proveNxdomainNsec3(recs, 'a.c.x.w.example.', EX, b)).toEqual({ kind: 'insecure-iterations', iterations: 151 });
    expect(await proveNodataNsec3(recs, 'c.example.', RRType.DS, EX, b)).toEqual({ kind: 'insecure-iterations', iterations: 151 });
    expect(b.hashes).toBe(LIMITS.maxNsec3HashesPerVerdict);
  });
  it('iterations at the limit are still evaluated', async () => {
    const recs = withData(pick(rfc, '0p9m'), { iterations: LIMITS.maxNsec3Iterations });
    const b = budget();
    expectFailed(await proveNxdomainNsec3(recs, 'a.c.x.w.example.', EX, b));
    expect(b.hashes).toBeLessThan(LIMITS.maxNsec3HashesPerVerdict);
  });
  it('hash budget exhaustion → failed limit-exceeded', async () => {
    const b = { hashes: 2 };
    expectFailed(await proveNxdomainNsec3(noOptOut(pick(rfc, '0p9m', 'b4um', '35mt')), 'a.c.x.w.example.', EX, b), 'limit-exceeded');
    expect(b.hashes).toBe(0);
    expectFailed(await proveNodataNsec3(rfc, 'ns1.example.', RRType.MX, EX, { hashes: 0 }), 'limit-exceeded');
  });
  it('each name is hashed once per proof', async () => {
    const b = budget();
    await proveNxdomainNsec3(noOptOut(pick(rfc, '0p9m', 'b4um', '35mt')), 'a.c.x.w.example.', EX, b);
    // a.c.x.w, c.x.w, x.w (closest encloser walk) + *.x.w (wildcard); c.x.w is not hashed twice.
    expect(LIMITS.maxNsec3HashesPerVerdict - b.hashes).toBe(4);
  });
  it('unknown hash algorithms and reserved flags are ignored (RFC 5155 §8.1, §8.2)', async () => {
    const recs = pick(rfc, '2t7b');
    expectFailed(await proveNodataNsec3(withData(recs, { hashAlgorithm: 2 }), 'ns1.example.', RRType.MX, EX, budget()), 'denial-missing');
    expectFailed(await proveNodataNsec3(withData(recs, { flags: 0x03 }), 'ns1.example.', RRType.MX, EX, budget()), 'denial-missing');
  });
  it('records of another zone are ignored', async () => {
    expectFailed(await proveNodataNsec3(pick(rfc, '2t7b'), 'ns1.example.', RRType.MX, 'ns1.example.', budget()), 'denial-missing');
  });
  it('a truncated next hashed owner name is ignored', async () => {
    const recs = withData(pick(rfc, '2t7b'), { nextHashed: new Uint8Array(19) });
    expectFailed(await proveNodataNsec3(recs, 'ns1.example.', RRType.MX, EX, budget()), 'denial-missing');
  });
  it('the closest encloser may not be a delegation (RFC 5155 §8.3, RFC 6840 §4.1)', async () => {
    // a.example is a delegation (NS DS, no SOA): nothing below it can be denied by the parent.
    const fake = noOptOut(pick(rfc, '35mt'));
    // pretend something covers the next closer: the whole chain
    const r = await proveNxdomainNsec3([...fake, ...noOptOut(rfc)], 'x.y.a.example.', EX, budget());
    expectFailed(r, 'denial-invalid');
  });
  it('a qname outside the zone is refused', async () => {
    expectFailed(await proveNxdomainNsec3(rfc, 'a.example.com.', EX, budget()), 'denial-invalid');
    expectFailed(await proveNxdomainNsec3(rfc, EX, EX, budget()), 'denial-invalid');
  });
  it('random record sets never prove NXDOMAIN for an existing name', async () => {
    const existing = ['example.', 'ns1.example.', 'x.w.example.', 'y.w.example.', 'w.example.', 'a.example.', 'xx.example.', 'ai.example.'];
    await fc.assert(
      fc.asyncProperty(fc.subarray(noOptOut(rfc)), fc.constantFrom(...existing), async (recs, name) => {
        if (name === EX) return true;
        const r = await proveNxdomainNsec3(recs, name, EX, budget());
        return r.kind === 'failed';
      }),
      { numRuns: 50 },
    );
  });
});
