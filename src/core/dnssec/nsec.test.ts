import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseZoneText } from '../wire/present';
import { RRType, type Name, type RR } from '../wire/types';
import type { DenialResult } from './denial';
import {
  isNsec,
  nsecClosestEncloser,
  nsecCovers,
  nsecMatches,
  proveNodataNsec,
  proveNxdomainNsec,
  proveWildcardAnswerNsec,
  type NsecRR,
} from './nsec';

function load(file: string): RR[] {
  const z = parseZoneText(readFileSync(new URL(`./fixtures/denial/${file}`, import.meta.url), 'utf8'));
  if (z.errors.length > 0) throw new Error(`${file}: ${JSON.stringify(z.errors)}`);
  return z.records;
}

/** The BIND-signed NSEC chain of source.zone (example.test.). */
const chain = load('nsec.example.test.zone').filter(isNsec);
const Z = 'example.test.';

function at(owner: Name): NsecRR {
  const r = chain.find((n) => n.name === owner);
  if (!r) throw new Error(`no NSEC at ${owner}`);
  return r;
}
/** NSEC RRs by owner, relative to example.test. ('@' = apex). */
function nsecs(...owners: string[]): NsecRR[] {
  return owners.map((o) => at(o === '@' ? Z : `${o}.${Z}`));
}
function nsec(owner: Name, next: Name, types: number[]): NsecRR {
  return { name: owner, type: RRType.NSEC, class: 1, ttl: 300, rdata: new Uint8Array(), data: { kind: 'NSEC', nextName: next, types } };
}
function expectFailed(r: DenialResult, code?: string): void {
  expect(r.kind).toBe('failed');
  if (code && r.kind === 'failed') expect(r.reason.code).toBe(code);
}

describe('nsecCovers / nsecMatches (RFC 4034 §4.1, §6.1)', () => {
  it('the fixture chain is what BIND produced', () => {
    expect(chain.map((n) => n.name)).toEqual([
      'example.test.', 'a.example.test.', 'b.c.example.test.', 'cname.example.test.', 'dn.example.test.', 'ns1.example.test.',
      'secure.example.test.', 'sub.example.test.', 'wild.example.test.', '*.wild.example.test.', 'zz.example.test.',
    ]);
  });
  it('covers names strictly between owner and next, in canonical order', () => {
    const a = at('a.example.test.'); // a → b.c
    expect(nsecCovers(a, 'b.example.test.', Z)).toBe(true);
    expect(nsecCovers(a, 'x.a.example.test.', Z)).toBe(true);
    expect(nsecCovers(a, 'A.Example.Test.', Z)).toBe(false); // equal (case-insensitive): matches, not covers
    expect(nsecMatches(a, 'A.Example.Test.')).toBe(true);
    expect(nsecCovers(a, 'b.c.example.test.', Z)).toBe(false); // = next
    expect(nsecCovers(a, 'c.example.test.', Z)).toBe(true); // the ENT c sorts before its child b.c
    expect(nsecCovers(a, 'cname.example.test.', Z)).toBe(false); // after next
    expect(nsecCovers(a, 'example.test.', Z)).toBe(false);
  });
  it('the last NSEC wraps around to the apex', () => {
    const last = at('zz.example.test.');
    expect(nsecCovers(last, 'zzz.example.test.', Z)).toBe(true);
    expect(nsecCovers(last, 'a.zz.example.test.', Z)).toBe(true);
    expect(nsecCovers(last, 'a.example.test.', Z)).toBe(false);
    expect(nsecCovers(last, 'example.test.', Z)).toBe(false);
    expect(nsecCovers(last, 'zzz.test.', Z)).toBe(false); // outside the zone
  });
  it('a backwards NSEC is only a wrap-around when its next name is the apex', () => {
    expect(nsecCovers(nsec('zz.example.test.', 'a.example.test.', [RRType.TXT]), 'zzz.example.test.', Z)).toBe(false);
    expect(nsecCovers(nsec(Z, Z, [RRType.SOA]), 'anything.example.test.', Z)).toBe(true); // zone of one name
  });
  it('every name of the zone is matched or covered by exactly one NSEC of the chain', () => {
    const label = fc.stringMatching(/^[a-z0-9*-]{1,8}$/);
    fc.assert(
      fc.property(fc.array(label, { minLength: 0, maxLength: 4 }), (labels) => {
        const name = labels.length ? `${labels.join('.')}.${Z}` : Z;
        const n = chain.filter((r) => nsecMatches(r, name) || nsecCovers(r, name, Z)).length;
        return n === 1;
      }),
    );
  });
  it('closest encloser from a covering NSEC', () => {
    expect(nsecClosestEncloser(at('a.example.test.'), 'b.example.test.')).toBe(Z);
    expect(nsecClosestEncloser(at('a.example.test.'), 'x.y.a.example.test.')).toBe('a.example.test.');
    expect(nsecClosestEncloser(at('*.wild.example.test.'), 'foo.wild.example.test.')).toBe('wild.example.test.');
  });
});

