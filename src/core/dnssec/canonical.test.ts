import { describe, expect, it } from 'vitest';
import { canonicalRdata, canonicalRRset, signedData, signedOwner } from './canonical';
import { a, hex, mx, rr, rrsig, SIG_VECTORS } from './fixtures/vectors';
import { concatBytes, toHex } from '../util/encoding';
import { nameToWire } from '../wire/name';
import { encodeTypeBitmap } from '../wire/rdata';
import { RRType } from '../wire/types';

const w = (n: string) => nameToWire(n);
const lw = (n: string) => nameToWire(n, true);
const u16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff);

describe('canonicalRdata (RFC 4034 §6.2, RFC 6840 §5.1, RFC 3597 §7)', () => {
  it('lowercases single-name types', () => {
    for (const t of [RRType.NS, RRType.CNAME, RRType.PTR, RRType.DNAME, 3, 4, 7, 8, 9]) {
      expect(canonicalRdata(t, w('Foo.EXAMPLE.'))).toEqual(lw('foo.example.'));
    }
  });

  it('MX, AFSDB, RT, KX: preference untouched, name lowercased', () => {
    for (const t of [RRType.MX, 18, 21, 36]) {
      const r = concatBytes(Uint8Array.of(0x00, 0x41), w('Mail.Example.'));
      expect(canonicalRdata(t, r)).toEqual(concatBytes(Uint8Array.of(0x00, 0x41), lw('mail.example.')));
    }
  });

  it('SOA: both names lowercased, the 20 octets after them untouched', () => {
    const tail = new Uint8Array(20).fill(0x41); // 'A' bytes must not be lowercased
    const r = concatBytes(w('NS1.Example.'), w('HostMaster.Example.'), tail);
    expect(canonicalRdata(RRType.SOA, r)).toEqual(concatBytes(lw('ns1.example.'), lw('hostmaster.example.'), tail));
  });

  it('RRSIG and SIG: signer lowercased, fixed fields and signature untouched', () => {
    const fixed = new Uint8Array(18).fill(0x5a); // 'Z'
    const sig = Uint8Array.of(0x41, 0x42, 0x43);
    for (const t of [RRType.RRSIG, 24]) {
      expect(canonicalRdata(t, concatBytes(fixed, w('EXAMPLE.'), sig))).toEqual(concatBytes(fixed, lw('example.'), sig));
    }
  });

  it('SRV, RP, MINFO, PX, NXT', () => {
    const six = Uint8Array.of(0, 1, 0, 2, 0x01, 0xbb);
    expect(canonicalRdata(RRType.SRV, concatBytes(six, w('Host.EXAMPLE.')))).toEqual(concatBytes(six, lw('host.example.')));
    for (const t of [17, 14]) {
      expect(canonicalRdata(t, concatBytes(w('A.B.'), w('C.D.')))).toEqual(concatBytes(lw('a.b.'), lw('c.d.')));
    }
    expect(canonicalRdata(26, concatBytes(u16(10), w('A.'), w('B.')))).toEqual(concatBytes(u16(10), lw('a.'), lw('b.')));
    const bitmap = Uint8Array.of(0x40, 0x01);
    expect(canonicalRdata(30, concatBytes(w('Next.'), bitmap))).toEqual(concatBytes(lw('next.'), bitmap));
  });

  it('NAPTR: character-strings keep their case, the replacement name is lowercased', () => {
    const str = (s: string) => concatBytes(Uint8Array.of(s.length), new TextEncoder().encode(s));
    const head = concatBytes(u16(100), u16(10), str('S'), str('SIP+D2U'), str('!^.*$!SIP:X@Y!'));
    expect(canonicalRdata(35, concatBytes(head, w('_SIP._UDP.Example.')))).toEqual(concatBytes(head, lw('_sip._udp.example.')));
  });

  it('A6: prefix name only when the prefix length is non-zero', () => {
    const r = concatBytes(Uint8Array.of(64), new Uint8Array(8).fill(0x41), w('Prefix.Example.'));
    expect(canonicalRdata(38, r)).toEqual(concatBytes(Uint8Array.of(64), new Uint8Array(8).fill(0x41), lw('prefix.example.')));
    const full = concatBytes(Uint8Array.of(0), new Uint8Array(16).fill(0x41));
    expect(canonicalRdata(38, full)).toEqual(full);
  });

  it('NSEC is not lowercased (RFC 6840 §5.1), nor HINFO, TXT, NSEC3, TLSA, unknown types (RFC 3597 §7)', () => {
    const nsec = concatBytes(w('Next.Example.'), encodeTypeBitmap([1, 46, 47]));
    expect(canonicalRdata(RRType.NSEC, nsec)).toEqual(nsec);
    const text = Uint8Array.of(3, 0x41, 0x42, 0x43, 1, 0x44);
    for (const t of [13, RRType.TXT, RRType.NSEC3, RRType.TLSA, RRType.SVCB, RRType.HTTPS, 65280]) {
      expect(canonicalRdata(t, text)).toEqual(text);
    }
  });

  it('only ASCII A–Z change: escaped and non-ASCII octets stay, \\065 (A) is lowercased', () => {
    const r = w('\\065\\195\\128\\..X.');
    const out = canonicalRdata(RRType.CNAME, r);
    expect(toHex(out)).toBe(toHex(concatBytes(Uint8Array.of(4, 0x61, 0xc3, 0x80, 0x2e, 1, 0x78, 0))));
  });

  it('malformed RDATA is returned unchanged, never throws', () => {
    for (const [t, r] of [
      [RRType.MX, Uint8Array.of(0)],
      [RRType.MX, Uint8Array.of(0, 10, 5, 0x41)],
      [RRType.NS, Uint8Array.of(0xc0, 0x0c)], // compression pointer
      [RRType.SOA, new Uint8Array(0)],
      [35, Uint8Array.of(0, 1, 0, 1, 200)],
      [38, Uint8Array.of(200)],
    ] as const) {
      expect(canonicalRdata(t, r)).toEqual(r);
    }
  });

  it('returns a copy', () => {
    const r = w('example.');
    const out = canonicalRdata(RRType.NS, r);
    out[1] = 0;
    expect(r[1]).toBe(0x65);
  });
});

