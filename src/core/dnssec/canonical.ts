/**
 * Canonical form and order of RRs and the data an RRSIG signs (RFC 4034 §3.1.8.1, §6).
 */
import { compareBytes, concatBytes } from '../util/encoding';
import { nameToWire, readName, rrsigLabelCount, truncateToLabels, wildcardOf } from '../wire/name';
import { RRType, type RR, type RRSIGData } from '../wire/types';

/**
 * Where the domain names sit in the RDATA of the types whose embedded names are lowercased in
 * canonical form. RFC 4034 §6.2 item 3 lists: NS, MD, MF, CNAME, SOA, MB, MG, MR, PTR, HINFO,
 * MINFO, MX, HINFO, RP, AFSDB, RT, SIG, PX, NXT, NAPTR, KX, SRV, DNAME, A6, RRSIG, NSEC.
 * RFC 6840 §5.1 removes NSEC (its next name keeps its case; RFC 3755 §4 had already said so).
 * HINFO carries no domain name (two character-strings), so nothing in it is lowercased.
 * Every other type, known or not, is taken as opaque octets (RFC 3597 §7: new types MUST NOT
 * be added to the list).
 *
 * Each layout is a list of steps: a number skips that many fixed octets, 'name' is a domain
 * name, 'string' a character-string (RFC 1035 §3.3), 'a6' the A6 prefix length/suffix and
 * 'a6name' the A6 prefix name (RFC 2874 §3.1; present only when the prefix length is non-zero).
 */
type Step = number | 'name' | 'string' | 'a6' | 'a6name';
const NAME_LAYOUT: Record<number, Step[]> = {
  [RRType.NS]: ['name'], // RFC 1035 §3.3.11
  3: ['name'], // MD, RFC 1035 §3.3.4
  4: ['name'], // MF, RFC 1035 §3.3.5
  [RRType.CNAME]: ['name'], // RFC 1035 §3.3.1
  [RRType.SOA]: ['name', 'name'], // RFC 1035 §3.3.13 (MNAME, RNAME, then 20 fixed octets)
  7: ['name'], // MB, RFC 1035 §3.3.3
  8: ['name'], // MG, RFC 1035 §3.3.6
  9: ['name'], // MR, RFC 1035 §3.3.8
  [RRType.PTR]: ['name'], // RFC 1035 §3.3.12
  14: ['name', 'name'], // MINFO, RFC 1035 §3.3.7
  [RRType.MX]: [2, 'name'], // RFC 1035 §3.3.9
  17: ['name', 'name'], // RP, RFC 1183 §2.2
  18: [2, 'name'], // AFSDB, RFC 1183 §1
  21: [2, 'name'], // RT, RFC 1183 §3.3
  24: [18, 'name'], // SIG, RFC 2535 §4.1 (signer's name after 18 fixed octets)
  26: [2, 'name', 'name'], // PX, RFC 2163 §4
  30: ['name'], // NXT, RFC 2535 §5.2 (next domain name, then the bitmap)
  35: [4, 'string', 'string', 'string', 'name'], // NAPTR, RFC 3403 §4.1
  36: [2, 'name'], // KX, RFC 2230 §3.1
  [RRType.SRV]: [6, 'name'], // RFC 2782
  [RRType.DNAME]: ['name'], // RFC 6672 §2.1
  38: ['a6', 'a6name'], // A6, RFC 2874 §3.1
  [RRType.RRSIG]: [18, 'name'], // RFC 4034 §3.1 (signer's name after 18 fixed octets)
};

/**
 * Canonical RDATA (RFC 4034 §6.2 item 3, as amended by RFC 6840 §5.1): for the listed types,
 * every domain name in the RDATA gets its ASCII upper-case letters lowercased; names are
 * uncompressed already (types.ts). Other octets are copied unchanged. RDATA that does not parse
 * for its type is returned unchanged (a copy): no signature made over well-formed data matches
 * it, and nothing here throws.
 */