describe('NXDOMAIN (RFC 4035 §5.4)', () => {
  it('name between two names, wildcard denied by the apex NSEC', () => {
    expect(proveNxdomainNsec(nsecs('a', '@'), 'b.example.test.', Z)).toEqual({ kind: 'proven', closestEncloser: Z });
  });
  it('last NSEC wrap-around', () => {
    expect(proveNxdomainNsec(nsecs('zz', '@'), 'zzz.example.test.', Z)).toEqual({ kind: 'proven', closestEncloser: Z });
  });
  it('closest encloser taken from the next name (below the ENT c)', () => {
    expect(nsecClosestEncloser(at('a.example.test.'), 'a.c.example.test.')).toBe('c.example.test.');
    expect(proveNxdomainNsec(nsecs('a'), 'a.c.example.test.', Z)).toEqual({ kind: 'proven', closestEncloser: 'c.example.test.' });
  });
  it('one NSEC covering both the name and the wildcard', () => {
    expect(proveNxdomainNsec(nsecs('a'), 'x.a.example.test.', Z)).toEqual({ kind: 'proven', closestEncloser: 'a.example.test.' });
  });
  it('refuses an empty non-terminal, an existing name and a matching wildcard', () => {
    expectFailed(proveNxdomainNsec(nsecs('a', '@'), 'c.example.test.', Z), 'denial-invalid');
    expectFailed(proveNxdomainNsec(chain, 'a.example.test.', Z), 'denial-invalid');
    expectFailed(proveNxdomainNsec(nsecs('*.wild', 'wild'), 'foo.wild.example.test.', Z), 'denial-invalid');
  });
  it('refuses names below a delegation or a DNAME (RFC 6840 §4.1)', () => {
    expectFailed(proveNxdomainNsec(chain, 'www.sub.example.test.', Z), 'denial-missing');
    expectFailed(proveNxdomainNsec(chain, 'x.dn.example.test.', Z), 'denial-missing');
  });
  it('refuses a covering NSEC from a delegation point above qname, even hand-made', () => {
    const deleg = nsec('sub.example.test.', 'wild.example.test.', [RRType.NS, RRType.RRSIG, RRType.NSEC]);
    expectFailed(proveNxdomainNsec([deleg, at(Z)], 'www.sub.example.test.', Z));
  });
  it('refuses an NSEC that does not cover qname', () => {
    expectFailed(proveNxdomainNsec(nsecs('ns1', '@'), 'b.example.test.', Z), 'denial-missing');
  });
  it('refuses a missing wildcard denial', () => {
    expectFailed(proveNxdomainNsec(nsecs('a'), 'b.example.test.', Z), 'denial-missing');
  });
  it('refuses the apex, names outside the zone, and NSECs of another zone', () => {
    expectFailed(proveNxdomainNsec(chain, Z, Z));
    expectFailed(proveNxdomainNsec(chain, 'b.example.org.', Z));
    expectFailed(proveNxdomainNsec(chain, 'b.example.test.', 'other.test.'));
  });
});

describe('NODATA (RFC 4035 §3.1.3.1, §3.1.3.4, §5.4)', () => {
  it('NSEC at qname without the type', () => {
    expect(proveNodataNsec(nsecs('a'), 'a.example.test.', RRType.TXT, Z)).toEqual({ kind: 'proven' });
    expect(proveNodataNsec(nsecs('@'), Z, RRType.MX, Z)).toEqual({ kind: 'proven' });
  });
  it('refuses when the bitmap has the type or a CNAME (RFC 6840 §4.3)', () => {
    expectFailed(proveNodataNsec(nsecs('a'), 'a.example.test.', RRType.A, Z), 'denial-invalid');
    expectFailed(proveNodataNsec(nsecs('cname'), 'cname.example.test.', RRType.A, Z), 'denial-invalid');
  });
  it('empty non-terminal', () => {
    expect(proveNodataNsec(nsecs('a'), 'c.example.test.', RRType.A, Z)).toEqual({ kind: 'proven' });
    expect(proveNodataNsec(nsecs('a'), 'c.example.test.', RRType.DS, Z)).toEqual({ kind: 'proven' });
  });
  it('wildcard NODATA', () => {
    const recs = nsecs('*.wild'); // covers foo.wild and is the wildcard itself
    expect(proveNodataNsec(recs, 'foo.wild.example.test.', RRType.A, Z)).toEqual({ kind: 'proven', closestEncloser: 'wild.example.test.' });
    expectFailed(proveNodataNsec(recs, 'foo.wild.example.test.', RRType.MX, Z), 'denial-invalid');
  });
  it('a nonexistent name without a wildcard is NXDOMAIN, not NODATA', () => {
    expectFailed(proveNodataNsec(nsecs('a', '@'), 'b.example.test.', RRType.A, Z), 'denial-invalid');
  });
  it('a delegation NSEC cannot deny other types at or below the cut (RFC 6840 §4.1)', () => {
    expectFailed(proveNodataNsec(nsecs('sub'), 'sub.example.test.', RRType.A, Z), 'denial-invalid');
    expectFailed(proveNodataNsec(nsecs('sub'), 'www.sub.example.test.', RRType.A, Z), 'denial-missing');
  });
  it('no NSEC at all for qname', () => {
    expectFailed(proveNodataNsec(nsecs('ns1'), 'a.example.test.', RRType.TXT, Z), 'denial-missing');
  });
});