describe('canonicalRRset (RFC 4034 §6.3)', () => {
  it('sorts by canonical RDATA and removes duplicates', () => {
    const set = [a('x.', '192.0.2.2'), a('x.', '192.0.2.1'), a('x.', '192.0.2.2'), a('x.', '10.0.0.1')];
    expect(canonicalRRset(set).map(toHex)).toEqual(['0a000001', 'c0000201', 'c0000202']);
  });

  it('duplicates after canonicalisation (case of embedded names) collapse', () => {
    const set = [mx('x.', 10, 'Mail.Example.'), mx('x.', 10, 'mail.example.')];
    expect(canonicalRRset(set)).toHaveLength(1);
  });

  it('a proper prefix sorts first', () => {
    const t = (bytes: number[]) => rr('x.', RRType.TXT, 1, { kind: 'unknown', bytes: Uint8Array.from(bytes) });
    expect(canonicalRRset([t([1, 0x61, 0]), t([1, 0x61])]).map(toHex)).toEqual(['0161', '016100']);
  });
});

describe('signedData (RFC 4034 §3.1.8.1)', () => {
  // Ed25519 example of RFC 8080 §6 (Errata 4935); the signed data as published by PowerDNS's
  // and Knot's test suites (printed from the RFC authors' dnskey.py).
  const ed = SIG_VECTORS.find((v) => v.key.keyTag === 3613)!;
  const expected =
    '000f0f0200000e1055d4fc6055b94ce00e1d076578616d706c6503636f6d00' +
    '076578616d706c6503636f6d00000f000100000e100014000a046d61696c076578616d706c6503636f6d00';

  it('matches the RFC 8080 example signed data', () => {
    expect(toHex(signedData(rrsig(ed.sig.owner, ed.sig), ed.rrset))).toBe(expected);
  });

  it('lowercases owner, signer and embedded names, uses the Original TTL', () => {
    const sig = rrsig('EXAMPLE.COM.', { ...ed.sig, signerName: 'Example.COM.' });
    const set = [mx('Example.Com.', 10, 'MAIL.example.COM.', 42)];
    expect(toHex(signedData(sig, set))).toBe(expected);
  });

  it('RRs in canonical order, duplicates removed', () => {
    const sig = rrsig('x.example.', { ...ed.sig, typeCovered: RRType.A, labels: 2, signerName: 'example.' });
    const one = signedData(sig, [a('x.example.', '192.0.2.2'), a('x.example.', '192.0.2.1')]);
    const two = signedData(sig, [a('x.example.', '192.0.2.1'), a('x.example.', '192.0.2.2'), a('x.example.', '192.0.2.1')]);
    expect(toHex(one)).toBe(toHex(two));
    const head = concatBytes(lw('x.example.'), u16(1), u16(1), hex('00000e10'), u16(4));
    expect(toHex(one)).toContain(toHex(concatBytes(head, hex('c0000201'), head, hex('c0000202'))));
  });

  it('wildcard owner when Labels < owner labels (RFC 4035 §5.3.2)', () => {
    expect(signedOwner('a.b.W.example.', 2)).toBe('*.W.example.');
    expect(signedOwner('x.w.example.', 3)).toBe('x.w.example.');
    expect(signedOwner('*.w.example.', 2)).toBe('*.w.example.'); // the wildcard itself, "*" not counted
    expect(signedOwner('x.', 0)).toBe('*.');
    const sig = rrsig('a.b.w.example.', { ...ed.sig, typeCovered: RRType.A, labels: 2, signerName: 'example.' });
    const data = signedData(sig, [a('a.b.W.example.', '192.0.2.1')]);
    expect(toHex(data)).toContain(toHex(concatBytes(lw('*.w.example.'), u16(1), u16(1))));
    expect(toHex(data)).not.toContain(toHex(lw('a.b.w.example.')));
  });
});
