/**
 * DNS message codec (RFC 1035 §4.1, EDNS(0) RFC 6891).
 *
 * Our own codec rather than dns-packet/dohjs: dns-packet has no NSEC3PARAM, does not keep the
 * exact RDATA octets we need to verify signatures, and depends on Node's Buffer, which an MV3
 * service worker does not have. Parsing is strict: every overrun, count or length mismatch and
 * trailing octet is a WireError. Serialising never compresses.
 */
import { LIMITS } from '../dnssec/limits';
import { concatBytes } from '../util/encoding';
import { nameToWire, readName } from './name';
import { parseRData } from './rdata';
import { RRClass, RRType, WireError, type Edns, type Header, type Message, type Name, type Question, type RR } from './types';

/** EDNS option codes used here (IANA DNS EDNS0 Option Codes). */
export const EdnsOption = { PADDING: 12 } as const;

const HEADER_LEN = 12;

function u16(buf: Uint8Array, p: number): number {
  return (buf[p] << 8) | buf[p + 1];
}
function u32(buf: Uint8Array, p: number): number {
  return ((buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3]) >>> 0;
}

/** Parse a complete DNS message. Throws WireError on anything malformed; never anything else. */
export function parseMessage(buf: Uint8Array): Message {
  if (buf.length < HEADER_LEN) throw new WireError('message shorter than its header', 0); // RFC 1035 §4.1.1
  const flags = u16(buf, 2);
  const header: Header = {
    id: u16(buf, 0),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    ad: (flags & 0x0020) !== 0, // RFC 4035 §3.2.3 / RFC 6840 §5.8
    cd: (flags & 0x0010) !== 0, // RFC 4035 §3.2.2
    rcode: flags & 0xf,
  };
  const counts = [u16(buf, 4), u16(buf, 6), u16(buf, 8), u16(buf, 10)];
  counts.forEach((c, i) => {
    if (c > LIMITS.maxRecordsPerSection) throw new WireError(`section ${i} has ${c} records, over the limit`, 4 + 2 * i);
  });

  let p = HEADER_LEN;
  const question: Question[] = [];
  for (let i = 0; i < counts[0]; i++) {
    // RFC 1035 §4.1.2
    const { name, next } = readName(buf, p);
    if (next + 4 > buf.length) throw new WireError('truncated question', next);
    question.push({ name, type: u16(buf, next), class: u16(buf, next + 2) });
    p = next + 4;
  }

  let edns: Edns | null = null;
  let extendedRcode = 0;
  const sections: RR[][] = [[], [], []];
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s + 1]; i++) {
      const start = p;
      // RFC 1035 §4.1.3
      const { name, next } = readName(buf, p);
      if (next + 10 > buf.length) throw new WireError('truncated resource record header', next);
      const type = u16(buf, next);
      const klass = u16(buf, next + 2);
      const ttl = u32(buf, next + 4);
      const rdlength = u16(buf, next + 8);
      const rdStart = next + 10;
      if (rdStart + rdlength > buf.length) throw new WireError('RDATA overruns message', rdStart);
      p = rdStart + rdlength;
      if (type === RRType.OPT) {
        // RFC 6891 §6.1.1: only in the additional section, at most one, owner is the root.
        if (s !== 2) throw new WireError('OPT pseudo-RR outside the additional section', start);
        if (edns) throw new WireError('more than one OPT pseudo-RR', start);
        if (name !== '.') throw new WireError('OPT owner is not the root', start);
        extendedRcode = (ttl >>> 24) & 0xff; // RFC 6891 §6.1.3
        edns = {
          udpPayloadSize: klass,
          version: (ttl >>> 16) & 0xff,
          dnssecOk: (ttl & 0x8000) !== 0, // RFC 3225 §3
          extendedRcode,
          options: parseOptions(buf, rdStart, p),
        };
        continue;
      }
      const { data, rdata } = parseRData(type, buf, rdStart, rdlength);
      sections[s].push({ name, type, class: klass, ttl, rdata, data });
    }
  }
  if (p !== buf.length) throw new WireError('trailing octets after the last record', p);
  // RFC 6891 §6.1.3: the 12-bit RCODE is the OPT's upper 8 bits over the header's 4.
  header.rcode = (extendedRcode << 4) | header.rcode;
  return { header, question, answer: sections[0], authority: sections[1], additional: sections[2], edns };
}

function parseOptions(buf: Uint8Array, start: number, end: number): { code: number; data: Uint8Array }[] {
  // RFC 6891 §6.1.2: {OPTION-CODE, OPTION-LENGTH, OPTION-DATA}*
  const out: { code: number; data: Uint8Array }[] = [];
  let p = start;
  while (p < end) {
    if (p + 4 > end) throw new WireError('truncated EDNS option header', p);
    const code = u16(buf, p);
    const len = u16(buf, p + 2);
    if (p + 4 + len > end) throw new WireError('EDNS option overruns OPT RDATA', p);
    out.push({ code, data: buf.slice(p + 4, p + 4 + len) });
    p += 4 + len;
  }
  return out;
}

/** Growable byte writer (big-endian). */
class Writer {
  private parts: Uint8Array[] = [];
  length = 0;
  bytes(b: Uint8Array): void {
    this.parts.push(b);
    this.length += b.length;
  }
  u8(n: number): void {
    this.bytes(Uint8Array.of(n & 0xff));
  }
  u16(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new RangeError(`not a 16-bit value: ${n}`);
    this.bytes(Uint8Array.of(n >> 8, n & 0xff));
  }
  u32(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`not a 32-bit value: ${n}`);
    this.bytes(Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff));
  }
  finish(): Uint8Array {
    return concatBytes(...this.parts);
  }
}