describe('DS NODATA (RFC 4035 §5.2, RFC 6840 §4.4)', () => {
  it('unsigned delegation → insecure-delegation', () => {
    expect(proveNodataNsec(nsecs('sub'), 'sub.example.test.', RRType.DS, Z)).toEqual({ kind: 'insecure-delegation', zone: 'sub.example.test.' });
  });
  it('secure delegation: DS exists', () => {
    expectFailed(proveNodataNsec(nsecs('secure'), 'secure.example.test.', RRType.DS, Z), 'denial-invalid');
  });
  it('not a delegation → plain NODATA', () => {
    expect(proveNodataNsec(nsecs('a'), 'a.example.test.', RRType.DS, Z)).toEqual({ kind: 'proven' });
  });
  it("the child's own apex NSEC cannot deny its DS", () => {
    expectFailed(proveNodataNsec(nsecs('@'), Z, RRType.DS, Z), 'denial-invalid');
    // Even if offered as from the parent: SOA set means the child side.
    const childApex = nsec('sub.example.test.', 'a.sub.example.test.', [RRType.NS, RRType.SOA, RRType.RRSIG, RRType.NSEC, RRType.DNSKEY]);
    expectFailed(proveNodataNsec([childApex], 'sub.example.test.', RRType.DS, Z), 'denial-invalid');
  });
  it('a zone cannot deny DS at its own apex, whatever its bitmap says', () => {
    const apexNoSoa = nsec(Z, 'a.example.test.', [RRType.NS, RRType.RRSIG, RRType.NSEC]);
    expectFailed(proveNodataNsec([apexNoSoa], Z, RRType.DS, Z), 'denial-invalid');
  });
  it('the root zone may deny DS at the root', () => {
    const root = nsec('.', 'aaa.', [RRType.NS, RRType.SOA, RRType.RRSIG, RRType.NSEC, RRType.DNSKEY]);
    expect(proveNodataNsec([root], '.', RRType.DS, '.')).toEqual({ kind: 'proven' });
  });
});

describe('wildcard answers (RFC 4035 §5.3.4)', () => {
  it('proves the expansion of *.wild.example.test', () => {
    expect(proveWildcardAnswerNsec(nsecs('*.wild'), 'foo.wild.example.test.', 'wild.example.test.', Z)).toEqual({ kind: 'proven', closestEncloser: 'wild.example.test.' });
    expect(proveWildcardAnswerNsec(nsecs('*.wild'), 'a.b.wild.example.test.', 'wild.example.test.', Z)).toEqual({ kind: 'proven', closestEncloser: 'wild.example.test.' });
  });
  it('the wildcard owner itself needs no proof', () => {
    expect(proveWildcardAnswerNsec([], '*.wild.example.test.', 'wild.example.test.', Z)).toEqual({ kind: 'proven', closestEncloser: 'wild.example.test.' });
  });
  it('refuses when the NSEC shows a closer encloser', () => {
    // An answer for x.a.example.test claimed from *.example.test: a.example.test exists.
    expectFailed(proveWildcardAnswerNsec(nsecs('a'), 'x.a.example.test.', Z, Z), 'wildcard-invalid');
  });
  it('refuses when qname exists', () => {
    expectFailed(proveWildcardAnswerNsec(chain, 'a.example.test.', Z, Z), 'wildcard-invalid');
  });
  it('refuses without a covering NSEC', () => {
    expectFailed(proveWildcardAnswerNsec(nsecs('a'), 'foo.wild.example.test.', 'wild.example.test.', Z), 'denial-missing');
  });
  it('refuses a closest encloser that is not an ancestor of qname', () => {
    expectFailed(proveWildcardAnswerNsec(chain, 'foo.example.test.', 'wild.example.test.', Z), 'wildcard-invalid');
  });
  it('refuses a covering NSEC from a delegation above qname', () => {
    expectFailed(proveWildcardAnswerNsec(chain, 'x.sub.example.test.', Z, Z));
  });
});
