import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LIMITS } from '../dnssec/limits';
import { concatBytes, fromBase64Url, toBase64Url, toHex } from '../util/encoding';
import { nameToWire } from './name';
import { buildMessage, buildQuery, EdnsOption, parseMessage } from './packet';
import { encodeRData } from './rdata';
import { RRType, WireError, type Message, type RData, type RR } from './types';

const u8 = (...b: number[]) => new Uint8Array(b);

function rr(name: string, type: number, data: RData, ttl = 3600): RR {
  return { name, type, class: 1, ttl, rdata: encodeRData(data), data };
}

function sampleMessage(): Message {
  return {
    header: { id: 0xbeef, qr: true, opcode: 0, aa: false, tc: false, rd: true, ra: true, ad: true, cd: true, rcode: 0 },
    question: [{ name: 'www.Example.com.', type: RRType.A, class: 1 }],
    answer: [
      rr('www.Example.com.', RRType.CNAME, { kind: 'CNAME', target: 'host.example.com.' }),
      rr('host.example.com.', RRType.A, { kind: 'A', address: '192.0.2.7' }, 0xffffffff),
      rr('host.example.com.', RRType.RRSIG, {
        kind: 'RRSIG',
        typeCovered: 1,
        algorithm: 13,
        labels: 3,
        originalTtl: 300,
        expiration: 2000000000,
        inception: 1700000000,
        keyTag: 4242,
        signerName: 'example.com.',
        signature: new Uint8Array(64).fill(9),
      }),
    ],
    authority: [
      rr('example.com.', RRType.NSEC, { kind: 'NSEC', nextName: 'a.example.com.', types: [2, 6, 46, 47, 48] }),
    ],
    additional: [{ name: 'x.', type: 4242, class: 3, ttl: 1, rdata: u8(1, 2), data: { kind: 'unknown', bytes: u8(1, 2) } }],
    edns: { udpPayloadSize: 1232, version: 0, dnssecOk: true, extendedRcode: 0, options: [{ code: 10, data: u8(1, 2, 3, 4, 5, 6, 7, 8) }] },
  };
}

describe('buildMessage / parseMessage', () => {
  it('round-trips', () => {
    const m = sampleMessage();
    expect(parseMessage(buildMessage(m))).toEqual(m);
    const noEdns = { ...sampleMessage(), edns: null };
    expect(parseMessage(buildMessage(noEdns))).toEqual(noEdns);
  });
  it('combines the extended RCODE (RFC 6891 §6.1.3)', () => {
    const m = sampleMessage();
    m.header.rcode = 16; // BADVERS
    m.edns!.extendedRcode = 1;
    const bytes = buildMessage(m);
    expect(bytes[3] & 0xf).toBe(0);
    const back = parseMessage(bytes);
    expect(back.header.rcode).toBe(16);
    expect(back.edns!.extendedRcode).toBe(1);
    expect(back).toEqual(m);
    expect(() => buildMessage({ ...m, edns: null })).toThrow(RangeError);
  });
  it('parses header bits', () => {
    const h = parseMessage(u8(0x12, 0x34, 0x87, 0xb3, 0, 0, 0, 0, 0, 0, 0, 0)).header;
    expect(h).toEqual({ id: 0x1234, qr: true, opcode: 0, aa: true, tc: true, rd: true, ra: true, ad: true, cd: true, rcode: 3 });
  });
  it('parses a compressed response', () => {
    // Header, question www.example.com A, answer: pointer to question name, A 192.0.2.1
    const q = nameToWire('www.example.com.');
    const bytes = concatBytes(
      u8(0, 0, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0),
      q,
      u8(0, 1, 0, 1),
      u8(0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 192, 0, 2, 1),
    );
    const m = parseMessage(bytes);
    expect(m.answer).toEqual([{ name: 'www.example.com.', type: 1, class: 1, ttl: 3600, rdata: u8(192, 0, 2, 1), data: { kind: 'A', address: '192.0.2.1' } }]);
    expect(m.edns).toBeNull();
  });
  it('rejects malformed messages', () => {
    const good = buildMessage(sampleMessage());
    expect(() => parseMessage(good.subarray(0, 11))).toThrow(WireError);
    expect(() => parseMessage(concatBytes(good, u8(0)))).toThrow(/trailing/);
    for (let cut = 12; cut < good.length; cut += 7) expect(() => parseMessage(good.subarray(0, cut))).toThrow(WireError);
    // Count over the limit
    const many = u8(0, 0, 0, 0, 0, 0, (LIMITS.maxRecordsPerSection + 1) >> 8, (LIMITS.maxRecordsPerSection + 1) & 0xff, 0, 0, 0, 0);
    expect(() => parseMessage(many)).toThrow(/limit/);
    // Answer count larger than the records present
    const lying = good.slice();
    lying[7] += 1;
    expect(() => parseMessage(lying)).toThrow(WireError);
  });
  it('rejects two OPT RRs, OPT outside additional and OPT with non-root owner', () => {
    const opt = u8(0, 0, 41, 4, 0xd0, 0, 0, 0x80, 0, 0, 0);
    const hdr = (an: number, ar: number) => u8(0, 0, 0x80, 0, 0, 0, 0, an, 0, 0, 0, ar);
    expect(parseMessage(concatBytes(hdr(0, 1), opt)).edns).toEqual({ udpPayloadSize: 1232, version: 0, dnssecOk: true, extendedRcode: 0, options: [] });
    expect(() => parseMessage(concatBytes(hdr(0, 2), opt, opt))).toThrow(/more than one OPT/);
    expect(() => parseMessage(concatBytes(hdr(1, 0), opt))).toThrow(/outside/);
    expect(() => parseMessage(concatBytes(hdr(0, 1), u8(1, 0x61), opt))).toThrow(/root/);
    // Truncated option inside OPT RDATA
    expect(() => parseMessage(concatBytes(hdr(0, 1), u8(0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 3, 0, 12, 0)))).toThrow(WireError);
  });
});

