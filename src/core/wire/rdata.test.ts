import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../util/encoding';
import { nameToWire } from './name';
import { decodeTypeBitmap, encodeRData, encodeTypeBitmap, formatIPv6, ipv4Bytes, ipv6Bytes, parseRData } from './rdata';
import { RRType, WireError, type RData } from './types';

const u8 = (...b: number[]) => new Uint8Array(b);
const ascii = (s: string) => new TextEncoder().encode(s);
const parse = (type: number, rdata: Uint8Array) => parseRData(type, rdata, 0, rdata.length);

describe('type bitmaps (RFC 4034 §4.1.2)', () => {
  it('encodes the RFC 4034 §4.3 example (A MX RRSIG NSEC TYPE1234)', () => {
    const bm = encodeTypeBitmap([1, 15, 46, 47, 1234]);
    expect(toHex(bm)).toBe('0006400100000003' + '041b000000000000000000000000000000000000000000000000000020');
    expect(decodeTypeBitmap(bm, 0, bm.length)).toEqual([1, 15, 46, 47, 1234]);
  });
  it('empty bitmap is empty', () => {
    expect(encodeTypeBitmap([])).toEqual(u8());
    expect(decodeTypeBitmap(u8(), 0, 0)).toEqual([]);
  });
  it('rejects bad windows', () => {
    expect(() => decodeTypeBitmap(u8(0, 0), 0, 2)).toThrow(WireError); // length 0
    expect(() => decodeTypeBitmap(concatBytes(u8(0, 33), new Uint8Array(33)), 0, 35)).toThrow(WireError);
    expect(() => decodeTypeBitmap(u8(1, 1, 0x40, 0, 1, 0x40), 0, 6)).toThrow(/increasing/);
    expect(() => decodeTypeBitmap(u8(0, 1, 0x40, 0, 1, 0x40), 0, 6)).toThrow(/increasing/);
    expect(() => decodeTypeBitmap(u8(0, 2, 0x40), 0, 3)).toThrow(WireError);
    expect(() => decodeTypeBitmap(u8(0), 0, 1)).toThrow(WireError);
  });
});

