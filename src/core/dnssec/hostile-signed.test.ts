/**
 * Hostile-resolver cases that need validly signed data the test world does not contain (a
 * wildcard CNAME, signed CNAME loops, a signed DNAME whose substitution overflows): a tiny zone
 * "example." signed here with a fresh P-256 key (algorithm 13), anchored by its DNSKEY, served by
 * a scripted resolver. Each answer goes through buildMessage/parseMessage, as from the wire.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { RRType, type RR } from '../wire/types';
import { n, rr, scripted, SignedZone, type Scripted } from './fixtures/signer';
import type { LookupResult } from './result';
import { Validator } from './validator';

const { A, CNAME, DNAME, NSEC, RRSIG } = RRType;
const ZONE = 'example.';
const NOW = Date.UTC(2026, 0, 15) / 1000;

const zone = new SignedZone(ZONE, NOW);
let key: RR;

const a = (owner: string, ip: string) => rr(owner, A, { kind: 'A', address: ip });
const cname = (owner: string, target: string) => rr(owner, CNAME, { kind: 'CNAME', target: n(target) });
const dname = (owner: string, target: string) => rr(owner, DNAME, { kind: 'DNAME', target: n(target) });
const nsec = (owner: string, next: string, types: number[]) => rr(owner, NSEC, { kind: 'NSEC', nextName: n(next), types: [...types, RRSIG, NSEC].sort((x, y) => x - y) });

/** RRSIG over `set` by the zone key; `asOwner` signs as if the set were owned by that (wildcard) name. */
const sign = (set: RR[], asOwner?: string) => zone.sign(set, asOwner);
const signed = (...set: RR[]) => zone.signed(...set);

let base: Record<string, Scripted>;

beforeAll(async () => {
  key = (await zone.init()).key;
  // The zone: example. → *.example. (CNAME target) → a → b → d (DNAME) → target → www → example.
  base = {
    'example./48': await signed(key),
    'www.example./43': { authority: await signed(nsec('www.example.', 'example.', [A])) },
    'target.example./43': { authority: await signed(nsec('target.example.', 'www.example.', [A])) },
    'www.example./1': await signed(a('www.example.', '192.0.2.1')),
  };
});

function validator(script: Record<string, Scripted>) {
  const resolver = scripted({ ...base, ...script });
  return { v: new Validator({ resolver, anchors: [{ zone: ZONE, ds: [], dnskeys: [key.data as never] }], now: () => NOW * 1000 }), resolver };
}
const show = (r: LookupResult) => `${r.state}/${r.result} ${r.reason?.code ?? ''} ${r.reason?.message ?? ''} records=${r.records.map((x) => (x.data.kind === 'A' ? x.data.address : x.type)).join(',')}`;

describe('signed data a lying resolver can replay', () => {
  test('control: the real www.example A is secure', async () => {
    const { v } = validator({});
    const r = await v.lookup(n('www.example.'), A);
    expect(r.state, show(r)).toBe('secure');
  });

  test('a wildcard CNAME expanded at an existing name without the RFC 4035 §5.3.4 proof is bogus', async () => {
    // *.example. CNAME target.example. is genuine; the resolver claims it answered www.example.
    // (which exists) and gives no NSEC proof that www.example. does not exist.
    const wc = cname('www.example.', 'target.example.');
    const { v } = validator({
      'www.example./1': [wc, await sign([wc], '*.example.'), ...(await signed(a('target.example.', '6.6.6.6')))],
      'target.example./1': await signed(a('target.example.', '6.6.6.6')),
    });
    const r = await v.lookup(n('www.example.'), A);
    expect(r.state, show(r)).not.toBe('secure');
    expect(r.state, show(r)).toBe('bogus');
    expect(['wildcard-invalid', 'denial-missing'], show(r)).toContain(r.reason?.code);
  });

  test('control: the same wildcard CNAME at a name that does not exist, with its NSEC proof, is secure', async () => {
    const wc = cname('foo.example.', 'target.example.');
    const answer = [wc, await sign([wc], '*.example.'), ...(await signed(a('target.example.', '192.0.2.9')))];
    const proof = await signed(nsec('d.example.', 'target.example.', [DNAME]));
    const { v } = validator({
      'foo.example./1': { answer, authority: proof },
      'foo.example./43': { answer: [wc, await sign([wc], '*.example.')], authority: proof },
    });
    const r = await v.lookup(n('foo.example.'), A);
    expect(r.state, show(r)).toBe('secure');
    expect(r.records.map((x) => (x.data.kind === 'A' ? x.data.address : ''))).toEqual(['192.0.2.9']);
  });

  test('a loop of two validly signed CNAMEs is bogus (cname-loop)', async () => {
    const ab = await signed(cname('a.example.', 'b.example.'));
    const ba = await signed(cname('b.example.', 'a.example.'));
    const { v } = validator({ 'a.example./1': [...ab, ...ba], 'a.example./43': ab, 'b.example./43': ba, 'b.example./1': [...ba, ...ab] });
    const r = await v.lookup(n('a.example.'), A);
    expect(r.state, show(r)).toBe('bogus');
    expect(r.reason?.code, show(r)).toBe('cname-loop');
  });

  test('a validly signed CNAME to itself is bogus (cname-loop)', async () => {
    const self = await signed(cname('a.example.', 'a.example.'));
    const { v } = validator({ 'a.example./1': self, 'a.example./43': self });
    const r = await v.lookup(n('a.example.'), A);
    expect(r.state, show(r)).toBe('bogus');
    expect(r.reason?.code, show(r)).toBe('cname-loop');
  });

  test('a validly signed DNAME whose substitution exceeds 255 octets is bogus (dname-invalid)', async () => {
    const target = `${'x'.repeat(63)}.${'y'.repeat(63)}.${'z'.repeat(50)}.example.`;
    const d = await signed(dname('d.example.', target));
    const qname = `${'a'.repeat(63)}.${'b'.repeat(20)}.d.example.`;
    const { v } = validator({
      [`${qname}/1`]: d,
      'd.example./43': { authority: await signed(nsec('d.example.', 'target.example.', [DNAME])) },
      [`${'b'.repeat(20)}.d.example./43`]: d,
      [`${qname}/43`]: d,
    });
    const r = await v.lookup(n(qname), A);
    expect(r.state, show(r)).toBe('bogus');
    expect(r.reason?.code, show(r)).toBe('dname-invalid');
  });

  test('a wildcard-expanded NSEC (RFC 4592 §4.7) cannot prove NXDOMAIN', async () => {
    // The genuine NSEC of *.example. (next: a.example.) renamed to "\000.example.": its RRSIG
    // (Labels 1) still verifies, as an expansion of *.example., and the forged span
    // \000.example. → a.example. covers both 0.example. and the wildcard *.example.
    const wcNsec = nsec('*.example.', 'a.example.', [CNAME]);
    const sig = await sign([wcNsec]);
    const forged = [{ ...wcNsec, name: n('\\000.example.') }, { ...sig, name: n('\\000.example.') }];
    const { v } = validator({
      '0.example./1': { rcode: 3, authority: forged },
      '0.example./43': { rcode: 3, authority: forged },
    });
    const r = await v.lookup(n('0.example.'), A);
    // 0.example. would be answered by the wildcard: an NXDOMAIN is a lie.
    expect(r.state, show(r)).not.toBe('secure');
  });
});