function writeHeader(w: Writer, h: Header, counts: number[]): void {
  if (h.opcode < 0 || h.opcode > 15) throw new RangeError('opcode out of range');
  w.u16(h.id);
  let flags = (h.opcode & 0xf) << 11;
  if (h.qr) flags |= 0x8000;
  if (h.aa) flags |= 0x0400;
  if (h.tc) flags |= 0x0200;
  if (h.rd) flags |= 0x0100;
  if (h.ra) flags |= 0x0080;
  if (h.ad) flags |= 0x0020;
  if (h.cd) flags |= 0x0010;
  flags |= h.rcode & 0xf;
  w.u16(flags);
  for (const c of counts) w.u16(c);
}

function writeRR(w: Writer, rr: RR): void {
  w.bytes(nameToWire(rr.name));
  w.u16(rr.type);
  w.u16(rr.class);
  w.u32(rr.ttl);
  w.u16(rr.rdata.length);
  w.bytes(rr.rdata);
}

function writeOpt(w: Writer, edns: Edns, rcode: number): void {
  w.u8(0); // root owner (RFC 6891 §6.1.2)
  w.u16(RRType.OPT);
  w.u16(edns.udpPayloadSize);
  w.u32(((((rcode >> 4) & 0xff) << 24) | ((edns.version & 0xff) << 16) | (edns.dnssecOk ? 0x8000 : 0)) >>> 0);
  let len = 0;
  for (const o of edns.options) len += 4 + o.data.length;
  w.u16(len);
  for (const o of edns.options) {
    w.u16(o.code);
    w.u16(o.data.length);
    w.bytes(o.data);
  }
}

/**
 * Serialise a message without compression, records in the given order, rdata as stored.
 * With `edns`, an OPT RR is appended to the additional section; its extended RCODE comes from
 * `header.rcode >> 4` (so parseMessage(buildMessage(m)) deep-equals m when
 * `edns.extendedRcode === header.rcode >> 4`). An RCODE over 15 without `edns` is a RangeError.
 */
export function buildMessage(msg: Message): Uint8Array {
  if (msg.header.rcode < 0 || msg.header.rcode > 0xfff) throw new RangeError('rcode out of range');
  if (msg.header.rcode > 15 && !msg.edns) throw new RangeError('extended rcode needs EDNS (RFC 6891 §6.1.3)');
  const w = new Writer();
  writeHeader(w, msg.header, [msg.question.length, msg.answer.length, msg.authority.length, msg.additional.length + (msg.edns ? 1 : 0)]);
  for (const q of msg.question) {
    w.bytes(nameToWire(q.name));
    w.u16(q.type);
    w.u16(q.class);
  }
  for (const rr of msg.answer) writeRR(w, rr);
  for (const rr of msg.authority) writeRR(w, rr);
  for (const rr of msg.additional) writeRR(w, rr);
  if (msg.edns) writeOpt(w, msg.edns, msg.header.rcode);
  return w.finish();
}

export interface QueryOptions {
  id: number;
  name: Name;
  type: number;
  /** Query class, default IN. */
  qclass?: number;
  /** Add an EDNS(0) OPT RR (RFC 6891). Default true; false gives a plain RFC 1035 query (no DO, no padding). */
  edns?: boolean;
  /** DO bit, RFC 3225 §3: ask for RRSIG/NSEC/NSEC3. Default true. */
  dnssecOk?: boolean;
  /** CD bit, RFC 4035 §3.2.2: we validate ourselves, so we want the data even if the resolver thinks it bogus. Default true. */
  checkingDisabled?: boolean;
  /** RD bit, RFC 1035 §4.1.1. Default true. */
  recursionDesired?: boolean;
  /** Advertised UDP payload size, RFC 6891 §6.2.5. Default LIMITS.ednsUdpPayloadSize. */
  udpPayloadSize?: number;
  /** RFC 8467 §4.1 block-length padding (RFC 7830 option): pad the whole query to a multiple of this; 0 = none. Default 128. */
  padBlock?: number;
}

/** A query message: one question, optional OPT with DO and padding. */
export function buildQuery(opts: QueryOptions): Uint8Array {
  const edns = opts.edns ?? true;
  const header: Header = {
    id: opts.id,
    qr: false,
    opcode: 0,
    aa: false,
    tc: false,
    rd: opts.recursionDesired ?? true,
    ra: false,
    ad: false,
    cd: opts.checkingDisabled ?? true,
    rcode: 0,
  };
  const msg: Message = {
    header,
    question: [{ name: opts.name, type: opts.type, class: opts.qclass ?? RRClass.IN }],
    answer: [],
    authority: [],
    additional: [],
    edns: edns
      ? {
          udpPayloadSize: opts.udpPayloadSize ?? LIMITS.ednsUdpPayloadSize,
          version: 0,
          dnssecOk: opts.dnssecOk ?? true,
          extendedRcode: 0,
          options: [],
        }
      : null,
  };
  const block = opts.padBlock ?? 128;
  if (!msg.edns || block <= 0) return buildMessage(msg);
  // RFC 7830 §3: the padding option adds 4 octets of header plus its zero-filled data.
  const unpadded = buildMessage(msg).length + 4;
  const padLen = (block - (unpadded % block)) % block;
  msg.edns.options.push({ code: EdnsOption.PADDING, data: new Uint8Array(padLen) });
  return buildMessage(msg);
}