describe('parseRData', () => {
  it('A / AAAA', () => {
    expect(parse(RRType.A, u8(192, 0, 2, 1)).data).toEqual({ kind: 'A', address: '192.0.2.1' });
    expect(() => parse(RRType.A, u8(1, 2, 3))).toThrow(WireError);
    expect(() => parse(RRType.A, u8(1, 2, 3, 4, 5))).toThrow(WireError);
    const v6 = fromHex('20010db8000000000000000000000001')!;
    expect(parse(RRType.AAAA, v6).data).toEqual({ kind: 'AAAA', address: '2001:db8::1' });
    expect(() => parse(RRType.AAAA, v6.subarray(0, 15))).toThrow(WireError);
  });
  it('decompresses names in RFC 1035 types and keeps case', () => {
    // msg: "Example.COM." at 0, then MX rdata at 13: pref 10, "mail" + pointer to 0
    const msg = concatBytes(nameToWire('Example.COM.'), u8(0, 10, 4, ...ascii('mail'), 0xc0, 0));
    const { data, rdata } = parseRData(RRType.MX, msg, 13, msg.length - 13);
    expect(data).toEqual({ kind: 'MX', preference: 10, exchange: 'mail.Example.COM.' });
    expect(rdata).toEqual(concatBytes(u8(0, 10), nameToWire('mail.Example.COM.')));
    const ns = concatBytes(nameToWire('example.'), u8(0xc0, 0));
    expect(parseRData(RRType.NS, ns, 9, 2)).toEqual({ data: { kind: 'NS', target: 'example.' }, rdata: nameToWire('example.') });
    expect(parseRData(RRType.CNAME, ns, 9, 2).data).toEqual({ kind: 'CNAME', target: 'example.' });
    expect(parseRData(RRType.PTR, ns, 9, 2).data).toEqual({ kind: 'PTR', target: 'example.' });
    expect(parseRData(7 /* MB */, ns, 9, 2).rdata).toEqual(nameToWire('example.'));
  });
  it('SOA with compression', () => {
    const msg = concatBytes(
      nameToWire('example.'),
      u8(2, ...ascii('ns'), 0xc0, 0, 10, ...ascii('hostmaster'), 0xc0, 0),
      u8(0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0xff, 0xff, 0xff, 0xff),
    );
    const { data, rdata } = parseRData(RRType.SOA, msg, 9, msg.length - 9);
    expect(data).toEqual({
      kind: 'SOA',
      mname: 'ns.example.',
      rname: 'hostmaster.example.',
      serial: 1,
      refresh: 2,
      retry: 3,
      expire: 4,
      minimum: 0xffffffff,
    });
    expect(rdata.length).toBe(12 + 20 + 20);
    expect(() => parseRData(RRType.SOA, msg, 9, msg.length - 10)).toThrow(WireError);
  });
  it('does not decompress RRSIG signer, NSEC next name or DNAME (RFC 3597 §4)', () => {
    const head = nameToWire('example.');
    const rrsigFixed = u8(0, 1, 8, 2, 0, 0, 14, 16, 0x65, 0, 0, 0, 0x64, 0, 0, 0, 0x30, 0x39);
    const bad = concatBytes(head, rrsigFixed, u8(0xc0, 0), u8(1, 2, 3));
    expect(() => parseRData(RRType.RRSIG, bad, head.length, bad.length - head.length)).toThrow(/compress/);
    const nsec = concatBytes(head, u8(1, 0x61, 0xc0, 0), u8(0, 1, 0x40));
    expect(() => parseRData(RRType.NSEC, nsec, head.length, nsec.length - head.length)).toThrow(WireError);
    expect(() => parseRData(RRType.DNAME, nsec, head.length, 4)).toThrow(WireError);
  });
  it('RRSIG', () => {
    const rrsig = concatBytes(
      u8(0, 1, 8, 2, 0, 0, 14, 16, 0x65, 0, 0, 0, 0x64, 0, 0, 0, 0x30, 0x39),
      nameToWire('Example.'),
      u8(9, 8, 7),
    );
    const { data, rdata } = parse(RRType.RRSIG, rrsig);
    expect(data).toEqual({
      kind: 'RRSIG',
      typeCovered: 1,
      algorithm: 8,
      labels: 2,
      originalTtl: 3600,
      expiration: 0x65000000,
      inception: 0x64000000,
      keyTag: 12345,
      signerName: 'Example.',
      signature: u8(9, 8, 7),
    });
    expect(rdata).toEqual(rrsig);
    expect(rdata).not.toBe(rrsig);
    expect(() => parse(RRType.RRSIG, rrsig.subarray(0, 17))).toThrow(WireError);
    expect(() => parse(RRType.RRSIG, rrsig.subarray(0, 20))).toThrow(WireError); // signer overruns
    expect(encodeRData(data)).toEqual(rrsig);
  });
  it('NSEC / NSEC3 / NSEC3PARAM', () => {
    const nsec = concatBytes(nameToWire('b.example.'), encodeTypeBitmap([1, 46, 47]));
    expect(parse(RRType.NSEC, nsec).data).toEqual({ kind: 'NSEC', nextName: 'b.example.', types: [1, 46, 47] });
    const hash = new Uint8Array(20).fill(7);
    const nsec3 = concatBytes(u8(1, 1, 0, 12, 4, 0xaa, 0xbb, 0xcc, 0xdd, 20), hash, encodeTypeBitmap([2, 43]));
    expect(parse(RRType.NSEC3, nsec3).data).toEqual({
      kind: 'NSEC3',
      hashAlgorithm: 1,
      flags: 1,
      iterations: 12,
      salt: u8(0xaa, 0xbb, 0xcc, 0xdd),
      nextHashed: hash,
      types: [2, 43],
    });
    const empty = concatBytes(u8(1, 0, 0, 0, 0, 20), hash);
    expect(parse(RRType.NSEC3, empty).data).toMatchObject({ salt: u8(), types: [] });
    expect(() => parse(RRType.NSEC3, u8(1, 0, 0, 0, 0, 0))).toThrow(WireError); // hash length 0
    expect(() => parse(RRType.NSEC3, nsec3.subarray(0, 20))).toThrow(WireError);
    expect(() => parse(RRType.NSEC3, u8(1, 0, 0, 0, 5, 1))).toThrow(WireError);
    expect(parse(RRType.NSEC3PARAM, u8(1, 0, 0, 0, 1, 0xab)).data).toEqual({
      kind: 'NSEC3PARAM',
      hashAlgorithm: 1,
      flags: 0,
      iterations: 0,
      salt: u8(0xab),
    });
    expect(() => parse(RRType.NSEC3PARAM, u8(1, 0, 0, 0, 1))).toThrow(WireError);
    expect(() => parse(RRType.NSEC3PARAM, u8(1, 0, 0, 0, 1, 1, 2))).toThrow(WireError);
  });
  it('DS / CDS / DNSKEY / CDNSKEY / TLSA / TXT', () => {
    expect(parse(RRType.DS, u8(0x4f, 0x66, 8, 2, 0xaa)).data).toEqual({ kind: 'DS', keyTag: 20326, algorithm: 8, digestType: 2, digest: u8(0xaa) });
    expect(parse(RRType.CDS, u8(0, 0, 0, 0)).data).toMatchObject({ kind: 'DS', algorithm: 0 });
    expect(() => parse(RRType.DS, u8(1, 2, 3))).toThrow(WireError);
    expect(parse(RRType.DNSKEY, u8(1, 1, 3, 13, 5, 6)).data).toEqual({ kind: 'DNSKEY', flags: 257, protocol: 3, algorithm: 13, publicKey: u8(5, 6) });
    expect(parse(RRType.CDNSKEY, u8(1, 1, 3, 13)).data).toMatchObject({ kind: 'DNSKEY' });
    expect(() => parse(RRType.DNSKEY, u8(1, 1, 3))).toThrow(WireError);
    expect(parse(RRType.TLSA, u8(3, 1, 1, 0xde, 0xad)).data).toEqual({ kind: 'TLSA', usage: 3, selector: 1, matchingType: 1, data: u8(0xde, 0xad) });
    expect(() => parse(RRType.TLSA, u8(3, 1))).toThrow(WireError);
    expect(parse(RRType.TXT, u8(2, 0x68, 0x69, 0)).data).toEqual({ kind: 'TXT', strings: [ascii('hi'), u8()] });
    expect(() => parse(RRType.TXT, u8(3, 0x68, 0x69))).toThrow(WireError);
  });
  it('unknown types are opaque', () => {
    const r = parse(RRType.HTTPS, u8(0, 1, 0xc0, 0));
    expect(r.data).toEqual({ kind: 'unknown', bytes: u8(0, 1, 0xc0, 0) });
    expect(parse(999, u8()).data).toEqual({ kind: 'unknown', bytes: u8() });
  });
  it('rejects RDATA beyond the message', () => {
    expect(() => parseRData(RRType.A, u8(1, 2, 3, 4), 1, 4)).toThrow(WireError);
  });
  it('encodeRData round-trips every typed variant', () => {
    const samples: [number, RData][] = [
      [RRType.A, { kind: 'A', address: '10.0.0.255' }],
      [RRType.AAAA, { kind: 'AAAA', address: '2001:db8::ff00:42:8329' }],
      [RRType.NS, { kind: 'NS', target: 'Ns1.example.' }],
      [RRType.DNAME, { kind: 'DNAME', target: 'example.net.' }],
      [RRType.MX, { kind: 'MX', preference: 5, exchange: '.' }],
      [RRType.TXT, { kind: 'TXT', strings: [ascii('v=spf1 -all')] }],
      [RRType.SOA, { kind: 'SOA', mname: 'a.', rname: 'b.', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 }],
      [RRType.DS, { kind: 'DS', keyTag: 1, algorithm: 13, digestType: 2, digest: new Uint8Array(32) }],
      [RRType.DNSKEY, { kind: 'DNSKEY', flags: 256, protocol: 3, algorithm: 15, publicKey: new Uint8Array(32).fill(1) }],
      [RRType.NSEC, { kind: 'NSEC', nextName: '\\000.example.', types: [1, 2, 6, 46, 47, 48, 65, 257] }],
      [RRType.NSEC3, { kind: 'NSEC3', hashAlgorithm: 1, flags: 0, iterations: 0, salt: u8(), nextHashed: new Uint8Array(20), types: [] }],
      [RRType.NSEC3PARAM, { kind: 'NSEC3PARAM', hashAlgorithm: 1, flags: 0, iterations: 5, salt: u8(1, 2) }],
      [RRType.TLSA, { kind: 'TLSA', usage: 2, selector: 0, matchingType: 2, data: new Uint8Array(64).fill(3) }],
      [RRType.SVCB, { kind: 'unknown', bytes: u8(1, 2, 3) }],
    ];
    for (const [type, data] of samples) {
      const wire = encodeRData(data);
      const back = parse(type, wire);
      expect(back.data, String(type)).toEqual(data);
      expect(back.rdata).toEqual(wire);
    }
  });
});

