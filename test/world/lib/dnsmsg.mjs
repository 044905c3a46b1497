// Full (but small) DNS message codec for the lying DoH front: decode a real answer into plain
// objects with *uncompressed* RDATA, let an attack edit them, encode them again (no compression).
// Independent of src/core on purpose: the world must not share code with what it tests.
import { TYPES, typeName } from './dnswire.mjs';

const T = TYPES;
/** Types whose RDATA names may be compressed (RFC 3597 §4): expanded on decode. */
const NAME_RDATA = {
  [T.NS]: 'name',
  [T.CNAME]: 'name',
  [T.PTR]: 'name',
  [T.DNAME]: 'name',
  [T.MX]: 'mx',
  [T.SOA]: 'soa',
};

function readName(buf, off) {
  const labels = [];
  let jumped = false;
  let end = off;
  for (let guard = 0; ; guard++) {
    if (guard > 128) throw new Error('name loop');
    const len = buf[off];
    if (len === undefined) throw new Error('truncated name');
    if ((len & 0xc0) === 0xc0) {
      if (!jumped) end = off + 2;
      off = ((len & 0x3f) << 8) | buf[off + 1];
      jumped = true;
      continue;
    }
    if (len === 0) {
      if (!jumped) end = off + 1;
      break;
    }
    labels.push(Buffer.from(buf.subarray(off + 1, off + 1 + len)));
    off += 1 + len;
  }
  return { labels, end };
}

/** Presentation of wire labels (only for matching and logs; escapes kept simple). */
export function labelsToName(labels) {
  return labels.length ? labels.map((l) => l.toString('latin1')).join('.') + '.' : '.';
}

export function nameToWire(name) {
  const parts = name === '.' ? [] : name.replace(/\.$/, '').split('.');
  const out = [];
  for (const p of parts) {
    const b = Buffer.from(p, 'latin1');
    if (b.length === 0 || b.length > 63) throw new Error(`bad label in ${name}`);
    out.push(Buffer.from([b.length]), b);
  }
  out.push(Buffer.from([0]));
  return Buffer.concat(out);
}

const wireOfLabels = (labels) => Buffer.concat([...labels.flatMap((l) => [Buffer.from([l.length]), l]), Buffer.from([0])]);

/** RDATA with every compressible name expanded. */
function expandRdata(buf, type, off, len) {
  const kind = NAME_RDATA[type];
  if (!kind) return Buffer.from(buf.subarray(off, off + len));
  if (kind === 'name') return wireOfLabels(readName(buf, off).labels);
  if (kind === 'mx') return Buffer.concat([Buffer.from(buf.subarray(off, off + 2)), wireOfLabels(readName(buf, off + 2).labels)]);
  const m = readName(buf, off);
  const r = readName(buf, m.end);
  return Buffer.concat([wireOfLabels(m.labels), wireOfLabels(r.labels), Buffer.from(buf.subarray(r.end, r.end + 20))]);
}

/**
 * { id, flags: {qr, opcode, aa, tc, rd, ra, ad, cd, rcode}, question: [{name, type, class}],
 *   answer/authority/additional: [{name, type, class, ttl, rdata}] } — types numeric, names
 * absolute presentation strings, rdata uncompressed Buffers. The OPT record stays in additional.
 */
export function decodeFull(input) {
  const buf = Buffer.from(input);
  const id = buf.readUInt16BE(0);
  const f = buf.readUInt16BE(2);
  const counts = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o));
  let off = 12;
  const question = [];
  for (let i = 0; i < counts[0]; i++) {
    const n = readName(buf, off);
    off = n.end;
    question.push({ name: labelsToName(n.labels), type: buf.readUInt16BE(off), class: buf.readUInt16BE(off + 2) });
    off += 4;
  }
  const sections = [[], [], []];
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s + 1]; i++) {
      const n = readName(buf, off);
      off = n.end;
      const type = buf.readUInt16BE(off);
      const klass = buf.readUInt16BE(off + 2);
      const ttl = buf.readUInt32BE(off + 4);
      const rdlen = buf.readUInt16BE(off + 8);
      const rdata = expandRdata(buf, type, off + 10, rdlen);
      sections[s].push({ name: labelsToName(n.labels), type, class: klass, ttl, rdata });
      off += 10 + rdlen;
    }
  }
  return {
    id,
    flags: {
      qr: !!(f & 0x8000),
      opcode: (f >> 11) & 0xf,
      aa: !!(f & 0x0400),
      tc: !!(f & 0x0200),
      rd: !!(f & 0x0100),
      ra: !!(f & 0x0080),
      ad: !!(f & 0x0020),
      cd: !!(f & 0x0010),
      rcode: f & 0xf,
    },
    question,
    answer: sections[0],
    authority: sections[1],
    additional: sections[2],
  };
}

export function encodeFull(m) {
  const f = m.flags;
  let flags = (f.opcode & 0xf) << 11 | (f.rcode & 0xf);
  if (f.qr) flags |= 0x8000;
  if (f.aa) flags |= 0x0400;
  if (f.tc) flags |= 0x0200;
  if (f.rd) flags |= 0x0100;
  if (f.ra) flags |= 0x0080;
  if (f.ad) flags |= 0x0020;
  if (f.cd) flags |= 0x0010;
  const h = Buffer.alloc(12);
  h.writeUInt16BE(m.id & 0xffff, 0);
  h.writeUInt16BE(flags, 2);
  h.writeUInt16BE(m.question.length, 4);
  h.writeUInt16BE(m.answer.length, 6);
  h.writeUInt16BE(m.authority.length, 8);
  h.writeUInt16BE(m.additional.length, 10);
  const parts = [h];
  for (const q of m.question) {
    const t = Buffer.alloc(4);
    t.writeUInt16BE(q.type, 0);
    t.writeUInt16BE(q.class, 2);
    parts.push(nameToWire(q.name), t);
  }
  for (const rr of [...m.answer, ...m.authority, ...m.additional]) {
    const t = Buffer.alloc(10);
    t.writeUInt16BE(rr.type, 0);
    t.writeUInt16BE(rr.class, 2);
    t.writeUInt32BE(rr.ttl >>> 0, 4);
    t.writeUInt16BE(rr.rdata.length, 8);
    parts.push(nameToWire(rr.name), t, rr.rdata);
  }
  return Buffer.concat(parts);
}

/** Case-insensitive name equality of presentation names. */
export const sameName = (a, b) => a.toLowerCase().replace(/\.?$/, '.') === b.toLowerCase().replace(/\.?$/, '.');

/** Parent of an absolute name ('.' for a TLD). */
export function parentOf(name) {
  const i = name.indexOf('.');
  const rest = name.slice(i + 1);
  return rest === '' ? '.' : rest;
}

/** RRSIG helpers: Type Covered, Labels; and the RDATA name of a single-name record. */
export const rrsigCovered = (rr) => rr.rdata.readUInt16BE(0);
export const rrsigLabels = (rr) => rr.rdata[3];
export const rdataName = (rdata) => labelsToName(readName(rdata, 0).labels);
export { typeName, TYPES };
