/**
 * RDATA parsing (wire → typed data + exact uncompressed RDATA) and encoding (typed data → wire).
 *
 * Name compression inside RDATA is honoured only for the RR types of RFC 1035 (RFC 3597 §4:
 * NS, MD, MF, CNAME, SOA, MB, MG, MR, PTR, MINFO, MX). For every other type the RDATA bytes are
 * kept verbatim and embedded names must not be compressed (RFC 4034 §3.1.7 RRSIG signer,
 * §4.1.1 NSEC next name, RFC 6672 §2.5 DNAME): a compression pointer there is a WireError.
 */
import { concatBytes } from '../util/encoding';
import { nameToWire, readName } from './name';
import { RRType, WireError, type Name, type RData } from './types';

/** RFC 1035 types whose RDATA names may be compressed and must be decompressed (RFC 3597 §4). */
const MD = 3;
const MF = 4;
const MB = 7;
const MG = 8;
const MR = 9;
const MINFO = 14;
/** Types with exactly one (compressible) domain name as RDATA, parsed into `unknown` data. */
const SINGLE_NAME_LEGACY = new Set([MD, MF, MB, MG, MR]);

function u16(buf: Uint8Array, p: number): number {
  return (buf[p] << 8) | buf[p + 1];
}
function u32(buf: Uint8Array, p: number): number {
  return ((buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3]) >>> 0;
}
function need(p: number, n: number, end: number, what: string): void {
  if (p + n > end) throw new WireError(`${what} overruns RDATA`, p);
}
function exact(p: number, end: number, what: string): void {
  if (p !== end) throw new WireError(`${what}: RDATA length mismatch`, p);
}

