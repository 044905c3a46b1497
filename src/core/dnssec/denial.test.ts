import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseZoneText } from '../wire/present';
import { RRType, type RR } from '../wire/types';
import { LIMITS } from './limits';
import { proveDenial, type DenialResult } from './denial';

function load(file: string): RR[] {
  const z = parseZoneText(readFileSync(new URL(`./fixtures/denial/${file}`, import.meta.url), 'utf8'));
  if (z.errors.length > 0) throw new Error(`${file}: ${JSON.stringify(z.errors)}`);
  return z.records;
}

const Z = 'example.test.';
const nsecZone = load('nsec.example.test.zone'); // whole signed zone: proveDenial must ignore non-NSEC records
const nsec3Zone = load('nsec3.example.test.zone');
const nsec3OptOut = load('nsec3-optout.example.test.zone');
const rfc = load('rfc5155-appendix-a.zone');
const only = (rrs: RR[], type: number) => rrs.filter((r) => r.type === type);
const budget = () => ({ cryptoOps: 64, hashes: LIMITS.maxNsec3HashesPerVerdict }); // the validator's context budget

function expectFailed(r: DenialResult, code?: string): void {
  expect(r.kind).toBe('failed');
  if (code && r.kind === 'failed') expect(r.reason.code).toBe(code);
}

describe('proveDenial dispatch', () => {
  for (const [label, zone] of [
    ['NSEC', nsecZone],
    ['NSEC3', nsec3Zone],
  ] as const) {
    describe(label, () => {
      it('nxdomain', async () => {
        expect(await proveDenial({ name: 'nope.example.test.', type: RRType.A, class: 'nxdomain' }, zone, Z, budget())).toEqual({ kind: 'proven', closestEncloser: Z });
      });
      it('nodata', async () => {
        expect(await proveDenial({ name: 'a.example.test.', type: RRType.TXT, class: 'nodata' }, zone, Z, budget())).toEqual({ kind: 'proven' });
        expectFailed(await proveDenial({ name: 'a.example.test.', type: RRType.A, class: 'nodata' }, zone, Z, budget()), 'denial-invalid');
      });
      it('DS of an unsigned delegation', async () => {
        expect(await proveDenial({ name: 'sub.example.test.', type: RRType.DS, class: 'nodata' }, zone, Z, budget())).toEqual({ kind: 'insecure-delegation', zone: 'sub.example.test.' });
      });
      it('wildcard answer from the RRSIG Labels value', async () => {
        expect(await proveDenial({ name: 'foo.wild.example.test.', type: RRType.MX, class: 'wildcard-answer', rrsigLabels: 3 }, zone, Z, budget())).toEqual({ kind: 'proven', closestEncloser: 'wild.example.test.' });
        // Labels claiming *.example.test: wild.example.test exists, so that wildcard cannot apply.
        expectFailed(await proveDenial({ name: 'foo.wild.example.test.', type: RRType.MX, class: 'wildcard-answer', rrsigLabels: 2 }, zone, Z, budget()));
      });
      it('class absent: NXDOMAIN or NODATA, whichever is proven', async () => {
        expect(await proveDenial({ class: 'either', name: 'nope.example.test.', type: RRType.A }, zone, Z, budget())).toEqual({ kind: 'proven', closestEncloser: Z });
        expect(await proveDenial({ class: 'either', name: 'c.example.test.', type: RRType.A }, zone, Z, budget())).toEqual({ kind: 'proven' });
        expect(await proveDenial({ class: 'either', name: 'sub.example.test.', type: RRType.DS }, zone, Z, budget())).toEqual({ kind: 'insecure-delegation', zone: 'sub.example.test.' });
        expectFailed(await proveDenial({ class: 'either', name: 'a.example.test.', type: RRType.A }, zone, Z, budget()));
      });
      it('a name outside the zone', async () => {
        expectFailed(await proveDenial({ name: 'nope.example.org.', type: RRType.A, class: 'nxdomain' }, zone, Z, budget()), 'denial-invalid');
      });
    });
  }

  it('NSEC3 Opt-Out through the entry point', async () => {
    expect(await proveDenial({ name: 'sub.example.test.', type: RRType.DS, class: 'nodata' }, nsec3OptOut, Z, budget())).toEqual({ kind: 'insecure-optout', zone: Z });
    expect(await proveDenial({ name: 'nope.example.test.', type: RRType.A, class: 'nxdomain' }, nsec3OptOut, Z, budget())).toEqual({ kind: 'insecure-optout', zone: Z });
  });

  it('RFC 5155 B.4 through the entry point (RRSIG Labels 2 on a.z.w.example)', async () => {
    const r = await proveDenial({ name: 'a.z.w.example.', type: RRType.MX, class: 'wildcard-answer', rrsigLabels: 2 }, only(rfc, RRType.NSEC3), 'example.', budget());
    expect(r).toEqual({ kind: 'insecure-optout', zone: 'example.' });
  });

  it('mixing NSEC and NSEC3 is refused', async () => {
    const mixed = [...only(nsecZone, RRType.NSEC), ...only(nsec3Zone, RRType.NSEC3)];
    expectFailed(await proveDenial({ name: 'nope.example.test.', type: RRType.A, class: 'nxdomain' }, mixed, Z, budget()), 'denial-invalid');
  });

  it('no NSEC or NSEC3 at all', async () => {
    expectFailed(await proveDenial({ name: 'nope.example.test.', type: RRType.A, class: 'nxdomain' }, [], Z, budget()), 'denial-missing');
    expectFailed(await proveDenial({ name: 'nope.example.test.', type: RRType.A, class: 'nodata' }, only(nsecZone, RRType.SOA), Z, budget()), 'denial-missing');
  });

  it('wildcard answers: bad or missing Labels, and non-expanded answers', async () => {
    const recs = only(nsecZone, RRType.NSEC);
    expectFailed(await proveDenial({ name: 'a.example.test.', type: RRType.A, class: 'wildcard-answer', rrsigLabels: 4 }, recs, Z, budget()), 'labels-invalid');
    expectFailed(await proveDenial({ name: 'a.example.test.', type: RRType.A, class: 'wildcard-answer' } as never, recs, Z, budget()), 'wildcard-invalid');
    expect(await proveDenial({ name: 'a.example.test.', type: RRType.A, class: 'wildcard-answer', rrsigLabels: 3 }, recs, Z, budget())).toEqual({ kind: 'proven' });
  });

  it('iterations over the limit through the entry point', async () => {
    const recs = only(nsec3Zone, RRType.NSEC3).map((r) => ({ ...r, data: { ...r.data, iterations: 151 } })) as RR[];
    const b = budget();
    expect(await proveDenial({ name: 'nope.example.test.', type: RRType.A, class: 'nxdomain' }, recs, Z, b)).toEqual({ kind: 'insecure-iterations', iterations: 151 });
    expect(b.hashes).toBe(LIMITS.maxNsec3HashesPerVerdict);
  });

  it('hash budget exhaustion through the entry point', async () => {
    expectFailed(await proveDenial({ name: 'a.b.c.d.nope.example.test.', type: RRType.A, class: 'nxdomain' }, nsec3Zone, Z, { hashes: 3 }), 'limit-exceeded');
  });
});