describe('addresses', () => {
  it('formats IPv6 per RFC 5952', () => {
    const f = (s: string) => formatIPv6(fromHex(s)!);
    expect(f('00000000000000000000000000000000')).toBe('::');
    expect(f('00000000000000000000000000000001')).toBe('::1');
    expect(f('20010db8000000010000000000000001')).toBe('2001:db8:0:1::1');
    expect(f('20010db8000000000001000000000001')).toBe('2001:db8::1:0:0:1'); // first of equal runs
    expect(f('20010db800010001000100010001000a')).toBe('2001:db8:1:1:1:1:1:a'); // no "::" for one group
    expect(f('20010db8000100010001000100010000')).toBe('2001:db8:1:1:1:1:1:0');
    expect(f('00000000000000000000ffffc0000201')).toBe('::ffff:192.0.2.1');
  });
  it('parses IPv4 / IPv6', () => {
    expect(ipv4Bytes('192.0.2.1')).toEqual(u8(192, 0, 2, 1));
    for (const bad of ['1.2.3', '1.2.3.4.5', '256.1.1.1', '01.1.1.1', 'a.b.c.d', '']) expect(ipv4Bytes(bad), bad).toBeNull();
    expect(toHex(ipv6Bytes('2001:DB8::1')!)).toBe('20010db8000000000000000000000001');
    expect(toHex(ipv6Bytes('::')!)).toBe('0'.repeat(32));
    expect(toHex(ipv6Bytes('::ffff:192.0.2.1')!)).toBe('00000000000000000000ffffc0000201');
    expect(toHex(ipv6Bytes('::192.0.2.1')!)).toBe('000000000000000000000000c0000201');
    expect(toHex(ipv6Bytes('1:2:3:4:5:6:7:8')!)).toBe('00010002000300040005000600070008');
    for (const bad of ['1:2:3:4:5:6:7', '1::2::3', ':1::', '1:2:3:4:5:6:7:8:9', '12345::', '1:2:3:4:5:6:7::8', 'g::', '::1.2.3'])
      expect(ipv6Bytes(bad), bad).toBeNull();
  });
});