export function formatIPv4(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** IPv6 text per RFC 5952 §4 (lowercase, longest zero run ≥ 2 groups compressed, first on tie; §5 mapped IPv4). */
export function formatIPv6(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i] << 8) | b[i + 1]);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`; // RFC 5952 §5
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestLen < 2) return hex.join(':'); // RFC 5952 §4.2.2: a single 0 group is not compressed
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':');
}

/** Decode an NSEC/NSEC3 type bitmap (RFC 4034 §4.1.2): windows strictly increasing, lengths 1..32. */
export function decodeTypeBitmap(buf: Uint8Array, start: number, end: number): number[] {
  const types: number[] = [];
  let p = start;
  let lastWindow = -1;
  while (p < end) {
    need(p, 2, end, 'type bitmap window header');
    const win = buf[p];
    const len = buf[p + 1];
    if (win <= lastWindow) throw new WireError('type bitmap windows not in increasing order', p); // RFC 4034 §4.1.2
    if (len < 1 || len > 32) throw new WireError('type bitmap length not in 1..32', p + 1); // RFC 4034 §4.1.2
    need(p + 2, len, end, 'type bitmap');
    for (let i = 0; i < len; i++) {
      const byte = buf[p + 2 + i];
      if (byte === 0) continue;
      for (let bit = 0; bit < 8; bit++) if (byte & (0x80 >> bit)) types.push(win * 256 + i * 8 + bit);
    }
    lastWindow = win;
    p += 2 + len;
  }
  return types;
}

/** Encode a type bitmap (RFC 4034 §4.1.2): sorted, deduplicated, empty windows and trailing zero octets omitted. */
export function encodeTypeBitmap(types: number[]): Uint8Array {
  const sorted = [...new Set(types)].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let i = 0;
  while (i < sorted.length) {
    const t0 = sorted[i];
    if (!Number.isInteger(t0) || t0 < 0 || t0 > 0xffff) throw new RangeError(`bad RR type ${t0}`);
    const win = t0 >> 8;
    const bits = new Uint8Array(32);
    let maxOctet = 0;
    while (i < sorted.length && sorted[i] >> 8 === win) {
      const low = sorted[i] & 0xff;
      bits[low >> 3] |= 0x80 >> (low & 7);
      maxOctet = Math.max(maxOctet, low >> 3);
      i++;
    }
    parts.push(Uint8Array.of(win, maxOctet + 1), bits.subarray(0, maxOctet + 1));
  }
  return concatBytes(...parts);
}

/**
 * Parse RDATA of `type` at msg[offset, offset+length). `rdata` is the uncompressed RDATA (a fresh
 * copy; names of RFC 1035 types expanded with their case preserved), `data` the typed view.
 * Throws WireError on any overrun or length mismatch.
 */
export function parseRData(type: number, msg: Uint8Array, offset: number, length: number): { data: RData; rdata: Uint8Array } {
  const end = offset + length;
  if (end > msg.length) throw new WireError('RDATA overruns message', offset);
  const verbatim = (): Uint8Array => msg.slice(offset, end);
  // Compressible names (RFC 1035 types only, RFC 3597 §4).
  const cname = (p: number): { name: Name; next: number } => readName(msg, p, { compression: true, end });
  // Names that must not be compressed (RFC 3597 §4, RFC 4034 §3.1.7 / §4.1.1).
  const plainName = (p: number): { name: Name; next: number } => readName(msg, p, { compression: false, end });

  switch (type) {
    case RRType.A: {
      exact(offset + 4, end, 'A'); // RFC 1035 §3.4.1
      const rdata = verbatim();
      return { data: { kind: 'A', address: formatIPv4(rdata) }, rdata };
    }
    case RRType.AAAA: {
      exact(offset + 16, end, 'AAAA'); // RFC 3596 §2.2
      const rdata = verbatim();
      return { data: { kind: 'AAAA', address: formatIPv6(rdata) }, rdata };
    }
    case RRType.NS:
    case RRType.CNAME:
    case RRType.PTR: {
      // RFC 1035 §3.3.11, §3.3.1, §3.3.12: compressible
      const { name, next } = cname(offset);
      exact(next, end, 'name RDATA');
      const kind = type === RRType.NS ? 'NS' : type === RRType.CNAME ? 'CNAME' : 'PTR';
      return { data: { kind, target: name }, rdata: nameToWire(name) };
    }
    case RRType.DNAME: {
      const { name, next } = plainName(offset); // RFC 6672 §2.5: never compressed
      exact(next, end, 'DNAME');
      return { data: { kind: 'DNAME', target: name }, rdata: verbatim() };
    }
    case RRType.MX: {
      need(offset, 2, end, 'MX preference'); // RFC 1035 §3.3.9
      const { name, next } = cname(offset + 2);
      exact(next, end, 'MX');
      const rdata = concatBytes(msg.subarray(offset, offset + 2), nameToWire(name));
      return { data: { kind: 'MX', preference: u16(msg, offset), exchange: name }, rdata };
    }
    case RRType.SOA: {
      // RFC 1035 §3.3.13: MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM
      const m = cname(offset);
      const r = cname(m.next);
      need(r.next, 20, end, 'SOA counters');
      exact(r.next + 20, end, 'SOA');
      const p = r.next;
      const rdata = concatBytes(nameToWire(m.name), nameToWire(r.name), msg.subarray(p, p + 20));
      return {
        data: {
          kind: 'SOA',
          mname: m.name,
          rname: r.name,
          serial: u32(msg, p),
          refresh: u32(msg, p + 4),
          retry: u32(msg, p + 8),
          expire: u32(msg, p + 12),
          minimum: u32(msg, p + 16),
        },
        rdata,
      };
    }
    case MINFO: {
      // RFC 1035 §3.3.7: RMAILBX EMAILBX, compressible
      const a = cname(offset);
      const b = cname(a.next);
      exact(b.next, end, 'MINFO');
      const rdata = concatBytes(nameToWire(a.name), nameToWire(b.name));
      return { data: { kind: 'unknown', bytes: rdata }, rdata };
    }
    case RRType.TXT: {
      // RFC 1035 §3.3.14: one or more <character-string>s
      const strings: Uint8Array[] = [];
      let p = offset;
      while (p < end) {
        const len = msg[p];
        need(p + 1, len, end, 'TXT string');
        strings.push(msg.slice(p + 1, p + 1 + len));
        p += 1 + len;
      }
      return { data: { kind: 'TXT', strings }, rdata: verbatim() };
    }
    case RRType.DS:
    case RRType.CDS: {
      need(offset, 4, end, 'DS'); // RFC 4034 §5.1, RFC 7344 §3.1
      const rdata = verbatim();
      return {
        data: { kind: 'DS', keyTag: u16(rdata, 0), algorithm: rdata[2], digestType: rdata[3], digest: rdata.slice(4) },
        rdata,
      };
    }
    case RRType.DNSKEY:
    case RRType.CDNSKEY: {
      need(offset, 4, end, 'DNSKEY'); // RFC 4034 §2.1, RFC 7344 §3.2
      const rdata = verbatim();
      return {
        data: { kind: 'DNSKEY', flags: u16(rdata, 0), protocol: rdata[2], algorithm: rdata[3], publicKey: rdata.slice(4) },
        rdata,
      };
    }
    case RRType.RRSIG: {
      // RFC 4034 §3.1: 18 fixed octets, signer name (uncompressed, §3.1.7), signature
      need(offset, 18, end, 'RRSIG');
      const signer = plainName(offset + 18);
      const p = offset;
      return {
        data: {
          kind: 'RRSIG',
          typeCovered: u16(msg, p),
          algorithm: msg[p + 2],
          labels: msg[p + 3],
          originalTtl: u32(msg, p + 4),
          expiration: u32(msg, p + 8),
          inception: u32(msg, p + 12),
          keyTag: u16(msg, p + 16),
          signerName: signer.name,
          signature: msg.slice(signer.next, end),
        },
        rdata: verbatim(),
      };
    }
    case RRType.NSEC: {
      // RFC 4034 §4.1: next domain name (uncompressed, §4.1.1), type bitmap
      const n = plainName(offset);
      const types = decodeTypeBitmap(msg, n.next, end);
      return { data: { kind: 'NSEC', nextName: n.name, types }, rdata: verbatim() };
    }
    case RRType.NSEC3: {
      // RFC 5155 §3.2: alg, flags, iterations, salt length, salt, hash length, next hashed owner, bitmap
      need(offset, 5, end, 'NSEC3');
      const saltLen = msg[offset + 4];
      need(offset + 5, saltLen, end, 'NSEC3 salt');
      const hp = offset + 5 + saltLen;
      need(hp, 1, end, 'NSEC3 hash length');
      const hashLen = msg[hp];
      if (hashLen === 0) throw new WireError('NSEC3 hash length 0', hp); // RFC 5155 §3.2.1
      need(hp + 1, hashLen, end, 'NSEC3 next hashed owner');
      const types = decodeTypeBitmap(msg, hp + 1 + hashLen, end);
      return {
        data: {
          kind: 'NSEC3',
          hashAlgorithm: msg[offset],
          flags: msg[offset + 1],
          iterations: u16(msg, offset + 2),
          salt: msg.slice(offset + 5, hp),
          nextHashed: msg.slice(hp + 1, hp + 1 + hashLen),
          types,
        },
        rdata: verbatim(),
      };
    }
    case RRType.NSEC3PARAM: {
      // RFC 5155 §4.2
      need(offset, 5, end, 'NSEC3PARAM');
      const saltLen = msg[offset + 4];
      exact(offset + 5 + saltLen, end, 'NSEC3PARAM');
      return {
        data: {
          kind: 'NSEC3PARAM',
          hashAlgorithm: msg[offset],
          flags: msg[offset + 1],
          iterations: u16(msg, offset + 2),
          salt: msg.slice(offset + 5, end),
        },
        rdata: verbatim(),
      };
    }
    case RRType.TLSA: {
      need(offset, 3, end, 'TLSA'); // RFC 6698 §2.1
      const rdata = verbatim();
      return { data: { kind: 'TLSA', usage: rdata[0], selector: rdata[1], matchingType: rdata[2], data: rdata.slice(3) }, rdata };
    }
    default: {
      if (SINGLE_NAME_LEGACY.has(type)) {
        const { name, next } = cname(offset);
        exact(next, end, 'name RDATA');
        const rdata = nameToWire(name);
        return { data: { kind: 'unknown', bytes: rdata }, rdata };
      }
      const rdata = verbatim(); // RFC 3597 §5: unknown types are opaque
      return { data: { kind: 'unknown', bytes: rdata }, rdata };
    }
  }
}

function be16(n: number): Uint8Array {
  return Uint8Array.of((n >> 8) & 0xff, n & 0xff);
}
function be32(n: number): Uint8Array {
  return Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/**
 * Uncompressed wire RDATA for typed data (names with their case as given).
 * `A`/`AAAA` data need the address bytes: pass them through `parseIPv4`/`parseIPv6` of present.ts;
 * here they are re-parsed from `address`. Throws RangeError on values that do not fit.
 */
export function encodeRData(data: RData): Uint8Array {
  switch (data.kind) {
    case 'A': {
      const b = ipv4Bytes(data.address);
      if (!b) throw new RangeError(`bad IPv4 address ${data.address}`);
      return b;
    }
    case 'AAAA': {
      const b = ipv6Bytes(data.address);
      if (!b) throw new RangeError(`bad IPv6 address ${data.address}`);
      return b;
    }
    case 'NS':
    case 'CNAME':
    case 'DNAME':
    case 'PTR':
      return nameToWire(data.target);
    case 'MX':
      return concatBytes(be16(data.preference), nameToWire(data.exchange));
    case 'TXT': {
      const parts: Uint8Array[] = [];
      for (const s of data.strings) {
        if (s.length > 255) throw new RangeError('TXT string longer than 255 octets');
        parts.push(Uint8Array.of(s.length), s);
      }
      return concatBytes(...parts);
    }
    case 'SOA':
      return concatBytes(
        nameToWire(data.mname),
        nameToWire(data.rname),
        be32(data.serial),
        be32(data.refresh),
        be32(data.retry),
        be32(data.expire),
        be32(data.minimum),
      );
    case 'DS':
      return concatBytes(be16(data.keyTag), Uint8Array.of(data.algorithm, data.digestType), data.digest);
    case 'DNSKEY':
      return concatBytes(be16(data.flags), Uint8Array.of(data.protocol, data.algorithm), data.publicKey);
    case 'RRSIG':
      return concatBytes(
        be16(data.typeCovered),
        Uint8Array.of(data.algorithm, data.labels),
        be32(data.originalTtl),
        be32(data.expiration),
        be32(data.inception),
        be16(data.keyTag),
        nameToWire(data.signerName),
        data.signature,
      );
    case 'NSEC':
      return concatBytes(nameToWire(data.nextName), encodeTypeBitmap(data.types));
    case 'NSEC3':
      if (data.salt.length > 255 || data.nextHashed.length > 255 || data.nextHashed.length === 0) {
        throw new RangeError('NSEC3 salt or hash length out of range');
      }
      return concatBytes(
        Uint8Array.of(data.hashAlgorithm, data.flags),
        be16(data.iterations),
        Uint8Array.of(data.salt.length),
        data.salt,
        Uint8Array.of(data.nextHashed.length),
        data.nextHashed,
        encodeTypeBitmap(data.types),
      );
    case 'NSEC3PARAM':
      if (data.salt.length > 255) throw new RangeError('NSEC3PARAM salt too long');
      return concatBytes(Uint8Array.of(data.hashAlgorithm, data.flags), be16(data.iterations), Uint8Array.of(data.salt.length), data.salt);
    case 'TLSA':
      return concatBytes(Uint8Array.of(data.usage, data.selector, data.matchingType), data.data);
    case 'unknown':
      return data.bytes.slice();
  }
}

/** Dotted-quad to 4 octets (no leading zeros beyond "0", RFC 1035 §3.4.1 text form). Null if invalid. */
export function ipv4Bytes(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    out[i] = v;
  }
  return out;
}

/** RFC 4291 §2.2 text (incl. "::" and a trailing dotted quad) to 16 octets. Null if invalid. */
export function ipv6Bytes(text: string): Uint8Array | null {
  let s = text;
  const tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    const v4 = ipv4Bytes(s.slice(lastColon + 1));
    if (!v4 || lastColon < 0) return null;
    tail.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    s = s.slice(0, lastColon + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1); // drop the separator colon ("::1.2.3.4" keeps "::")
  }
  const dbl = s.split('::');
  if (dbl.length > 2) return null;
  const parseGroups = (t: string): number[] | null => {
    if (t === '') return [];
    const out: number[] = [];
    for (const g of t.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parseGroups(dbl[0]);
  if (!head) return null;
  let groups: number[];
  if (dbl.length === 2) {
    const rest = parseGroups(dbl[1]);
    if (!rest) return null;
    const fill = 8 - head.length - rest.length - tail.length;
    if (fill < 1) return null;
    groups = [...head, ...Array<number>(fill).fill(0), ...rest, ...tail];
  } else {
    groups = [...head, ...tail];
  }
  if (groups.length !== 8) return null;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}
