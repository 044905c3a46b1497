// Minimal DNS wire-format helpers for the test world (probes, DoH front, world test).
// Not the project's implementation: deliberately small and independent.

export const TYPES = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, DNAME: 39,
  OPT: 41, DS: 43, RRSIG: 46, NSEC: 47, DNSKEY: 48, NSEC3: 50, NSEC3PARAM: 51,
  TLSA: 52, HTTPS: 65, ANY: 255,
};
const TYPE_NAMES = Object.fromEntries(Object.entries(TYPES).map(([k, v]) => [v, k]));
export const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

export function typeName(t) {
  return TYPE_NAMES[t] ?? `TYPE${t}`;
}

function encodeName(name) {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  const bufs = [];
  for (const p of parts) {
    const b = Buffer.from(p, 'ascii');
    if (b.length > 63) throw new Error(`label too long: ${p}`);
    bufs.push(Buffer.from([b.length]), b);
  }
  bufs.push(Buffer.from([0]));
  return Buffer.concat(bufs);
}

/** Build a query message. opts: { id, rd=true, cd=false, do=true, udpSize=1232 } */
export function encodeQuery(name, type = 'A', opts = {}) {
  const { id = 0, rd = true, cd = false, dnssecOk = true, udpSize = 1232 } = opts;
  const qtype = typeof type === 'number' ? type : TYPES[type.toUpperCase()];
  if (!qtype) throw new Error(`unknown type ${type}`);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  let flags = 0;
  if (rd) flags |= 0x0100;
  if (cd) flags |= 0x0010;
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(1, 4); // qdcount
  header.writeUInt16BE(1, 10); // arcount (OPT)
  const q = Buffer.alloc(4);
  q.writeUInt16BE(qtype, 0);
  q.writeUInt16BE(1, 2);
  const opt = Buffer.alloc(11);
  opt[0] = 0; // root name
  opt.writeUInt16BE(41, 1);
  opt.writeUInt16BE(udpSize, 3);
  opt.writeUInt32BE(dnssecOk ? 0x00008000 : 0, 5);
  opt.writeUInt16BE(0, 9);
  return Buffer.concat([header, encodeName(name), q, opt]);
}

function readName(buf, off) {
  const labels = [];
  let jumped = false;
  let end = off;
  let guard = 0;
  for (;;) {
    if (guard++ > 128) throw new Error('name loop');
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
    labels.push(buf.subarray(off + 1, off + 1 + len).toString('latin1'));
    off += 1 + len;
  }
  return { name: labels.length ? labels.join('.') + '.' : '.', end };
}

/** Decode a message: header flags, question, and RR lists (rdata raw + a few decoded). */
export function decodeMessage(buf) {
  buf = Buffer.from(buf);
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  const counts = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o));
  let off = 12;
  const question = [];
  for (let i = 0; i < counts[0]; i++) {
    const n = readName(buf, off);
    off = n.end;
    question.push({ name: n.name, type: typeName(buf.readUInt16BE(off)), class: buf.readUInt16BE(off + 2) });
    off += 4;
  }
  const sections = [[], [], []];
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s + 1]; i++) {
      const n = readName(buf, off);
      off = n.end;
      const type = buf.readUInt16BE(off);
      const cls = buf.readUInt16BE(off + 2);
      const ttl = buf.readUInt32BE(off + 4);
      const rdlen = buf.readUInt16BE(off + 8);
      const rdataOff = off + 10;
      const rdata = buf.subarray(rdataOff, rdataOff + rdlen);
      const rr = { name: n.name, type: typeName(type), class: cls, ttl, rdata: Buffer.from(rdata) };
      if (type === 1 && rdlen === 4) rr.data = [...rdata].join('.');
      else if (type === 5 || type === 39 || type === 2) rr.data = readName(buf, rdataOff).name;
      else if (type === 52) rr.data = `${rdata[0]} ${rdata[1]} ${rdata[2]} ${rdata.subarray(3).toString('hex')}`;
      else if (type === 46) rr.data = { typeCovered: typeName(rdata.readUInt16BE(0)), algorithm: rdata[2] };
      sections[s].push(rr);
      off = rdataOff + rdlen;
    }
  }
  return {
    id,
    qr: !!(flags & 0x8000),
    opcode: (flags >> 11) & 0xf,
    aa: !!(flags & 0x0400),
    tc: !!(flags & 0x0200),
    rd: !!(flags & 0x0100),
    ra: !!(flags & 0x0080),
    ad: !!(flags & 0x0020),
    cd: !!(flags & 0x0010),
    rcode: RCODES[flags & 0xf] ?? String(flags & 0xf),
    question,
    answer: sections[0],
    authority: sections[1],
    additional: sections[2],
  };
}

/** Parse only the question of a query (for logging). */
export function parseQuestion(buf) {
  try {
    const m = decodeMessage(buf);
    const q = m.question[0];
    return { name: q?.name ?? '?', type: q?.type ?? '?', cd: m.cd, id: m.id };
  } catch {
    return { name: '?', type: '?', cd: false, id: 0 };
  }
}

export const b64url = (buf) => Buffer.from(buf).toString('base64url');
export const fromB64url = (s) => Buffer.from(s, 'base64url');