export function canonicalRdata(type: number, rdata: Uint8Array): Uint8Array {
  const layout = NAME_LAYOUT[type];
  const out = rdata.slice();
  if (!layout) return out;
  let pos = 0;
  let a6Prefix = 0;
  try {
    for (const step of layout) {
      if (typeof step === 'number') {
        pos += step;
      } else if (step === 'string') {
        if (pos >= rdata.length) return rdata.slice();
        pos += 1 + rdata[pos];
      } else if (step === 'a6') {
        if (pos >= rdata.length) return rdata.slice();
        a6Prefix = rdata[pos];
        if (a6Prefix > 128) return rdata.slice();
        pos += 1 + Math.ceil((128 - a6Prefix) / 8);
      } else {
        if (step === 'a6name' && a6Prefix === 0) break;
        if (pos > rdata.length) return rdata.slice();
        // Names inside RDATA are not compressed here (types.ts: expanded on parse).
        const { name, next } = readName(rdata, pos, { compression: false, end: rdata.length });
        const wire = nameToWire(name, true);
        if (wire.length !== next - pos) return rdata.slice();
        out.set(wire, pos);
        pos = next;
      }
    }
  } catch {
    return rdata.slice();
  }
  return pos > rdata.length ? rdata.slice() : out;
}

/**
 * The canonical RDATA of an RRset in canonical order without duplicates (RFC 4034 §6.3: RRs
 * sorted by their canonical RDATA as left-justified unsigned octet sequences, a missing octet
 * sorting before a zero octet; "an RRset MUST NOT contain duplicate RRs", RFC 2181 §5).
 * The caller guarantees that all RRs share owner, type and class.
 */
export function canonicalRRset(rrset: readonly RR[]): Uint8Array[] {
  const all = rrset.map((rr) => canonicalRdata(rr.type, rr.rdata));
  all.sort(compareBytes);
  const out: Uint8Array[] = [];
  for (const r of all) {
    if (out.length === 0 || compareBytes(out[out.length - 1], r) !== 0) out.push(r);
  }
  return out;
}

function u16(n: number): Uint8Array {
  return Uint8Array.of((n >>> 8) & 0xff, n & 0xff);
}

function u32(n: number): Uint8Array {
  return Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/**
 * The owner name as it enters the signed data (RFC 4035 §5.3.2): the canonical owner, or, when
 * the RRSIG Labels field is smaller than the owner's label count (RFC 4034 §3.1.3, a leading
 * "*" not counted), the wildcard that produced it: "*." + the rightmost `labels` labels.
 */
export function signedOwner(owner: string, labels: number): string {
  return labels < rrsigLabelCount(owner) ? wildcardOf(truncateToLabels(owner, labels)) : owner;
}

/**
 * The octets an RRSIG signs (RFC 4034 §3.1.8.1):
 *   signature = sign(RRSIG_RDATA | RR(1) | RR(2) | ...)
 * - RRSIG_RDATA: the RRSIG RDATA fields without the Signature, the Signer's Name in canonical
 *   form (uncompressed, lowercase; RFC 4034 §3.1.7, §6.2);
 * - RR(i) = owner | type | class | TTL | RDATA length | RDATA, in canonical form (RFC 4034
 *   §6.2): owner lowercased, or the wildcard owner of RFC 4035 §5.3.2; the TTL is the RRSIG
 *   Original TTL (RFC 4034 §6.2 item 5, RFC 4035 §5.3.2); RDATA canonical (names lowercased
 *   for the listed types) and the RRs in canonical order without duplicates (RFC 4034 §6.3).
 * Owner, type and class are taken from the first RR (the caller checks they agree).
 * Throws only on programming errors (an invalid `Name`).
 */
export function signedData(sig: RR<RRSIGData>, rrset: readonly RR[]): Uint8Array {
  const s = sig.data;
  const parts: Uint8Array[] = [
    u16(s.typeCovered),
    Uint8Array.of(s.algorithm & 0xff, s.labels & 0xff),
    u32(s.originalTtl),
    u32(s.expiration),
    u32(s.inception),
    u16(s.keyTag),
    nameToWire(s.signerName, true), // RFC 4034 §3.1.7, §6.2
  ];
  if (rrset.length > 0) {
    const first = rrset[0];
    const owner = nameToWire(signedOwner(first.name, s.labels), true); // RFC 4035 §5.3.2
    const head = concatBytes(owner, u16(first.type), u16(first.class), u32(s.originalTtl)); // RFC 4034 §6.2 item 5
    for (const rdata of canonicalRRset(rrset)) {
      parts.push(head, u16(rdata.length), rdata);
    }
  }
  return concatBytes(...parts);
}