describe('buildQuery', () => {
  it('matches the RFC 8484 §4.1.1 example without EDNS', () => {
    const q = buildQuery({ id: 0, name: 'www.example.com.', type: RRType.A, edns: false, checkingDisabled: false });
    expect(toBase64Url(q)).toBe('AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB');
    expect(fromBase64Url('AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB')).toEqual(q);
  });
  it('sets DO, CD, RD and pads to 128 octets by default (RFC 8467 §4.1)', () => {
    const q = buildQuery({ id: 7, name: 'example.com.', type: RRType.DNSKEY });
    expect(q.length % 128).toBe(0);
    const m = parseMessage(q);
    expect(m.header).toMatchObject({ id: 7, qr: false, rd: true, cd: true, ad: false });
    expect(m.question).toEqual([{ name: 'example.com.', type: RRType.DNSKEY, class: 1 }]);
    expect(m.edns).toMatchObject({ udpPayloadSize: LIMITS.ednsUdpPayloadSize, dnssecOk: true, version: 0 });
    expect(m.edns!.options).toHaveLength(1);
    expect(m.edns!.options[0].code).toBe(EdnsOption.PADDING);
    expect(m.edns!.options[0].data.every((b) => b === 0)).toBe(true);
  });
  it('pads for any name length, or not at all', () => {
    for (let n = 1; n < 60; n++) {
      const q = buildQuery({ id: 0, name: 'a'.repeat(n) + '.test.', type: RRType.TLSA, padBlock: 64 });
      expect(q.length % 64).toBe(0);
    }
    const plain = buildQuery({ id: 0, name: 'x.', type: 1, padBlock: 0, dnssecOk: false, checkingDisabled: false, recursionDesired: false });
    expect(toHex(plain)).toBe('000000000001000000000001' + '01780000010001' + '0000290' + '4d0000000000000');
  });
});

describe('fuzz', () => {
  const seeds = [
    buildMessage(sampleMessage()),
    buildQuery({ id: 1, name: 'example.com.', type: RRType.DS }),
    buildMessage({
      ...sampleMessage(),
      answer: [
        rr('a.example.', RRType.NSEC3, {
          kind: 'NSEC3',
          hashAlgorithm: 1,
          flags: 1,
          iterations: 0,
          salt: u8(1),
          nextHashed: new Uint8Array(20),
          types: [1, 28, 46],
        }),
        rr('a.example.', RRType.SOA, { kind: 'SOA', mname: 'ns.example.', rname: 'h.example.', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 }),
        rr('a.example.', RRType.TXT, { kind: 'TXT', strings: [u8(1, 2), u8()] }),
        rr('a.example.', RRType.NSEC3PARAM, { kind: 'NSEC3PARAM', hashAlgorithm: 1, flags: 0, iterations: 1, salt: u8() }),
        rr('a.example.', RRType.MX, { kind: 'MX', preference: 1, exchange: 'mx.example.' }),
      ],
    }),
  ];
  const mutated = fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      fc.nat(),
    )
    .map(([seed, edits, cut]) => {
      const b = seed.slice();
      for (const [pos, v] of edits) b[pos % b.length] = v;
      return cut % 4 === 0 ? b.subarray(0, cut % (b.length + 1)) : b;
    });
  const random = fc.uint8Array({ minLength: 0, maxLength: 600 });
  // Random headers with small counts so random bodies get parsed past the header.
  const smallCounts = fc.uint8Array({ minLength: 12, maxLength: 300 }).map((b) => {
    for (const i of [4, 6, 8, 10]) b[i] = 0;
    b[5] &= 3;
    b[7] &= 3;
    b[9] &= 3;
    b[11] &= 3;
    return b;
  });
  it('parseMessage only ever throws WireError (2000 inputs)', () => {
    fc.assert(
      fc.property(fc.oneof(mutated, random, smallCounts), (bytes) => {
        try {
          const m = parseMessage(bytes);
          // Whatever parses must serialise and re-parse to the same thing (uncompressed).
          expect(parseMessage(buildMessage(m))).toEqual(m);
        } catch (e) {
          if (!(e instanceof WireError)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
